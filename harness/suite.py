"""Run the certification suite against one or several DUT profiles.

Each profile runs in its own pytest process (in parallel, bounded by the
number of CPUs). Every run gets its own folder, and every profile its own
folder in it, so two runs, or two profiles of one run, never overwrite each
other's files::

    reports/runs/20261202T020000Z/
        station-1.6/allure-results/  junit.xml  readiness/  pytest.log
        csms-2.0.1/...

The exit status is non-zero when any profile's run had a failure or error, or
could not start (its error is shown, not just "see the log"); skips (not
applicable, not run) and a profile with no case for its DUT do not fail a run.

SIGINT and SIGTERM are passed on to the pytest processes as SIGINT, pytest's
clean stop (teardown, reports, readiness); a process still running after
``grace`` seconds, or at a second signal, is killed with its whole process
group, so an interrupted suite leaves no process behind. A profile whose run
was stopped or timed out gets its readiness summary rebuilt from its Allure
results. The HTML report is generated from the results by
:mod:`harness.report.html`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from harness.profile import builtin_profiles
from harness.report.readiness_allure import summaries_from_allure
from harness.report.readiness_output import write_readiness

__all__ = [
    "EMBEDDED_PROFILES",
    "RESULTS",
    "RUNS",
    "ProfileRun",
    "latest_results",
    "run_suite",
]

#: The Allure results folder, in each profile's folder.
RESULTS = "allure-results"
#: The folder of the runs, under the reports folder.
RUNS = "runs"
#: Seconds a pytest process may take to stop cleanly after SIGINT before it is killed.
STOP_GRACE = 30.0

#: The builtin profiles that run the suite against the embedded simulators.
EMBEDDED_PROFILES = (
    "station-2.0.1",
    "station-2.0.1-basic-auth",
    "station-2.0.1-serial-rig",
    "station-1.6",
    "station-1.6-serial-rig",
    "station-1.6-fixed-cable",
    "csms-2.0.1",
    "csms-1.6",
)

_OUTCOMES = "passed|failed|skipped|errors?|deselected|xfailed|xpassed|warnings?"
_SUMMARY = re.compile(rf"(?m)^=*\s*((?:no tests ran|\d+ (?:{_OUTCOMES})\b).*?) in [\d.]+s")
# What pytest prints when it cannot start or a test module cannot be collected.
_ERROR_LINE = re.compile(r"^(?:ERROR\b|INTERNALERROR>|E\s{2,}|\S*Error: )")
_POLL = 0.5  # seconds between looks at the stop request while a profile runs


@dataclass
class ProfileRun:
    """The outcome of the suite against one profile.

    Attributes:
        profile: the profile as given (``builtin:NAME`` or a path).
        returncode: pytest's exit status (negative: killed by that signal).
        summary: pytest's last summary line, or what went wrong instead.
        seconds: how long the run took.
        log: pytest's output.
        timed_out: killed for taking longer than the suite's ``timeout``.
        folder: this profile's folder of this run.
        error: the error pytest printed when it could not start or collect
            (e.g. a profile mistake), empty otherwise.
        stopped_by: the signal that interrupted the suite, if one did.
    """

    profile: str
    returncode: int
    summary: str
    seconds: float
    log: Path
    timed_out: bool = False
    folder: Path = field(default_factory=Path)
    error: str = ""
    stopped_by: str | None = None

    @property
    def results(self) -> Path:
        """The profile's Allure results folder."""
        return self.folder / RESULTS

    @property
    def junit(self) -> Path:
        """The profile's JUnit XML."""
        return self.folder / "junit.xml"

    @property
    def readiness(self) -> Path:
        """The folder of the profile's readiness summary."""
        return self.folder / "readiness"

    @property
    def ok(self) -> bool:
        """Everything passed or was skipped, or no case was for this DUT (all deselected)."""
        if self.timed_out or self.stopped_by:
            return False
        # pytest's 5 is "no tests ran": fine when every case was for another DUT.
        return self.returncode == 0 or (self.returncode == 5 and "deselected" in self.summary)


