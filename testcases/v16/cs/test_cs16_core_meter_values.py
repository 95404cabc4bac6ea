"""OCPP 1.6 Core, charge point under test: sampled and clock-aligned meter values (TC_070, 071)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.flows.v16.cs import booted, charging, meter_value_interval, require_setting
from harness.flows.v16.meter_values import configured_measurands, expect_reports
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: How many reports a case watches: "three times the configured interval".
REPORTS = 3


@dataclass(frozen=True)
class _Reports:
    """One kind of periodic meter values: the keys that set it up and what its values carry.

    Attributes:
        interval_key: the key set to the configured interval.
        other_key: the interval key of the other kind, set to 0.
        measurands_key: the key listing the measurands to report.
        context: the context of every sampled value.
        aligned: the values are clock-aligned.
        rule: the catalogue step, cited in a failure.
    """

    interval_key: str
    other_key: str
    measurands_key: str
    context: str
    aligned: bool
    rule: str


async def _reports_while_charging(
    csms: Session, rig: Rig, dut: DutProfile, kind: _Reports, title: str
) -> None:
    """The Before of TC_070/TC_071 (the two interval keys, the measurands, Charging), then the reports."""  # noqa: E501
    # <Configured Meter Value Sample interval> and <Configured Clock Aligned Data
    # interval>: the profile's meter value interval.
    interval = meter_value_interval(dut)
    await booted(csms, dut)
    with step(f"Before: {kind.other_key} is 0"):
        await require_setting(csms, kind.other_key, "0")
    with step(f"Before: {kind.interval_key} is the configured interval"):
        await require_setting(csms, kind.interval_key, str(interval))
    with step(f"Before: GetConfiguration {kind.measurands_key}"):
        measurands = await configured_measurands(csms, kind.measurands_key)
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    with step(title):
        await expect_reports(
            csms,
            dut,
            running,
            count=REPORTS,
            context=kind.context,
            measurands=measurands,
            interval=interval,
            what=kind.interval_key,
            rule=kind.rule,
            aligned=kind.aligned,
        )


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
    sampled = _Reports(
        "MeterValueSampleInterval",
        "ClockAlignedDataInterval",
        "MeterValuesSampledData",
        "Sample.Periodic",
        aligned=False,
        rule="TC_070_CS step 3",
    )
    title = (
        "1-3. MeterValues.req every MeterValueSampleInterval: Sample.Periodic, "
        "the configured measurands"
    )
    await _reports_while_charging(csms, rig, dut, sampled, title)


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
    aligned = _Reports(
        "ClockAlignedDataInterval",
        "MeterValueSampleInterval",
        "MeterValuesAlignedData",
        "Sample.Clock",
        aligned=True,
        rule="TC_071_CS step 3",
    )
    title = (
        "1-3. MeterValues.req every ClockAlignedDataInterval: Sample.Clock, clock-aligned, "
        "the configured measurands"
    )
    await _reports_while_charging(csms, rig, dut, aligned, title)
