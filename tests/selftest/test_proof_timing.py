"""The proofs' clock: self-test timings in the profile, phases read from the run, the budget."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.selftest.conftest import mutant_profile
from tests.selftest.proof_timing import (
    SELFTEST_TIMING,
    ProofTime,
    phases,
    report_lines,
    within_budget,
)

DURATIONS = """\
============================== slowest durations ===============================
3.03s call     testcases/v201/cs/test_x.py::test_TC_F_08_CS_remote_stop
0.03s setup    testcases/v201/cs/test_x.py::test_TC_F_08_CS_remote_stop
0.01s teardown testcases/v201/cs/test_x.py::test_TC_F_08_CS_remote_stop
9.00s call     testcases/v201/cs/test_x.py::test_TC_F_08_CS_remote_stop_other
"""


@pytest.mark.parametrize("builtin", ["station-1.6", "station-2.0.1", "csms-1.6"])
def test_selftest_timing_replaces_only_its_keys(tmp_path: Path, builtin: str) -> None:
    """The proofs' profile carries the self-test timings and keeps every other builtin timing."""
    plain = tomllib.loads(mutant_profile(tmp_path, builtin, ()).read_text(encoding="utf-8"))
    short = mutant_profile(tmp_path, builtin, (), timing=SELFTEST_TIMING)
    timing = tomllib.loads(short.read_text(encoding="utf-8"))["timing"]
    assert {key: timing[key] for key in SELFTEST_TIMING} == SELFTEST_TIMING
    kept = {key: value for key, value in plain["timing"].items() if key not in SELFTEST_TIMING}
    assert {key: timing[key] for key in kept} == kept


def test_phases_are_read_for_the_named_function_only() -> None:
    """Setup, call and teardown seconds come from the ``--durations`` lines of that function."""
    assert phases(DURATIONS, "test_TC_F_08_CS_remote_stop") == (0.03, 3.03, 0.01)
    assert phases(DURATIONS, "test_absent") == (0.0, 0.0, 0.0)


def test_report_lists_the_slowest_first_with_mean_and_total() -> None:
    """The report names the slowest proof first among the ten and gives the mean and total."""
    times = [
        ProofTime("TC_A[m]", 2.0, 0.1, 0.9, 0.0, "step '1' says 'x'"),
        ProofTime("TC_B[m]", 6.0, 0.1, 4.9, 0.0, "step '3' says 'did not arrive'"),
    ]
    lines = report_lines(times, "selftest")
    slowest = lines.index(next(line for line in lines if line.startswith("ten slowest")))
    assert "TC_B[m]: step '3' says 'did not arrive'" in lines[slowest + 1]
    assert times[1].startup == pytest.approx(1.0)
    assert lines[-1] == "2 proofs: mean 4.00 s, total 8.0 s"


class _Config:
    def __init__(self, budget: float) -> None:
        self.budget = budget

    def getoption(self, name: str) -> float:
        assert name == "proof_budget"
        return self.budget


class _Item:
    def __init__(self, budget: float) -> None:
        self.config = _Config(budget)


def test_a_proof_over_budget_fails_naming_where_its_time_went() -> None:
    """A proof slower than ``--proof-budget`` fails with its phases and what it waits for."""
    slow = ProofTime("TC_B[m]", 6.0, 0.1, 4.9, 0.0, "step '3' says 'did not arrive'")
    with pytest.raises(pytest.fail.Exception, match=r"over the proof budget of 5 s .*case 4\.9 s"):
        within_budget(_Item(5.0), slow)  # type: ignore[arg-type]
    within_budget(_Item(8.0), slow)  # type: ignore[arg-type]
    within_budget(_Item(0.0), slow)  # type: ignore[arg-type]
