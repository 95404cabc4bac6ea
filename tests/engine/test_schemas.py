"""Enumerations read from the official schemas, reached without the ocpp version packages."""

from __future__ import annotations

import subprocess
import sys
from enum import Enum

import pytest
from ocpp.v16.enums import ChargePointErrorCode, ChargePointStatus
from ocpp.v201.enums import ConnectorStatusEnumType, IdTokenEnumType, ReasonEnumType

from harness.ocppj.schemas import schema_enum, schema_folder
from harness.ocppj.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201


@pytest.mark.parametrize(
    ("version", "file", "name", "enum"),
    [
        (V16, "StatusNotification.json", "errorCode", ChargePointErrorCode),
        (V16, "StatusNotification.json", "status", ChargePointStatus),
        (
            V201,
            "StatusNotificationRequest.json",
            "ConnectorStatusEnumType",
            ConnectorStatusEnumType,
        ),
        (V201, "TransactionEventRequest.json", "ReasonEnumType", ReasonEnumType),
        (V201, "AuthorizeRequest.json", "IdTokenEnumType", IdTokenEnumType),
    ],
)
def test_schema_enum_allows_what_the_package_enum_holds(
    version: OcppVersion, file: str, name: str, enum: type[Enum]
) -> None:
    """An enumeration read from a schema holds the same values as the ocpp package's enum."""
    assert set(schema_enum(version, file, name)) == {member.value for member in enum}


def test_schema_folder_holds_every_version_schemas() -> None:
    """Each version's schema folder holds its BootNotification request schema."""
    names = {V16: "BootNotification.json", V201: "BootNotificationRequest.json"}
    for version, name in names.items():
        assert schema_folder(version).joinpath(name).is_file()


def test_unknown_enumeration_is_a_key_error() -> None:
    """Asking a schema for an enumeration it lacks raises instead of allowing nothing."""
    with pytest.raises(KeyError):
        schema_enum(V16, "StatusNotification.json", "noSuchField")


def test_profile_and_schemas_load_without_the_ocpp_version_packages() -> None:
    """Loading profiles and validating a payload import no ocpp.v16/v201 package (start-up)."""
    code = (
        "import sys\n"
        "from harness.profile.loader import resolve_profile\n"
        "from harness.ocppj.validation import validate_payload\n"
        "from harness.ocppj.versions import OcppVersion\n"
        "resolve_profile('builtin:station-1.6'); resolve_profile('builtin:station-2.0.1')\n"
        "validate_payload(OcppVersion.V201, 'Heartbeat', {}, response=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('ocpp.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stdout
