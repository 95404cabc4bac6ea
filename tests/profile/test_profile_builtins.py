"""The builtin profiles load, describe the embedded simulators, and are found by name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import harness.profile
from harness.errors import ConfigurationError
from harness.ocppj.versions import OcppVersion, Role
from harness.profile import DEFAULT_PROFILE, DutProfile, builtin_profiles, resolve_profile

EXPECTED_BUILTINS = [
    "csms-1.6",
    "csms-2.0.1",
    "station-1.6",
    "station-1.6-fixed-cable",
    "station-1.6-serial-rig",
    "station-2.0.1",
    "station-2.0.1-basic-auth",
    "station-2.0.1-serial-rig",
]


def test_exports_are_the_documented_api() -> None:
    """The package exports exactly the documented names, and each of them exists."""
    assert sorted(harness.profile.__all__) == sorted(
        [
            "DEFAULT_PROFILE",
            "MASK",
            "Connection",
            "DutProfile",
            "Embedded",
            "Evse",
            "FaultReport",
            "FaultReports",
            "RigSettings",
            "Secret",
            "Timing",
            "Tokens",
            "Trigger",
            "builtin_profiles",
            "load_profile",
            "mask",
            "parse_profile",
            "register_secret",
            "resolve_profile",
        ]
    )
    for name in harness.profile.__all__:
        assert hasattr(harness.profile, name), name


def test_builtin_profiles_are_listed() -> None:
    """builtin_profiles() names every TOML file shipped in harness/profile/builtin."""
    assert builtin_profiles() == EXPECTED_BUILTINS


@pytest.mark.parametrize("name", EXPECTED_BUILTINS)
def test_every_builtin_loads_with_short_timings(name: str) -> None:
    """Each builtin profile is valid, embedded, and uses the short simulator timings."""
    profile = resolve_profile(f"builtin:{name}")
    assert isinstance(profile, DutProfile)
    assert profile.source == f"builtin:{name}"
    assert profile.embedded is not None
    assert profile.embedded.simulator == profile.role.value
    assert profile.certification_profiles == {"Core"}
    timing = profile.timing
    assert (timing.boot_timeout, timing.connect_timeout) == (10, 10)
    # Short intervals keep the suite fast: heartbeats and the retry interval of a
    # rejected boot follow heartbeat_interval.
    assert timing.message_timeout <= 5
    assert timing.transaction_duration == 2
    if profile.role.value == "station":
        assert timing.heartbeat_interval <= 4
    else:
        assert timing.heartbeat_interval == 60
    tokens = profile.tokens
    assert None not in (tokens.valid, tokens.valid2, tokens.invalid, tokens.blocked)
    assert None not in (tokens.expired, tokens.group_member, tokens.group_id)


def test_default_profile_is_the_201_station_simulator() -> None:
    """The default profile tests the embedded 2.0.1 station with one EVSE and connector."""
    profile = resolve_profile(DEFAULT_PROFILE)
    assert profile.role is Role.STATION
    assert profile.version is OcppVersion.V201
    assert profile.connectors == ((1, 1),)
    assert profile.rig.backend == "sim"
    assert profile.connection.security_profile == 0


def test_16_station_has_two_station_wide_connectors() -> None:
    """The 1.6 station simulator has connectors 1 and 2, one per EVSE."""
    profile = resolve_profile("builtin:station-1.6")
    assert profile.version is OcppVersion.V16
    assert profile.connectors == ((1, 1), (2, 2))


@pytest.mark.parametrize("name", ["csms-1.6", "csms-2.0.1"])
def test_csms_builtins_need_no_url_and_trigger_the_simulator(name: str) -> None:
    """A CSMS builtin runs embedded: no URL, and operations are triggered on the simulator."""
    profile = resolve_profile(f"builtin:{name}")
    assert profile.role is Role.CSMS
    assert profile.connection.url is None
    assert profile.trigger.kind == "sim"


def test_basic_auth_builtin_has_a_literal_password() -> None:
    """The basic-auth builtin uses security profile 1 with a literal, masked password."""
    profile = resolve_profile("builtin:station-2.0.1-basic-auth")
    password = profile.connection.basic_auth_password
    assert profile.connection.security_profile == 1
    assert password is not None
    assert password.source == "literal"
    assert password.reveal() not in repr(profile)


def test_unknown_builtin_lists_the_known_ones() -> None:
    """A misspelt builtin name fails with the list of builtin profiles."""
    with pytest.raises(ConfigurationError) as info:
        resolve_profile("builtin:station-2.0")
    message = str(info.value)
    assert "unknown builtin DUT profile 'builtin:station-2.0'" in message
    assert "expected one of builtin:csms-1.6, builtin:csms-2.0.1, builtin:station-1.6" in message


@pytest.mark.parametrize("spec", ["", "   "])
def test_empty_spec_is_refused(spec: str) -> None:
    """An empty profile name is a configuration error that shows an example."""
    with pytest.raises(ConfigurationError, match=re.escape(DEFAULT_PROFILE)):
        resolve_profile(spec)


def test_resolve_accepts_a_file_path(write_profile: Callable[..., Path]) -> None:
    """A spec without the builtin: prefix is read as a file path, named after the file."""
    path = write_profile(
        '[dut]\nrole = "station"\nocpp_version = "1.6"\nidentity = "CP7"\n', "bench-7.toml"
    )
    profile = resolve_profile(str(path))
    assert profile.source == str(path)
    assert profile.name == "bench-7"
    assert profile.version is OcppVersion.V16
