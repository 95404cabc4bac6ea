"""Applicability before the first step: PICS and rig needs on the marker, checked up front."""

from __future__ import annotations

import textwrap

import pytest

from harness.errors import UsageError
from harness.rig import Capability
from harness.testcase import testcase

PROFILE = """
[dut]
role = "station"
ocpp_version = "1.6"
identity = "APPLICABILITY-1"
features = ["fixed_cable"]

[timing]
connect_timeout = 3

[[evse]]
id = 1
connectors = [1]

[rig]
backend = "{backend}"
{hooks}
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""

# The bodies would fail if they ran: the skips must come before them.
TESTS = """
from harness.rig import Capability
from harness.testcase import testcase

BODY_RAN = "the body ran"


@testcase("TC_003_CS", rig=(Capability.PLUG, Capability.CARD))
def test_needs_a_plug_and_a_card():
    raise AssertionError(BODY_RAN)


@testcase("TC_005_1_CS", excludes=("fixed_cable",))
def test_ruled_out_by_a_fixed_cable():
    raise AssertionError(BODY_RAN)


@testcase("TC_001_CS", rig=("power",))
def test_needs_power(rig):
    raise AssertionError(BODY_RAN)


@testcase("TC_051_CS")
def test_in_the_reservation_feature_profile():
    raise AssertionError(BODY_RAN)
"""


def _run(pytester: pytest.Pytester, backend: str, hooks: str = "") -> pytest.RunResult:
    pytester.makefile(".toml", dut=PROFILE.format(backend=backend, hooks=hooks))
    pytester.makeini(INI)
    pytester.makepyfile(test_applicability_suite=textwrap.dedent(TESTS))
    return pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "-rs", "-o", "addopts=", timeout=60
    )


def test_a_rig_without_the_capability_skips_as_not_run_before_the_body(
    pytester: pytest.Pytester,
) -> None:
    """With no rig, cases needing one are skipped "not run:" up front; a PICS exclusion is "not applicable:"."""  # noqa: E501
    result = _run(pytester, "none")
    result.assert_outcomes(skipped=4)
    result.stdout.fnmatch_lines_random(
        [
            "*not run: the none rig cannot plug a cable, present a card (plug, card)*",
            "*not run: the none rig cannot switch the mains power (power)*",
            "*not applicable: the DUT profile declares fixed_cable*",
            "*not applicable: the DUT does not support the feature profile Reservation "
            "(flag reservation not in ?dut?.features*",
        ]
    )
    result.stdout.no_fnmatch_line("*the body ran*")


def test_hooks_decide_the_capabilities_before_the_rig_opens(pytester: pytest.Pytester) -> None:
    """A hooks rig with only plug hooks cannot present a card: not run, naming the card."""
    hooks = '[rig.hooks]\nplug_in = "true"\nplug_out = "true"\n'
    result = _run(pytester, "hooks", hooks)
    result.assert_outcomes(skipped=4)
    result.stdout.fnmatch_lines_random(["*not run: the hooks rig cannot present a card (card)*"])


def test_an_unknown_rig_capability_fails_where_the_marker_is_written() -> None:
    """A misspelt capability is a UsageError at import, naming the known ones."""
    with pytest.raises(UsageError, match="not a rig capability; known: plug"):
        testcase("TC_003_CS", rig=("plugg",))


def test_an_unknown_pics_flag_fails_where_the_marker_is_written() -> None:
    """A misspelt PICS flag in requires or excludes is a UsageError at import."""
    with pytest.raises(UsageError, match="'reservaton', which is not a PICS flag"):
        testcase("TC_003_CS", requires=("reservaton",))
    with pytest.raises(UsageError, match="not a PICS flag"):
        testcase("TC_003_CS", excludes=("fixed-cable",))


def test_a_16_case_requires_the_flag_of_its_feature_profile_from_the_catalogue() -> None:
    """A 1.6 case requires its catalogue feature profile's flag unwritten; Core needs none."""
    info = testcase("TC_046_1_CS").args[0]
    assert (info.feature_profile, info.requires) == ("Reservation", ("reservation",))
    info = testcase("TC_054_CS", requires=("remote_trigger", "fixed_cable")).args[0]
    assert info.requires == ("remote_trigger", "fixed_cable")
    assert testcase("TC_044_1_CSMS").args[0].requires == ("firmware_management",)
    assert testcase("TC_003_CS").args[0].requires == ()
    absent = testcase("TC_048_4_CS", excludes=("reservation",)).args[0]
    assert (absent.feature_profile, absent.requires) == (None, ())
    either = testcase("TC_042_1_CS", gated=False).args[0]
    assert (either.feature_profile, either.requires) == (None, ())
    assert testcase("TC_B_01_CS").args[0].feature_profile is None


