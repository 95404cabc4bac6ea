"""The suite runner: one pytest run per profile, results under reports/, honest exit status."""

from __future__ import annotations

from pathlib import Path

from harness.cli import main
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
