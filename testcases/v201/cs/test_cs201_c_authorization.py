"""OCPP 2.0.1 Authorization (block C), charging station under test."""

from __future__ import annotations

from typing import Any

from harness.flows.v201.cs import StationFlow, conform, id_token
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: "AuthEnabled is true (if implemented and ReadWrite); DisableRemoteAuthorization is false".
AUTH_ON = {
    ("AuthCtrlr", "AuthEnabled"): "true",
    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
}


def _starts_or_authorizes(payload: dict[str, Any]) -> bool:
    """A TransactionEvent other than a periodic or clock-aligned meter value."""
    return payload.get("triggerReason") not in ("MeterValuePeriodic", "MeterValueClock")


@testcase(
    "TC_C_02_CS",
    rig=(Capability.PLUG, Capability.CARD),
    proof=[
        Mutant("accept_any_token", step="No TransactionEventRequest follows", says="must not send")
    ],
)
async def test_TC_C_02_CS_local_start_invalid(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken the CSMS calls Invalid is asked about once and starts no transaction."""
    rig.require(Capability.PLUG, Capability.CARD)
    flow = StationFlow(csms, dut, rig)
    invalid = id_token(dut, "invalid")
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    csms.respond("Authorize", {"idTokenInfo": {"status": "Invalid"}})
    mark = csms.mark()
    with step("Present the invalid idToken"):
        await rig.present_card(invalid["idToken"])
    with step("1-2. AuthorizeRequest with the invalid idToken, answered Invalid"):
        request = await csms.expect("Authorize", after=mark)
        conform(request, "the presented idToken", {"idToken": invalid})
    with step("2. (note) No TransactionEventRequest follows the refused authorization"):
        # Meter values of a transaction already running (TxStartPoint EVConnected) may go on.
        await csms.expect_none(
            "TransactionEvent",
            where=_starts_or_authorizes,
            during=dut.timing.message_timeout,
            after=request,
        )
