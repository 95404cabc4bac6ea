"""A profile with several mistakes reports them all in one error, each with its field; the
simulated station's BootNotification fields are held to the schema's lengths when it loads."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from harness.errors import ConfigurationError
from harness.profile import parse_profile
from harness.profile._tables import ProfileErrors

STATION = """
[dut]
role = "station"
ocpp_version = "2.0.1"
identity = "CP001"
vendr = "typo"

[connection]
security_profile = 7

[timing]
boot_timeout = -1
message_timeout = "soon"

[tokens]
valid = "{token}"
"""


def test_every_mistake_of_a_file_is_listed_with_its_field() -> None:
    """Five mistakes in four tables (two in one table) come back together, each with its field."""
    with pytest.raises(ProfileErrors) as raised:
        parse_profile(STATION.format(token="T" * 37), source="lab.toml")
    error = raised.value
    assert isinstance(error, ConfigurationError)
    assert [p.field for p in error.problems] == [
        "dut.vendr",
        "connection.security_profile",
        "tokens.valid",
        "timing.message_timeout",
        "timing.boot_timeout",
    ]
    message = str(error)
    assert message.startswith("lab.toml: 5 problems in the DUT profile:")
    assert "  - unknown key [dut].vendr (did you mean 'vendor'?)" in message
    assert "  - [connection].security_profile = 7 is not allowed" in message
    assert "  - [timing].boot_timeout = -1 is not allowed; expected a number > 0" in message
    assert error.field == "dut.vendr"


def test_a_single_mistake_is_reported_as_before() -> None:
    """One mistake: a plain ConfigurationError with that field, not a list of one."""
    text = STATION.replace('vendr = "typo"\n', "").replace("security_profile = 7", "")
    text = text.replace("boot_timeout = -1\n", "").replace('message_timeout = "soon"\n', "")
    with pytest.raises(ConfigurationError) as raised:
        parse_profile(text.format(token="T" * 37), source="lab.toml")
    assert not isinstance(raised.value, ProfileErrors)
    assert raised.value.field == "tokens.valid"


def test_a_wrong_role_does_not_invent_mistakes_in_tables_read_by_role() -> None:
    """With [dut].role unreadable, the tables that depend on it are not judged on a guess."""
    text = '[dut]\nrole = "charger"\nocpp_version = "2.0.1"\nidentity = "CP1"\n'
    text += '[connection]\nurl = "ws://127.0.0.1:9000/ocpp"\n'
    with pytest.raises(ConfigurationError) as raised:
        parse_profile(text)
    assert raised.value.field == "dut.role"
    assert "url" not in str(raised.value)


def _schema_limit(package: str, name: str, *path: str) -> int:
    node = json.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))
    for key in path:
        node = node[key]
    limit: int = node["maxLength"]
    return limit


CSMS_16 = """
[dut]
role = "csms"
ocpp_version = "1.6"
identity = "CP001"
{fields}

[connection]
url = "ws://127.0.0.1:9000/ocpp"
"""


def test_simulated_16_station_identity_longer_than_the_schema_is_refused() -> None:
    """Against a 1.6 CSMS the harness boots with the profile's model and serial: longer
    than the 1.6 schema's maxLength, the profile is refused at load, both fields named."""
    model = _schema_limit("ocpp.v16.schemas", "BootNotification.json", "properties",
                          "chargePointModel")  # fmt: skip
    serial = _schema_limit("ocpp.v16.schemas", "BootNotification.json", "properties",
                           "chargePointSerialNumber")  # fmt: skip
    fields = f'model = "{"M" * (model + 1)}"\nserial = "{"S" * (serial + 1)}"'
    with pytest.raises(ProfileErrors) as raised:
        parse_profile(CSMS_16.format(fields=fields))
    assert [p.field for p in raised.value.problems] == ["dut.model", "dut.serial"]
    assert f"at most {model} (OCPP 1.6 schema)" in str(raised.value)
    assert "chargePointSerialNumber" in str(raised.value)
    exact = f'model = "{"M" * model}"\nserial = "{"S" * serial}"'
    assert parse_profile(CSMS_16.format(fields=exact)).model == "M" * model


def test_embedded_201_station_vendor_is_held_to_the_201_schema() -> None:
    """The embedded 2.0.1 station's vendorName limit comes from the 2.0.1 schema."""
    limit = _schema_limit("ocpp.v201.schemas", "BootNotificationRequest.json", "definitions",
                          "ChargingStationType", "properties", "vendorName")  # fmt: skip
    text = (
        f'[dut]\nrole = "station"\nocpp_version = "2.0.1"\nidentity = "CP1"\n'
        f'vendor = "{"V" * (limit + 1)}"\n[embedded]\nsimulator = "station"\n'
    )
    with pytest.raises(ConfigurationError, match=r"\[dut\]\.vendor .* vendorName") as raised:
        parse_profile(text)
    assert raised.value.field == "dut.vendor"


def test_a_real_station_profile_may_describe_a_long_model() -> None:
    """A real station sends its own BootNotification: the profile's model only describes it."""
    text = '[dut]\nrole = "station"\nocpp_version = "1.6"\nidentity = "CP1"\n'
    text += f'model = "{"M" * 30}"\n[rig]\nbackend = "none"\n'
    assert parse_profile(text).model == "M" * 30
