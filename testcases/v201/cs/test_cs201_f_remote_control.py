"""OCPP 2.0.1 Remote Control (block F), charging station under test."""

from __future__ import annotations

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


@testcase(
    "TC_F_01_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[Mutant("no_remote_start_id", step="EnergyTransferStarted 7-8.", says="remoteStartId")],
)
async def test_TC_F_01_CS_remote_start_cable_first(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With the cable in first, a remote start begins a transaction that delivers energy."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    with step("1. Execute Reusable State Authorized (remote)"):
        await flow.authorized_remote()
    with step("2. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_F_08_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant(
            "reject:RequestStopTransaction",
            step="StopAuthorized 1-2. RequestStopTransactionRequest",
            says="'Rejected'",
        ),
        Mutant(
            "tx_not_ended",
            step="StopAuthorized 3-4. TransactionEventRequest",
            says="did not arrive",
        ),
    ],
)
async def test_TC_F_08_CS_remote_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """RequestStopTransaction is accepted and stops the charging transaction."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    with step("1. Execute Reusable State StopAuthorized (remote)"):
        await flow.stop_authorized_remote()


@testcase(
    "TC_F_20_CS",
    proof=[
        Mutant(
            "reject:TriggerMessage",
            step="1-2. TriggerMessageRequest Heartbeat is answered Accepted",
            says="Rejected",
        )
    ],
)
async def test_TC_F_20_CS_trigger_heartbeat(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """TriggerMessage for a Heartbeat is accepted and a Heartbeat follows."""
    mark = csms.mark()
    with step("1-2. TriggerMessageRequest Heartbeat is answered Accepted"):
        await csms.call("TriggerMessage", {"requestedMessage": "Heartbeat"}, status="Accepted")
    with step("3-4. The charging station sends a HeartbeatRequest"):
        await csms.expect("Heartbeat", after=mark)
