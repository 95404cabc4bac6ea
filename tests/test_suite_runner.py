"""The suite runner: one pytest run per profile, results under reports/, honest exit status."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.report.html import AllureNotFound, find_allure
from harness.suite import run_suite

ROOT = Path(__file__).resolve().parents[1]


def test_suite_writes_allure_and_junit_per_profile(tmp_path: Path) -> None:
    """A run against a reference profile passes and leaves Allure results and JUnit XML."""
    runs = run_suite(["csms-1.6"], testcases=ROOT / "testcases", reports=tmp_path)
    assert [run.ok for run in runs] == [True]
    assert "passed" in runs[0].summary
    assert any((tmp_path / "allure-results").glob("*-result.json"))
    assert (tmp_path / "junit" / "csms-1.6.xml").is_file()


def test_suite_exit_status_is_non_zero_on_failures(tmp_path: Path) -> None:
    """A mutant profile makes the command exit 1 and point at the log."""
    builtin = ROOT / "harness" / "profile" / "builtin" / "csms-1.6.toml"
    mutant = tmp_path / "mutant.toml"
    text = builtin.read_text(encoding="utf-8")
    mutant.write_text(text.replace("faults = []", 'faults = ["authorize_all"]'), encoding="utf-8")
    assert 'faults = ["authorize_all"]' in mutant.read_text(encoding="utf-8")
    status = main(
        [
            "suite",
            "--dut",
            str(mutant),
            "--testcases",
            str(ROOT / "testcases"),
            "--reports",
            str(tmp_path / "out"),
        ]
    )
    assert status == 1
    assert (tmp_path / "out" / "logs" / "mutant.log").is_file()


def test_unknown_builtin_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown builtin profile name is refused before anything runs."""
    assert main(["suite", "--dut", "builtin:nope", "--reports", str(tmp_path)]) == 2


def test_skips_only_exit_zero(tmp_path: Path) -> None:
    """A run where every case is not applicable (2.0.1 cases, a 1.6 DUT) exits 0."""
    testcases = ROOT / "testcases" / "v201"
    runs = run_suite(["csms-1.6"], testcases=testcases, reports=tmp_path)
    assert "skipped" in runs[0].summary
    assert "passed" not in runs[0].summary
    argv = ["suite", "--dut", "csms-1.6", "--testcases", str(testcases)]
    assert main([*argv, "--reports", str(tmp_path)]) == 0


def test_each_run_starts_from_clean_results_keeping_history(tmp_path: Path) -> None:
    """Results of an earlier run are removed before the next; Allure's history/ stays."""
    results = tmp_path / "allure-results"
    (results / "history").mkdir(parents=True)
    (results / "history" / "history.json").write_text("{}", encoding="utf-8")
    (results / "stale-result.json").write_text("{}", encoding="utf-8")
    run_suite(["csms-1.6"], testcases=ROOT / "testcases" / "v16" / "csms", reports=tmp_path)
    assert not (results / "stale-result.json").exists()
    assert (results / "history" / "history.json").is_file()
    assert len(list(results.glob("*-result.json"))) == 6


def _require_allure() -> None:
    """Skip without the Allure command line and Java, or fail when CI requires them."""
    try:
        find_allure()
        missing = "" if os.environ.get("JAVA_HOME") or shutil.which("java") else "no Java"
    except AllureNotFound as error:
        missing = str(error)
    if missing:
        if os.environ.get("OCPP_HARNESS_REQUIRE_HTML") == "1":
            pytest.fail(f"OCPP_HARNESS_REQUIRE_HTML=1, but {missing}", pytrace=False)
        pytest.skip(missing)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.timeout(110)
def test_html_report_carries_history_from_run_to_run(tmp_path: Path) -> None:
    """Two nightly runs into one report folder: the second report's trend and each test's
    history include the first run."""
    _require_allure()
    report = tmp_path / "html"
    argv = ["suite", "--dut", "csms-1.6", "--testcases", str(ROOT / "testcases" / "v16" / "csms")]
    argv += ["--reports", str(tmp_path), "--html", str(report)]
    assert main(argv) == 0
    first_trend = _json(report / "history" / "history-trend.json")
    first = {case["fullName"]: case["uid"] for case in map(_json, report.glob("data/test-cases/*"))}
    assert len(first_trend) == 1

    assert main(argv) == 0
    trend = _json(report / "history" / "history-trend.json")
    assert len(trend) == 2
    assert trend[1] == first_trend[0]  # newest first
    assert trend[0]["data"]["passed"] == 6
    for case in map(_json, report.glob("data/test-cases/*")):
        earlier = [item["uid"] for item in case["extra"]["history"]["items"]]
        assert first[case["fullName"]] in earlier, f"{case['name']} lost its history"
    results = tmp_path / "allure-results"
    assert len(list(results.glob("*-result.json"))) == 6  # this run's only
