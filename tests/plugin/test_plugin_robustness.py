"""Reports that hold whatever the device sends and whatever breaks: JUnit, Allure, terminal.

Each test runs a small suite with pytester (see test_plugin_outcomes.py for
the "device" made of a harness session) and reads the files it wrote.
"""

from __future__ import annotations

import json
import socket
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_plugin_outcomes import DEVICE, PROFILE

PASSWORD = "Zq7-bench-pw"
TOKEN = "Q1AwMDE6WnE3LWJlbmNoLXB3"  # base64 of "CP001:Zq7-bench-pw"

CSMS_PROFILE = """
[dut]
name = "Unreachable CSMS"
role = "csms"
ocpp_version = "2.0.1"
identity = "CP001"

[connection]
url = "ws://127.0.0.1:{port}/ocpp"
security_profile = 1
basic_auth_password = "{password}"

[[evse]]
id = 1
connectors = [1]

[timing]
message_timeout = 1
connect_timeout = 2

[rig]
backend = "none"
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", dut=PROFILE)
    pytester.makeconftest(textwrap.dedent(DEVICE))
    pytester.makeini(INI)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "--dut=dut.toml",
        "-p",
        "no:cacheprovider",
        "--junitxml=junit.xml",
        "--alluredir=allure",
        *args,
        timeout=60,
    )


def junit_cases(path: Path) -> dict[str, ET.Element]:
    return {case.attrib["name"]: case for case in ET.parse(path).getroot().iter("testcase")}


def allure_results(directory: Path) -> list[dict[str, object]]:
    """Every result file Allure wrote, parsed: each must be valid UTF-8 JSON."""
    return [
        json.loads(path.read_bytes().decode("utf-8"))
        for path in sorted(directory.glob("*-result.json"))
    ]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_harness_errors_are_errors_in_junit(suite: pytest.Pytester, workers: list[str]) -> None:
    """A rig or transport failure in a test body is <error> in JUnit; the DUT's is <failure>."""
    suite.makepyfile(
        test_broken="""
        from harness.errors import RigError, TransportError

        async def test_rig_breaks(device, csms):
            raise RigError("the rig on /dev/ttyUSB0 stopped answering")

        async def test_rig_drops(device, csms):
            raise TransportError("rig link dropped mid-test")

        async def test_device_breaks(device, csms):
            await csms.expect("Heartbeat", timeout=0.1)
        """
    )
    result = run(suite, *workers)
    result.assert_outcomes(errors=2, failed=1)
    cases = junit_cases(suite.path / "junit.xml")
    for name in ("test_rig_breaks", "test_rig_drops"):
        assert [child.tag for child in cases[name] if child.tag in ("error", "failure")] == [
            "error"
        ]
    assert cases["test_device_breaks"].find("failure") is not None
    suite_node = ET.parse(suite.path / "junit.xml").getroot().find("testsuite")
    assert suite_node is not None
    assert (suite_node.attrib["errors"], suite_node.attrib["failures"]) == ("2", "1")


def test_unpaired_surrogate_from_the_device_does_not_crash_the_run(
    suite: pytest.Pytester,
) -> None:
    """A message id holding an unpaired surrogate is answered, and every report still gets written.

    The answer echoes the id with a JSON escape, so the device reads back the
    id it sent; later tests run; JUnit and Allure files are valid.
    """
    suite.makepyfile(
        test_surrogate=r"""
        async def test_surrogate_id(device, csms):
            await device.send_raw('[2,"x\\ud800","Heartbeat",{}]')
            await csms.expect("Heartbeat")
            await csms.expect_none("Heartbeat", during=0.2)
            answers = [e for e in device.trace if e.message_type == 3]
            assert [e.unique_id for e in answers] == ["x\ud800"]

        def test_plain_assertion_quoting_the_device():
            raise AssertionError("the device sent x\ud800")

        async def test_later_test_still_runs(device, csms):
            await device.send_raw('[2,"m2","Heartbeat",{}]')
            await csms.expect("Heartbeat")
        """
    )
    result = run(suite)
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: the device sent x\\ud800*"])
    cases = junit_cases(suite.path / "junit.xml")
    assert set(cases) == {
        "test_surrogate_id",
        "test_plain_assertion_quoting_the_device",
        "test_later_test_still_runs",
    }
    statuses = {r["name"]: r["status"] for r in allure_results(suite.path / "allure")}
    assert statuses["test_later_test_still_runs"] == "passed"
    assert statuses["test_surrogate_id"] == "passed"
    for attachment in (suite.path / "allure").glob("*-attachment*"):
        attachment.read_bytes().decode("utf-8")


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_password_never_shows_when_the_csms_cannot_be_reached(pytester: pytest.Pytester) -> None:
    """A failed connection to the CSMS shows neither the password nor its Basic token anywhere.

    Even with ``-l`` (pytest shows every local variable) the terminal, JUnit
    and Allure show ``******`` instead.
    """
    pytester.makefile(".toml", dut=CSMS_PROFILE.format(port=_closed_port(), password=PASSWORD))
    pytester.makeini(INI)
    pytester.makepyfile(test_station="async def test_needs_csms(station):\n    pass\n")
    result = run(pytester, "-l", "--tb=long")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*TransportError*ws://127.0.0.1:*/ocpp/CP001*cannot connect*"])
    shown = [result.stdout.str(), result.stderr.str(), (pytester.path / "junit.xml").read_text()]
    shown += [path.read_text("utf-8") for path in (pytester.path / "allure").iterdir()]
    assert "password = Secret('******')" in result.stdout.str()
    for text in shown:
        assert PASSWORD not in text
        assert TOKEN not in text


