"""The whole station suite against one embedded station left running, as a charger on a bench.

The station is started once per run and never relaunched: every case starts
from the station as the previous one left it (restored to idle), so a case
that needs a fresh boot, or one that leaves a leftover, shows up here.

The builtin profile runs as it is (its features, its rig), on the self-test
timings of the proofs (``SELFTEST_TIMING``: shorter message and boot bounds,
a 1 s transaction duration): what the bench shows is persistence, not timing.
Each version's main station profile (``station-1.6``, ``station-2.0.1``) runs
the suite twice, so every case also follows itself; a variant profile (other
rig, fixed cable, basic auth) once, shuffled. Most of a pass is protocol time
(timers the cases wait out), so a pass costs wall time, not CPU: the second
pass of the variants would double the self-tests' tail for little. The test
carries its own bound, since the suite grows with the catalogue.

The bench is also the reference run of the station cases proven on a builtin
profile that applies to them as it is: each must pass in every pass (a skip is
a defect there), and ``test_proofs.py`` does not run those cases again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.selftest.applicability import PROFILES, STATION_PROFILES, applies
from tests.selftest.conftest import TESTCASES, mutant_profile
from tests.selftest.proof_timing import SELFTEST_TIMING
from tests.selftest.test_proofs import CASES

#: The profiles whose suite runs twice on one station; the variants run it once.
TWICE = ("station-1.6", "station-2.0.1")
OUTCOME = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+::\S+)", re.MULTILINE)


#: The longest first (two passes, then the 2.0.1 suite): the run starts them in this order.
BY_COST = sorted(STATION_PROFILES, key=lambda name: (name not in TWICE, "2.0.1" not in name, name))


@pytest.mark.long_running
@pytest.mark.timeout(900)
@pytest.mark.parametrize("builtin", BY_COST)
def test_station_suite_in_random_order_on_one_station(
    pytester: pytest.Pytester, builtin: str, tmp_path: Path
) -> None:
    """Every station case, shuffled (twice on a main profile), on one station: all pass alike."""
    folders = [str(TESTCASES / "v16" / "cs"), str(TESTCASES / "v201" / "cs")]
    passes = 2 if builtin in TWICE else 1
    profile = mutant_profile(tmp_path, builtin, (), timing=SELFTEST_TIMING)
    result = pytester.runpytest_subprocess(
        *(folders * passes),
        "--keep-duplicates",
        f"--dut={profile}",
        "--dut-lifetime=run",
        "-p",
        "random_order",
        "--random-order",
        "--random-order-bucket=global",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "--strict-markers",
        "-rA",
        "--timeout=120",
        timeout=880,
    )
    outcomes: dict[str, list[str]] = defaultdict(list)
    for outcome, nodeid in OUTCOME.findall(result.stdout.str()):
        outcomes[nodeid].append(outcome)
    assert outcomes, result.stdout.str()[-3000:]
    uneven = {node: seen for node, seen in outcomes.items() if len(set(seen)) != 1}
    assert not uneven, f"outcomes differ between the passes: {uneven}"
    missed = {node: seen for node, seen in outcomes.items() if len(seen) != passes}
    assert not missed, f"cases not run {passes} time(s): {missed}"
    # A case proven on this profile that applies to it as it is must pass, not be
    # skipped (a skip prints no node id: it shows as []): the bench is its reference
    # run, test_proofs.py runs only the other cases.
    owed = [c for c in CASES if builtin in c.builtins() and applies(c.info, PROFILES[builtin])]
    unpassed = {
        case.info.id: [seen for node, seen in outcomes.items() if node.endswith(_tail(case.node))]
        for case in owed
    }
    unpassed = {case: seen for case, seen in unpassed.items() if seen != [["PASSED"] * passes]}
    bad = {node: seen[0] for node, seen in outcomes.items() if seen[0] in ("FAILED", "ERROR")}
    assert not unpassed, f"cases that apply to {builtin} but did not pass: {unpassed}"
    assert not bad, (
        f"cases that did not pass on the bench station: {bad}\n"
        + "\n".join(line for line in result.stdout.lines if line.startswith("E "))[:6000]
    )


def _tail(node: str) -> str:
    """A case's node id as the run prints it: its path's last three parts and the function."""
    path, _, function = node.partition("::")
    return "/".join(Path(path).parts[-3:]) + "::" + function
