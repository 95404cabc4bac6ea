"""The plugin seen from the outside: what a user sees when running test cases.

Each test runs a small suite with pytester against a "device" made of a
harness station session, so the plugin is exercised without the simulators.
"""

from __future__ import annotations

import textwrap

import pytest

PROFILE = """
[dut]
name = "Plugin test station"
role = "station"
ocpp_version = "2.0.1"
identity = "PLUGIN-CS-1"

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

DEVICE = '''
import pytest

from harness.ocppj.versions import Role
from harness.session import Session
from harness.transport import connect_station


@pytest.fixture
async def device(csms_role, csms_trace, dut):
    """A station made of a harness session, connected to the harness CSMS."""
    channel = await connect_station(csms_role.url, dut.identity, [dut.version], timeout=3)
    session = Session.open(channel, dut.version, Role.STATION, identity=dut.identity,
                           message_timeout=1)
    yield session
    await session.close()

BOOT = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}
'''


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", dut=PROFILE)
    pytester.makeconftest(textwrap.dedent(DEVICE))
    pytester.makeini(
        """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
        """
    )
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "-p", "no:randomly", *args, timeout=60
    )


def test_missed_expectation_explains_itself(suite: pytest.Pytester) -> None:
    """A missed expectation FAILS naming what was awaited, how long, the candidates, the trace."""
    suite.makepyfile(
        test_missed="""
        from conftest import BOOT

        async def test_status_never_comes(device, csms):
            await device.call("BootNotification", BOOT)
            await device.call("StatusNotification", {
                "timestamp": "2024-01-01T00:00:00Z", "connectorStatus": "Occupied",
                "evseId": 1, "connectorId": 1})
            await csms.expect("BootNotification")
            await csms.expect("StatusNotification", match={"connectorStatus": "Available"},
                              timeout=0.3)
        """
    )
    result = run(suite)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ExpectationFailed: Expected StatusNotification with"
            ' {"connectorStatus": "Available"} for 0.3 s; it did not arrive.',
            "*Nearest candidates received:",
            '*< [[]2,"*","StatusNotification",{*"connectorStatus":"Occupied"*',
            '*$.connectorStatus: expected "Available", got "Occupied"',
            "*OCPP trace: PLUGIN-CS-1 <-> harness CSMS*",
        ]
    )


def test_invalid_frame_fails_a_passing_test(suite: pytest.Pytester) -> None:
    """A schema-breaking frame from the device fails the test even if no step looked at it."""
    suite.makepyfile(
        test_findings="""
        async def test_quiet(device, csms):
            await device.send_raw('[2,"m1","Heartbeat",{"unexpected":1}]')
            await csms.expect("Heartbeat", allow_invalid=True)
        """
    )
    result = run(suite)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*ProtocolViolation: Frames from the device broke the OCPP-J rules or schemas:*"]
    )


def test_cases_of_another_dut_are_deselected_and_missing_features_skipped(
    suite: pytest.Pytester,
) -> None:
    """A case for another version or role under test is deselected, not skipped, so the
    run's counts speak of this DUT; a feature the profile lacks is skipped as not applicable."""
    suite.makepyfile(
        test_na="""
        from harness.testcase import testcase

        @testcase("TC_001_CS")
        def test_other_version():
            pass

        @testcase("TC_B_01_CSMS")
        def test_other_role():
            pass

        @testcase("TC_B_01_CS", requires=("reservation",))
        def test_missing_feature():
            pass
        """
    )
    result = run(suite, "-rs")
    result.assert_outcomes(skipped=1, deselected=2)
    result.stdout.fnmatch_lines(["*not applicable: the DUT profile does not declare reservation*"])
    assert "TC_001_CS" not in result.stdout.str()


def test_a_run_with_only_other_duts_cases_exits_no_tests_collected(suite: pytest.Pytester) -> None:
    """When every case is for another DUT, all are deselected and pytest exits 5, not 0 or 1."""
    suite.makepyfile(
        test_other="""
        from harness.testcase import testcase

        @testcase("TC_001_CS")
        def test_other_version():
            pass
        """
    )
    result = run(suite)
    result.assert_outcomes(deselected=1)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_header_names_dut_role_version_and_rig(suite: pytest.Pytester) -> None:
    """The report header says which DUT, role, version, security profile and rig are in use."""
    suite.makepyfile(test_nothing="def test_ok():\n    pass\n")
    result = run(suite)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "ocpp-harness DUT: Plugin test station [[]*dut.toml[]]",
            "*DUT is a station; the harness plays the CSMS; OCPP 2.0.1; security profile 0;"
            " identity PLUGIN-CS-1",
            "*rig: none; time factor 1",
        ]
    )


def test_broken_profile_is_a_usage_error_naming_the_field(suite: pytest.Pytester) -> None:
    """A wrong profile value stops the run before any test, naming the field and allowed values."""
    suite.makefile(".toml", bad=PROFILE.replace('ocpp_version = "2.0.1"', 'ocpp_version = "3"'))
    suite.makepyfile(test_nothing="def test_ok():\n    pass\n")
    result = suite.runpytest_subprocess("--dut=bad.toml", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ocpp_version*3*1.6*2.0.1*2.1*"])


def test_station_that_never_connects_is_an_error_not_a_failure(suite: pytest.Pytester) -> None:
    """No station connecting within the connect timeout is a harness ERROR that names the URL."""
    suite.makepyfile(
        test_absent="""
        async def test_needs_station(csms):
            pass
        """
    )
    result = run(suite)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*TransportError*PLUGIN-CS-1*did not connect*within 3 s*"])


def test_harness_error_in_the_test_body_is_an_error_not_a_failure(suite: pytest.Pytester) -> None:
    """A harness or rig problem raised by a step is reported ERROR; only the DUT makes FAILED."""
    suite.makepyfile(
        test_broken="""
        from harness.errors import RigError

        async def test_rig_breaks(device, csms):
            raise RigError("the rig on /dev/ttyUSB0 stopped answering")

        async def test_device_breaks(device, csms):
            await csms.expect("Heartbeat", timeout=0.1)
        """
    )
    result = run(suite)
    result.assert_outcomes(errors=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*FAILED*test_device_breaks*ExpectationFailed*", "*ERROR*test_rig_breaks*RigError*"]
    )


def test_cases_get_a_last_resort_timeout_unless_the_user_set_one(suite: pytest.Pytester) -> None:
    """Certification cases carry a generous per-test timeout marker; a user's choice wins."""
    suite.makepyfile(
        test_guard="""
        from harness.testcase import testcase

        @testcase("TC_B_01_CS")
        def test_case(request):
            marker = request.node.get_closest_marker("timeout")
            print("GUARD", marker.args if marker else None)
        """
    )
    result = run(suite, "-s")
    result.assert_outcomes(passed=1)
    # connect 3 s + 3 boots of 3 s + 4 heartbeats of 300 s + EV connection 60 s
    # + transaction 10 s + 10 messages of 1 s
    result.stdout.fnmatch_lines(["*GUARD (1292.0,)*"])
    result = run(suite, "-s", "--timeout=7")
    result.stdout.fnmatch_lines(["*GUARD None*"])
