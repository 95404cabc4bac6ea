"""Where the ``ocpp`` package keeps each version's official JSON schemas, and enums read from them.

The schema folders are reached from the top-level ``ocpp`` package, never by
importing ``ocpp.v16`` or ``ocpp.v201``: those build the package's
``ChargePoint`` and every call dataclass (about 0.1 s per version), which
a run that only reads JSON files does not need. Every run of a case starts a
Python process, so that time is paid once per case in the self-tests.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.resources.abc import Traversable

from harness.ocppj.versions import OcppVersion

__all__ = ["schema_enum", "schema_folder", "schema_package"]


def schema_package(version: OcppVersion) -> str:
    """The ``ocpp`` sub-package holding the version's schema files."""
    return {
        OcppVersion.V16: "ocpp.v16.schemas",
        OcppVersion.V201: "ocpp.v201.schemas",
        OcppVersion.V21: "ocpp.v21.schemas",
    }[version]


def schema_folder(version: OcppVersion) -> Traversable:
    """The folder of the version's schema files, found without importing its sub-package."""
    top, *parts = schema_package(version).split(".")
    folder = resources.files(top)
    for part in parts:
        folder = folder.joinpath(part)
    return folder


@functools.cache
def schema_enum(version: OcppVersion, file: str, name: str) -> tuple[str, ...]:
    """The values an official schema allows for an enumeration, in the schema's order.

    Args:
        version: the OCPP version.
        file: the schema file, e.g. ``"StatusNotification.json"``.
        name: a definition (2.x: ``"ConnectorStatusEnumType"``) or, failing
            that, a top-level property (1.6: ``"errorCode"``).

    Raises:
        KeyError: the schema has no such enumeration.
    """
    text = schema_folder(version).joinpath(file).read_text(encoding="utf-8")
    schema = json.loads(text)
    found = schema.get("definitions", {}).get(name) or schema["properties"][name]
    return tuple(str(value) for value in found["enum"])
