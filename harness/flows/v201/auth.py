"""OCPP 2.0.1 authorization steps shared by the block C ``_CS`` cases (harness as CSMS).

An idToken at the reader is answered by the harness with the ``idTokenInfo``
the catalogue step prescribes (:func:`answer_authorize`), the AuthorizeRequest
is judged on arrival (:func:`authorize_at_reader`), and a refused token must
not be followed by a TransactionEvent that starts or authorizes a transaction
(:func:`no_transaction_follows`). Group answers carry ``groupIdToken``
(:func:`group_info`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.checks import conform
from harness.errors import NotApplicable
from harness.flows.common import same_value
from harness.flows.v201.checks import id_token
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step

__all__ = [
    "AUTH_ON",
    "answer_authorize",
    "answer_transaction_events",
    "authorize_at_reader",
    "group_info",
    "no_transaction_follows",
    "required",
    "starts_or_authorizes",
]

#: "AuthEnabled is true (if implemented and ReadWrite); DisableRemoteAuthorization is false".
AUTH_ON = {
    ("AuthCtrlr", "AuthEnabled"): "true",
    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
}


def starts_or_authorizes(payload: dict[str, Any]) -> bool:
    """A TransactionEvent other than a periodic or clock-aligned meter value."""
    return payload.get("triggerReason") not in ("MeterValuePeriodic", "MeterValueClock")


def group_info(dut: DutProfile, status: str, group: str | None = None) -> dict[str, Any]:
    """An ``idTokenInfo`` with ``status`` and ``groupIdToken`` <Configured GroupId>."""
    value = group or dut.tokens.group_id
    return {"status": status, "groupIdToken": {"idToken": value, "type": "Central"}}


def answer_authorize(csms: Session, info: dict[str, Any]) -> None:
    """From now on the harness answers AuthorizeRequest with ``info`` as ``idTokenInfo``."""
    csms.respond("Authorize", {"idTokenInfo": dict(info)})


def answer_transaction_events(csms: Session, info: dict[str, Any]) -> None:
    """From now on a TransactionEvent carrying an idToken is answered with ``info``.

    Events without an idToken get an empty answer (``idTokenInfo`` is only
    about the idToken of the request).
    """

    def answer(incoming: IncomingCall) -> dict[str, Any]:
        return {"idTokenInfo": dict(info)} if "idToken" in incoming.payload else {}

    csms.respond("TransactionEvent", answer)


async def authorize_at_reader(
    csms: Session, rig: Rig, dut: DutProfile, token: str, title: str, *, presented: str = ""
) -> IncomingCall:
    """Present the ``token`` idToken; its AuthorizeRequest arrives and is judged.

    Args:
        csms: the harness-as-CSMS session (the answer was set with :func:`answer_authorize`).
        rig: presents the card.
        dut: the profile whose ``[tokens]`` name ``token``.
        token: the profile's token name (``valid``, ``blocked``, ...).
        title: the step title of the AuthorizeRequest and its answer.
        presented: the title of the manual action (a default names the token).
    """
    rig.require(Capability.CARD)
    wanted = id_token(dut, token)
    mark = csms.mark()
    with step(presented or f"Manual action: present the {token} idToken"):
        await rig.present_card(wanted["idToken"])
    with step(title):
        request = await csms.expect("Authorize", after=mark)
        conform(request, f"the presented {token} idToken", {"idToken": wanted})
    return request


async def no_transaction_follows(
    csms: Session,
    dut: DutProfile,
    after: IncomingCall | int,
    title: str,
    *,
    during: float | None = None,
) -> None:
    """No TransactionEvent that starts or authorizes follows ``after`` for a message timeout.

    Meter values of a transaction already running (TxStartPoint EVConnected)
    may go on: they neither start nor authorize anything. ``during`` shortens
    the wait where an earlier step already waited since ``after`` (0: judge
    what arrived since then).
    """
    with step(title):
        await csms.expect_none(
            "TransactionEvent",
            where=starts_or_authorizes,
            during=dut.timing.message_timeout if during is None else during,
            after=after,
        )


async def required(flow: StationFlow, settings: Mapping[tuple[str, str], str]) -> None:
    """A configuration state the case cannot do without (no "if implemented").

    Each value is set where the station lets it be (an accepted change must
    hold); a station that keeps another value cannot perform the case.

    Raises:
        NotApplicable: naming the variable the station keeps at another value.
    """
    await flow.prefer(settings)
    for (component, variable), value in settings.items():
        current = await flow.get_variable(component, variable)
        if current is None or not same_value(current, value):
            raise NotApplicable(
                f"the station keeps {component}.{variable} at {current!r}; the case needs {value!r}"
            )
