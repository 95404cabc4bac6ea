"""OCPP 2.0.1 Transactions (block E) stopped by the EV or its cable, charging station under test."""

from __future__ import annotations

import contextlib

from harness.expect import one_of, or_absent
from harness.flows.v201.checks import suspended_by_ev
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.ev_side import ev_side_disconnect_ends
from harness.flows.v201.rig_ways import authorize as _authorize
from harness.flows.v201.rig_ways import stop_authorization as _stop_authorization
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


def _members(value: str) -> set[str]:
    return {p.strip() for p in value.split(",") if p.strip()}


def _ends_only_at_disconnection(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_14 accepts: EVConnected, and nothing that ends earlier."""
    points = _members(value)
    earlier = {"EnergyTransfer", "PowerPathClosed", "DataSigned", "Authorized"}
    return "EVConnected" in points and not points & earlier


def _ends_with_energy(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_22 accepts: it contains EnergyTransfer."""
    return "EnergyTransfer" in _members(value)


@testcase(
    "TC_E_14_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "stale_charging_state", step="3-4. TransactionEventRequest Ended", says="chargingState"
        ),
        Mutant("tx_not_ended", step="3-4. TransactionEventRequest Ended", says="did not arrive"),
    ],
)
async def test_TC_E_14_CS_ev_disconnected_station_side(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With EVConnected as stop point, pulling the cable at the station ends the transaction."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStopPoint contains EVConnected"):
            setting = flow.configured(
                "TxCtrlr", "TxStopPoint", "EVConnected", holds=_ends_only_at_disconnection
            )
            await configuration.enter_async_context(setting)
        with step("Before: State is EVConnectedPostSession"):
            await _authorize(flow)
            await flow.energy_transfer_started()
            await _stop_authorization(flow)
            await flow.ev_connected_post_session()
        mark = csms.mark()
        with step("Disconnect the EV and the EVSE at the charging station"):
            await rig.plug_out(flow.evse, flow.connector)
        with step("1-2. The connector reports Available (StatusNotification and NotifyEvent)"):
            await flow.expect_availability("Available", mark)
        with step("3-4. TransactionEventRequest Ended, EVCommunicationLost, chargingState Idle"):
            if flow.stop_reason == "Remote":
                what = "stopped by RequestStopTransaction before: stoppedReason Remote"
                reason: object = "Remote"
            else:
                what = "stopped locally before: Local, EVDisconnected or no stoppedReason"
                reason = or_absent(one_of("Local", "EVDisconnected"))
            await flow.expect_tx(
                f"the cable left the station: Ended, EVCommunicationLost, Idle; {what}",
                {
                    "eventType": "Ended",
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {"chargingState": "Idle", "stoppedReason": reason},
                },
            )


@testcase(
    "TC_E_20_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "wrong_stopped_reason", step="1-2. TransactionEventRequest Ended", says="stoppedReason"
        ),
        Mutant(
            "ignore_ev_state:A", step="1-2. TransactionEventRequest Ended", says="did not arrive"
        ),
    ],
)
async def test_TC_E_20_CS_ev_disconnected_ev_side(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With EVConnected as stop point, the EV parting at its side ends the suspended transaction."""
    flow = StationFlow(csms, dut, rig)
    await ev_side_disconnect_ends(flow, "EVDisconnected", "EVDisconnected")


@testcase(
    "TC_E_22_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "stale_charging_state",
            step="1-2. TransactionEventRequest ChargingStateChanged",
            says="chargingState",
        ),
        Mutant(
            "ignore_ev_state:B",
            step="1-2. TransactionEventRequest ChargingStateChanged",
            says="did not arrive",
        ),
    ],
)
async def test_TC_E_22_CS_energy_transfer_stopped_by_ev(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With EnergyTransfer as stop point, the EV suspending the energy ends the transaction."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStopPoint contains EnergyTransfer"):
            setting = flow.configured(
                "TxCtrlr", "TxStopPoint", "EnergyTransfer", holds=_ends_with_energy
            )
            await configuration.enter_async_context(setting)
        with step("Before: State is EnergyTransferStarted"):
            await _authorize(flow)
            await flow.energy_transfer_started()
        with step("The EV suspends the energy transfer"):
            await rig.ev_state(EvState.B, flow.evse, flow.connector)
        with step("1-2. TransactionEventRequest ChargingStateChanged: Ended (or SuspendedEV)"):
            event = await flow.expect_tx(
                "the EV suspended: an Ended or Updated event",
                {"eventType": one_of("Ended", "Updated")},
            )
            what = "Ended with EVConnected and StoppedByEV, or Updated with SuspendedEV"
            suspended_by_ev(event, what, strict=True)
