"""The proofs' clock: the timings they run with, a per-proof budget, a timing report.

A proof (``test_mutant_fails``) runs one case in a pytest subprocess against
a mutant. Its wall time is the subprocess's start-up (interpreter, imports,
collection), the station's boot and registration (the case's setup), the
case itself (mostly waiting out a timeout when the mutant stays silent) and
the teardown. Wired in by ``tests/conftest.py``, it gives the proofs:

* ``--proof-timing=selftest|builtin``: the self-test timings of
  :data:`SELFTEST_TIMING` (default), or the builtin profile's own (the
  baseline :mod:`scripts.proof_times` compares against);
* ``--proof-budget=S``: a proof slower than ``S`` seconds of wall time fails,
  loudly, so slow proofs cannot creep back (default 5; 0 switches it off);
* ``--proof-times``: a report at the end of the run: per proof its wall time
  and phases, the ten slowest with what each waits for, the mean and total;
  ``--proof-times-json=PATH`` writes the same figures for a script to compare.

The figures travel as the test report's ``user_properties``, so they reach
the controller under pytest-xdist too.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

#: The timings every proof and the reference run of the generic self-test use.
#: The simulator answers on localhost within milliseconds, so a message
#: timeout of 1 s is still ample; a mutant that stays silent is then given up
#: after 1 s instead of the builtin profile's 3-5 s. Boot and connection
#: bounds cover a simulated reboot. The <Configured Transaction Duration> is a
#: PIXIT like the others: a mutant that ends or starts a transaction does so
#: at once, well inside 1 s. Intervals the case checks (heartbeat, connection
#: timeout, meter values) and the tolerance rules stay as the builtin profile
#: says: they travel on the wire and the checks depend on them.
SELFTEST_TIMING: dict[str, float] = {
    "message_timeout": 1,
    "boot_timeout": 3,
    "connect_timeout": 3,
    "transaction_duration": 1,
}

#: The default budget of one proof, in seconds of wall time on 2 cores.
DEFAULT_BUDGET = 8.0

_PROPERTY = "proof_time"


@dataclass(frozen=True)
class ProofTime:
    """Where one proof's wall time went, in seconds.

    Attributes:
        proof: the test id, ``TC_x[mutant]``.
        wall: the whole subprocess, as the self-test saw it.
        setup: the case's setup in the subprocess (station launch, boot, registration).
        call: the case itself.
        teardown: the case's teardown (restore idle, station shut down).
        waits_for: the failing step and the words it must say (what the case waited for).
    """

    proof: str
    wall: float
    setup: float
    call: float
    teardown: float
    waits_for: str

    @property
    def startup(self) -> float:
        """Interpreter, imports, plugin and collection: the wall time outside the phases."""
        return max(0.0, self.wall - self.setup - self.call - self.teardown)


def add_options(parser: pytest.Parser) -> None:
    """Register the proof-timing options (from ``tests/conftest.py``)."""
    group = parser.getgroup("proof timing", "timing of the generic proof self-test")
    group.addoption(
        "--proof-timing",
        choices=("selftest", "builtin"),
        default="selftest",
        help="timings the proofs run with: the self-test's short ones (default) or the "
        "builtin profile's own (the baseline)",
    )
    group.addoption(
        "--proof-budget",
        type=float,
        default=DEFAULT_BUDGET,
        metavar="S",
        help=f"fail a proof slower than S seconds of wall time (default {DEFAULT_BUDGET:g}; "
        "0: no budget)",
    )
    group.addoption(
        "--proof-times", action="store_true", help="report each proof's wall time at the end"
    )
    group.addoption(
        "--proof-times-json", default="", metavar="PATH", help="write each proof's times to PATH"
    )


def proof_timing(config: pytest.Config) -> dict[str, float]:
    """The timing overrides the proofs run with (empty: the builtin profile's own)."""
    return dict(SELFTEST_TIMING) if config.getoption("proof_timing") == "selftest" else {}


def phases(stdout: str, function: str) -> tuple[float, float, float]:
    """The setup, call and teardown seconds of ``function`` from the ``--durations=0`` lines."""
    found = {"setup": 0.0, "call": 0.0, "teardown": 0.0}
    pattern = rf"^([\d.]+)s (setup|call|teardown)\s+\S*::{re.escape(function)}\b"
    for match in re.finditer(pattern, stdout, re.M):
        found[match.group(2)] = float(match.group(1))
    return found["setup"], found["call"], found["teardown"]


def record(item: pytest.Item, measured: ProofTime) -> None:
    """Attach a proof's figures to its test report (whatever its verdict)."""
    item.user_properties.append((_PROPERTY, asdict(measured)))


def within_budget(item: pytest.Item, measured: ProofTime) -> None:
    """Fail the proof, loudly, when it took longer than ``--proof-budget``."""
    budget = float(item.config.getoption("proof_budget"))
    if budget > 0 and measured.wall > budget:
        pytest.fail(
            f"{measured.proof} took {measured.wall:.1f} s of wall time, over the proof budget of "
            f"{budget:g} s (start-up {measured.startup:.1f} s, setup {measured.setup:.1f} s, "
            f"case {measured.call:.1f} s, teardown {measured.teardown:.1f} s; it waits for "
            f"{measured.waits_for}). Make the case give up sooner on a silent mutant, or see "
            "docs/writing-testcases.md 'Proof timing budget'.",
            pytrace=False,
        )


class _Collector:
    def __init__(self) -> None:
        self.times: list[ProofTime] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for name, value in report.user_properties:
            if name == _PROPERTY and isinstance(value, dict):
                self.times.append(ProofTime(**value))

    def pytest_terminal_summary(
        self, terminalreporter: pytest.TerminalReporter, config: pytest.Config
    ) -> None:
        path = config.getoption("proof_times_json")
        if path:
            rows = [{**asdict(t), "startup": t.startup} for t in self.times]
            Path(path).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        if config.getoption("proof_times") and self.times:
            for line in report_lines(self.times, config.getoption("proof_timing")):
                terminalreporter.write_line(line)


def report_lines(times: list[ProofTime], timing: str) -> list[str]:
    """The timing report: every proof, the ten slowest with what they wait for, mean, total."""
    lines = [f"proof times ({timing} timings), seconds of wall time:"]
    lines += [f"  {t.wall:6.2f}  {t.proof}" for t in sorted(times, key=lambda t: t.proof)]
    lines.append("ten slowest: wall = start-up + setup + case + teardown; fails at / waits for")
    for t in sorted(times, key=lambda t: -t.wall)[:10]:
        lines.append(
            f"  {t.wall:6.2f} = {t.startup:4.2f} + {t.setup:4.2f} + {t.call:5.2f} + "
            f"{t.teardown:4.2f}  {t.proof}: {t.waits_for}"
        )
    total = sum(t.wall for t in times)
    lines.append(f"{len(times)} proofs: mean {total / len(times):.2f} s, total {total:.1f} s")
    return lines


def collect_times(config: pytest.Config) -> None:
    """Register the collector that reports and writes the proofs' times."""
    config.pluginmanager.register(_Collector(), "proof-timing-collector")
