"""The ``rig`` fixture seen from a test suite: each backend from the profile, the log attached."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

PROFILE = """
[dut]
role = "station"
ocpp_version = "2.0.1"
identity = "RIG-FIXTURE-1"

[timing]
connect_timeout = 3

[[evse]]
id = 1
connectors = [1]

[[evse]]
id = 2
connectors = [1]

[rig]
{rig}
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def run_suite(pytester: pytest.Pytester, rig: str, tests: str, *args: str) -> pytest.RunResult:
    pytester.makefile(".toml", dut=PROFILE.format(rig=textwrap.dedent(rig)))
    pytester.makeini(INI)
    pytester.makepyfile(test_rig_suite=textwrap.dedent(tests))
    return pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "-rs", *args, timeout=60
    )


@pytest.fixture
def emulator_url() -> Iterator[str]:
    """A standalone rig emulator process on TCP (the ``rig-emulator`` command)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.rig.emulator_cli", "--tcp", "127.0.0.1:0",
         "--connectors", "2", "--duration", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.startswith("rig emulator ready: "), ready
        yield ready.split(": ", 1)[1].strip()
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_serial_backend_drives_the_rig_and_attaches_its_log(
    pytester: pytest.Pytester, emulator_url: str
) -> None:
    """backend = serial: operations become RIGP commands; SAFE at teardown; log in Allure."""
    rig = f"""
    backend = "serial"
    port = "{emulator_url}"
    [rig.options]
    timeout = 1
    power_off_s = 0
    """
    tests = """
    from harness.rig import Capability, EvState

    async def test_charge(rig):
        rig.require(Capability.PLUG, Capability.EV_STATE)
        await rig.plug_in(2, 1)
        await rig.ev_state(EvState.C, 2, 1)
        await rig.power_cycle()
    """
    result = run_suite(pytester, rig, tests, "--alluredir=allure")
    result.assert_outcomes(passed=1)
    logs = [p.read_text() for p in Path(pytester.path, "allure").glob("*-attachment.txt")]
    log = next(text for text in logs if text.startswith("rig log:"))
    for line in ("> PROTO?", "> PLUG IN 2", "! !EVT CP c=2 from=B to=C", "> MAINS OFF", "> SAFE"):
        assert line in log


def test_the_serial_backend_reports_an_absent_rig_as_an_error(pytester: pytest.Pytester) -> None:
    """An unreachable rig port is an ERROR of the test (rig error), never a failure."""
    result = run_suite(
        pytester,
        'backend = "serial"\nport = "/nonexistent/ttyRIG9"',
        "async def test_x(rig):\n    pass\n",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*RigPortNotFound: rig port /nonexistent/ttyRIG9 not found*"])


def test_the_none_backend_skips_as_not_run(pytester: pytest.Pytester) -> None:
    """backend = none: a test that needs the rig is skipped, whether it asks first or not."""
    tests = """
    from harness.rig import Capability

    async def test_asks(rig):
        rig.require(Capability.CARD)

    async def test_just_acts(rig):
        await rig.power_cycle()
    """
    result = run_suite(pytester, 'backend = "none"', tests)
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(
        [
            "*not run: the none rig cannot present a card (card)*",
            "*not run: the profile has no rig*to cycle mains power*",
        ]
    )


def test_the_hooks_backend_runs_the_profiles_commands(pytester: pytest.Pytester) -> None:
    """backend = hooks: each action runs its command; a failing hook is a rig ERROR."""
    rig = """
    backend = "hooks"
    [rig.hooks]
    plug_in = "echo plug {evse} {connector} >> hooks.log"
    power_off = "echo 'breaker jammed' >&2; exit 4"
    """
    tests = """
    async def test_plug(rig):
        await rig.plug_in(2, 1)

    async def test_power(rig):
        await rig.power(False)
    """
    result = run_suite(pytester, rig, tests)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*RigError: rig hook power_off failed with exit status 4*"])
    assert Path(pytester.path, "hooks.log").read_text() == "plug 2 1\n"
