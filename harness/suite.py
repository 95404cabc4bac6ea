"""Run the certification suite against one or several DUT profiles.

Each profile runs in its own pytest process (in parallel, bounded by the
number of CPUs), writing Allure results and JUnit XML under ``reports/``.
The exit status is non-zero when any profile's run had a failure or error;
skips (not applicable) do not fail a run.
"""

from __future__ import annotations

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

__all__ = ["EMBEDDED_PROFILES", "ProfileRun", "run_suite"]

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

    @property
    def ok(self) -> bool:
        # 0: all passed; 5: nothing collected for this profile (all deselected) is not a failure
        return self.returncode in (0, 5)


def _slug(spec: str) -> str:
    name = spec.removeprefix("builtin:") if spec.startswith("builtin:") else Path(spec).stem
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name)


def _run_one(spec: str, testcases: Path, reports: Path, extra: Sequence[str]) -> ProfileRun:
    slug = _slug(spec)
    log = reports / "logs" / f"{slug}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(testcases),
        f"--dut={spec}",
        f"--alluredir={reports / 'allure-results'}",
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
        completed = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    matches = _SUMMARY.findall(text)
    summary = matches[-1] if matches else "no summary (see log)"
    return ProfileRun(spec, completed.returncode, summary, time.monotonic() - started, log)


def run_suite(
    profiles: Sequence[str],
    *,
    testcases: Path,
    reports: Path,
    extra: Sequence[str] = (),
    jobs: int | None = None,
) -> list[ProfileRun]:
    """Run ``testcases`` once per profile, in parallel; results land under ``reports``."""
    specs = [p if ":" in p or p.endswith(".toml") else f"builtin:{p}" for p in profiles]
    unknown = [s for s in specs if s.startswith("builtin:") and s[8:] not in builtin_profiles()]
    if unknown:
        raise ValueError(f"unknown builtin profiles: {', '.join(unknown)}")
    reports.mkdir(parents=True, exist_ok=True)
    workers = jobs or max(1, min(len(specs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda s: _run_one(s, testcases, reports, extra), specs))
