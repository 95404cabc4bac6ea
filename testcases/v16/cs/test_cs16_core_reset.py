"""OCPP 1.6 Core, charge point under test: resetting (TC_014, TC_015, TC_016)."""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v16.before import charging_before
from harness.flows.v16.cs import booted, connector_id, expect_status, expect_stop, unavailable
from harness.flows.v16.reset import (
    made_operative,
    optional_boot,
    reset_rebooting,
    statuses_after_boot,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The status of the connector that had the transaction, once rebooted (step 9).
_AFTER_TRANSACTION = one_of("Finishing", "Preparing")


def _after_boot(finishing: IncomingCall, boot: IncomingCall) -> object:
    """Step 9's status for the connector: none left to await when Finishing came after the boot.

    A charge point may report the Finishing of step 5 only once rebooted; that
    report is the connector's status after the boot too (Finishing is allowed).
    """
    return None if finishing.entry.seq > boot.entry.seq else _AFTER_TRANSACTION


@testcase(
    "TC_014_CS",
    proof=[
        Mutant("forget_availability", step="9-10. StatusNotification", says="Unavailable"),
        Mutant("reject:Reset", step="5-6. Reset Soft is Accepted", says="'Rejected'"),
    ],
)
async def test_TC_014_CS_soft_reset_without_transaction(csms: Session, dut: DutProfile) -> None:
    """A soft reset keeps an inoperative connector Unavailable (across the reboot, if it reboots), and it becomes Available once made operative."""  # noqa: E501
    number = connector_id(dut)
    await booted(csms, dut)
    with step("1-4. ChangeAvailability Inoperative; StatusNotification Unavailable"):
        await unavailable(csms, number)
    mark = csms.mark()
    with step("5-6. Reset Soft is Accepted"):
        await csms.call("Reset", {"type": "Soft"}, status="Accepted")
    with step("7-8. The Charge Point may reboot: BootNotification.req (answered Accepted)"):
        boot = await optional_boot(csms, dut, after=mark)
    if boot is not None:
        with step("9-10. StatusNotification: the connector Unavailable, the others Available"):
            await statuses_after_boot(csms, dut, boot, number, "Unavailable")
    with step("11-14. ChangeAvailability Operative is Accepted; StatusNotification Available"):
        await made_operative(csms, number)


@testcase(
    "TC_015_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stop_reason", step="3-4. StopTransaction.req", says="reason HardReset"),
        Mutant("no_stop_transaction", step="3-4. StopTransaction.req", says="did not arrive"),
        Mutant("ignore_reset", step="1-2. Reset Hard is Accepted", says="did not reconnect"),
    ],
)
async def test_TC_015_CS_hard_reset_with_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A hard reset during a transaction reboots the charge point and stops the transaction with reason HardReset, before or after the reboot."""  # noqa: E501
    running = await charging_before(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    with step("1-2. Reset Hard is Accepted and the Charge Point reboots"):
        await reset_rebooting(csms, dut, "Hard")
    with step("7-8. The Charge Point sends a BootNotification.req (answered Accepted)"):
        boot = await csms.expect("BootNotification", after=mark, timeout=dut.timing.boot_timeout)
    with step("3-4. StopTransaction.req with reason HardReset, before or after the reboot"):
        stop = await expect_stop(csms, running, "HardReset", after=mark)
    status: object = _AFTER_TRANSACTION
    if stop.entry.seq < boot.entry.seq:
        # Sent before the reboot, the stop needs its Finishing status (the
        # catalogue: step 5 is required when step 3 is sent; after the reboot
        # step 9 reports the connector instead).
        with step("5-6. StatusNotification Finishing, before or after the StopTransaction"):
            finishing = await expect_status(csms, number, "Finishing", after=mark)
        status = _after_boot(finishing, boot)
    with step(
        "9-10. StatusNotification: the connector Finishing or Preparing, the others Available"
    ):
        await statuses_after_boot(csms, dut, boot, number, status)


@testcase(
    "TC_016_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stop_reason", step="3-4. StopTransaction.req", says="reason SoftReset"),
        Mutant("no_stop_transaction", step="3-4. StopTransaction.req", says="did not arrive"),
    ],
)
async def test_TC_016_CS_soft_reset_with_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A soft reset during a transaction stops it with reason SoftReset (Finishing) before the charge point may reboot."""  # noqa: E501
    running = await charging_before(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    with step("1-2. Reset Soft is Accepted"):
        await csms.call("Reset", {"type": "Soft"}, status="Accepted")
    # The soft reset may close the connection once the transaction is stopped.
    with csms.disconnect_allowed():
        with step("3-4. StopTransaction.req with reason SoftReset"):
            stop = await expect_stop(csms, running, "SoftReset", after=mark)
        with step("5-6. StatusNotification Finishing (before or after the StopTransaction)"):
            finishing = await expect_status(csms, number, "Finishing", after=mark)
    with step("7-8. The Charge Point may reboot: BootNotification.req (answered Accepted)"):
        boot = await optional_boot(csms, dut, after=stop)
    if boot is not None:
        with step(
            "9-10. StatusNotification: the connector Finishing or Preparing, the others Available"
        ):
            status = _after_boot(finishing, boot)
            await statuses_after_boot(csms, dut, boot, number, status)
