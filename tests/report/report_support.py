"""The mini suite the report tests run: a basic-auth DUT profile, a device, seven tests.

As in ``tests/plugin``, the "device" is a harness station session connected to
the harness CSMS, so the reports are exercised without the simulators. The DUT
profile uses security profile 1 with a basic-auth password, which must appear
nowhere in what the run writes.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

SECRET = "Sup3r-S3cret-pw-4711"

PROFILE = f"""
[dut]
name = "Report test station"
role = "station"
ocpp_version = "2.0.1"
identity = "REPORT-CS-1"
vendor = "ProfileVendor"
model = "ProfileModel"
certification_profiles = ["Core"]

[connection]
host = "127.0.0.1"
port = 0
security_profile = 1
basic_auth_password = "{SECRET}"

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
    """A station made of a harness session, connected to the harness CSMS with basic auth."""
    password = dut.connection.basic_auth_password.reveal()
    channel = await connect_station(csms_role.url, dut.identity, [dut.version],
                                    password=password, timeout=3)
    session = Session.open(channel, dut.version, Role.STATION, identity=dut.identity,
                           message_timeout=1)
    yield session
    await session.close()

BOOT = {"reason": "PowerUp", "chargingStation": {
    "model": "BootModel", "vendorName": "BootVendor", "firmwareVersion": "fw-9.9"}}
'''

SUITE = """
from conftest import BOOT
from harness import step, testcase
from harness.rig import Capability


@testcase("TC_B_01_CS")
async def test_boot_passes(device, csms):
    with step("1. The station sends BootNotification"):
        await device.call("BootNotification", BOOT)
        boot = await csms.expect("BootNotification")
        assert boot.payload["reason"] == "PowerUp"


@testcase("TC_B_02_CS")
async def test_status_fails(device, csms):
    with step("1. The station reports Available"):
        await device.call("StatusNotification", {
            "timestamp": "2024-01-01T00:00:00Z", "connectorStatus": "Occupied",
            "evseId": 1, "connectorId": 1})
        await csms.expect("StatusNotification", match={"connectorStatus": "Available"},
                          timeout=0.3)


@testcase("TC_B_03_CS", requires=("reservation",))
async def test_not_applicable(csms):
    pass


@testcase("TC_P_01_CS")
async def test_secret_in_a_frame_and_a_schema_finding(device, csms):
    await device.send_raw('[2,"dt1","DataTransfer",{"vendorId":"%s","bogus":1}]' % "{secret}")
    await csms.expect("DataTransfer", allow_invalid=True)


@testcase("TC_B_06_CS")
async def test_rig_cannot(rig):
    rig.require(Capability.PLUG)


@testcase("TC_001_CS")
def test_other_version():
    pass


def test_without_testcase():
    pass
""".replace("{secret}", SECRET)


def make_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """Lay out the mini suite: profile, conftest with the device, ini, test module."""
    pytester.makefile(".toml", dut=PROFILE)
    pytester.makeconftest(textwrap.dedent(DEVICE))
    pytester.makeini(
        """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
        ocpp_catalog_url = https://catalog.example/ocpp/{}
        ocpp_reports_dir = out
        ocpp_dut_lifetime = test
        """
    )
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run the mini suite in a subprocess with Allure results and JUnit XML."""
    return pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "--alluredir=results",
        "--junitxml=junit.xml", *args, timeout=90,
    )  # fmt: skip


def results(path: Path) -> dict[str, dict[str, Any]]:
    """The Allure results of a run, by test function name."""
    out = {}
    for file in path.glob("*-result.json"):
        data = json.loads(file.read_text(encoding="utf-8"))
        out[data["name"]] = data
    return out
