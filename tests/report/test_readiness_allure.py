"""The readiness summary rebuilt from Allure results alone: the same verdicts as the live
run, and a summary even for a run killed before JUnit and readiness were written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_support import make_suite, run

from harness.cli import main
from harness.report.readiness import Outcome
from harness.report.readiness_allure import NOTE, outcome_of, summaries_from_allure

KILLER = """
import os
import signal


def test_power_cut():
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _outcomes(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {case["id"]: case["outcome"] for case in data["cases"]}


def test_a_killed_run_still_gets_its_readiness_summary(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    """pytest killed after four cases: no JUnit, no readiness; ``ocpp-harness report`` rebuilds
    the readiness from the Allure results, each case with its verdict."""
    make_suite(pytester)
    pytester.makepyfile(test_zz_killed=KILLER)
    result = run(pytester, "-p", "no:randomly")
    assert result.ret == -9
    assert not (pytester.path / "junit.xml").exists()
    assert not (pytester.path / "out" / "readiness.json").exists()
    rebuilt = pytester.path / "rebuilt"
    argv = ["report", str(pytester.path / "results"), "--no-html", "--readiness", str(rebuilt)]
    assert main(argv) == 0
    summary = rebuilt / "REPORT-CS-1_Report_test_station" / "readiness.json"
    outcomes = _outcomes(summary)
    assert outcomes["TC_B_01_CS"] == "passed"
    assert outcomes["TC_B_02_CS"] == "failed"
    assert outcomes["TC_B_03_CS"] == "not applicable"
    assert outcomes["TC_B_06_CS"] == "not run"
    assert outcomes["TC_P_01_CS"] == "failed"
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["note"] == NOTE
    core = next(p for p in data["profiles"] if p["profile"] == "Core")
    assert core["ready"] is False
    out = capsys.readouterr().out
    # The test without a testcase marker names no DUT: it is not this DUT's.
    assert "REPORT-CS-1 (Report test station): 1 passed, 2 failed, 0 broken, 2 skipped" in out
    assert "OCPP 2.0.1 station certification readiness" in out


def test_rebuilt_readiness_equals_the_live_runs(pytester: pytest.Pytester) -> None:
    """On a complete run, every case's outcome from the Allure results is the live one."""
    make_suite(pytester)
    run(pytester)
    live = _outcomes(pytester.path / "out" / "readiness.json")
    [summary] = summaries_from_allure([pytester.path / "results"])
    assert {case.id: case.outcome.value for case in summary.readiness.cases} == live
    assert summary.statuses == {"passed": 1, "failed": 2, "skipped": 2}


@pytest.mark.parametrize(
    ("status", "message", "outcome"),
    [
        ("passed", "", Outcome.PASSED),
        ("failed", "AssertionError: no", Outcome.FAILED),
        ("broken", "harness.errors.RigError: port", Outcome.ERRORED),
        ("skipped", "Skipped: not applicable: no reservations", Outcome.NOT_APPLICABLE),
        ("skipped", "Skipped: not run: the none rig cannot plug", Outcome.NOT_RUN),
        ("skipped", "XFAIL known bug", Outcome.FAILED),
        ("unknown", "", Outcome.NOT_RUN),
    ],
)
def test_allure_status_to_outcome(status: str, message: str, outcome: Outcome) -> None:
    """Allure's statuses map to readiness outcomes as pytest's reports do."""
    assert outcome_of(status, message) is outcome


def test_half_written_and_foreign_results_are_ignored(tmp_path: Path) -> None:
    """A result cut short by the kill, or one without a DUT parameter, is skipped quietly."""
    (tmp_path / "a-result.json").write_text('{"name": "x", "status": "pas', encoding="utf-8")
    (tmp_path / "b-result.json").write_text('{"name": "y", "status": "passed"}', encoding="utf-8")
    assert summaries_from_allure([tmp_path]) == []
