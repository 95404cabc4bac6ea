"""Helpers for self-tests: run certification cases against the simulators and mutants.

A self-test runs the real test-case files in a pytest subprocess against a DUT
profile (a builtin one, optionally with fault knobs switched on: a mutant) and
checks the verdicts the user would see. Every self-test runs its subprocess
through :func:`run_subprocess`, the one runner. The runs are children of a
fork server (``forkserver.py``) that imported pytest and the harness once per
worker, so a proof pays no interpreter start-up; ``OCPP_SELFTEST_FORK=0``
makes them plain subprocesses again.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from _pytest.pathlib import make_numbered_dir

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
    return _run_pytest(
        pytester,
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


class _ForkServer:
    """The worker's fork server (``tests/selftest/forkserver.py``), started on first use."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def run(self, args: Sequence[str], cwd: Path, out: Path, err: Path, timeout: float) -> int:
        """Pytest with ``args`` in a forked child: its exit code; TimeoutExpired past the bound."""
        process = self._process
        if process is None or process.poll() is not None:
            process = self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.selftest.forkserver"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            atexit.register(self.close)
        assert process.stdin is not None
        assert process.stdout is not None
        request = {"args": list(args), "cwd": str(cwd), "env": dict(os.environ), "timeout": timeout}
        process.stdin.write(json.dumps({**request, "stdout": str(out), "stderr": str(err)}) + "\n")
        process.stdin.flush()
        # The server answers once the child ended or was killed at ``timeout``.
        line = process.stdout.readline()
        if not line:
            self._process = None
            raise RuntimeError(f"the self-test fork server ended (exit {process.wait()})")
        answer = json.loads(line)
        if answer.get("timeout"):
            raise pytest.Pytester.TimeoutExpired(f"{timeout} s timeout expired running: {args}")
        return int(answer["ret"])

    def close(self) -> None:
        """End the server: its stdin closes, it returns."""
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=10)
        self._process = None


_FORK_SERVER = _ForkServer()


def _run_pytest(pytester: pytest.Pytester, *args: str, timeout: float) -> pytest.RunResult:
    """``pytester.runpytest_subprocess``, through the fork server unless OCPP_SELFTEST_FORK=0.

    The child is a fresh process like a subprocess (its own folder, environment,
    ``--basetemp`` and output files), without paying the imports again.
    """
    if os.environ.get("OCPP_SELFTEST_FORK") == "0":
        return pytester.runpytest_subprocess(*args, timeout=timeout)
    basetemp = make_numbered_dir(root=pytester.path, prefix="runpytest-", mode=0o700)
    out, err = pytester.path / "stdout", pytester.path / "stderr"
    started = time.monotonic()
    ret = _FORK_SERVER.run((f"--basetemp={basetemp}", *args), pytester.path, out, err, timeout)
    outlines = out.read_text(encoding="utf-8").splitlines()
    errlines = err.read_text(encoding="utf-8").splitlines()
    return pytest.RunResult(ret, outlines, errlines, time.monotonic() - started)


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