class _Stop:
    """A stop request from SIGINT/SIGTERM, passed on to every running pytest process group."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal: str | None = None
        self.processes: set[subprocess.Popen[bytes]] = set()
        self._asked: set[int] = set()  # pids already sent SIGINT: pytest takes a second
        # SIGINT as "abort the teardown too"

    def request(self, signum: int, _frame: FrameType | None = None) -> None:
        first = not self.event.is_set()
        if first:
            self.signal = signal.Signals(signum).name
        self.event.set()
        for process in list(self.processes):  # a copy: workers add and remove
            if first:
                self.ask(process)
            else:
                _signal_group(process, signal.SIGKILL)

    def ask(self, process: subprocess.Popen[bytes]) -> None:
        """Send SIGINT, pytest's clean stop, to ``process`` and its group, once."""
        if process.pid not in self._asked:
            self._asked.add(process.pid)
            _signal_group(process, signal.SIGINT)


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@contextlib.contextmanager
def _passing_signals_on(stop: _Stop) -> Iterator[None]:
    """Route SIGINT and SIGTERM to ``stop`` while the suite runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, stop.request) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _slug(spec: str) -> str:
    name = spec.removeprefix("builtin:") if spec.startswith("builtin:") else Path(spec).stem
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name)


def _folders(run: Path, specs: Sequence[str]) -> list[Path]:
    """One folder per profile; two profiles with the same file name get -2, -3..."""
    taken: set[str] = set()
    out = []
    for spec in specs:
        base = name = _slug(spec)
        number = 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        out.append(run / name)
    return out


def _new_run(reports: Path, started: float) -> Path:
    """A new folder for this run, named by its UTC start; never one another run uses."""
    runs = reports / RUNS
    runs.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started))
    for number in range(1, 1000):
        folder = runs / (stamp if number == 1 else f"{stamp}-{number}")
        try:
            folder.mkdir()  # atomic: two runs started in one second get two folders
        except FileExistsError:
            continue
        return folder
    raise OSError(f"no free run folder for {stamp} under {runs}")


def latest_results(reports: Path) -> list[Path]:
    """The Allure results folders of the newest run under ``reports``; [] when there is none."""
    runs = reports / RUNS
    if not runs.is_dir():
        return []
    folders = sorted(p for p in runs.iterdir() if p.is_dir())
    if not folders:
        return []
    return sorted(p for p in folders[-1].glob(f"*/{RESULTS}") if p.is_dir())


def _error_text(text: str) -> str:
    """What pytest said went wrong, from its output: its error lines, else its last line."""
    lines = [line.rstrip() for line in text.splitlines()[1:] if line.strip()]  # [0]: command
    errors: list[str] = []
    for line in lines:
        # An error line, or the list of problems that follows one (a profile's mistakes).
        if _ERROR_LINE.match(line) or (errors and line.startswith("  - ")):
            errors.append(line)
    chosen = errors[:12] if errors else lines[-1:]
    return "\n".join(line if len(line) <= 400 else line[:397] + "..." for line in chosen)


def _wait(
    process: subprocess.Popen[bytes], timeout: float | None, stop: _Stop, grace: float
) -> tuple[int, bool]:
    """Wait for ``process``; stop it on a stop request or after ``timeout``.

    Returns:
        Its exit status, and whether it ran out of time.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    while not stop.event.is_set():
        left = _POLL if deadline is None else min(_POLL, deadline - time.monotonic())
        if left <= 0:
            timed_out = True
            stop.ask(process)
            break
        try:
            return process.wait(timeout=left), False
        except subprocess.TimeoutExpired:
            continue
    try:
        status = process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        status = process.wait()
    # pytest has ended; whatever it started and left running (a hook's background
    # process, a child ignoring SIGINT) goes with its process group.
    _signal_group(process, signal.SIGKILL)
    return status, timed_out


