"""OCPP 1.6 Core, the Central System under test: sessions the charge point starts and ends."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_AUTHORIZE_REFUSED = Mutant(
    "token_invalid:Authorize",
    step="Authorized 1-2. Authorize with the valid idTag is answered Accepted",
    says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
)
_START_REFUSED = Mutant(
    "token_invalid:StartTransaction",
    step="Charging 3-4. StartTransaction is answered with idTagInfo Accepted",
    says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
)


async def _authorized_and_plugged_in(station: Session, dut: DutProfile) -> int:
    """Before Authorized, then step 1-2: the connector reported Preparing; its id."""
    connector_id = flows.first_connector(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Authorized"):
        await flows.authorized(station, dut)
    with step("1-2. StatusNotification Preparing is acknowledged"):
        await flows.status_notification(station, connector_id, "Preparing")
    return connector_id


@testcase("TC_004_1_CSMS", proof=[_AUTHORIZE_REFUSED, _START_REFUSED])
async def test_TC_004_1_CSMS_identification_first(station: Session, dut: DutProfile) -> None:
    """The Central System accepts a session where the driver identifies before plugging in."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1. Reusable state Charging"):
        await flows.charging(station, dut)


@testcase("TC_004_2_CSMS", proof=[_AUTHORIZE_REFUSED])
async def test_TC_004_2_CSMS_connection_timeout(station: Session, dut: DutProfile) -> None:
    """The Central System takes a connector back to Available after the connection timed out."""
    connector_id = await _authorized_and_plugged_in(station, dut)
    # The harness charge point's own ConnectionTimeOut expires here: the Central System
    # cannot observe the wait, only the status that follows it.
    with step("3-4. StatusNotification Available (connection timeout) is acknowledged"):
        await flows.status_notification(station, connector_id, "Available")


@testcase(
    "TC_005_1_CSMS",
    proof=[
        _START_REFUSED,
        Mutant(
            "ignore_call:StopTransaction",
            step="3-4. StopTransaction with reason EVDisconnected is acknowledged",
            says="did not answer StopTransaction",
        ),
    ],
)
async def test_TC_005_1_CSMS_ev_side_disconnected(station: Session, dut: DutProfile) -> None:
    """The Central System ends a transaction the charge point stops when the EV side unplugs."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    with step("1-2. StatusNotification SuspendedEV (cable out at the EV) is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "SuspendedEV")
    with step("3-4. StopTransaction with reason EVDisconnected is acknowledged"):
        await acts.stop_transaction(station, tx, "EVDisconnected")
    with step("5-6. StatusNotification Finishing is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Finishing")
    with step("7-8. StatusNotification Available (cable unplugged) is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Available")


@testcase("TC_024_CSMS", proof=[_AUTHORIZE_REFUSED])
async def test_TC_024_CSMS_lock_failure(station: Session, dut: DutProfile) -> None:
    """The Central System acknowledges a connector reported Faulted with ConnectorLockFailure."""
    connector_id = await _authorized_and_plugged_in(station, dut)
    with step("3-4. StatusNotification Faulted with ConnectorLockFailure is acknowledged"):
        await flows.status_notification(
            station, connector_id, "Faulted", error_code="ConnectorLockFailure"
        )
