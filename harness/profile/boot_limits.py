"""How long the identity fields of a BootNotification may be, read from the official schemas.

When the harness simulates the charging station (the DUT is a CSMS, or the
profile runs the embedded station), the profile's ``vendor``, ``model``,
``serial`` and ``firmware`` go into the station's BootNotification. A value
longer than the schema allows would make the harness itself send an invalid
frame, so the profile is refused when it loads. The limits come from the
``ocpp`` package's BootNotification request schema of the profile's version,
never from numbers written here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from harness.ocppj.schemas import schema_folder
from harness.ocppj.versions import OcppVersion

__all__ = ["boot_field_limits"]

# Profile key -> the BootNotification field it fills, per schema layout.
_FIELDS_16 = {
    "vendor": "chargePointVendor",
    "model": "chargePointModel",
    "serial": "chargePointSerialNumber",
    "firmware": "firmwareVersion",
}
_FIELDS_2X = {
    "vendor": "vendorName",
    "model": "model",
    "serial": "serialNumber",
    "firmware": "firmwareVersion",
}


def _request_schema(version: OcppVersion) -> dict[str, Any]:
    folder = schema_folder(version)
    name = "BootNotification.json" if version is OcppVersion.V16 else "BootNotificationRequest.json"
    schema: dict[str, Any] = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
    return schema


@functools.cache
def boot_field_limits(version: OcppVersion) -> Mapping[str, tuple[str, int]]:
    """Per profile key (``vendor``, ``model``, ``serial``, ``firmware``): the field and maxLength.

    Args:
        version: the profile's OCPP version.

    Returns:
        ``{"model": ("chargePointModel", 20), ...}`` for the fields the schema bounds.
    """
    schema = _request_schema(version)
    if version is OcppVersion.V16:
        properties = schema["properties"]
        fields = _FIELDS_16
    else:
        properties = schema["definitions"]["ChargingStationType"]["properties"]
        fields = _FIELDS_2X
    limits: dict[str, tuple[str, int]] = {}
    for key, name in fields.items():
        bound = properties.get(name, {}).get("maxLength")
        if isinstance(bound, int):
            limits[key] = (name, bound)
    return limits
