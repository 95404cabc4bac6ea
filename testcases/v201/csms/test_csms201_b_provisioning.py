"""OCPP 2.0.1 block B (provisioning), the CSMS under test: cold boot cases."""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


@testcase(
    "TC_B_01_CSMS",
    proof=[
        Mutant(
            "boot_rejected",
            step="Booted 1-2. BootNotification (PowerUp) is answered Accepted",
            says="'Rejected'",
        )
    ],
)
async def test_TC_B_01_CSMS_cold_boot(station: Session, dut: DutProfile) -> None:
    """The CSMS accepts the boot of a known station and acknowledges its connector reports."""
    with step("1. Execute reusable state Booted"):
        await flows.booted(station, dut)


@testcase(
    "TC_B_02_CSMS",
    proof=[
        Mutant(
            "boot_rejected",
            step="1-2. BootNotification (PowerUp) is answered Pending",
            says="status 'Rejected'",
        )
    ],
)
async def test_TC_B_02_CSMS_cold_boot_pending(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A CSMS set to hold a station Pending answers its first boot Pending, the retry Accepted."""
    with step("Prerequisite: the CSMS answers the station's next boot Pending"):
        await trigger.configure(
            "next_boot_status",
            "Pending",
            description=f"Configure the CSMS to answer the next BootNotification of station "
            f"{dut.identity} with status Pending",
        )
    with step("1-2. BootNotification (PowerUp) is answered Pending"):
        pending = await flows.boot(station, dut, status="Pending")
    with step("Note. The station waits the retry interval the CSMS gave"):
        await flows.retry_interval_elapsed(station, dut, pending["interval"])
    with step("3-4. The repeated BootNotification (PowerUp) is answered Accepted"):
        await flows.boot(station, dut, status="Accepted")
    with step("5-6. Every connector is reported Available and the CSMS acknowledges it"):
        for evse_id, connector_id in dut.connectors:
            await flows.report_connector(station, evse_id, connector_id, "Available")
