"""OCPP 1.6 Core, the Central System under test: unlocking a connector remotely."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_REQUEST = "1. The Central System sends UnlockConnector"
_SKIPPED = Mutant("skip_trigger", step=_REQUEST, says="it did not arrive")


async def _unlock(
    trigger: CsmsTrigger, station: Session, connector_id: int, status: str, why: str = ""
) -> None:
    """The Central System is made to unlock ``connector_id``; the charge point answers."""
    await acts.requested(
        trigger,
        station,
        "UnlockConnector",
        {"connectorId": connector_id},
        description=f"Make the Central System unlock connector {connector_id} of the charge point",
        request_step=_REQUEST,
        answer_step=f"2. The charge point answers {status}{why}",
        answer={"status": status},
    )


@testcase("TC_017_1_CSMS", proof=[_SKIPPED])
async def test_TC_017_1_CSMS_unlock_idle_socket(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System unlocks the connector of an idle charge point with a socket."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _unlock(trigger, station, flows.first_connector(dut), "Unlocked")


@testcase("TC_017_2_CSMS", proof=[_SKIPPED])
async def test_TC_017_2_CSMS_unlock_fixed_cable(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point with a fixed cable that cannot unlock."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _unlock(trigger, station, flows.first_connector(dut), "NotSupported", " (fixed cable)")


@testcase(
    "TC_018_1_CSMS",
    proof=[
        _SKIPPED,
        Mutant(
            "ignore_call:StopTransaction",
            step="5-6. StopTransaction with reason UnlockCommand is acknowledged",
            says="did not answer StopTransaction",
        ),
    ],
)
async def test_TC_018_1_CSMS_unlock_while_charging(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System unlocks a connector during a transaction, which the charge point ends."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    await _unlock(trigger, station, tx.connector_id, "Unlocked")
    with step("3-4. StatusNotification Finishing is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Finishing")
    with step("5-6. StopTransaction with reason UnlockCommand is acknowledged"):
        await acts.stop_transaction(station, tx, "UnlockCommand")
    with step("7-8. StatusNotification Available (cable unplugged) is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Available")


@testcase("TC_030_CSMS", proof=[_SKIPPED])
async def test_TC_030_CSMS_unlock_failure(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point that fails to unlock its connector."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _unlock(trigger, station, flows.first_connector(dut), "UnlockFailed")


@testcase("TC_031_CSMS", proof=[_SKIPPED])
async def test_TC_031_CSMS_unlock_unknown_connector(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point refusing to unlock a connector it does not have."""
    unknown = max(c for _evse, c in dut.connectors) + 1
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _unlock(trigger, station, unknown, "NotSupported", " (unknown connector)")
