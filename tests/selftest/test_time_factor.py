"""A mutant that answers late still fails when ``--time-factor`` stretches the judge's timeouts.

The judge waits ``message_timeout * factor`` for an answer; the embedded
simulators stretch their own timers by the same factor, so a ``reply_late``
mutant stays later than the judge waits at any factor.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.selftest.conftest import TESTCASES, mutant_profile, run_subprocess

FACTOR = "3"


def late_mutant(tmp_path: Path, builtin: str, fault: str) -> Path:
    """A mutant of ``builtin`` with a 1 s message timeout, so the test stays short."""
    path = mutant_profile(tmp_path, builtin, [fault])
    text, count = re.subn(
        r"(?m)^message_timeout\s*=.*$", "message_timeout = 1", path.read_text(encoding="utf-8")
    )
    assert count == 1, f"builtin profile {builtin} has no message_timeout line"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "builtin", "folder", "fault"),
    [
        pytest.param(
            "TC_B_01_CSMS", "csms-2.0.1", "v201/csms", "reply_late:BootNotification", id="csms"
        ),
        pytest.param(
            "TC_B_06_CS", "station-2.0.1", "v201/cs", "reply_late:GetVariables", id="station"
        ),
    ],
)
def test_a_late_reply_mutant_fails_at_time_factor_3(
    pytester: pytest.Pytester, tmp_path: Path, case: str, builtin: str, folder: str, fault: str
) -> None:
    """At --time-factor 3 a reply_late mutant still answers after the judge stopped waiting."""
    result = run_subprocess(
        pytester,
        [TESTCASES / folder],
        dut=late_mutant(tmp_path, builtin, fault),
        select=case,
        extra=[f"--time-factor={FACTOR}"],
        timeout=120,
    )
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert any(line.startswith("FAILED ") and case in line for line in output.splitlines())
    assert "3 s" in output, "the failure should name the stretched timeout"
