"""Whatever garbage a profile holds, loading it raises ConfigurationError and nothing else."""

from __future__ import annotations

import datetime
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.errors import ConfigurationError
from harness.profile import DutProfile, load_profile, parse_profile

BASE = {
    "dut": {"role": "station", "ocpp_version": "2.0.1", "identity": "CP001"},
}
"""A valid document; each example overwrites one field of it."""

# Every field a user writes, as (table, key). The password is left out on purpose:
# each value loaded there is registered as a secret for the whole test session.
FIELDS = [
    ("dut", key)
    for key in ("name", "role", "ocpp_version", "identity", "vendor", "model", "firmware",
                "serial", "features", "certification_profiles")
] + [
    ("connection", key)
    for key in ("host", "port", "path", "url", "security_profile", "ca_file", "cert_file",
                "key_file")
] + [
    ("tokens", key)
    for key in ("valid", "valid2", "invalid", "blocked", "expired", "group_member", "group_id",
                "master_pass", "token_type")
] + [
    ("timing", key)
    for key in ("message_timeout", "boot_timeout", "connect_timeout", "heartbeat_interval",
                "transaction_duration", "connection_timeout", "time_factor")
] + [
    ("rig", key) for key in ("backend", "port", "baudrate", "prompt_timeout", "hooks", "options")
] + [
    ("trigger", key) for key in ("kind", "url", "options")
] + [
    ("embedded", key) for key in ("simulator", "faults", "options")
] + [
    ("evse", "id"), ("evse", "connectors"), ("rig.hooks", "plug_in"), ("", "dut"), ("", "evse"),
]  # fmt: skip

toml_scalars = (
    st.text(max_size=80)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.datetimes()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: object) -> str:
    """``value`` as an inline TOML value (the parser reads it back as it was)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
        )
    assert isinstance(value, datetime.date | datetime.time)
    return value.isoformat()


def document_with(table: str, key: str, value: object) -> str:
    """The base document with ``[table].key`` set to ``value``, as TOML text."""
    tables: dict[str, dict[str, object]] = {name: dict(keys) for name, keys in BASE.items()}
    lines: list[str] = []
    if table == "":
        tables.pop(key, None)
        lines.append(f"{key} = {toml_value(value)}")
    elif table == "evse":
        lines.append(f"[[evse]]\n{key} = {toml_value(value)}")
    else:
        tables.setdefault(table, {})[key] = value
    for name, keys in tables.items():
        lines.append(f"[{name}]")
        lines.extend(f"{k} = {toml_value(v)}" for k, v in keys.items())
    return "\n".join(lines) + "\n"


def load_or_refuse(text: str) -> DutProfile | None:
    """Parse ``text``; a ConfigurationError is a fine answer, any other exception is a bug."""
    try:
        return parse_profile(text, source="fuzz.toml")
    except ConfigurationError as exc:
        message = str(exc)
    assert message.startswith("fuzz.toml: ")
    return None


@given(field=st.sampled_from(FIELDS), value=st.text())
def test_garbage_string_in_any_field(field: tuple[str, str], value: str) -> None:
    """A random string in any field loads or is refused with a ConfigurationError."""
    text = document_with(*field, value)
    tomllib.loads(text)  # the document itself is valid TOML: we fuzz the fields, not the parser
    load_or_refuse(text)


@given(field=st.sampled_from(FIELDS), value=toml_values)
def test_garbage_value_of_any_type_in_any_field(field: tuple[str, str], value: object) -> None:
    """Any TOML value (number, date, array, table) in any field never crashes the loader."""
    text = document_with(*field, value)
    tomllib.loads(text)
    load_or_refuse(text)


@given(text=st.text())
def test_garbage_document(text: str) -> None:
    """A random document is refused with a ConfigurationError, never another exception."""
    load_or_refuse(text)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=200))
def test_garbage_bytes_file(tmp_path: Path, content: bytes) -> None:
    """A profile file of random bytes is refused with a ConfigurationError, never a crash."""
    path = tmp_path / "garbage.toml"
    path.write_bytes(content)
    try:
        load_profile(path)
    except ConfigurationError as exc:
        message = str(exc)
    else:
        return  # random bytes that happen to be a valid profile: fine
    assert str(path) in message


@pytest.mark.parametrize("field", FIELDS, ids=".".join)
def test_helper_writes_valid_toml(field: tuple[str, str]) -> None:
    """The fuzzing helper writes TOML that reads back to the value it was given."""
    value = {"k": ['\x00"\\', 1.5, True]}
    document = tomllib.loads(document_with(*field, value))
    table, key = field
    if table == "":
        assert document[key] == value
    elif table == "evse":
        assert document["evse"][0][key] == value
    elif table == "rig.hooks":
        assert document["rig"]["hooks"][key] == value
    else:
        assert document[table][key] == value
