"""What the mutation layer reads from the official schemas: fields, enums, required keys.

A wire mutant names fields by a path into the payload (``("idTagInfo",
"status")``, ``("meterValue", 0, "sampledValue")``). These helpers walk the
official JSON schema along such a path (following ``$ref`` into
``definitions`` and ``items`` into lists), so a mutant's fields are checked
against the standard when a profile is loaded, not discovered missing at run
time.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.validation import request_schema, response_schema
from harness.ocppj.versions import OcppVersion

__all__ = ["Path", "enum_of", "field_schema", "message_schema", "required_of"]

#: Keys (object properties) and indexes (list items) from the payload's root.
Path = tuple[str | int, ...]


def message_schema(version: OcppVersion, action: str, *, response: bool) -> dict[str, Any]:
    """The official schema of ``action``'s request, or of its response."""
    return response_schema(version, action) if response else request_schema(version, action)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/definitions/"):
        resolved: dict[str, Any] = root["definitions"][reference.rsplit("/", 1)[1]]
        return resolved
    return node


def field_schema(root: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """The schema of the field at ``path`` (the root for ``()``), or None when there is none."""
    node = _resolve(root, root)
    for part in path:
        if isinstance(part, int):
            items = node.get("items")
            if node.get("type") != "array" or not isinstance(items, dict):
                return None
            node = _resolve(root, items)
        else:
            properties = node.get("properties", {})
            if part not in properties:
                return None
            node = _resolve(root, properties[part])
    return node


def required_of(root: dict[str, Any], path: Path) -> tuple[str, ...]:
    """The required keys of the object at ``path`` (empty when it is not an object)."""
    node = field_schema(root, path)
    return tuple(node.get("required", ())) if node is not None else ()


def enum_of(root: dict[str, Any], path: Path) -> tuple[str, ...]:
    """The enumeration of the field at ``path`` (empty when it has none)."""
    node = field_schema(root, path)
    return tuple(node.get("enum", ())) if node is not None else ()
