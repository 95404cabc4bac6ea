"""The ``[faults]`` tables: how the DUT reports each rig fault, with defaults and checked values."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from harness.errors import ConfigurationError
from harness.profile import parse_profile, resolve_profile
from harness.profile.faults import DEFAULT_FAULT_REPORTS, FAULT_KEYS, FaultReport, FaultReports
from harness.rig import Fault

HEAD = """
[dut]
role = "station"
ocpp_version = "1.6"
identity = "CP-1"
"""


def load(extra: str) -> FaultReports:
    return parse_profile(HEAD + extra, source="dut.toml").faults


def test_every_fault_has_a_default_report() -> None:
    """Without a [faults] table every rig fault maps to its default report."""
    faults = load("")
    assert set(faults) == set(Fault)
    assert len(faults) == len(Fault)
    for fault in Fault:
        assert faults[fault] == DEFAULT_FAULT_REPORTS[fault]


@pytest.mark.parametrize(
    ("fault", "code", "reason"),
    [
        (Fault.GROUND_FAULT, "GroundFailure", "GroundFault"),
        (Fault.OVERCURRENT, "OverCurrentFailure", "OvercurrentFault"),
        (Fault.OVER_TEMPERATURE, "HighTemperature", "Other"),
        (Fault.LOCK_FAILURE, "ConnectorLockFailure", "Other"),
        (Fault.EMERGENCY_STOP, "OtherError", "EmergencyStop"),
        (Fault.DIODE_SHORT, "OtherError", "Other"),
    ],
)
def test_defaults_follow_the_ocpp_enums(fault: Fault, code: str, reason: str) -> None:
    """Connector faults default to Faulted, their 1.6 errorCode and 2.0.1 stoppedReason."""
    report = load("")[fault]
    assert (report.v16_error_code, report.v16_status) == (code, "Faulted")
    assert report.v201_connector_status == "Faulted"
    assert (report.v201_problem_component, report.v201_problem_variable) == ("Connector", "Problem")
    assert report.v201_stopped_reason == reason


def test_non_connector_faults_leave_transactions_running_in_201() -> None:
    """Meter and reader failures name their own component and stop no 2.0.1 transaction."""
    faults = load("")
    assert faults[Fault.METER_LINK].v16_error_code == "PowerMeterFailure"
    assert faults[Fault.READER_FAILURE].v16_error_code == "ReaderFailure"
    assert faults[Fault.METER_LINK].v201_problem_component == "PowerMeter"
    assert faults[Fault.READER_FAILURE].v201_problem_component == "TokenReader"
    assert faults[Fault.METER_LINK].v201_stopped_reason is None
    assert faults[Fault.POWER_LOSS].v16_error_code is None
    assert faults[Fault.POWER_LOSS].v201_stopped_reason == "PowerLoss"


def test_a_table_changes_only_the_fields_it_names() -> None:
    """A [faults.<name>] table overrides single fields ("" = not reported); the rest stay."""
    faults = load(
        """
[faults.over_temperature]
v16_error_code = "OtherError"
v201_problem_component = "EVSE"
v201_stopped_reason = ""
"""
    )
    report = faults[Fault.OVER_TEMPERATURE]
    assert report.v16_error_code == "OtherError"
    assert report.v16_status == "Faulted"
    assert report.v201_problem_component == "EVSE"
    assert report.v201_stopped_reason is None
    assert faults[Fault.GROUND_FAULT] == DEFAULT_FAULT_REPORTS[Fault.GROUND_FAULT]
    assert "over_temperature" in repr(faults)


@pytest.mark.parametrize(
    ("extra", "field", "fragment"),
    [
        ("[faults.groundfault]\nv16_status = 'Faulted'", "faults.groundfault", "ground_fault"),
        ("[faults.ground_fault]\nv16_code = 'X'", "faults.ground_fault.v16_code", "v16_error_code"),
        (
            "[faults.ground_fault]\nv16_error_code = 'GroundFault'",
            "faults.ground_fault.v16_error_code",
            '"GroundFailure"',
        ),
        (
            "[faults.lock_failure]\nv16_status = 'Broken'",
            "faults.lock_failure.v16_status",
            '"Faulted"',
        ),
        (
            "[faults.overcurrent]\nv201_connector_status = 'Occupied '",
            "faults.overcurrent.v201_connector_status",
            '"Unavailable"',
        ),
        (
            "[faults.overcurrent]\nv201_stopped_reason = 3",
            "faults.overcurrent.v201_stopped_reason",
            "is not a string",
        ),
        (
            f"[faults.meter_link]\nv201_problem_component = '{'x' * 51}'",
            "faults.meter_link.v201_problem_component",
            "at most 50",
        ),
        ("[faults]\nground_fault = 'GroundFailure'", "faults.ground_fault", "is not a table"),
    ],
)
def test_wrong_values_name_the_field(extra: str, field: str, fragment: str) -> None:
    """A misspelt fault or key, or a value outside the OCPP enum, is an error naming the field."""
    with pytest.raises(ConfigurationError) as info:
        load(extra)
    assert info.value.field == field
    assert fragment in str(info.value)
    assert str(info.value).startswith("dut.toml: ")


def test_reports_are_frozen_hashable_copyable_and_picklable() -> None:
    """The mapping and its reports cannot be changed and survive copy, pickle and asdict."""
    profile = resolve_profile("builtin:station-1.6")
    faults = profile.faults
    assert hash(faults) == hash(FaultReports())
    assert copy.deepcopy(faults) == faults
    assert pickle.loads(pickle.dumps(profile)).faults == faults
    assert dataclasses.asdict(profile)["faults"] == faults
    with pytest.raises(dataclasses.FrozenInstanceError):
        faults[Fault.GROUND_FAULT].v16_status = "Available"  # type: ignore[misc]
    with pytest.raises(TypeError):
        faults[Fault.GROUND_FAULT] = FaultReport()  # type: ignore[index]


def test_plain_lays_out_the_tables_like_the_file() -> None:
    """plain() gives one table per fault name with every key, for reports."""
    plain = FaultReports().plain()
    assert list(plain) == [fault.value for fault in Fault]
    assert all(tuple(table) == FAULT_KEYS for table in plain.values())
    assert plain["lock_failure"]["v16_error_code"] == "ConnectorLockFailure"
