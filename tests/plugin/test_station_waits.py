"""Waiting for a real station: what the terminal says, and a station that never connects.

Each test runs a small suite with pytester against a profile whose station is
absent or connects under another identity.
"""

from __future__ import annotations

import re
import textwrap

import pytest

PROFILE = """
[dut]
name = "Absent station"
role = "station"
ocpp_version = "2.0.1"
identity = "BENCH-CS-1"

[connection]
host = "127.0.0.1"
port = 0

[timing]
message_timeout = 1
connect_timeout = 3
boot_timeout = 3

[rig]
backend = "none"
"""

WRONG_IDENTITY = '''
import pytest

from harness.transport import connect_station


@pytest.fixture(scope="session")
async def impostor(csms_role, dut):
    """A station that connects to the right URL under another identity."""
    channel = await connect_station(csms_role.url, "OTHER-7", [dut.version], timeout=3)
    yield channel
    await channel.close()
'''


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", dut=PROFILE)
    pytester.makeini(
        """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
        """
    )
    pytester.makeconftest(textwrap.dedent(WRONG_IDENTITY))
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "-rE", "--durations=0", "-vv", *args, timeout=60
    )


def test_a_station_that_never_connected_errors_the_following_cases_at_once(
    suite: pytest.Pytester,
) -> None:
    """The first case waits and ERRORs naming the URL; the next ones ERROR at once, without waiting."""  # noqa: E501
    suite.makepyfile(
        test_absent="""
        async def test_first(csms):
            pass

        async def test_second(csms):
            pass

        async def test_third(csms):
            pass
        """
    )
    result = run(suite)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*ERROR*test_first*did not connect to ws://127.0.0.1:*/BENCH-CS-1 within 3 s*",
            "*ERROR*test_second*the station never connected*",
            "*ERROR*test_third*the station never connected*",
        ]
    )
    for name in ("test_second", "test_third"):
        setup = re.search(rf"(\d+\.\d+)s setup .*{name}", result.stdout.str())
        assert setup is not None, f"no setup duration for {name}"
        assert float(setup.group(1)) < 1.0, f"{name} waited for the station again"


def test_the_wait_shows_the_url_identity_and_time_left(suite: pytest.Pytester) -> None:
    """While waiting, the terminal says where the station must connect, as whom, and how long is left."""  # noqa: E501
    suite.makepyfile(
        test_wait="""
        async def test_needs_station(csms):
            pass
        """
    )
    result = run(suite)
    result.stdout.fnmatch_lines(
        [
            "*waiting for the charging station 'BENCH-CS-1' to connect to "
            "ws://127.0.0.1:*/BENCH-CS-1*BootNotification*3 s left*"
        ]
    )


def test_a_station_with_the_wrong_identity_is_named(suite: pytest.Pytester) -> None:
    """A connection under another identity is named in the wait and in the ERROR."""
    suite.makepyfile(
        test_impostor="""
        async def test_needs_station(impostor, csms):
            pass
        """
    )
    result = run(suite)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*connected as 'OTHER-7'*not as the profile's identity*"])
