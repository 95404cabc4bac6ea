"""Run the certification suite against one or several DUT profiles.

Each profile runs in its own pytest process (in parallel, bounded by the
number of CPUs), writing Allure results into one shared
``reports/allure-results`` and JUnit XML, readiness and a log per profile under
``reports/``. The results folder is emptied first (except Allure's ``history/``),
so it holds this run only. The exit status is non-zero when any profile's run
had a failure or error; skips (not applicable) do not fail a run. The HTML
report is generated from the results by :mod:`harness.report.html`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.profile import builtin_profiles
from harness.report.html import clean_results as _clean_results

__all__ = ["EMBEDDED_PROFILES", "RESULTS", "ProfileRun", "run_suite"]

#: The Allure results folder, under the reports folder.
RESULTS = "allure-results"

#: The builtin profiles that run the suite against the embedded simulators.
EMBEDDED_PROFILES = ("station-2.0.1", "station-1.6", "csms-2.0.1", "csms-1.6")

_OUTCOMES = "passed|failed|skipped|errors?|deselected|xfailed|xpassed|warnings?"
_SUMMARY = re.compile(rf"(?m)^=*\s*(\d+ (?:{_OUTCOMES})\b.*?) in [\d.]+s")


@dataclass
class ProfileRun:
    """The outcome of the suite against one profile."""

    profile: str
    returncode: int
    summary: str
    seconds: float
    log: Path
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        # 0: all passed or skipped; 5: nothing collected for this profile (all deselected)
        return self.returncode in (0, 5) and not self.timed_out


def _slug(spec: str) -> str:
    name = spec.removeprefix("builtin:") if spec.startswith("builtin:") else Path(spec).stem
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name)


def _run_one(
    spec: str, testcases: Path, reports: Path, extra: Sequence[str], timeout: float | None
) -> ProfileRun:
    slug = _slug(spec)
    # pytest resolves ini values such as ocpp_reports_dir against its rootdir, not the cwd.
    reports = reports.resolve()
    log = reports / "logs" / f"{slug}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(testcases),
        f"--dut={spec}",
        f"--alluredir={reports / RESULTS}",
        f"--junitxml={reports / 'junit' / f'{slug}.xml'}",
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfEs",
        "-o",
        f"ocpp_reports_dir={reports / 'readiness' / slug}",
        *extra,
    ]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        # The embedded simulators run inside the pytest process: killing it ends them too.
        # It stays in our process group, so Ctrl-C reaches it.
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            returncode = process.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
            timed_out = True
    seconds = time.monotonic() - started
    if timed_out:
        summary = f"timed out after {seconds:.0f} s (killed)"
    else:
        text = log.read_text(encoding="utf-8", errors="replace")
        matches = _SUMMARY.findall(text)
        summary = matches[-1] if matches else "no summary (see log)"
    return ProfileRun(spec, returncode, summary, seconds, log, timed_out)


def _merged_executor(reports: Path, specs: Sequence[str], started: float) -> None:
    """Name the run after every profile: each pytest process wrote its own DUT's executor."""
    executor = {
        "name": "ocpp-harness",
        "type": "pytest",
        "buildName": "ocpp-harness suite "
        + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "buildOrder": int(started),
        "reportName": "OCPP conformance: " + ", ".join(_slug(spec) for spec in specs),
    }
    (reports / RESULTS / "executor.json").write_text(
        json.dumps(executor, indent=2), encoding="utf-8"
    )


def run_suite(
    profiles: Sequence[str],
    *,
    testcases: Path,
    reports: Path,
    extra: Sequence[str] = (),
    jobs: int | None = None,
    clean_results: bool = True,
    timeout: float | None = None,
) -> list[ProfileRun]:
    """Run ``testcases`` once per profile, in parallel; results land under ``reports``.

    Args:
        profiles: builtin profile names (``csms-1.6`` or ``builtin:csms-1.6``) or
            TOML paths.
        testcases: the test-case folder.
        reports: the output folder (``allure-results/``, ``junit/``,
            ``readiness/``, ``logs/``).
        extra: more pytest arguments for every profile's run.
        jobs: profiles run at once (default: as many as CPUs, at most one per profile).
        clean_results: empty ``allure-results`` first, keeping its ``history/``.
        timeout: seconds one profile's run may take; ``None``: no limit (each
            test still has pytest-timeout's).

    Returns:
        One :class:`ProfileRun` per profile, in the order given.

    Raises:
        ValueError: an unknown builtin profile.
    """
    specs = [p if ":" in p or p.endswith(".toml") else f"builtin:{p}" for p in profiles]
    unknown = [s for s in specs if s.startswith("builtin:") and s[8:] not in builtin_profiles()]
    if unknown:
        raise ValueError(f"unknown builtin profiles: {', '.join(unknown)}")
    reports.mkdir(parents=True, exist_ok=True)
    if clean_results:
        _clean_results(reports / RESULTS)
    workers = jobs or max(1, min(len(specs), os.cpu_count() or 1))
    started = time.time()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(pool.map(lambda s: _run_one(s, testcases, reports, extra, timeout), specs))
    if len(specs) > 1 and (reports / RESULTS / "executor.json").is_file():
        _merged_executor(reports, specs, started)
    return runs
