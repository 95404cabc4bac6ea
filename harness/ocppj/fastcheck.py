"""A compiled yes/no validity check for the subset of JSON Schema OCPP uses.

``jsonschema`` explains violations well but costs tens of microseconds per
payload, which would make the harness slower than the devices it drives. The
OCPP schemas use a small, fixed set of keywords, so each schema is compiled
once into nested closures that answer "valid or not" in a few microseconds.

The compiled check is only a fast path: when it says "invalid", or when a
schema uses anything outside the subset, :mod:`harness.ocppj.validation`
asks ``jsonschema`` for the authoritative answer and its explanation. A
property test holds the two to the same verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["IGNORED_KEYWORDS", "Check", "Uncompilable", "compile_schema", "is_multiple_of"]

Check = Callable[[Any], bool]

#: Annotation keywords both the closure compiler and the code generator skip.
IGNORED_KEYWORDS = frozenset(
    {
        "description",
        "javaType",
        "$schema",
        "$id",
        "id",
        "comment",
        "title",
        "default",
        "definitions",
    }
)


class Uncompilable(Exception):
    """The schema uses a keyword or form the fast path does not handle."""


def compile_schema(root: dict[str, Any], date_time: Check, *, draft4: bool) -> Check:
    """Compile ``root`` into a predicate; raises Uncompilable when it cannot."""
    refs: dict[str, Check] = {}

    def resolve(ref: str) -> Check:
        if not ref.startswith("#/definitions/"):
            raise Uncompilable(f"$ref {ref!r}")
        name = ref.removeprefix("#/definitions/")
        if name not in refs:
            cell: list[Check] = []
            refs[name] = lambda value: cell[0](value)
            try:
                target = root["definitions"][name]
            except KeyError:
                raise Uncompilable(f"dangling $ref {ref!r}") from None
            cell.append(node(target))
        return refs[name]

    def node(schema: dict[str, Any]) -> Check:
        if not isinstance(schema, dict):
            raise Uncompilable("schema is not an object")
        if "$ref" in schema:
            return resolve(schema["$ref"])
        checks: list[Check] = []
        for key, arg in schema.items():
            if key in IGNORED_KEYWORDS or key in ("properties", "additionalProperties"):
                continue
            checks.append(keyword(key, arg, schema))
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(_object_members(schema, node))
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def keyword(key: str, arg: Any, schema: dict[str, Any]) -> Check:
        if key == "type":
            return _type_check(arg, draft4=draft4)
        if key == "required":
            names = tuple(arg)
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if key == "enum":
            if not all(isinstance(item, str) for item in arg):
                raise Uncompilable("non-string enum")
            allowed = frozenset(arg)
            return lambda v: not isinstance(v, str) or v in allowed
        if key == "maxLength":
            return lambda v: not isinstance(v, str) or len(v) <= arg
        if key == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= arg
        if key in ("minimum", "maximum"):
            return _bound(key, arg)
        if key == "items":
            each = node(arg)
            return lambda v: not isinstance(v, list) or all(each(item) for item in v)
        if key == "additionalItems":
            if "items" in schema and isinstance(schema["items"], dict):
                return lambda v: True  # ignored when "items" is a single schema
            raise Uncompilable("additionalItems")
        if key == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= arg
        if key == "maxItems":
            return lambda v: not isinstance(v, list) or len(v) <= arg
        if key == "multipleOf":
            return lambda v: not _is_number(v) or is_multiple_of(v, arg)
        if key == "format":
            if arg == "date-time":
                return date_time
            return lambda v: True  # other formats are not checked by the validator either
        raise Uncompilable(f"keyword {key!r}")

    return node(root)


def _object_members(schema: dict[str, Any], node: Callable[[dict[str, Any]], Check]) -> Check:
    properties = {name: node(sub) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    if not isinstance(extra, bool):
        raise Uncompilable("additionalProperties schema")
    closed = extra is False

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            sub = properties.get(name)
            if sub is None:
                if closed:
                    return False
            elif not sub(item):
                return False
        return True

    return check


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _type_check(name: Any, *, draft4: bool) -> Check:
    if not isinstance(name, str):
        raise Uncompilable("type list")
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "object":
        return lambda v: isinstance(v, dict)
    if name == "array":
        return lambda v: isinstance(v, list)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "null":
        return lambda v: v is None
    if name == "number":
        return _is_number
    if name == "integer":
        if draft4:
            return lambda v: isinstance(v, int) and not isinstance(v, bool)
        # not float(v): an integer too large for a float is still an integer
        return lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        )
    raise Uncompilable(f"type {name!r}")


def _bound(key: str, limit: Any) -> Check:
    if key == "minimum":
        return lambda v: not _is_number(v) or v >= limit
    return lambda v: not _is_number(v) or v <= limit


def is_multiple_of(value: float, step: float) -> bool:
    """Whether ``value`` is a multiple of ``step``, in decimal as written.

    Binary floating point says 0.3 is not a multiple of 0.1; OCPP means the
    decimal numbers on the wire, so compare their shortest decimal forms.
    """
    try:
        return Decimal(repr(value)) % Decimal(repr(step)) == 0
    except (InvalidOperation, ValueError):
        return False
