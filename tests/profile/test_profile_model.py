"""The profile model answers the questions test cases ask, and cannot be changed."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

import pytest

from harness.ocppj.versions import OcppVersion, Role
from harness.profile import DutProfile, Evse, Timing, parse_profile
from harness.profile.model import FrozenMapping

FULL = """\
[dut]
name = "Bench charger"
role = "station"
ocpp_version = "2.0.1"
identity = "BENCH-01"
vendor = "Acme"
model = "Volt 22"
firmware = "4.2.0"
serial = "SN-1"
features = ["reservation", "tx_start_point:PowerPathClosed"]
certification_profiles = ["Core", "Reservation"]

[connection]
host = "0.0.0.0"
port = 9000

[[evse]]
id = 1
connectors = [1, 2]

[[evse]]
id = 2
connectors = [1]

[tokens]
valid = "AA11"
invalid = "BB22"

[timing]
message_timeout = 2.5
time_factor = 3

[rig]
backend = "serial"
port = "socket://127.0.0.1:7000"
options = { watchdog_ms = 5000, channels = [1, 2], nested = { a = "b" } }

[rig.hooks]
reboot = "ssh charger reboot"
"""


@pytest.fixture
def full() -> DutProfile:
    """A profile that sets a value in every table."""
    return parse_profile(FULL, source="bench.toml")


def test_fields_are_typed(full: DutProfile) -> None:
    """Loaded values arrive as the model's types: enums, tuples, frozensets, floats."""
    assert full.role is Role.STATION
    assert full.version is OcppVersion.V201
    assert (full.vendor, full.model, full.firmware, full.serial) == (
        "Acme",
        "Volt 22",
        "4.2.0",
        "SN-1",
    )
    assert full.evses == (Evse(1, (1, 2)), Evse(2, (1,)))
    assert full.certification_profiles == frozenset({"Core", "Reservation"})
    assert full.timing.message_timeout == 2.5
    assert isinstance(full.timing.time_factor, float)
    assert full.rig.hooks == {"reboot": "ssh charger reboot"}
    assert full.rig.options["channels"] == (1, 2)
    assert full.rig.options["nested"] == {"a": "b"}


def test_connectors_are_evse_connector_pairs(full: DutProfile) -> None:
    """connectors lists (evse id, connector id) for every connector, in profile order."""
    assert full.connectors == ((1, 1), (1, 2), (2, 1))


def test_supports_reads_the_pics_flags(full: DutProfile) -> None:
    """supports() is true exactly for the declared feature strings."""
    assert full.supports("reservation")
    assert full.supports("tx_start_point:PowerPathClosed")
    assert not full.supports("smart_charging")
    assert not full.supports("Reservation")


def test_timing_scales_by_the_time_factor(full: DutProfile) -> None:
    """scaled() stretches a duration by the configured factor."""
    assert full.timing.scaled(2.0) == 6.0
    assert Timing().scaled(2.0) == 2.0


def test_profile_is_immutable(full: DutProfile) -> None:
    """No field of a loaded profile, nor its mappings, can be changed."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        full.identity = "OTHER"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        full.timing.message_timeout = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        full.rig.options["watchdog_ms"] = 1  # type: ignore[index]


def test_profile_is_hashable_copyable_and_picklable(full: DutProfile) -> None:
    """A profile can key a cache, be deep-copied, pickled for a worker, and asdict()-ed."""
    assert hash(full) == hash(parse_profile(FULL, source="bench.toml"))
    assert copy.deepcopy(full) == full
    assert pickle.loads(pickle.dumps(full)) == full
    assert dataclasses.asdict(full)["identity"] == "BENCH-01"


def test_masked_is_plain_json_laid_out_like_the_file(full: DutProfile) -> None:
    """masked() gives JSON-ready data with the same tables and keys as the TOML file."""
    data = json.loads(json.dumps(full.masked()))
    assert set(data) == {
        "source", "dut", "connection", "evse", "tokens", "timing", "faults", "rig", "trigger",
        "embedded", "device", "transfer",
    }  # fmt: skip
    assert data["source"] == "bench.toml"
    assert data["dut"]["ocpp_version"] == "2.0.1"
    assert data["dut"]["features"] == ["reservation", "tx_start_point:PowerPathClosed"]
    assert data["evse"] == [{"id": 1, "connectors": [1, 2]}, {"id": 2, "connectors": [1]}]
    assert data["rig"]["options"] == {"watchdog_ms": 5000, "channels": [1, 2], "nested": {"a": "b"}}
    assert data["embedded"] is None
    assert data["connection"]["basic_auth_password"] is None


def test_frozen_mapping_behaves_like_a_read_only_dict() -> None:
    """FrozenMapping compares with dicts, hashes by content and has a readable repr."""
    frozen = FrozenMapping({"a": 1})
    assert frozen == {"a": 1}
    assert hash(frozen) == hash(FrozenMapping({"a": 1}))
    assert repr(frozen) == "FrozenMapping({'a': 1})"
    assert len(frozen) == 1
    assert list(frozen) == ["a"]
