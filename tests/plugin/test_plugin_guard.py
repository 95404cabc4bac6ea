"""The per-test guard of certification cases comes from the DUT profile, never a fixed limit.

The suite runs with the project's own pytest settings (``[tool.pytest.ini_options]``
of pyproject.toml), as a user running the cases from this repository does.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: A real charger's timings: long boots and heartbeats, far beyond 120 s.
LONG_TIMINGS = """
[dut]
name = "Slow bench charger"
role = "station"
ocpp_version = "2.0.1"
identity = "SLOW-CS-1"

[connection]
host = "127.0.0.1"
port = 0

[timing]
message_timeout = 30
connect_timeout = 60
boot_timeout = 180
heartbeat_interval = 300
transaction_duration = 30
connection_timeout = 60

[rig]
backend = "none"
"""

#: connect + 3 boots + 4 heartbeats + EV connection timeout + transaction + 10 messages.
EXPECTED = 60 + 3 * 180 + 4 * 300 + 60 + 30 + 10 * 30

CASE = """
from harness.testcase import testcase

@testcase("TC_B_01_CS")
def test_case(request):
    marker = request.node.get_closest_marker("timeout")
    print("GUARD", marker.args if marker else None, "INI", repr(request.config.getini("timeout")))
"""


def _project_ini() -> str:
    """The repository's pytest settings, as a pyproject.toml of their own."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    options = settings["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for key, value in options.items():
        rendered = str(value).replace("'", '"') if isinstance(value, list) else repr(value)
        if isinstance(value, bool):
            rendered = str(value).lower()
        lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", dut=LONG_TIMINGS)
    (pytester.path / "pyproject.toml").write_text(_project_ini(), encoding="utf-8")
    pytester.makepyfile(test_guard=CASE)
    return pytester


def test_long_profile_timings_are_not_cut_at_120_seconds(suite: pytest.Pytester) -> None:
    """With the project's settings, a case's guard is the profile-derived one, well over 120 s."""
    result = suite.runpytest_subprocess("test_guard.py", "--dut=dut.toml", "-s", timeout=60)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*GUARD ({EXPECTED:.1f},) INI ''*"])


def test_time_factor_stretches_the_guard(suite: pytest.Pytester) -> None:
    """--time-factor multiplies the guard, as it multiplies every timer."""
    result = suite.runpytest_subprocess(
        "test_guard.py", "--dut=dut.toml", "-s", "--time-factor=2", timeout=60
    )
    result.stdout.fnmatch_lines([f"*GUARD ({2 * EXPECTED:.1f},)*"])


def test_timeout_from_the_environment_still_wins(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PYTEST_TIMEOUT, pytest-timeout's environment setting, is the user's choice too."""
    monkeypatch.setenv("PYTEST_TIMEOUT", "9")
    result = suite.runpytest_subprocess("test_guard.py", "--dut=dut.toml", "-s", timeout=60)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*GUARD None*"])


def test_user_timeout_still_wins(suite: pytest.Pytester) -> None:
    """A user's explicit --timeout replaces the profile-derived guard."""
    result = suite.runpytest_subprocess(
        "test_guard.py", "--dut=dut.toml", "-s", "--timeout=7", timeout=60
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*GUARD None INI ''*"])


def test_self_tests_keep_a_guard_of_their_own(request: pytest.FixtureRequest) -> None:
    """The project's own tests still get a per-test guard (from tests/conftest.py)."""
    marker = request.node.get_closest_marker("timeout")
    user_chose = request.config.getoption("timeout", None) is not None or bool(
        os.environ.get("PYTEST_TIMEOUT")
    )
    assert user_chose or (marker is not None and marker.args == (120.0,))
