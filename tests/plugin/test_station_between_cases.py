"""A station that stays between cases, as on a bench: the start, the clean-up, a failed clean-up.

Each test runs a small suite with pytester against the embedded reference
station (one for the run) or against a station made of a harness session that
stays connected, and checks what the user would see.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def _suite(pytester: pytest.Pytester, conftest: str = "") -> pytest.Pytester:
    pytester.makeconftest(textwrap.dedent(conftest))
    pytester.makeini(INI)
    return pytester


def _run(pytester: pytest.Pytester, dut: str, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        f"--dut={dut}",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "-rfE",
        *args,
        timeout=120,
    )


def _builtin_copy(pytester: pytest.Pytester, name: str, **timing: float) -> str:
    """A builtin profile with some ``[timing]`` values replaced, as a file in the suite."""
    text = _builtin_dir().joinpath(f"{name}.toml").read_text(encoding="utf-8")
    for key, value in timing.items():
        text, count = re.subn(rf"(?m)^{key}\s*=.*$", f"{key} = {value:g}", text)
        assert count == 1, f"{name} has no {key}"
    path = pytester.path / f"{name}-copy.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


SAME_STATION = """
SEEN = []


async def test_first(csms, embedded_dut):
    SEEN.append(embedded_dut.station)
    await csms.call("GetConfiguration", {"key": ["HeartbeatInterval"]})


async def test_second(csms, embedded_dut):
    SEEN.append(embedded_dut.station)
    await csms.call("GetConfiguration", {"key": ["HeartbeatInterval"]})
    boots = [c for c in csms.inbound if c.action == "BootNotification"]
    assert SEEN[0] is SEEN[1], "the embedded station was relaunched"
    assert not boots, "the station booted again"
"""


def test_the_embedded_station_runs_once_for_the_whole_run(pytester: pytest.Pytester) -> None:
    """By default one embedded station serves every test, without rebooting between them."""
    _suite(pytester).makepyfile(test_same=SAME_STATION)
    _run(pytester, "builtin:station-1.6").assert_outcomes(passed=2)


def test_the_per_test_lifetime_relaunches_the_embedded_station(pytester: pytest.Pytester) -> None:
    """``--dut-lifetime=test`` (mutant self-tests) gives each test a fresh station."""
    _suite(pytester).makepyfile(test_same=SAME_STATION)
    result = _run(pytester, "builtin:station-1.6", "--dut-lifetime=test")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the embedded station was relaunched*"])


STAYING_STATION = '''
import asyncio

import pytest

from harness.ocppj.versions import Role
from harness.session import Session
from harness.transport import connect_station

BOOT = {"chargePointVendor": "Bench", "chargePointModel": "Stays"}


@pytest.fixture(scope="session")
async def bench(csms_role, dut):
    """A 1.6 charge point that connects and boots once, and stays connected for the run."""
    channel = await connect_station(csms_role.url, dut.identity, [dut.version], timeout=3)
    station = Session.open(channel, dut.version, Role.STATION, identity=dut.identity,
                           message_timeout=2)

    async def boot():
        await station.call("BootNotification", BOOT)
        for number in (0, 1):
            await station.call("StatusNotification", {
                "connectorId": number, "errorCode": "NoError", "status": "Available"})

    task = asyncio.ensure_future(boot())
    yield station
    task.cancel()
    await station.close()
'''

V16_PROFILE = """
[dut]
name = "A charge point that stays"
role = "station"
ocpp_version = "1.6"
identity = "BENCH-16"

[connection]
host = "127.0.0.1"
port = 0

[[evse]]
id = 1
connectors = [1]

[timing]
message_timeout = 1
connect_timeout = 3
boot_timeout = 3

[rig]
backend = "none"
"""


def test_a_case_starts_from_the_station_as_it_is(pytester: pytest.Pytester) -> None:
    """The Booted state of a 1.6 case does not wait for a fresh BootNotification from a station that stays."""  # noqa: E501
    _suite(pytester, STAYING_STATION).makepyfile(
        test_booted="""
        from harness.flows.v16.cs import booted

        async def test_first_case(bench, csms, dut):
            await booted(csms, dut)

        async def test_second_case(bench, csms, dut):
            await booted(csms, dut)
        """
    )
    pytester.makefile(".toml", dut=V16_PROFILE)
    _run(pytester, "dut.toml").assert_outcomes(passed=2)


LEAVES_A_MESS = """
import pytest

