"""OCPP 1.6 Core, charge point under test: booting and resetting (TC_001, TC_013)."""

from __future__ import annotations

from harness.flows.common import boot_retry, not_before
from harness.flows.v16.cs import (
    booted,
    connector_id,
    expect_status,
    expect_statuses,
    unavailable,
)
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_001_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant(
            "boot_no_retry",
            step="3. The Charge Point sends BootNotification.req again",
            says="did not arrive",
        ),
        Mutant(
            "boot_ignore_interval",
            step="3. The Charge Point sends BootNotification.req again",
            says="at least the",
        ),
        Mutant(
            "no_heartbeat", step="7. The Charge Point sends a Heartbeat.req", says="did not arrive"
        ),
    ],
)
async def test_TC_001_CS_cold_boot(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """After a power cycle the charge point retries a rejected boot no sooner than told, then reports every connector and beats at the accepted interval."""  # noqa: E501
    # The retry interval offered with Rejected is the profile's heartbeat
    # interval too: the one interval the DUT profile gives the harness to hand out.
    interval = dut.timing.heartbeat_interval
    await booted(csms, dut)
    mark = csms.mark()
    with csms.hold("BootNotification"):
        with step("Power cycle the Charge Point"):
            async with csms.reconnection(timeout=dut.timing.boot_timeout):
                await rig.power_cycle()
        with step("1. The Charge Point sends a BootNotification.req"):
            first = await csms.expect(
                "BootNotification", after=mark, timeout=dut.timing.boot_timeout
            )
        with step("2. BootNotification.conf: Rejected, with a retry interval"):
            await first.reply(
                {"status": "Rejected", "currentTime": utc_now(), "interval": interval}
            )
        with step("3. The Charge Point sends BootNotification.req again after the interval"):
            second = await boot_retry(csms, first, interval, dut.timing, rule="TC_001_CS step 3")
        with step("4. BootNotification.conf: Accepted, with the configured heartbeat interval"):
            await second.reply(
                {"status": "Accepted", "currentTime": utc_now(), "interval": interval}
            )
    with step("5. A StatusNotification Available for connector 0 and every connector"):
        numbers = [0, *(number for _evse, number in dut.connectors)]
        await expect_statuses(csms, dict.fromkeys(numbers, "Available"), after=second)
    with step("7. The Charge Point sends a Heartbeat.req within the heartbeat interval"):
        # A Heartbeat soon after the Accepted boot is allowed: step 7 checks the
        # interval between heartbeats, not the time from the boot.
        beat = await csms.expect(
            "Heartbeat", after=second, timeout=interval + dut.timing.message_timeout
        )
    with step("7. ... and again every heartbeat interval"):
        again = await csms.expect(
            "Heartbeat", after=beat, timeout=interval + dut.timing.message_timeout
        )
        not_before(
            again,
            beat.entry.mono,
            interval,
            dut.timing,
            what="the previous Heartbeat",
            rule="TC_001_CS step 7",
        )


@testcase(
    "TC_013_CS",
    proof=[
        Mutant("forget_availability", step="9-10. StatusNotification", says="Unavailable"),
        Mutant("ignore_reset", step="5-6. Reset Hard is Accepted", says="did not reconnect"),
    ],
)
async def test_TC_013_CS_hard_reset_without_transaction(csms: Session, dut: DutProfile) -> None:
    """A hard reset keeps an inoperative connector Unavailable across the reboot, and it becomes Available once made operative."""  # noqa: E501
    number = connector_id(dut)
    await booted(csms, dut)
    with step("1-4. ChangeAvailability Inoperative; StatusNotification Unavailable"):
        await unavailable(csms, number)
    mark = csms.mark()
    with step("5-6. Reset Hard is Accepted and the Charge Point reboots"):
        async with csms.reconnection(timeout=dut.timing.boot_timeout):
            await csms.call("Reset", {"type": "Hard"}, status="Accepted")
    with step("7-8. The Charge Point sends a BootNotification.req (answered Accepted)"):
        boot = await csms.expect("BootNotification", after=mark, timeout=dut.timing.boot_timeout)
    with step("9-10. StatusNotification: the connector Unavailable, the others Available"):
        others = [0, *(n for _evse, n in dut.connectors if n != number)]
        expected = {number: "Unavailable", **dict.fromkeys(others, "Available")}
        await expect_statuses(csms, expected, after=boot)
    mark = csms.mark()
    with step("11-12. ChangeAvailability Operative is Accepted"):
        await csms.call(
            "ChangeAvailability", {"connectorId": number, "type": "Operative"}, status="Accepted"
        )
    with step("13-14. StatusNotification: the connector is Available"):
        await expect_status(csms, number, "Available", after=mark)
