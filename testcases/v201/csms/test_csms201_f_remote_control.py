"""OCPP 2.0.1 block F (remote control), the CSMS under test."""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

# The remoteStartId suggested to the CSMS; the case reads the one the CSMS actually sends.
REMOTE_START_ID = 1


@testcase(
    "TC_F_01_CSMS",
    proof=[
        Mutant(
            "remote_start_wrong_token",
            step="1. The CSMS sends RequestStartTransactionRequest",
            says="idToken.idToken",
        )
    ],
)
async def test_TC_F_01_CSMS_remote_start_cable_first(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS starts a transaction remotely for the valid token after the EV is plugged in."""
    valid = flows.id_token(dut, flows.token(dut, "valid"))
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state EVConnectedPreSession"):
        tx = await flows.ev_connected_pre_session(station, dut)
    async with trigger.requesting(
        station,
        "RequestStartTransaction",
        {"idToken": valid, "evseId": tx.evse_id, "remoteStartId": REMOTE_START_ID},
        description=f"Make the CSMS start a transaction remotely on EVSE {tx.evse_id} "
        f"for idToken {valid['idToken']}",
    ) as request:
        with step("1. The CSMS sends RequestStartTransactionRequest for the valid idToken"):
            call = await request.received()
            flows.conform(call, "the valid idToken", {"idToken": valid})
        with step("2. The station answers Accepted with its transactionId"):
            await call.reply({"status": "Accepted", "transactionId": tx.id})
            await request.completed()
    with step("3-4. TransactionEvent Updated (RemoteStart) with the remoteStartId is acknowledged"):
        tx.token = dict(call.payload["idToken"])
        await flows.transaction_event(
            station,
            tx,
            "Updated",
            "RemoteStart",
            token=tx.token,
            extra_info={"remoteStartId": call.payload["remoteStartId"]},
        )
    with step("5. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)


@testcase(
    "TC_F_20_CSMS",
    proof=[
        Mutant(
            "duplicate_trigger",
            step="2. The station answers Accepted; the CSMS sent the request once",
            says="2 times",
        )
    ],
)
async def test_TC_F_20_CSMS_trigger_heartbeat(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks the station for a Heartbeat with TriggerMessage and answers the Heartbeat."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    async with trigger.requesting(
        station,
        "TriggerMessage",
        {"requestedMessage": "Heartbeat"},
        description="Make the CSMS send a TriggerMessage asking the station for a Heartbeat",
    ) as request:
        with step("1. The CSMS sends TriggerMessageRequest for a Heartbeat"):
            call = await request.received()
            flows.conform(call, "requestedMessage Heartbeat", {"requestedMessage": "Heartbeat"})
        with step("2. The station answers Accepted; the CSMS sent the request once"):
            await call.reply({"status": "Accepted"})
            await request.completed()
    with step("3-4. Heartbeat is answered with the CSMS's current time"):
        await station.call("Heartbeat", {})
