"""OCPP 1.6 Core, charge point under test: power failures (TC_032_2, TC_034)."""

from __future__ import annotations

from harness.expect import one_of, or_absent
from harness.flows.v16.cs import (
    booted,
    charging,
    expect_status,
    expect_statuses,
    expect_stop,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: TC_032_2_CS step 3: what the connector that charged may report after the reboot, and
#: the intermediate statuses the catalogue allows before it.
_RESUMED_OR_ENDED = one_of("Preparing", "Finishing", "Charging")
_INTERMEDIATE = one_of("Unavailable", "Available")


async def _power_cycled(csms: Session, rig: Rig, dut: DutProfile, boot_step: str) -> IncomingCall:
    """The mains go off and on; the BootNotification (answered Accepted) of ``boot_step``."""
    mark = csms.mark()
    async with csms.reconnection(timeout=dut.timing.boot_timeout):
        with step("The power of the Charge Point is disconnected and reconnected"):
            await rig.power_cycle()
    with step(boot_step):
        return await csms.expect("BootNotification", after=mark, timeout=dut.timing.boot_timeout)


@testcase(
    "TC_032_2_CS",
    excludes=("backup_power",),
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.POWER, Capability.CARD),
    proof=[
        Mutant("no_stop_transaction", step="5-6. StopTransaction.req", says="StopTransaction"),
        Mutant("wrong_stop_reason", step="5-6. StopTransaction.req", says='"PowerLoss"'),
    ],
)
async def test_TC_032_2_CS_power_failure_stops_after(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Without backup power the transaction is resumed or stopped (PowerLoss) after the reboot."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.POWER, Capability.CARD)
    await booted(csms, dut)
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    boot = await _power_cycled(csms, rig, dut, "1-2. BootNotification.req, answered Accepted")
    # Steps 3-7 may come in another order: each is awaited from the boot on.
    with step(
        "3-4. StatusNotification for connector 0 and every connector: the one that charged "
        "Preparing, Finishing or Charging (Unavailable or Available on the way), the others "
        "Available"
    ):
        others = [0, *(n for _evse, n in dut.connectors if n != number)]
        await expect_statuses(csms, dict.fromkeys(others, "Available"), after=boot)
        reported = await expect_status(
            csms, number, _RESUMED_OR_ENDED, after=boot, passing=_INTERMEDIATE
        )
    resumed = reported.payload.get("status") == "Charging"
    if resumed:
        with step("The transaction is resumed: the EV driver presents the idTag to stop it"):
            stop_mark = csms.mark()
            await rig.present_card(running.id_tag, number)
        with step("5-6. StopTransaction.req for the transaction, reason Local or omitted"):
            await expect_stop(csms, running, or_absent("Local"), after=stop_mark)
        with step("7-8. StatusNotification Preparing or Finishing"):
            await expect_status(csms, number, one_of("Preparing", "Finishing"), after=stop_mark)
    else:
        with step("5-6. StopTransaction.req for the transaction, reason PowerLoss"):
            # Not resumed: the charge point stopped it itself because of the power loss.
            await expect_stop(csms, running, "PowerLoss", after=mark)
        # Step 7 is sent only when Finishing was not reported yet; the status of step 3
        # (Preparing or Finishing) already satisfies its validation.


@testcase(
    "TC_034_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant(
            "forget_availability",
            step="7-8. StatusNotification Unavailable",
            says="status Unavailable",
        ),
        Mutant(
            "reject:ChangeAvailability",
            step="1-2. ChangeAvailability",
            says="Accepted",
        ),
    ],
)
async def test_TC_034_CS_unavailable_survives_power_failure(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A charge point made Inoperative stays Unavailable, every connector, after a power cycle."""
    rig.require(Capability.POWER)
    await booted(csms, dut)
    every = [0, *(n for _evse, n in dut.connectors)]
    mark = csms.mark()
    with step("1-2. ChangeAvailability connectorId 0, type Inoperative, answered Accepted"):
        await csms.call(
            "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, status="Accepted"
        )
    with step("3-4. StatusNotification Unavailable for connector 0 and every connector"):
        await expect_statuses(csms, dict.fromkeys(every, "Unavailable"), after=mark)
    boot = await _power_cycled(csms, rig, dut, "5-6. BootNotification.req, answered Accepted")
    with step("7-8. StatusNotification Unavailable for connector 0 and every connector"):
        await expect_statuses(csms, dict.fromkeys(every, "Unavailable"), after=boot)
