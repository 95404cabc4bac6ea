"""OCPP 2.0.1 offline authorization, station under test (C13, C15): the shared steps.

The harness takes the station offline itself (:meth:`Session.offline
<harness.session.Session.offline>`); the catalogue's manual actions happen
meanwhile and get a bounded time from the profile (:func:`offline_for`).
Back online, the station empties its transaction message queue: each queued
TransactionEvent is judged as it arrives (:func:`queued_events`); the one
carrying the idToken is answered ``Invalid`` (:func:`answer_invalid`), and
what the station does about it (``StopTxOnInvalidId``,
``MaxEnergyOnInvalidId``) is judged by the case.

* :func:`offline_configuration` — the Configuration States of TC_C_15..18_CS
  and TC_C_26_CS: values the case needs, values "if implemented", and the
  reconnection timing of TC_C_15/18_CS.
* :func:`went_offline` — steps 1-2 of those cases: the CSMS closes the
  connection and refuses reconnects, the manual actions, the reconnection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from harness.checks import conform
from harness.flows.v16.offline import offline_for
from harness.flows.v201.auth import answer_transaction_events, required
from harness.flows.v201.cs import StationFlow, other_than
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.steps import step

__all__ = [
    "DEAUTHORIZED_LATER",
    "SUSPENDED_LATER",
    "answer_invalid",
    "carried_token",
    "offline_configuration",
    "queued_events",
    "reconnection_bound",
    "triggered",
    "went_offline",
]

#: The catalogue lets other events come before the ``Deauthorized`` one ("A message with").
DEAUTHORIZED_LATER = {"triggerReason": other_than("Deauthorized")}
#: ... and before the one reporting ``SuspendedEVSE``.
SUSPENDED_LATER = {"transactionInfo": {"chargingState": other_than("SuspendedEVSE")}}
_AUTH = "AuthCtrlr"
_COMM = "OCPPCommCtrlr"


def reconnection_bound(dut: DutProfile) -> float:
    """How long the station may take to reconnect once the CSMS accepts it again.

    Its back-off (``RetryBackOffWaitMinimum``, doubled after each refused
    attempt: three waits cover the offline period and the next attempt) plus
    a connect timeout.
    """
    return 7 * dut.timing.retry_backoff_wait_minimum + dut.timing.connect_timeout


async def offline_configuration(
    flow: StationFlow,
    title: str,
    *,
    need: Mapping[tuple[str, str], str],
    prefer: Mapping[tuple[str, str], str],
    backoff: bool = False,
) -> None:
    """A Configuration State of the offline cases.

    Args:
        flow: the case's flow.
        title: the step's title.
        need: values the case cannot do without (else not applicable).
        prefer: values set "if implemented".
        backoff: also set ``RetryBackOffWaitMinimum`` to <Configured
            RetryBackOffWaitMinimum>, ``RetryBackOffRandomRange`` to 0 and
            ``OfflineThreshold`` to that minimum + 60 (TC_C_15/18_CS).
    """
    settings = dict(need)
    if backoff:
        minimum = flow.dut.timing.retry_backoff_wait_minimum
        settings[(_COMM, "RetryBackOffWaitMinimum")] = str(minimum)
        settings[(_COMM, "RetryBackOffRandomRange")] = "0"
        settings[(_COMM, "OfflineThreshold")] = str(minimum + 60)
    with step(title):
        await flow.prefer(prefer)
        await required(flow, settings)


async def went_offline(
    flow: StationFlow,
    actions: Callable[[], Awaitable[None]],
    what: str,
    *,
    state: str = "",
    spent: float = 0.0,
) -> int:
    """Steps 1-2: offline, the manual ``actions``, then the station's reconnection.

    ``state`` names the reusable state whose steps these are (StartOfflineTransaction).

    The station is left offline for <Configured Transaction Duration> from
    the actions on, less the ``spent`` seconds the actions waited themselves
    (the catalogue's "The OCTT will wait ..."): time for it to act on them
    with no frame to tell when it did.

    Returns:
        the trace position once the connection was closed.
    """
    csms, dut = flow.csms, flow.dut
    async with contextlib.AsyncExitStack() as stack:
        with step(f"{state}1. The CSMS closes the connection and refuses reconnects; {what}"):
            await stack.enter_async_context(csms.offline(timeout=reconnection_bound(dut)))
            # After the close: what the station sent before it knew was sent online.
            mark = csms.mark()
            await actions()
            await offline_for(csms, max(0.0, dut.timing.transaction_duration - spent))
        with step(f"{state}2. The CSMS accepts the station's reconnection"):
            await stack.aclose()
    return mark


def answer_invalid(flow: StationFlow) -> None:
    """Step 4: a TransactionEvent carrying an idToken is answered ``Invalid``."""
    answer_transaction_events(flow.csms, {"status": "Invalid"})


async def queued_events(
    flow: StationFlow,
    title: str,
    *,
    cut: int,
    until: Callable[[list[IncomingCall]], bool],
    needs: str,
    authorized: Mapping[str, Any] | None = None,
) -> list[IncomingCall]:
    """The queued TransactionEvents, each judged on arrival, until ``until`` holds.

    Each must carry ``offline`` true (it happened while the station was
    offline; E04 sends the queue before anything newer). One with
    triggerReason ``Authorized`` must carry the presented idToken
    (``authorized``).

    Args:
        flow: the case's flow (its EVSE; the presented idToken).
        title: the step's title.
        cut: the trace position once the connection was closed (events
            received before it were sent online, not queued).
        until: whether the events so far are all the step needs.
        needs: what ``until`` waits for, for the failure message.
        authorized: the idToken an ``Authorized`` event must carry.
    """
    found: list[IncomingCall] = []
    flow.skip_to(cut)
    with step(title):
        while not until(found):
            event = await flow.expect_tx(
                f"offline true: queued, as every event up to {needs}", {"offline": True}
            )
            found.append(event)
            if event.payload["triggerReason"] == "Authorized" and authorized is not None:
                conform(event, "the presented idToken", {"idToken": dict(authorized)})
    return found


def triggered(events: list[IncomingCall], trigger: str) -> bool:
    """Whether one of ``events`` has ``triggerReason`` ``trigger``."""
    return any(e.payload["triggerReason"] == trigger for e in events)


def carried_token(events: list[IncomingCall]) -> bool:
    """Whether one of ``events`` carries the idToken (the one answered ``Invalid``)."""
    return any("idToken" in e.payload for e in events)
