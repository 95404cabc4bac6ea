"""The new-CSMS-root cases in any order and again, on one station that keeps one root at a time.

TC_B_50_CS moves a station with AdditionalRootCertificateCheck to root 2 for
good; the next case must start from that root and install the next one. The
file runs twice on one reference station (``station-2.0.1-serial-rig``, A-S2),
its cases sorted by name and then the reverse, so each case follows itself
and the other one: B_47 B_47 B_50 B_50, then B_50 B_50 B_47 B_47.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.selftest.conftest import TESTCASES, mutant_profile
from tests.selftest.proof_timing import SELFTEST_TIMING

CASES = TESTCASES / "v201" / "cs" / "test_cs201_b_tls_network.py"
RAN = re.compile(r"::test_(TC_B_\d+_CS)\S* PASSED", re.MULTILINE)

#: A pytest plugin that runs the collected cases sorted by name (reversed if asked).
ORDERING = """
import os


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name, reverse=bool(os.environ.get("REVERSED_ORDER")))
"""


@pytest.mark.timeout(300)
@pytest.mark.parametrize("reverse", [False, True], ids=["b47_first", "b50_first"])
def test_new_root_cases_pass_in_either_order_and_again_on_one_station(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    """Both cases pass twice each on one A-S2 station, whichever comes first."""
    profile = mutant_profile(tmp_path, "station-2.0.1-serial-rig", (), timing=SELFTEST_TIMING)
    pytester.makepyfile(root_case_order=ORDERING)
    if reverse:
        monkeypatch.setenv("REVERSED_ORDER", "1")
    result = pytester.runpytest_subprocess(
        str(CASES),
        str(CASES),
        "--keep-duplicates",
        f"--dut={profile}",
        "--dut-lifetime=run",
        "-p",
        "root_case_order",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "-v",
        "--timeout=120",
        timeout=280,
    )
    result.assert_outcomes(passed=4)
    ran = RAN.findall(result.stdout.str())
    first, second = ("TC_B_50_CS", "TC_B_47_CS") if reverse else ("TC_B_47_CS", "TC_B_50_CS")
    assert ran == [first, first, second, second], result.stdout.str()[-3000:]
