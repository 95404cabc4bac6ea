"""OCPP 1.6 Core, the Central System under test: boot and charging sessions."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


@testcase(
    "TC_001_CSMS",
    proof=[
        Mutant(
            "boot_rejected", step="1-2. BootNotification is answered Accepted", says="'Rejected'"
        )
    ],
)
async def test_TC_001_CSMS_cold_boot(station: Session, dut: DutProfile) -> None:
    """The Central System accepts a booting charge point and answers its status and heartbeat."""
    with step("1-2. BootNotification is answered Accepted with a heartbeat interval"):
        await flows.boot(station, dut)
    with step("3-4. StatusNotification Available for connector 0 and each connector"):
        for connector_id in (0, *(c for _evse, c in dut.connectors)):
            await flows.status_notification(station, connector_id, "Available")
    with step("5-6. Heartbeat is answered with the Central System's current time"):
        await station.call("Heartbeat", {})


@testcase(
    "TC_003_CSMS",
    proof=[
        Mutant(
            "token_invalid:Authorize",
            step="3-4. Authorize with the valid idTag is answered Accepted",
            says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
        ),
        Mutant(
            "token_invalid:StartTransaction",
            step="5-6. StartTransaction is answered with idTagInfo Accepted",
            says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
        ),
    ],
)
async def test_TC_003_CSMS_charging_session_plugin_first(station: Session, dut: DutProfile) -> None:
    """The Central System starts a session where the cable is plugged in before identification."""
    connector_id = flows.first_connector(dut)
    valid = flows.token(dut, "valid")
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1-2. StatusNotification Preparing (cable plugged in) is acknowledged"):
        await flows.status_notification(station, connector_id, "Preparing")
    with step("3-4. Authorize with the valid idTag is answered Accepted"):
        reply = await flows.authorize(station, valid)
        flows.conform_reply(reply, "idTagInfo Accepted", {"idTagInfo": {"status": "Accepted"}})
    with step("5-6. StartTransaction is answered with idTagInfo Accepted and a transactionId"):
        reply = await station.call(
            "StartTransaction",
            {"connectorId": connector_id, "idTag": valid, "meterStart": 0, "timestamp": utc_now()},
        )
        flows.conform_reply(reply, "idTagInfo Accepted", {"idTagInfo": {"status": "Accepted"}})
    with step("7-8. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, connector_id, "Charging")


@testcase(
    "TC_012_CSMS",
    proof=[
        Mutant(
            "wrong_transaction_id",
            step="1. The Central System sends RemoteStopTransaction",
            says="transactionId",
        )
    ],
)
async def test_TC_012_CSMS_remote_stop(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System stops a running transaction remotely, naming its transactionId."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    async with trigger.requesting(
        station,
        "RemoteStopTransaction",
        {"transactionId": tx.id},
        description=f"Make the Central System stop transaction {tx.id} remotely",
    ) as request:
        with step("1. The Central System sends RemoteStopTransaction for the transaction"):
            call = await request.received()
            flows.conform(call, "the transaction's id", {"transactionId": tx.id})
        with step("2. The charge point answers Accepted"):
            await call.reply({"status": "Accepted"})
            await request.completed()
    with step("3-4. StopTransaction with reason Remote is acknowledged"):
        await station.call(
            "StopTransaction",
            {"transactionId": tx.id, "meterStop": 1000, "timestamp": utc_now(), "reason": "Remote"},
        )
    with step("5-6. StatusNotification Finishing is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Finishing")
    with step("7-8. StatusNotification Available (cable unplugged) is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Available")
