"""The self-tests' fork server runs pytest as a fresh subprocess would, only faster to start."""

from __future__ import annotations

import pytest

from tests.selftest.conftest import _run_pytest

SUITE = """
import os
from pathlib import Path


def test_sees_its_own_folder_and_environment():
    assert Path.cwd() == Path(os.environ["EXPECTED_CWD"])
    assert os.environ["OCPP_FORK_MARK"] == "seen"


def test_fails():
    raise AssertionError("the failure text travels back")
"""


def test_a_forked_run_has_the_callers_folder_environment_output_and_exit_code(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child runs in the pytester folder with the caller's environment; outcomes come back."""
    monkeypatch.setenv("OCPP_FORK_MARK", "seen")
    monkeypatch.setenv("EXPECTED_CWD", str(pytester.path))
    pytester.makepyfile(test_forked=SUITE)
    result = _run_pytest(pytester, "-p", "no:cacheprovider", "-o", "addopts=", timeout=60)
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*the failure text travels back*"])


def test_a_run_past_its_bound_is_killed_and_reported_as_a_timeout(
    pytester: pytest.Pytester,
) -> None:
    """A child that outlives its timeout is killed; the caller gets TimeoutExpired, not a hang."""
    pytester.makepyfile(test_slow="import time\n\ndef test_slow():\n    time.sleep(30)\n")
    with pytest.raises(pytest.Pytester.TimeoutExpired):
        _run_pytest(pytester, "-p", "no:cacheprovider", "-o", "addopts=", timeout=1)
