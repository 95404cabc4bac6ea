"""The generic self-test: every case in testcases/ passes on the reference, fails on its proofs.

The cases are found by importing every module under ``testcases/`` and
reading the ``testcase`` markers: nothing here lists a case. For each case:

* the reference run: it passes against the unmodified simulator of its
  default builtin profile and of every builtin profile a proof names (one
  subprocess per profile for all its cases, to keep CI time down); a station
  case that applies to such a profile as it is gets its reference run from the
  bench (``test_bench_station.py``), which holds it to a pass there;
* each declared :class:`~harness.proof.Mutant` (test id ``TC_x[knobs]``): the
  case alone FAILS (not errors, not passes) against the simulator with those
  knobs on, at the declared step (``Step '<title>' of TC_x failed``), and the
  failure message contains the declared words;
* a case without a proof, or proven only by schema-level knobs (which prove
  the engine, not the case's own checks), fails as unproven.

A profile gets the PICS flags its cases require, so a conditional case runs
instead of being skipped as not applicable. Every run uses the self-test
timings (a short message timeout, see ``tests/selftest/proof_timing.py``), and
each proof must finish within ``--proof-budget`` seconds of wall time.
"""

from __future__ import annotations

import importlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.proof import Mutant, default_builtin
from harness.testcase import TestCaseInfo
from tests.selftest.applicability import bench_covers
from tests.selftest.conftest import ROOT, TESTCASES, mutant_profile, run_subprocess
from tests.selftest.proof_timing import ProofTime, phases, proof_timing, record, within_budget

#: Knobs that break a message's schema or format: they prove the engine, not a case's checks.
SCHEMA_KNOBS = ("schema_violation", "wrong_enum", "bad_timestamp")


@dataclass(frozen=True)
class Case:
    """One implemented case: its marker and where its test function lives."""

    info: TestCaseInfo
    node: str  # the absolute path of its file, ::, its function name

    @property
    def function(self) -> str:
        """The name of its test function."""
        return self.node.rpartition("::")[2]

    def builtins(self) -> list[str]:
        """Its default builtin profile, then every other one its proofs name.

        A case whose every proof names a builtin profile runs only on those: it
        does not apply to the default one (TC_048_4_CS is for a charge point
        without reservations).
        """
        named = [mutant.builtin for mutant in self.info.proof if mutant.builtin]
        if named and len(named) == len(self.info.proof):
            return list(dict.fromkeys(named))
        found = [default_builtin(self.info.version, self.info.sut)]
        for mutant in self.info.proof:
            if mutant.builtin and mutant.builtin not in found:
                found.append(mutant.builtin)
        return found


def discover() -> list[Case]:
    """Every function under testcases/ carrying a ``testcase`` marker, in file order."""
    cases: list[Case] = []
    for path in sorted(TESTCASES.rglob("test_*.py")):
        relative = path.relative_to(ROOT)
        module = importlib.import_module(".".join(relative.with_suffix("").parts))
        for name, function in vars(module).items():
            marks = getattr(function, "pytestmark", [])
            infos = [m.args[0] for m in marks if m.name == "testcase"]
            if name.startswith("test_") and infos and isinstance(infos[0], TestCaseInfo):
                cases.append(Case(infos[0], f"{path}::{name}"))
    return cases


CASES = discover()
BY_BUILTIN: dict[str, list[Case]] = {}
for _case in CASES:
    for _builtin in _case.builtins():
        # The bench runs every builtin station profile as it is and holds each case
        # that applies there to a pass: running it here again would repeat that.
        if not bench_covers(_case.info, _builtin):
            BY_BUILTIN.setdefault(_builtin, []).append(_case)


def _outcomes(stdout: str) -> dict[str, str]:
    """The outcome of each test function, from the ``-rA`` short summary (paths vary)."""
    found: dict[str, str] = {}
    pattern = r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) \S*::(\w+)"
    for match in re.finditer(pattern, stdout, re.M):
        found.setdefault(match.group(2), match.group(1))
    return found


def _features(cases: list[Case]) -> list[str]:
    return sorted({flag for case in cases for flag in case.info.requires})


def _failure_message(stdout: str) -> str:
    """The ``E`` lines of the failure report: the verdict's message, not logs or captured output."""
    return "\n".join(line[1:].strip() for line in stdout.splitlines() if line.startswith("E "))


