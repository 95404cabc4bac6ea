"""OCPP 1.6 Core, charge point under test: sampled and clock-aligned meter values (TC_070, 071)."""

from __future__ import annotations

from harness.flows.v16.cs import booted, charging, meter_value_interval, require_setting
from harness.flows.v16.meter_values import configured_measurands, expect_reports
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: How many reports a case watches: "three times the configured interval".
REPORTS = 3


@testcase(
    "TC_070_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("sample_interval_third", step="1-3. MeterValues.req", says="after the previous one"),
        Mutant("wrong_measurand", step="1-3. MeterValues.req", says="configured measurand"),
    ],
)
async def test_TC_070_CS_sampled_meter_values(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """During a transaction the charge point sends periodic samples of the configured measurands every MeterValueSampleInterval."""  # noqa: E501
    interval = meter_value_interval(dut)
    await booted(csms, dut)
    with step("Before: MeterValueSampleInterval is the configured interval"):
        await require_setting(csms, "MeterValueSampleInterval", str(interval))
    with step("Before: ClockAlignedDataInterval is 0"):
        await require_setting(csms, "ClockAlignedDataInterval", "0")
    with step("Before: GetConfiguration MeterValuesSampledData"):
        measurands = await configured_measurands(csms, "MeterValuesSampledData")
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    with step(
        "1-3. MeterValues.req every MeterValueSampleInterval: Sample.Periodic, "
        "the configured measurands"
    ):
        await expect_reports(
            csms,
            dut,
            running,
            count=REPORTS,
            context="Sample.Periodic",
            measurands=measurands,
            interval=interval,
            what="MeterValueSampleInterval",
            rule="TC_070_CS step 3",
        )


@testcase(
    "TC_071_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("clock_misaligned", step="1-3. MeterValues.req", says="clock-aligned"),
        Mutant("wrong_measurand", step="1-3. MeterValues.req", says="configured measurand"),
    ],
)
async def test_TC_071_CS_clock_aligned_meter_values(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """During a transaction the charge point sends clock-aligned readings of the configured measurands on every boundary of ClockAlignedDataInterval."""  # noqa: E501
    # <Configured Clock Aligned Data interval>: the profile's meter value interval.
    interval = meter_value_interval(dut)
    await booted(csms, dut)
    with step("Before: MeterValueSampleInterval is 0"):
        await require_setting(csms, "MeterValueSampleInterval", "0")
    with step("Before: ClockAlignedDataInterval is the configured interval"):
        await require_setting(csms, "ClockAlignedDataInterval", str(interval))
    with step("Before: GetConfiguration MeterValuesAlignedData"):
        measurands = await configured_measurands(csms, "MeterValuesAlignedData")
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    with step(
        "1-3. MeterValues.req every ClockAlignedDataInterval: Sample.Clock, clock-aligned, "
        "the configured measurands"
    ):
        await expect_reports(
            csms,
            dut,
            running,
            count=REPORTS,
            context="Sample.Clock",
            measurands=measurands,
            interval=interval,
            what="ClockAlignedDataInterval",
            rule="TC_071_CS step 3",
            aligned=True,
        )
