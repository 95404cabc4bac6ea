"""OCPP 2.0.1 stopping with a master pass (C16), station under test: the shared steps.

TC_C_47/48/49_CS share their Before (the master-pass group configured, a
transaction transferring energy on EVSE 1 with the valid idToken and on EVSE 2
with the second one), their steps 1-2 (the master pass presented, authorized
in its group) and their steps 3-7 for each transaction stopped: the
TransactionEvent of the stop names the master pass or no idToken, the
``Ended`` event carries ``stoppedReason`` ``MasterPass`` (errata 2025-01,
O20-4467: "in the last TransactionEventRequest", which is the first event of
the stop when the stop point ends the transaction at once, otherwise the one
when the EV leaves), then the EV leaves.
"""

from __future__ import annotations

from typing import Any

from harness.checks import conform
from harness.errors import NotApplicable
from harness.expect import Pattern, or_absent
from harness.flows.common import token
from harness.flows.v201.auth import (
    answer_authorize,
    answer_transaction_events,
    authorize_at_reader,
    group_info,
    required,
)
from harness.flows.v201.checks import id_token
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step

__all__ = [
    "MASTER_PASS_RIG",
    "charging_on_each_evse",
    "master_pass_authorized",
    "master_pass_stops",
    "selected_after_master_pass",
    "still_charging",
    "stopped_by_master_pass",
]

MASTER_PASS_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
#: The idTokens of the Before: <Configured valid_idtoken> on EVSE 1, valid_idtoken2 on EVSE 2.
_TOKENS = ("valid", "valid2")


async def charging_on_each_evse(csms: Session, rig: Rig, dut: DutProfile) -> list[StationFlow]:
    """Before: AuthCtrlr.MasterPassGroupId configured; EnergyTransferStarted per EVSE.

    The catalogue starts a transaction on EVSE 1 with the valid idToken and,
    when the station has more than one EVSE, on EVSE 2 with the second one
    (the profile names two idTokens: further EVSEs stay idle).
    """
    rig.require(*MASTER_PASS_RIG)
    group = token(dut, "master_pass_group")
    flows: list[StationFlow] = []
    for (evse, connector), name in zip(dut.connectors, _TOKENS, strict=False):
        flow = StationFlow(csms, dut, rig, evse=evse, connector=connector)
        if not flows:
            with step("Before: AuthCtrlr.MasterPassGroupId is <Configured masterPassGroupId>"):
                await required(flow, {("AuthCtrlr", "MasterPassGroupId"): group})
        with step(f"Before: EnergyTransferStarted on EVSE {evse} with the {name} idToken"):
            await flow.ev_connected_pre_session()
            await flow.authorized_local(name)
            await flow.energy_transfer_started()
        flows.append(flow)
    return flows


async def master_pass_authorized(csms: Session, rig: Rig, dut: DutProfile) -> IncomingCall:
    """Steps 1-2 of C16: the master pass at the reader, Authorize answered Accepted in its group."""
    answer_authorize(csms, group_info(dut, "Accepted", token(dut, "master_pass_group")))
    return await authorize_at_reader(
        csms,
        rig,
        dut,
        "master_pass",
        "1-2. AuthorizeRequest with the master-pass idToken, answered Accepted in its group",
        presented="Manual action: present the configured master-pass idToken",
    )


async def master_pass_stops(csms: Session, rig: Rig, dut: DutProfile) -> IncomingCall:
    """Steps 1-2 of TC_C_47/48/49_CS, with step 4's answer ready before any stop.

    A TransactionEvent carrying an idToken is answered as step 4 says:
    Accepted, in the master-pass group (a station without a user interface
    stops as soon as the Authorize is answered).
    """
    answer_transaction_events(csms, group_info(dut, "Accepted", token(dut, "master_pass_group")))
    return await master_pass_authorized(csms, rig, dut)


async def selected_after_master_pass(
    csms: Session, rig: Rig, dut: DutProfile, evse: int | None
) -> tuple[list[StationFlow], int]:
    """Before and steps 1-2 of TC_C_47/48_CS, then the selection on the user interface.

    Args:
        evse: the EVSE whose transaction the holder selects to stop (None: all).

    Returns:
        The flow of each EVSE charging, and the trace mark before the selection.
    """
    rig.require(*MASTER_PASS_RIG, Capability.UI)
    flows = await charging_on_each_evse(csms, rig, dut)
    await master_pass_stops(csms, rig, dut)
    mark = csms.mark()
    which = "all transactions" if evse is None else f"the transaction on EVSE {evse}"
    with step(f"Manual action: select to stop {which}"):
        await rig.ui_stop(evse)
    return flows, mark


async def stopped_by_master_pass(flows: list[StationFlow], which: str) -> None:
    """Steps 3-7 for each transaction the master pass stops (``which``: "for EVSE 1", ...)."""
    if not flows:
        raise NotApplicable("the profile names no EVSE")
    master = id_token(flows[0].dut, "master_pass")
    events: dict[int, list[IncomingCall | None]] = {}
    for flow in flows:
        with step(f"3-4. TransactionEventRequest {which}: EVSE {flow.evse} stopped"):
            # Tool validation step 3: idToken omitted, or the master pass's (once per stop).
            found = await flow.expect_tx(
                "stopped by the master pass: idToken omitted or the master pass's",
                {"idToken": or_absent(master)},
            )
            events[flow.evse] = [found]
    for flow in flows:
        with step(f"5. Execute Reusable State EVConnectedPostSession (EVSE {flow.evse})"):
            events[flow.evse].append(await flow.ev_connected_post_session())
    for flow in flows:
        with step(f"6. Execute Reusable State EVDisconnected (EVSE {flow.evse})"):
            events[flow.evse].append(await flow.ev_disconnected())
        with step(f"3. The Ended TransactionEventRequest of EVSE {flow.evse}: stoppedReason"):
            _ended_by_master_pass(events[flow.evse])
    # 7. ParkingBayUnoccupied: the station reports a parking bay only with a detector, and
    # the reusable state then has nothing for the CSMS to check.


def _ended_by_master_pass(events: list[IncomingCall | None]) -> None:
    """Errata 2025-01 (O20-4467): stoppedReason MasterPass and eventType Ended, last event."""
    ended = next((e for e in events if e is not None and e.payload["eventType"] == "Ended"), None)
    if ended is None:
        return  # the stop point keeps the transaction open past the EV leaving: nothing to judge
    conform(
        ended,
        "transactionInfo.stoppedReason MasterPass in the Ended event (tool validation step 3)",
        {"transactionInfo": {"stoppedReason": "MasterPass"}},
    )


async def still_charging(csms: Session, flows: list[StationFlow], after: int) -> None:
    """Post condition of TC_C_48_CS: every other EVSE still transfers energy.

    Judged over one message timeout from ``after`` (the selection): no
    TransactionEvent of those EVSEs ends the transaction or leaves Charging.
    """
    others = {flow.evse for flow in flows}
    if not others:
        return

    def leaves_charging(payload: dict[str, Any]) -> bool:
        state = payload.get("transactionInfo", {}).get("chargingState", "Charging")
        return payload.get("evse", {}).get("id") in others and (
            payload.get("eventType") == "Ended" or state != "Charging"
        )

    scope = Pattern("TransactionEvent", where=leaves_charging, label="a stop on another EVSE")
    await csms.expect_none(scope, during=flows[0].dut.timing.message_timeout, after=after)
