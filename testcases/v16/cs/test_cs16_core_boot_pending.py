"""OCPP 1.6 Core, charge point under test: a boot left Pending while configured (TC_002)."""

from __future__ import annotations

from harness.flows.common import boot_retry, confirm_setting, heartbeats, power_cycled_boot
from harness.flows.v16.cs import Setting16, booted, expect_statuses, meter_value_interval
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_002_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant("reject:ChangeConfiguration", step="5-6. ChangeConfiguration", says="Rejected"),
        Mutant(
            "boot_ignore_interval",
            step="7. The Charge Point sends BootNotification.req again",
            says="the Pending answer",
        ),
        Mutant("ignore_change", step="The accepted change holds", says="MeterValueSampleInterval"),
        Mutant("no_heartbeat", step="11-12. Heartbeat", says="did not arrive"),
    ],
)
async def test_TC_002_CS_cold_boot_pending(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A charge point left Pending answers configuration requests, retries its boot after the interval, then registers."""  # noqa: E501
    # The retry interval offered with Pending is the profile's heartbeat interval,
    # the one interval the profile gives the harness to hand out.
    interval = dut.timing.heartbeat_interval
    key, value = "MeterValueSampleInterval", str(meter_value_interval(dut))
    await booted(csms, dut)
    mark = csms.mark()
    with csms.hold("BootNotification"):
        with step("1. After a power cycle, the Charge Point sends a BootNotification.req"):
            first = await power_cycled_boot(csms, rig, dut, after=mark)
        with step("2. BootNotification.conf: Pending, with a retry interval"):
            await first.reply({"status": "Pending", "currentTime": utc_now(), "interval": interval})
        # While Pending the Central System may configure the charge point (OCPP 1.6 4.2).
        with step("3-4. GetConfiguration without a key is answered"):
            await csms.call("GetConfiguration", {}, while_pending=True)
        with step(f"5-6. ChangeConfiguration {key} = {value} is Accepted"):
            await csms.call(
                "ChangeConfiguration",
                {"key": key, "value": value},
                status="Accepted",
                while_pending=True,
            )
        with step("7. The Charge Point sends BootNotification.req again after the interval"):
            second = await boot_retry(
                csms, first, interval, dut.timing, rule="TC_002_CS step 7", answered="Pending"
            )
        with step("8. BootNotification.conf: Accepted, with the configured heartbeat interval"):
            await second.reply(
                {"status": "Accepted", "currentTime": utc_now(), "interval": interval}
            )
    with step("9-10. StatusNotification Available for connector 0 and every connector"):
        numbers = [0, *(number for _evse, number in dut.connectors)]
        await expect_statuses(csms, dict.fromkeys(numbers, "Available"), after=second)
    with step("The accepted change holds (read back with GetConfiguration)"):
        await confirm_setting(Setting16(csms, key), value)
    with step("11-12. Heartbeat.req every heartbeat interval"):
        await heartbeats(csms, second, interval, dut.timing, rule="TC_002_CS step 11")