def test_a_broken_should_is_a_remark_not_a_failure(suite: pytest.Pytester) -> None:
    """A second CALL while one is outstanding (OCPP-J: SHOULD NOT) passes, with a remark shown.

    The remark is in the terminal summary, a JUnit property, an Allure tag and
    an Allure attachment, citing the OCPP-J section.
    """
    suite.makepyfile(
        test_remark="""
        NOW = {"currentTime": "2024-01-01T00:00:00Z"}

        async def test_two_calls_at_once(device, csms):
            with csms.hold("Heartbeat"):
                await device.send_raw('[2,"h1","Heartbeat",{}]')
                await device.send_raw('[2,"h2","Heartbeat",{}]')
                first = await csms.expect("Heartbeat")
                second = await csms.expect("Heartbeat")
            await first.reply(NOW)
            await second.reply(NOW)
        """
    )
    result = run(suite)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*OCPP remarks (broken SHOULDs: reported, not failures)*",
            "*test_two_calls_at_once: concurrent-call x1 (OCPP-J §4.1.1 Synchronicity*",
        ]
    )
    case = junit_cases(suite.path / "junit.xml")["test_two_calls_at_once"]
    remarks = [
        p.attrib["value"] for p in case.iter("property") if p.attrib["name"] == "ocpp_remark"
    ]
    assert len(remarks) == 1
    assert remarks[0].startswith("concurrent-call x1 (OCPP-J §4.1.1")
    [result_json] = allure_results(suite.path / "allure")
    labels = result_json["labels"]
    assert isinstance(labels, list)
    assert {"name": "tag", "value": "remark: concurrent-call"} in labels
    attachments = result_json["attachments"]
    assert isinstance(attachments, list)
    names = [attachment["name"] for attachment in attachments]
    assert any(name.startswith("remarks ") for name in names)


def test_a_flood_of_garbage_makes_a_short_failure(suite: pytest.Pytester) -> None:
    """500 garbage frames fail the test with a capped message; the trace attachment keeps all."""
    suite.makepyfile(
        test_flood="""
        async def test_flood(device, csms):
            for n in range(500):
                await device.send_raw(f"garbage {n}")
            await device.send_raw('[2,"last","Heartbeat",{}]')
            await csms.expect("Heartbeat")
        """
    )
    result = run(suite)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ProtocolViolation: Frames from the device broke the OCPP-J rules or schemas:*",
            "*... and 480 more findings (all of them are in the trace attachment)*",
            "*... * earlier entries omitted*",
        ]
    )
    assert len(result.stdout.lines) < 1200  # uncapped: several lines per garbage frame, twice
    traces = [
        path.read_text("utf-8")
        for path in (suite.path / "allure").glob("*-attachment.json")
        if '"entries"' in path.read_text("utf-8")
    ]
    assert traces
    assert all(json.loads(text)["entries"] for text in traces)
    assert max(text.count("garbage ") for text in traces) >= 500


AUTH_PROFILE = PROFILE.replace(
    "[connection]\n", f'[connection]\nsecurity_profile = 1\nbasic_auth_password = "{PASSWORD}"\n'
).replace('identity = "PLUGIN-CS-1"', 'identity = "CP001"')

AUTH_DEVICE = """
import pytest

from harness.ocppj.versions import Role
from harness.session import Session
from harness.transport import connect_station


@pytest.fixture
async def device(csms_role, csms_trace, dut):
    channel = await connect_station(csms_role.url, dut.identity, [dut.version], timeout=3,
                                    password=dut.connection.basic_auth_password.reveal())
    session = Session.open(channel, dut.version, Role.STATION, identity=dut.identity)
    yield session
    await session.close()
"""


def test_debug_logs_of_the_handshake_never_show_the_basic_token(pytester: pytest.Pytester) -> None:
    """websockets logs every handshake header at DEBUG; live and captured logs show it masked."""
    pytester.makefile(".toml", dut=AUTH_PROFILE)
    pytester.makeconftest(AUTH_DEVICE)
    pytester.makeini(INI)
    pytester.makepyfile(
        test_auth="""
        async def test_fails_after_the_handshake(device, csms):
            await csms.expect("Heartbeat", timeout=0.1)
        """
    )
    result = run(pytester, "--log-level=DEBUG", "-o", "log_cli=true", "-o", "log_cli_level=DEBUG")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Authorization: Basic ******"])
    shown = [result.stdout.str(), (pytester.path / "junit.xml").read_text()]
    shown += [path.read_text("utf-8") for path in (pytester.path / "allure").iterdir()]
    for text in shown:
        assert PASSWORD not in text
        assert TOKEN not in text