def test_the_marker_carries_typed_capabilities() -> None:
    """Capabilities given by name are stored as Capability members, flags with values accepted."""
    mark = testcase("TC_E_09_CS", rig=("plug",), requires=("tx_start_point:EVConnected",))
    info = mark.args[0]
    assert info.rig == (Capability.PLUG,)
    assert info.requires == ("tx_start_point:EVConnected",)


#: Calls in a case's body and the rig capabilities each needs.
_NEEDS = {
    "flow.booted()": {Capability.POWER},
    "power_cycle": {Capability.POWER},
    "rig.power(": {Capability.POWER},
    "ev_connected_pre_session(": {Capability.PLUG},
    "rig.plug_in(": {Capability.PLUG},
    "rig.plug_out(": {Capability.PLUG},
    "plug_in(rig": {Capability.PLUG, Capability.EV_STATE},
    "rig.ev_state(": {Capability.EV_STATE},
    "energy_transfer_started(": {Capability.PLUG, Capability.EV_STATE},
    "authorized_local(": {Capability.CARD},
    "present_card(": {Capability.CARD},
    "await authorized(": {Capability.CARD},
    "await charging(": {Capability.PLUG, Capability.EV_STATE},
    "fault_injected(": {Capability.FAULT},
    "drive_in(": {Capability.PARKING},
    "drive_out(": {Capability.PARKING},
    "parking_bay_occupied(": {Capability.PARKING},
    "ev_side_disconnect_ends(": {Capability.PLUG, Capability.EV_STATE},
}


def test_every_station_case_declares_the_rig_capabilities_its_body_uses() -> None:
    """Each _CS case's marker lists every capability its steps use, so it is skipped up front."""
    import importlib
    import inspect
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    missing: list[str] = []
    for path in sorted((root / "testcases").glob("v*/cs/test_*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        module = importlib.import_module(name)
        for attribute, function in vars(module).items():
            marks = getattr(function, "pytestmark", [])
            infos = [m.args[0] for m in marks if m.name == "testcase"]
            if not attribute.startswith("test_") or not infos:
                continue
            source = inspect.getsource(function)
            needed: set[Capability] = set()
            for call, capabilities in _NEEDS.items():
                if call in source:
                    needed |= capabilities
            for capability in needed - set(infos[0].rig):
                missing.append(f"{infos[0].id}: {capability.value}")
    assert not missing, missing


def test_every_optional_16_feature_profile_has_a_documented_flag() -> None:
    """Each 1.6 feature profile but Core and Security has a flag, in the docs table."""
    from pathlib import Path

    from harness.catalog import entries
    from harness.ocppj.versions import OcppVersion
    from harness.testcase import FEATURE_PROFILE_FLAGS, PICS_FLAGS

    profiles = {e.profile for e in entries() if e.version is OcppVersion.V16}
    assert profiles - {"Core", "Security"} == set(FEATURE_PROFILE_FLAGS)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "profile.md").read_text("utf-8")
    for flag in FEATURE_PROFILE_FLAGS.values():
        assert flag in PICS_FLAGS
        assert f"| `{flag}` |" in docs
