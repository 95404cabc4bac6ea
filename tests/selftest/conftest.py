"""Helpers for self-tests: run certification cases against the simulators and mutants.

A self-test runs the real test-case files in a pytest subprocess against a DUT
profile (a builtin one, optionally with fault knobs switched on: a mutant) and
checks the verdicts the user would see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir

ROOT = Path(__file__).resolve().parents[2]
TESTCASES = ROOT / "testcases"


def mutant_profile(tmp_path: Path, builtin: str, faults: Sequence[str]) -> Path:
    """A copy of a builtin profile with the given fault knobs switched on."""
    text = _builtin_dir().joinpath(f"{builtin}.toml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{fault}"' for fault in faults)
    text, count = re.subn(r"(?m)^faults\s*=.*$", f"faults = [{listed}]", text)
    assert count == 1, f"builtin profile {builtin} has no faults line"
    path = tmp_path / f"{builtin}-mutant.toml"
    path.write_text(text, encoding="utf-8")
    return path


RunCases = Callable[..., pytest.RunResult]


@pytest.fixture
def run_cases(pytester: pytest.Pytester, tmp_path: Path) -> RunCases:
    """Run test cases whose ids match ``select`` against a builtin profile or a mutant of it.

    Usage: ``result = run_cases("TC_B_01_CS", builtin="station-2.0.1", faults=["..."])``.
    The reference runs as on a bench (one embedded station for the run); a
    mutant is relaunched for each test (``--dut-lifetime=test``).
    """

    def run(
        select: str,
        *,
        builtin: str,
        faults: Sequence[str] = (),
        folder: str = "",
        extra: Sequence[str] = (),
    ) -> pytest.RunResult:
        profile = mutant_profile(tmp_path, builtin, faults) if faults else f"builtin:{builtin}"
        target = TESTCASES / folder if folder else TESTCASES
        return pytester.runpytest_subprocess(
            str(target),
            f"--dut={profile}",
            "-k",
            select,
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-o",
            f"ocpp_reports_dir={pytester.path / 'reports'}",
            "--strict-markers",
            "-rfEs",
            "--timeout=60",
            # A mutant's breakage must not spill into the next case: a fresh station each.
            *(["--dut-lifetime=test"] if faults else []),
            *extra,
            timeout=120,
        )

    return run
