"""OCPP 2.0.1 Transactions (block E), charging station under test."""

from __future__ import annotations

import contextlib

from harness.expect import ANY, one_of
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

AUTH_ON = {
    ("AuthCtrlr", "AuthEnabled"): "true",
    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
}


def _has_ev(value: str) -> bool:
    """TxStartPoint makes the connected EV start the transaction (prerequisite of TC_E_09)."""
    points = {p.strip() for p in value.split(",")}
    return "EVConnected" in points and "ParkingBayOccupancy" not in points


@testcase(
    "TC_E_03_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[Mutant("wrong_trigger_reason", step="EnergyTransferStarted 7-8.", says="triggerReason")],
)
async def test_TC_E_03_CS_local_start_cable_first(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With the cable in first, a local idToken starts a transaction that delivers energy."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    with step("1. Execute Reusable State Authorized (local)"):
        await flow.authorized_local()
    with step("2. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_E_09_CS",
    rig=(Capability.PLUG,),
    proof=[
        Mutant(
            "ignore_tx_start_point",
            step="3-4. TransactionEventRequest Started",
            says="did not arrive",
        ),
        Mutant(
            "wrong_trigger_reason",
            step="3-4. TransactionEventRequest Started",
            says="triggerReason",
        ),
    ],
)
async def test_TC_E_09_CS_start_on_ev_connected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With TxStartPoint EVConnected, plugging the cable in starts the transaction."""
    rig.require(Capability.PLUG)
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStartPoint contains EVConnected"):
            setting = flow.configured("TxCtrlr", "TxStartPoint", "EVConnected", holds=_has_ev)
            await configuration.enter_async_context(setting)
        mark = csms.mark()
        with step("Connect the EV and the EVSE"):
            await rig.plug_in(flow.evse, flow.connector)
        with step("1-2. The connector reports Occupied"):
            await flow.expect_availability("Occupied", mark)
        with step("3-4. TransactionEventRequest Started for the connected EV"):
            await flow.expect_tx(
                "a transaction started by the cable",
                {
                    "eventType": "Started",
                    "triggerReason": one_of("CablePluggedIn", "ChargingStateChanged"),
                    "evse": {"id": ANY, "connectorId": ANY},
                    "transactionInfo": {"chargingState": "EVConnected"},
                },
            )
