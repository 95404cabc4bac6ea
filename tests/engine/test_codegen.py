"""The generated schema checks (harness.ocppj.codegen) held to jsonschema and to fastcheck.

For every request and response schema of every version, a minimal and a full
example are built from the schema itself and mutated deterministically; the
generated check must give jsonschema's verdict (decimal multipleOf, date-time
format) on each, and the closure-compiled check of ``fastcheck`` (the stated
semantics) must agree too.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest
from engine_support import NOW, at, paths

from harness.ocppj import OcppVersion
from harness.ocppj.actions import actions
from harness.ocppj.codegen import INLINE_DEPTH, compile_source, generate_source
from harness.ocppj.fastcheck import Uncompilable, compile_schema
from harness.ocppj.validation import (
    _fast,
    _has_response,
    _schema,
    _validator,
    is_date_time,
    payload_validator,
)

# -- examples built from the schemas -------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example(schema: dict[str, Any], root: dict[str, Any], full: bool, depth: int = 0) -> Any:
    """A value meant to be valid: required members only, or every member when ``full``."""
    schema = _resolve(schema, root)
    full = full and depth < 6  # recursive definitions end with their minimal form
    if "enum" in schema:
        return schema["enum"][-1 if full else 0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        names = list(properties) if full else schema.get("required", [])
        return {n: _example(properties[n], root, full, depth + 1) for n in names}
    if kind == "array":
        count = max(schema.get("minItems", 0), 2 if full else 0)
        count = min(count, schema.get("maxItems", count))
        return [_example(schema.get("items", {}), root, full, depth + 1) for _ in range(count)]
    if kind == "string":
        if schema.get("format") == "date-time":
            return NOW
        size = max(schema.get("minLength", 0), 3 if full else 1)
        return "x" * min(size, schema.get("maxLength", size))
    if kind in ("integer", "number"):
        value = schema.get("minimum", 1 if full else 0)
        if kind == "integer":
            value = int(value)
        elif full and "multipleOf" not in schema:
            value += 0.5
        return min(value, schema.get("maximum", value))
    if kind == "boolean":
        return full
    return None


# Values a mutation puts somewhere: other types, boundaries, near-miss strings.
_VALUES: list[Any] = [
    0,
    -1,
    1.5,
    3.0,
    0.3,
    0.25,
    10**400,
    True,
    None,
    "",
    "x" * 5000,
    NOW,
    "2024-02-30T10:00:00Z",
    "2024-05-01T12:00:00",
    "Accepted",
    "Bogus",
    [],
    [1],
    {},
    {"vendorId": "v"},
    {"x": 1},
]


def _mutations(example: Any, rng: random.Random, count: int) -> Iterator[Any]:
    for _ in range(count):
        payload = copy.deepcopy(example)
        path = rng.choice(list(paths(payload)))
        target = at(payload, path)
        ops = ["replace"] if path else []
        if isinstance(target, dict):
            ops.append("add")
        if path and isinstance(at(payload, path[:-1]), dict):
            ops.append("drop")
        if not ops:
            continue
        op = rng.choice(ops)
        if op == "add":
            target[rng.choice(["bogus", "customData", "id", "value", "status"])] = rng.choice(
                _VALUES
            )
        elif op == "drop":
            del at(payload, path[:-1])[path[-1]]
        else:
            at(payload, path[:-1])[path[-1]] = copy.deepcopy(rng.choice(_VALUES))
        yield payload


def _every_schema() -> list[Any]:
    return [
        pytest.param(version, action, response, id=f"{version.value}-{action}{'/res' * response}")
        for version in OcppVersion
        for action in sorted(actions(version))
        for response in (False, True)
        if not response or _has_response(version, action)
    ]


@pytest.mark.parametrize(("version", "action", "response"), _every_schema())
def test_generated_check_agrees_with_jsonschema(
    version: OcppVersion, action: str, response: bool
) -> None:
    """On built examples and their mutations, codegen == jsonschema == fastcheck closures."""
    root = _schema(version, action, response)
    draft4 = version is OcppVersion.V16
    generated = _fast(version, action, response)
    assert generated is not None
    shallow = compile_source(root, is_date_time, draft4=draft4)
    closures = compile_schema(root, is_date_time, draft4=draft4)
    validator = _validator(version, action, response)
    rng = random.Random(f"{version.value}/{action}/{response}")
    valid = 0
    for full in (False, True):
        example = _example(root, root, full)
        for payload in [example, *_mutations(example, rng, 25)]:
            expected = validator.is_valid(payload)
            valid += expected
            assert generated(payload) is expected, payload
            assert shallow(payload) is expected, payload
            assert closures(payload) is expected, payload
    assert valid >= 2  # the built examples themselves are valid


@pytest.mark.parametrize("inline_depth", [0, 1, INLINE_DEPTH])
def test_every_schema_generates_compilable_source(inline_depth: int) -> None:
    """With or without inlined definitions, every schema's source compiles."""
    for version in OcppVersion:
        for action in actions(version):
            for response in (False, True):
                if response and not _has_response(version, action):
                    continue
                root = _schema(version, action, response)
                source, _ = generate_source(
                    root, draft4=version is OcppVersion.V16, inline_depth=inline_depth
                )
                compile(source, "<test>", "exec")