def _run_one(
    spec: str,
    folder: Path,
    testcases: Path,
    extra: Sequence[str],
    timeout: float | None,
    stop: _Stop,
    grace: float,
) -> ProfileRun:
    # pytest resolves ini values such as ocpp_reports_dir against its rootdir, not the cwd.
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "pytest.log"
    run = ProfileRun(spec, -1, "", 0.0, log, folder=folder)
    if stop.event.is_set():
        run.summary, run.stopped_by = "not started: the suite was interrupted", stop.signal
        return run
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(testcases),
        f"--dut={spec}",
        f"--alluredir={run.results}",
        f"--junitxml={run.junit}",
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfEs",
        "-o",
        f"ocpp_reports_dir={run.readiness}",
        *extra,
    ]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        # Its own process group: the suite passes signals on itself (once), and can kill
        # whatever the run started (hooks, simulators) with it.
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        stop.processes.add(process)
        try:
            if stop.event.is_set():  # the signal came while the process was starting
                stop.ask(process)
            run.returncode, run.timed_out = _wait(process, timeout, stop, grace)
        finally:
            stop.processes.discard(process)
    run.seconds = time.monotonic() - started
    run.stopped_by = stop.signal if stop.event.is_set() else None
    text = log.read_text(encoding="utf-8", errors="replace")
    matches = _SUMMARY.findall(text)
    if run.timed_out:
        run.summary = f"timed out after {run.seconds:.0f} s (stopped)"
    elif run.stopped_by:
        run.summary = f"interrupted by {run.stopped_by}" + (f": {matches[-1]}" if matches else "")
    elif matches:
        run.summary = matches[-1]
    if not (run.timed_out or run.stopped_by) and (run.returncode in (2, 3, 4) or not matches):
        run.error = _error_text(text)  # pytest could not start or collect: say why
    if not run.summary:
        first = run.error.splitlines()[0] if run.error else ""
        run.summary = first or f"pytest exited with status {run.returncode} and no summary"
    if run.timed_out or run.stopped_by:
        _rebuild_readiness(run)
    return run


def _rebuild_readiness(run: ProfileRun) -> None:
    """A stopped run wrote no readiness summary: rebuild it from its Allure results."""
    if (run.readiness / "readiness.json").is_file() or not run.results.is_dir():
        return
    for summary in summaries_from_allure([run.results]):
        write_readiness(run.readiness, summary.readiness)


def _merged_executor(runs: Sequence[ProfileRun], specs: Sequence[str], started: float) -> None:
    """Name the run after every profile: each pytest process wrote its own DUT's executor."""
    executor = {
        "name": "ocpp-harness",
        "type": "pytest",
        "buildName": "ocpp-harness suite "
        + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "buildOrder": int(started),
        "reportName": "OCPP conformance: " + ", ".join(_slug(spec) for spec in specs),
    }
    for run in runs:
        if run.results.is_dir():
            (run.results / "executor.json").write_text(
                json.dumps(executor, indent=2), encoding="utf-8"
            )


def run_suite(
    profiles: Sequence[str],
    *,
    testcases: Path,
    reports: Path,
    extra: Sequence[str] = (),
    jobs: int | None = None,
    timeout: float | None = None,
    grace: float = STOP_GRACE,
) -> list[ProfileRun]:
    """Run ``testcases`` once per profile, in parallel, into a new run folder under ``reports``.

    Args:
        profiles: builtin profile names (``csms-1.6`` or ``builtin:csms-1.6``) or
            TOML paths.
        testcases: the test-case folder.
        reports: the output folder; this run's files go to ``runs/<UTC start>/<profile>/``.
        extra: more pytest arguments for every profile's run.
        jobs: profiles run at once (default: as many as CPUs, at most one per profile).
        timeout: seconds one profile's run may take; ``None``: no limit (each
            test still has its own guard).
        grace: seconds a pytest process may take to stop cleanly after SIGINT
            (on a suite interruption or timeout) before it is killed.

    Returns:
        One :class:`ProfileRun` per profile, in the order given.

    Raises:
        ValueError: an unknown builtin profile.
    """
    specs = [p if ":" in p or p.endswith(".toml") else f"builtin:{p}" for p in profiles]
    unknown = [s for s in specs if s.startswith("builtin:") and s[8:] not in builtin_profiles()]
    if unknown:
        raise ValueError(f"unknown builtin profiles: {', '.join(unknown)}")
    started = time.time()
    folders = _folders(_new_run(reports, started), specs)
    workers = jobs or max(1, min(len(specs), os.cpu_count() or 1))
    stop = _Stop()
    with _passing_signals_on(stop), ThreadPoolExecutor(max_workers=workers) as pool:
        runs = list(
            pool.map(
                lambda pair: _run_one(pair[0], pair[1], testcases, extra, timeout, stop, grace),
                zip(specs, folders, strict=True),
            )
        )
    if len(specs) > 1:
        _merged_executor(runs, specs, started)
    return runs
