"""Helpers for self-tests: run certification cases against the simulators and mutants.

A self-test runs the real test-case files in a pytest subprocess against a DUT
profile (a builtin one, optionally with fault knobs switched on: a mutant) and
checks the verdicts the user would see. Every self-test runs its subprocess
through :func:`run_subprocess`, the one runner.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir

ROOT = Path(__file__).resolve().parents[2]
TESTCASES = ROOT / "testcases"


def mutant_profile(
    tmp_path: Path,
    builtin: str,
    faults: Sequence[str],
    features: Sequence[str] = (),
    *,
    timing: Mapping[str, float] | None = None,
) -> Path:
    """A copy of a builtin profile with the given fault knobs on and PICS ``features`` added.

    ``timing`` replaces values of its ``[timing]`` table (e.g. the proofs'
    shorter message timeout); None keeps the builtin profile's own.
    """
    text = _builtin_dir().joinpath(f"{builtin}.toml").read_text(encoding="utf-8")
    for key, value in (timing or {}).items():
        text, count = re.subn(rf"(?m)^{key}\s*=.*$", f"{key} = {value:g}", text)
        if not count:
            text, count = re.subn(r"(?m)^\[timing\]$", f"[timing]\n{key} = {value:g}", text)
        assert count == 1, f"builtin profile {builtin}: cannot set {key} once"
    listed = ", ".join(f'"{fault}"' for fault in faults)
    text, count = re.subn(r"(?m)^faults\s*=.*$", f"faults = [{listed}]", text)
    assert count == 1, f"builtin profile {builtin} has no faults line"
    missing = [flag for flag in features if f'"{flag}"' not in text]
    if missing:
        added = "".join(f'\n    "{flag}",' for flag in missing)
        text, count = re.subn(r"(?m)^features\s*=\s*\[", f"features = [{added}", text)
        assert count == 1, f"builtin profile {builtin} has no features line"
    path = tmp_path / f"{builtin}-{len(list(tmp_path.glob('*.toml')))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_subprocess(
    pytester: pytest.Pytester,
    targets: Sequence[str | Path],
    *,
    dut: str | Path,
    select: str = "",
    extra: Sequence[str] = (),
    timeout: float = 180,
) -> pytest.RunResult:
    """Run test-case files or node ids in a pytest subprocess against the DUT profile ``dut``.

    Args:
        pytester: the pytester of the calling self-test.
        targets: files, folders or node ids to run.
        dut: a profile path or ``builtin:NAME``.
        select: a ``-k`` expression, when not every target should run.
        extra: further pytest options (e.g. ``--alluredir``, ``--time-factor``).
        timeout: the bound of the whole subprocess, in seconds.
    """
    return pytester.runpytest_subprocess(
        *(str(target) for target in targets),
        f"--dut={dut}",
        *(("-k", select) if select else ()),
        "-p",
        "no:cacheprovider",
        # Hypothesis' plugin imports all of hypothesis at the end of every run
        # (about 0.7 s per subprocess); no certification case uses it.
        "-p",
        "no:hypothesispytest",
        "-o",
        "addopts=",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "--strict-markers",
        "-rA",
        "--timeout=60",
        *extra,
        timeout=timeout,
    )


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
        # A mutant's breakage must not spill into the next case: a fresh station each.
        lifetime = ["--dut-lifetime=test"] if faults else []
        return run_subprocess(
            pytester, [target], dut=profile, select=select, extra=[*lifetime, *extra]
        )

    return run
