"""Per-run Allure files: environment, categories, executor; the DUT read from its boot."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.errors import ExpectationFailed, RigError
from harness.profile import resolve_profile
from harness.report.run_files import (
    boot_identity,
    categories,
    environment_properties,
    executor,
    write_run_files,
)
from harness.trace import Direction, Trace


def boot_trace(raw: str, direction: Direction = Direction.RECEIVED) -> Trace:
    trace = Trace("t")
    entry = trace.record(direction, raw)
    entry.message_type, entry.unique_id, entry.action = 2, "1", "BootNotification"
    return trace


def test_boot_identity_201_and_16() -> None:
    """Vendor, model, firmware and serial are read from a 2.0.1 or a 1.6 BootNotification."""
    v201 = boot_trace(
        '[2,"1","BootNotification",{"reason":"PowerUp","chargingStation":{"vendorName":"V",'
        '"model":"M","firmwareVersion":"F","serialNumber":"S"}}]'
    )
    assert boot_identity(v201) == {"vendor": "V", "model": "M", "firmware": "F", "serial": "S"}
    v16 = boot_trace(
        '[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M",'
        '"chargeBoxSerialNumber":"S"}]'
    )
    assert boot_identity(v16) == {"vendor": "V", "model": "M", "serial": "S"}


def test_boot_sent_by_the_harness_or_garbled_is_ignored() -> None:
    """The harness's own BootNotification (CSMS under test) or an unreadable one gives nothing."""
    sent = '[2,"1","BootNotification",{"chargePointVendor":"Harness","chargePointModel":"H"}]'
    assert boot_identity(boot_trace(sent, Direction.SENT)) == {}
    assert boot_identity(boot_trace('[2,"1","BootNotification",')) == {}


def test_environment_prefers_the_boot_and_escapes() -> None:
    """Boot values win over the profile's; keys and values are escaped Java properties."""
    dut = resolve_profile("builtin:station-2.0.1")
    text = environment_properties(dut, {"vendor": "Bööt Vendor=1"}, "0.1.0")
    lines = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert text.isascii()
    assert lines["DUT.vendor"] == "B\\u00f6\\u00f6t Vendor=1"
    assert lines["DUT.model"] == dut.model
    assert lines["DUT.identified.by"] == "BootNotification"
    assert lines["OCPP.version"] == "2.0.1"
    assert lines["Security.profile"] == "0"
    assert lines["Rig.backend"] == dut.rig.backend
    assert lines["Harness.version"] == "0.1.0"


def test_environment_of_a_csms_names_the_trigger() -> None:
    """A CSMS under test has no rig: the environment names how it is triggered."""
    text = environment_properties(resolve_profile("builtin:csms-1.6"), {}, "0.1.0")
    assert "Trigger=sim" in text
    assert "Rig.backend" not in text
    assert "DUT.identified.by=DUT profile" in text


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("harness.errors.ExpectationFailed: Expected X\nfor 1 s", "DUT timeout"),
        ("harness.errors.ResponseTimeout: no answer", "DUT timeout"),
        ("harness.errors.InvalidResponse: bad", "Schema violation"),
        ("harness.errors.ProtocolViolation: frames", "Schema violation"),
        ("harness.errors.UnexpectedStatus: Rejected", "DUT non-conformance"),
        ("AssertionError: assert 1 == 2", "DUT non-conformance"),
        ("harness.errors.RigError: port busy", "Rig error"),
        ("harness.errors.TransportError: did not connect", "Harness error"),
        ("_pytest.outcomes.Skipped: not applicable: no reservations", "Not applicable"),
        ("_pytest.outcomes.Skipped: not run: the none rig cannot plug", "Not run"),
    ],
)
def test_categories_match_our_exception_names(message: str, category: str) -> None:
    """The first category whose regex matches the whole message is the intended one."""
    matching = [c["name"] for c in categories() if re.fullmatch(c["messageRegex"], message)]
    assert matching[0] == category


def test_categories_follow_the_exception_category_attribute() -> None:
    """Categories are built from each class's ``category``: a subclass defined later joins in."""

    class FlakyCable(RigError):
        pass

    class LateFrame(ExpectationFailed):
        pass

    by_name = {c["name"]: c["messageRegex"] for c in categories()}
    assert re.fullmatch(by_name["Rig error"], "x.FlakyCable: loose")
    assert re.fullmatch(by_name["DUT timeout"], "x.LateFrame: late")


def test_executor_and_write(tmp_path: Path) -> None:
    """executor.json names the harness and a timestamped build; all three files are written."""
    dut = resolve_profile("builtin:station-1.6")
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    data = executor(dut, now)
    assert data["name"] == "ocpp-harness"
    assert data["buildName"].endswith("2025-01-02T03:04:05Z")
    assert "OCPP 1.6" in data["reportName"]
    written = write_run_files(tmp_path / "r", dut, boot={}, harness_version="9", now=now)
    assert sorted(p.name for p in written) == [
        "categories.json", "environment.properties", "executor.json",
    ]  # fmt: skip
    assert json.loads((tmp_path / "r" / "executor.json").read_text())["buildOrder"] == int(
        now.timestamp()
    )