@pytest.mark.parametrize("builtin", sorted(BY_BUILTIN))
def test_reference_passes(
    pytester: pytest.Pytester, tmp_path: Path, builtin: str, request: pytest.FixtureRequest
) -> None:
    """Every case run on this builtin profile passes against its unmodified simulator."""
    cases = BY_BUILTIN[builtin]
    needed = _features(cases)
    clash = [c.info.id for c in cases if set(c.info.excludes) & set(needed)]
    assert not clash, f"{clash} exclude a PICS flag other cases on {builtin} require: {needed}"
    timing = proof_timing(request.config)
    profile = mutant_profile(tmp_path, builtin, (), needed, timing=timing)
    result = run_subprocess(
        pytester, [case.node for case in cases], dut=profile, timeout=60 + 30 * len(cases)
    )
    outcomes = _outcomes(result.stdout.str())
    wrong = {c.info.id: outcomes.get(c.function, "not run") for c in cases}
    wrong = {case: outcome for case, outcome in wrong.items() if outcome != "PASSED"}
    assert not wrong, f"against the reference {builtin}: {wrong}\n{result.stdout.str()[-6000:]}"


def _proofs() -> list[object]:
    params: list[object] = []
    for case in CASES:
        if not case.info.proof:
            params.append(pytest.param(case, None, id=f"{case.info.id}[unproven]"))
        for mutant in case.info.proof:
            params.append(pytest.param(case, mutant, id=f"{case.info.id}[{mutant.name}]"))
    return params


@pytest.mark.parametrize(("case", "mutant"), _proofs())
def test_mutant_fails(
    pytester: pytest.Pytester,
    tmp_path: Path,
    case: Case,
    mutant: Mutant | None,
    request: pytest.FixtureRequest,
) -> None:
    """The case FAILS against the mutant, at the declared step, saying the declared words, within the proof budget."""  # noqa: E501
    assert mutant is not None, f"{case.info.id} is unproven: its testcase marker declares no proof"
    builtin = mutant.builtin or default_builtin(case.info.version, case.info.sut)
    timing = proof_timing(request.config)
    profile = mutant_profile(tmp_path, builtin, mutant.knobs, case.info.requires, timing=timing)
    # A fresh station for the case, as for every mutant: nothing to restore after it.
    # The inner durations tell start-up from the station's boot and from the case.
    extra = ["--dut-lifetime=test", "--durations=0", "--durations-min=0"]
    started = time.monotonic()
    result = run_subprocess(pytester, [case.node], dut=profile, extra=extra, timeout=120)
    wall = time.monotonic() - started
    stdout = result.stdout.str()
    waits_for = f"step {mutant.step!r} says {mutant.says!r}"
    measured = ProofTime(request.node.name, wall, *phases(stdout, case.function), waits_for)
    record(request.node, measured)
    outcome = _outcomes(stdout).get(case.function, "not run")
    assert outcome == "FAILED", f"{case.info.id} {outcome} against {mutant.name}\n{stdout[-6000:]}"
    message = _failure_message(stdout)
    # The innermost step: a reusable state's step is nested in the case's own.
    titles = re.findall(rf"Step '((?:(?!Step ').)+?)' of {case.info.id} failed", message)
    assert titles, f"{case.info.id}: the failure names no step\n{message[:3000]}"
    assert mutant.step in titles[0], f"failed at {titles[0]!r}, not at {mutant.step!r}\n{message}"
    assert mutant.says in message, f"the failure does not say {mutant.says!r}\n{message[:3000]}"
    # Last: the verdict is checked first, so a slow and wrong proof reports what is wrong.
    within_budget(request.node, measured)


def _schema_only(case: Case) -> bool:
    knobs = [knob.partition(":")[0] for mutant in case.info.proof for knob in mutant.knobs]
    return all(knob in SCHEMA_KNOBS for knob in knobs)


@pytest.mark.parametrize("case", CASES, ids=[case.info.id for case in CASES])
def test_case_is_proven_by_its_own_checks(case: Case) -> None:
    """A case declares a proof, and not only schema-level knobs (those prove the engine)."""
    assert case.info.proof, f"{case.info.id} is unproven: its testcase marker declares no proof"
    assert not _schema_only(case), f"{case.info.id} is proven only by schema knobs"


def test_every_case_in_testcases_is_found() -> None:
    """Discovery finds every ``@testcase`` line under testcases/ (none hidden from the proofs)."""
    written = sum(
        len(re.findall(r"^@testcase\(", p.read_text(encoding="utf-8"), re.M))
        for p in TESTCASES.rglob("test_*.py")
    )
    assert len(CASES) == written > 0