from harness.expect import Pattern

KEPT = {}


async def test_leaves_everything_behind(csms, rig, dut, embedded_dut):
    KEPT["station"] = embedded_dut.station
    reply = await csms.call("GetConfiguration", {"key": ["MeterValueSampleInterval"]})
    KEPT["value"] = reply.payload["configurationKey"][0]["value"]
    await csms.call("ChangeConfiguration", {"key": "MeterValueSampleInterval", "value": "77"},
                    status="Accepted")
    await csms.call("ChangeAvailability", {"connectorId": 1, "type": "Inoperative"},
                    status="Accepted")
    await rig.plug_in(2, 2)
    await csms.call("RemoteStartTransaction", {"connectorId": 2, "idTag": dut.tokens.valid},
                    status="Accepted")
    await csms.expect("StartTransaction", match={"connectorId": 2})
    raise AssertionError("the case fails with all of it left behind")


async def test_finds_the_station_idle(csms, embedded_dut):
    assert embedded_dut.station is KEPT["station"]
    reply = await csms.call("GetConfiguration", {"key": ["MeterValueSampleInterval"]})
    assert reply.payload["configurationKey"][0]["value"] == KEPT["value"]
    mark = csms.mark()
    for number in (1, 2):
        await csms.call("TriggerMessage", {"requestedMessage": "StatusNotification",
                                           "connectorId": number}, status="Accepted")
    await csms.expect_all(
        Pattern("StatusNotification", {"connectorId": 1, "status": "Available"}),
        Pattern("StatusNotification", {"connectorId": 2, "status": "Available"}),
        after=mark,
    )
"""


def test_what_a_case_leaves_behind_is_undone_whatever_its_verdict(
    pytester: pytest.Pytester,
) -> None:
    """A transaction, a cable, an inoperative connector and a changed key left by a FAILED case are undone; its verdict stays."""  # noqa: E501
    _suite(pytester).makepyfile(test_mess=LEAVES_A_MESS)
    allure_dir = pytester.path / "allure"
    result = _run(pytester, "builtin:station-1.6", f"--alluredir={allure_dir}")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: the case fails with all of it left behind"])
    steps = _step_names(allure_dir, "test_leaves_everything_behind")
    assert "Restore idle" in steps
    assert any("stop transaction" in s for s in steps), steps
    assert any("MeterValueSampleInterval back to" in s for s in steps), steps


def _step_names(allure_dir: Path, test: str) -> list[str]:
    """Every step name of a test in Allure's results, its fixtures' teardown included."""
    names: list[str] = []

    def walk(steps: list[dict[str, object]]) -> None:
        for item in steps:
            names.append(str(item.get("name")))
            walk(item.get("steps", []))  # type: ignore[arg-type]

    uuids = set()
    for path in allure_dir.glob("*-result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("name") == test:
            uuids.add(data["uuid"])
    for path in allure_dir.glob("*-container.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if uuids & set(data.get("children", [])):
            for after in data.get("afters", []):
                walk(after.get("steps", []))
    return names


def test_a_station_that_cannot_be_restored_errors_the_next_case_at_once(
    pytester: pytest.Pytester,
) -> None:
    """When idle cannot be restored, the next case is an ERROR naming why, without waiting again."""
    _suite(pytester).makepyfile(
        test_dark="""
        async def test_pulls_the_plug_behind_the_harness(csms, embedded_dut):
            await embedded_dut.station.power_off()

        async def test_next_case(csms):
            await csms.call("GetConfiguration", {})
        """
    )
    profile = _builtin_copy(pytester, "station-1.6", boot_timeout=1, message_timeout=1)
    result = _run(pytester, profile, "--durations=0", "-vv")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*StationNotIdle: the station could not be brought back to idle*"
            ": the station is not connected"
        ]
    )
    slow = re.search(r"(\d+\.\d+)s setup .*test_next_case", result.stdout.str())
    assert slow is not None
    assert float(slow.group(1)) < 1.0, "the next case waited"