def test_payload_validator_uses_the_generated_check() -> None:
    """PayloadValidator.check hands out the cached generated check; unknown actions raise."""
    validator = payload_validator(OcppVersion.V201)
    check = validator.check("Heartbeat", False)
    assert check is _fast(OcppVersion.V201, "Heartbeat", False)
    assert validator.requests["Heartbeat"] is check
    with pytest.raises(KeyError):
        validator.check("NoSuchAction", False)
    with pytest.raises(KeyError):
        payload_validator(OcppVersion.V21).check("NotifyPeriodicEventStream", True)


# -- semantics on small schemas --------------------------------------------------------------


def _check(schema: dict[str, Any], *, draft4: bool = False) -> Any:
    return compile_source(schema, is_date_time, draft4=draft4)


@pytest.mark.parametrize(
    ("value", "draft4", "expected"),
    [
        (3, True, True),
        (3.0, True, False),
        (3.0, False, True),
        (3.5, False, False),
        (True, False, False),
        (10**400, True, True),
        ("3", False, False),
    ],
)
def test_integer_per_draft(value: Any, draft4: bool, expected: bool) -> None:
    """Draft 4 integers are ints only; draft 6 also accepts integral floats; never booleans."""
    assert _check({"type": "integer"}, draft4=draft4)(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.3, True), (32.3, True), (0.25, False), (True, True), ("0.25", True)],
)
def test_multiple_of_is_decimal_and_only_for_numbers(value: Any, expected: bool) -> None:
    """multipleOf compares decimal forms and leaves non-numbers to the type keyword."""
    assert _check({"multipleOf": 0.1})(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("A", True), ("C", False), (1, False), (None, False), ([], False), ({}, False)],
)
def test_string_enum_rejects_other_types_and_unhashables(value: Any, expected: bool) -> None:
    """An enum of a string type rejects any non-member, unhashable values included."""
    schema = {"type": "object", "properties": {"s": {"type": "string", "enum": ["A", "B"]}}}
    assert _check(schema)({"s": value}) is expected


def test_enum_without_type_only_constrains_strings() -> None:
    """Without "type", the enum (like every keyword) only applies to its JSON type."""
    check = _check({"enum": ["A"]})
    assert check("A")
    assert not check("B")
    assert check(5)


def test_closed_object_counts_members() -> None:
    """additionalProperties false: only listed members; required ones must be there."""
    check = _check(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"a": {"type": "string"}, "b": {}},
            "required": ["a"],
        }
    )
    assert check({"a": "x"})
    assert check({"a": "x", "b": [1]})
    assert not check({"a": "x", "c": 1})
    assert not check({"b": 1})
    assert not check({"a": 1})
    assert not check({"a": "x", 1: 2})


def test_recursive_definitions() -> None:
    """A definition referring to itself is compiled as a function calling itself."""
    schema = {
        "definitions": {
            "Node": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"next": {"$ref": "#/definitions/Node"}, "v": {"maximum": 3}},
            }
        },
        "$ref": "#/definitions/Node",
    }
    check = _check(schema)
    assert check({"v": 1, "next": {"next": {"v": 3}}})
    assert not check({"next": {"next": {"v": 4}}})
    assert not check({"next": {"next": {"w": 1}}})


def test_lengths_items_and_formats() -> None:
    """String and array bounds, items, and date-time (other formats are not checked)."""
    check = _check(
        {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "additionalItems": False,
            "items": {"type": "string", "minLength": 2, "maxLength": 30, "format": "date-time"},
        }
    )
    assert check([NOW])
    assert not check([])
    assert not check([NOW, NOW, NOW])
    assert not check(["2024-02-30T10:00:00Z"])
    assert not check([5])
    assert _check({"format": "uri"})("not a uri")


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"type": "float"},
        {"enum": [1, 2]},
        {"additionalProperties": {"type": "string"}},
        {"patternProperties": {}},
        {"$ref": "#/definitions/Missing"},
        {"$ref": "other.json#/x"},
        {"items": [{"type": "string"}]},
        {"additionalItems": False},
        {"properties": {"a": True}},
    ],
)
def test_outside_the_subset_is_uncompilable(schema: dict[str, Any]) -> None:
    """Anything outside the OCPP subset raises Uncompilable (jsonschema then decides)."""
    with pytest.raises(Uncompilable):
        generate_source(schema, draft4=False)
    with pytest.raises(Uncompilable):
        compile_source(schema, is_date_time, draft4=False)
