"""The reports seen from the outside: a small suite run with --alluredir and --junitxml."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from report_support import SECRET, make_suite, results, run


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    return make_suite(pytester)


@pytest.fixture
def ran(suite: pytest.Pytester) -> tuple[pytest.Pytester, pytest.RunResult]:
    return suite, run(suite)


def labels(result: dict[str, Any], name: str) -> list[str]:
    return [label["value"] for label in result["labels"] if label["name"] == name]


def attachment(path: Path, result: dict[str, Any], prefix: str) -> str:
    found = [a for a in result["attachments"] if a["name"].startswith(prefix)]
    assert found, f"no attachment {prefix!r} in {[a['name'] for a in result['attachments']]}"
    return (path / str(found[0]["source"])).read_text(encoding="utf-8")


def test_outcomes_of_the_mini_suite(ran: tuple[pytest.Pytester, pytest.RunResult]) -> None:
    """The suite passes, fails, skips and deselects as designed (the baseline of the others)."""
    _, result = ran
    result.assert_outcomes(passed=2, failed=2, skipped=2, deselected=1)


def test_allure_labels_link_and_parameters(ran: tuple[pytest.Pytester, pytest.RunResult]) -> None:
    """Each case has epic, feature, story, testcase, profile/M/C tags, severity, link, DUT."""
    pytester, _ = ran
    found = results(pytester.path / "results")
    boot = found["test_boot_passes"]
    assert labels(boot, "epic") == ["OCPP 2.0.1"]
    assert labels(boot, "feature") == ["B Provisioning"]
    assert labels(boot, "story") == ["Cold Boot Charging Station - Accepted"]
    assert labels(boot, "testcase") == ["TC_B_01_CS"]
    assert labels(boot, "severity") == ["critical"]
    assert {"Core", "Mandatory", "TC_B_01_CS"} <= set(labels(boot, "tag"))
    assert boot["links"] == [
        {"type": "tms", "url": "https://catalog.example/ocpp/TC_B_01_CS",
         "name": "catalogue: TC_B_01_CS"}
    ]  # fmt: skip
    parameters = {p["name"]: p["value"] for p in boot["parameters"]}
    assert parameters == {  # allure-python shows parameter values as repr()
        "DUT": "'REPORT-CS-1 (Report test station)'",
        "connector": "'EVSE 1 connector 1'",
        "token kind": "'ISO14443'",
    }
    catalogued = found["test_secret_in_a_frame_and_a_schema_finding"]  # the catalogue's P01 facts
    assert labels(catalogued, "certification_profile") == ["Core"]
    assert labels(catalogued, "severity") == ["critical"]
    assert "Mandatory" in labels(catalogued, "tag")
    skipped = found["test_not_applicable"]
    assert skipped["status"] == "skipped"
    assert labels(skipped, "testcase") == ["TC_B_03_CS"]
    assert {p["name"] for p in skipped["parameters"]} == {"DUT", "connector", "token kind"}


def test_attachments_trace_diagram_findings_profile(
    ran: tuple[pytest.Pytester, pytest.RunResult],
) -> None:
    """A failed case has the trace, an SVG diagram with the failing frame in red, the profile."""
    pytester, _ = ran
    directory = pytester.path / "results"
    failed = results(directory)["test_status_fails"]
    kinds = {a["name"]: a["type"] for a in failed["attachments"]}
    assert kinds["trace REPORT-CS-1 <-> harness CSMS"] == "text/plain"
    assert kinds["trace REPORT-CS-1 <-> harness CSMS (JSON)"] == "application/json"
    assert kinds["sequence diagram REPORT-CS-1 <-> harness CSMS"] == "image/svg+xml"
    assert kinds["DUT profile (secrets masked)"] == "application/json"
    svg = ET.fromstring(attachment(directory, failed, "sequence diagram"))
    marked = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("data-failed")]
    assert len(marked) == 1
    assert "StatusNotification" in "".join(marked[0].itertext())
    profile = json.loads(attachment(directory, failed, "DUT profile"))
    assert profile["connection"]["basic_auth_password"] == "******"
    flagged = results(directory)["test_secret_in_a_frame_and_a_schema_finding"]
    assert "bogus" in attachment(directory, flagged, "findings")


def test_run_files_environment_categories_executor(
    ran: tuple[pytest.Pytester, pytest.RunResult],
) -> None:
    """The run writes environment (from the DUT's BootNotification), categories and executor."""
    pytester, _ = ran
    directory = pytester.path / "results"
    environment = (directory / "environment.properties").read_text(encoding="ascii")
    assert "DUT.vendor=BootVendor" in environment
    assert "DUT.model=BootModel" in environment
    assert "DUT.firmware=fw-9.9" in environment
    assert "Security.profile=1" in environment
    assert "OCPP.version=2.0.1" in environment
    categories = json.loads((directory / "categories.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in categories] == [
        "DUT timeout", "Schema violation", "DUT non-conformance", "Rig error", "Harness error",
        "Not applicable", "Not run",
    ]  # fmt: skip
    found = results(directory)
    by_name = {c["name"]: c for c in categories}
    timeout_message = found["test_status_fails"]["statusDetails"]["message"]
    assert re.fullmatch(by_name["DUT timeout"]["messageRegex"], timeout_message)
    skip_message = found["test_not_applicable"]["statusDetails"]["message"]
    assert re.fullmatch(by_name["Not applicable"]["messageRegex"], skip_message)
    not_run_message = found["test_rig_cannot"]["statusDetails"]["message"]
    assert re.fullmatch(by_name["Not run"]["messageRegex"], not_run_message)
    executor = json.loads((directory / "executor.json").read_text(encoding="utf-8"))
    assert executor["name"] == "ocpp-harness"
    assert executor["buildName"].startswith("Report test station ")


def test_junit_properties(ran: tuple[pytest.Pytester, pytest.RunResult]) -> None:
    """JUnit XML carries the case id, OCPP version, certification profile and M/C."""
    pytester, _ = ran
    tree = ET.parse(pytester.path / "junit.xml")
    case = next(c for c in tree.iter("testcase") if c.get("name") == "test_boot_passes")
    properties = [(p.get("name"), p.get("value")) for p in case.iter("property")]
    assert properties == [
        ("testcase", "TC_B_01_CS"),
        ("ocpp_version", "2.0.1"),
        ("certification_profile", "Core"),
        ("mc", "M"),
    ]


def test_a_case_the_rig_cannot_perform_is_not_run_and_the_profile_not_ready(
    ran: tuple[pytest.Pytester, pytest.RunResult],
) -> None:
    """A mandatory case skipped because the rig cannot act counts "not run", not "not
    applicable", and keeps its profile from being ready."""
    pytester, _ = ran
    data = json.loads((pytester.path / "out" / "readiness.json").read_text(encoding="utf-8"))
    outcomes = {case["id"]: case["outcome"] for case in data["cases"]}
    assert outcomes["TC_B_06_CS"] == "not run"
    core = next(p for p in data["profiles"] if p["profile"] == "Core")
    assert core["mandatory"]["not run"] == 1
    assert core["ready"] is False
    markdown = (pytester.path / "out" / "readiness.md").read_text(encoding="utf-8")
    assert "| TC_B_06_CS | not run |" in markdown


def test_readiness_equals_the_pytest_outcomes(
    ran: tuple[pytest.Pytester, pytest.RunResult],
) -> None:
    """The readiness counts of the DUT's version and role are the run's own outcomes."""
    pytester, result = ran
    data = json.loads((pytester.path / "out" / "readiness.json").read_text(encoding="utf-8"))
    outcomes = {case["id"]: case["outcome"] for case in data["cases"]}
    assert outcomes["TC_B_01_CS"] == "passed"
    assert outcomes["TC_B_02_CS"] == "failed"
    assert outcomes["TC_B_03_CS"] == "not applicable"
    assert outcomes["TC_P_01_CS"] == "failed"
    assert "TC_001_CS" not in outcomes  # another version: not this DUT's readiness
    parsed = result.parseoutcomes()
    totals = data["totals"]
    assert totals["passed"] == parsed["passed"] - 1  # minus the test without a testcase
    assert totals["failed"] == parsed["failed"]
    assert totals["not applicable"] + totals["not run"] == parsed["skipped"]
    assert totals["total"] == 424
    assert totals["not implemented"] == 424 - 5
    core = next(p for p in data["profiles"] if p["profile"] == "Core")
    assert core["claimed"] is True
    assert core["mandatory"]["passed"] == 1
    result.stdout.fnmatch_lines(
        ["*certification readiness*", "OCPP 2.0.1 station certification readiness*", "Core *M *"]
    )
    assert (pytester.path / "out" / "readiness.md").read_text(encoding="utf-8").startswith("# ")


def test_no_secret_anywhere_in_the_results(ran: tuple[pytest.Pytester, pytest.RunResult]) -> None:
    """The basic-auth password, even sent inside a frame, appears in no written file."""
    pytester, _ = ran
    written = [*(pytester.path / "results").rglob("*"), *(pytester.path / "out").rglob("*")]
    written.append(pytester.path / "junit.xml")
    files = [path for path in written if path.is_file()]
    assert len(files) > 10
    leaking = [path.name for path in files if SECRET.encode() in path.read_bytes()]
    assert leaking == []


def test_allure_label_option_selects_by_testcase(suite: pytest.Pytester) -> None:
    """``--allure-label testcase=<id>`` runs only that case."""
    result = run(suite, "--allure-label", "testcase=TC_B_01_CS")
    result.assert_outcomes(passed=1, deselected=6)


def test_without_alluredir_nothing_breaks(suite: pytest.Pytester) -> None:
    """Without --alluredir the run works and writes only the readiness summary."""
    result = suite.runpytest_subprocess("--dut=dut.toml", "-p", "no:cacheprovider", timeout=90)
    result.assert_outcomes(passed=2, failed=2, skipped=2, deselected=1)
    assert not (suite.path / "results").exists()
    assert (suite.path / "out" / "readiness.json").exists()


def test_under_xdist_the_controller_writes_everything_once(suite: pytest.Pytester) -> None:
    """With two workers, outcomes and the DUT's boot reach the controller, which writes files."""
    result = run(suite, "-n", "2")
    # Workers deselect the other version's case; xdist's controller does not count it.
    result.assert_outcomes(passed=2, failed=2, skipped=2)
    data = json.loads((suite.path / "out" / "readiness.json").read_text(encoding="utf-8"))
    assert (data["totals"]["passed"], data["totals"]["failed"]) == (1, 2)
    environment = (suite.path / "results" / "environment.properties").read_text(encoding="ascii")
    assert "DUT.vendor=BootVendor" in environment
    assert len(list((suite.path / "results").glob("*-result.json"))) == 6
