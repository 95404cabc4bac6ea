"""Generated Python source for the yes/no validity check of an OCPP schema.

:mod:`harness.ocppj.fastcheck` states the semantics of the fast check as nested
closures; this module compiles the same semantics into straight-line Python
source (one function per ``$ref`` definition that is not a plain scalar, the
scalars inlined), compiled once with :func:`compile` and cached by the caller.
A payload is then checked by a handful of ``if`` statements and no calls per
keyword, which is several times faster than the closures.

The keywords and their meaning are exactly those of ``fastcheck``:

* ``type`` (a single name; ``integer`` per draft 4 or draft 6),
* ``enum`` of strings, ``minLength``/``maxLength``, ``format`` (``date-time``
  checked by the given predicate, other formats not checked),
* ``minimum``/``maximum``, ``multipleOf`` (decimal, via
  :func:`~harness.ocppj.fastcheck.is_multiple_of`),
* ``items`` (one schema), ``additionalItems`` (ignored beside one ``items``
  schema), ``minItems``/``maxItems``,
* ``properties``, ``required``, ``additionalProperties`` (a boolean),
* ``$ref`` to ``#/definitions/...`` (recursion allowed); a ``$ref`` replaces
  every other keyword of its schema, as in drafts 4 and 6.

Every keyword except ``type`` only constrains values of the JSON type it is
about, so each group is guarded by an ``isinstance`` test, left out when the
``type`` keyword already settled it. Anything else raises
:class:`~harness.ocppj.fastcheck.Uncompilable`, and the caller falls back to
``jsonschema``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from harness.ocppj.fastcheck import IGNORED_KEYWORDS as _IGNORED
from harness.ocppj.fastcheck import Check, Uncompilable, is_multiple_of

__all__ = ["compile_source", "generate_source"]

_KNOWN = frozenset(
    {
        "type",
        "required",
        "enum",
        "maxLength",
        "minLength",
        "minimum",
        "maximum",
        "items",
        "additionalItems",
        "minItems",
        "maxItems",
        "multipleOf",
        "format",
        "properties",
        "additionalProperties",
    }
)
_STRING_KEYS = ("enum", "minLength", "maxLength", "format")
_NUMBER_KEYS = ("minimum", "maximum", "multipleOf")
_ARRAY_KEYS = ("items", "additionalItems", "minItems", "maxItems")
_OBJECT_KEYS = ("required", "properties", "additionalProperties")

# What a value is known to be once the "type" keyword passed.
_STR, _NUM, _LIST, _DICT, _OTHER = "str", "num", "list", "dict", "other"
_ENUM = "enum"  # a string of an enum: its membership test is emitted as the type check

_GUARD = {
    _STR: "isinstance({v}, str)",
    _NUM: "isinstance({v}, _number) and not isinstance({v}, bool)",
    _LIST: "isinstance({v}, list)",
    _DICT: "isinstance({v}, dict)",
}


class _Generator:
    def __init__(self, root: dict[str, Any], *, draft4: bool, inline_depth: int) -> None:
        self.root = root
        self.inline_depth = inline_depth
        self.draft4 = draft4
        self.constants: dict[str, Any] = {}
        self.functions: dict[str, str] = {}  # definition name -> function name
        self.queue: list[str] = []
        self.counter = 0

    # -- helpers ----------------------------------------------------------------

    def constant(self, value: Any) -> str:
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return repr(value)  # a literal: exact for ints and finite floats
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def variable(self) -> str:
        self.counter += 1
        return f"v{self.counter}"

    def definition(self, ref: Any) -> tuple[str, dict[str, Any]]:
        if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
            raise Uncompilable(f"$ref {ref!r}")
        name = ref.removeprefix("#/definitions/")
        definitions = self.root.get("definitions")
        if not isinstance(definitions, dict) or name not in definitions:
            raise Uncompilable(f"dangling $ref {ref!r}")
        return name, definitions[name]

    def function_for(self, name: str) -> str:
        if name not in self.functions:
            self.functions[name] = f"_d{len(self.functions)}"
            self.queue.append(name)
        return self.functions[name]

    # -- generation -----------------------------------------------------------

    def source(self) -> str:
        # An unhashable value where a string of an enum belongs raises TypeError
        # in the set membership test that stands for the type check: invalid.
        out = ["def check(v0):", "  try:"]
        self.node(self.root, "v0", 1, out, ())
        if len(out) == 2:
            out.append("    pass")  # a schema that constrains nothing
        out += ["  except TypeError:", "    return False", "  return True"]
        done: set[str] = set()
        while self.queue:
            name = self.queue.pop()
            if name in done:
                continue
            done.add(name)
            _, schema = self.definition(f"#/definitions/{name}")
            out.append(f"def {self.functions[name]}(v0):")
            self.node(schema, "v0", 1, out, (name,))
            out.append("    return True")
        return "\n".join(out) + "\n"

    def node(
        self, schema: Any, v: str, depth: int, out: list[str], inlining: tuple[str, ...]
    ) -> None:
        """Append statements that ``return False`` when ``v`` breaks ``schema``."""
        pad = "    " * depth
        if not isinstance(schema, dict):
            raise Uncompilable("schema is not an object")
        if "$ref" in schema:
            name, target = self.definition(schema["$ref"])
            if name not in inlining and (_is_scalar(target) or len(inlining) < self.inline_depth):
                self.node(target, v, depth, out, (*inlining, name))
            else:
                out.append(f"{pad}if not {self.function_for(name)}({v}): return False")
            return
        for key in schema:
            if key not in _IGNORED and key not in _KNOWN:
                raise Uncompilable(f"keyword {key!r}")
        known = self.type_check(schema, v, pad, out) if "type" in schema else None
        for kind, keys, emit in (
            (_STR, _STRING_KEYS, self.string_keywords),
            (_NUM, _NUMBER_KEYS, self.number_keywords),
            (_LIST, _ARRAY_KEYS, self.array_keywords),
            (_DICT, _OBJECT_KEYS, self.object_keywords),
        ):
            if not any(key in schema for key in keys):
                continue
            body: list[str] = []
            if known == kind or (known == _ENUM and kind == _STR):
                emit(schema, v, depth, body, inlining)
                out.extend(body)
            elif known is None:
                emit(schema, v, depth + 1, body, inlining)
                if body:
                    out.append(f"{pad}if {_GUARD[kind].format(v=v)}:")
                    out.extend(body)
            else:
                # The type keyword already excludes this kind: its keywords never
                # apply, but they must still be compilable.
                emit(schema, v, depth + 1, body, inlining)

    def type_check(self, schema: dict[str, Any], v: str, pad: str, out: list[str]) -> str:
        name = schema["type"]
        if not isinstance(name, str):
            raise Uncompilable("type list")
        if name == "string":
            if "enum" in schema and not any(
                k in schema for k in ("maxLength", "minLength", "format")
            ):
                # Only strings are in the set: membership is the type check too
                # (an unhashable value raises TypeError, answered by check()).
                return _ENUM
            out.append(f"{pad}if not isinstance({v}, str): return False")
            return _STR
        if name == "object":
            out.append(f"{pad}if not isinstance({v}, dict): return False")
            return _DICT
        if name == "array":
            out.append(f"{pad}if not isinstance({v}, list): return False")
            return _LIST
        if name == "boolean":
            out.append(f"{pad}if not isinstance({v}, bool): return False")
            return _OTHER
        if name == "null":
            out.append(f"{pad}if {v} is not None: return False")
            return _OTHER
        if name == "number":
            out.append(
                f"{pad}if type({v}) is not float and type({v}) is not int and "
                f"(not isinstance({v}, _number) or isinstance({v}, bool)): return False"
            )
            return _NUM
        if name == "integer":
            if self.draft4:
                out.append(
                    f"{pad}if type({v}) is not int and "
                    f"(not isinstance({v}, int) or isinstance({v}, bool)): return False"
                )
            else:
                # not float(v): an integer too large for a float is still an integer
                out.append(
                    f"{pad}if type({v}) is not int and not ("
                    f"(isinstance({v}, int) and not isinstance({v}, bool)) or "
                    f"(isinstance({v}, float) and {v}.is_integer())): return False"
                )
            return _NUM
        raise Uncompilable(f"type {name!r}")

    def string_keywords(
        self, schema: dict[str, Any], v: str, depth: int, out: list[str], _: tuple[str, ...]
    ) -> None:
        pad = "    " * depth
        if "enum" in schema:
            allowed = schema["enum"]
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise Uncompilable("non-string enum")
            out.append(f"{pad}if {v} not in {self.constant(frozenset(allowed))}: return False")
        if "maxLength" in schema:
            out.append(f"{pad}if len({v}) > {self.constant(schema['maxLength'])}: return False")
        if "minLength" in schema:
            out.append(f"{pad}if len({v}) < {self.constant(schema['minLength'])}: return False")
        if schema.get("format") == "date-time":
            out.append(
                f"{pad}if _known_date_times.get({v}) is not True and not _date_time({v}): "
                "return False"
            )

    def number_keywords(
        self, schema: dict[str, Any], v: str, depth: int, out: list[str], _: tuple[str, ...]
    ) -> None:
        pad = "    " * depth
        if "minimum" in schema:
            out.append(f"{pad}if {v} < {self.constant(schema['minimum'])}: return False")
        if "maximum" in schema:
            out.append(f"{pad}if {v} > {self.constant(schema['maximum'])}: return False")
        if "multipleOf" in schema:
            step = self.constant(schema["multipleOf"])
            out.append(f"{pad}if not _multiple_of({v}, {step}): return False")

    def array_keywords(
        self,
        schema: dict[str, Any],
        v: str,
        depth: int,
        out: list[str],
        inlining: tuple[str, ...],
    ) -> None:
        pad = "    " * depth
        if "additionalItems" in schema and not isinstance(schema.get("items"), dict):
            raise Uncompilable("additionalItems")
        if "minItems" in schema:
            out.append(f"{pad}if len({v}) < {self.constant(schema['minItems'])}: return False")
        if "maxItems" in schema:
            out.append(f"{pad}if len({v}) > {self.constant(schema['maxItems'])}: return False")
        if "items" in schema:
            item = self.variable()
            body: list[str] = []
            self.node(schema["items"], item, depth + 1, body, inlining)
            if body:
                out.append(f"{pad}for {item} in {v}:")
                out.extend(body)

    def object_keywords(
        self,
        schema: dict[str, Any],
        v: str,
        depth: int,
        out: list[str],
        inlining: tuple[str, ...],
    ) -> None:
        pad = "    " * depth
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise Uncompilable("properties is not an object")
        extra = schema.get("additionalProperties", True)
        if not isinstance(extra, bool):
            raise Uncompilable("additionalProperties schema")
        required = schema.get("required", [])
        if not isinstance(required, list):
            raise Uncompilable("required is not an array")
        if required:
            missing = " or ".join(f"{name!r} not in {v}" for name in required)
            out.append(f"{pad}if {missing}: return False")
        closed = extra is False
        # A closed object holds nothing but its properties: count the present
        # ones while checking them and compare with its size at the end.
        count = self.variable() if closed else ""
        present = len(set(required) & set(properties))
        if closed:
            out.append(f"{pad}{count} = {present}")
        for name, sub in properties.items():
            item = self.variable()
            body: list[str] = []
            if name in required:
                self.node(sub, item, depth, body, inlining)
                if body:
                    out.append(f"{pad}{item} = {v}[{name!r}]")
                    out.extend(body)
            else:
                self.node(sub, item, depth + 1, body, inlining)
                if body or closed:
                    out.append(f"{pad}if {name!r} in {v}:")
                if closed:
                    out.append(f"{pad}    {count} += 1")
                if body:
                    out.append(f"{pad}    {item} = {v}[{name!r}]")
                    out.extend(body)
        if closed:
            out.append(f"{pad}if len({v}) != {count}: return False")


def _is_scalar(schema: Any) -> bool:
    """A definition without sub-schemas: inlined where it is referenced."""
    return isinstance(schema, dict) and not any(
        key in schema for key in ("$ref", "properties", "items")
    )


def generate_source(
    root: dict[str, Any], *, draft4: bool, inline_depth: int = 0
) -> tuple[str, dict[str, Any]]:
    """The source of ``check(value) -> bool`` for ``root`` and the constants it uses.

    Raises:
        Uncompilable: the schema uses something outside the subset.
    """
    generator = _Generator(root, draft4=draft4, inline_depth=inline_depth)
    return generator.source(), generator.constants


#: How many levels of object definitions are inlined where they are referenced
#: (saving a call each); recursive references are always calls.
INLINE_DEPTH = 8


def compile_source(
    root: dict[str, Any],
    date_time: Check,
    *,
    draft4: bool,
    known_date_times: Mapping[str, bool] | None = None,
) -> Check:
    """Generate, compile and return the check for ``root``; raises Uncompilable.

    ``known_date_times`` may map strings to the verdict of ``date_time`` on
    them (a cache the predicate keeps): a string mapped to True is accepted
    without calling it.
    """
    code = None
    for inline_depth in (INLINE_DEPTH, 0):  # without inlining when the source is too deep
        try:
            source, constants = generate_source(root, draft4=draft4, inline_depth=inline_depth)
            code = compile(source, "<ocpp schema check>", "exec")
            break
        except (RecursionError, SyntaxError, MemoryError) as error:  # absurdly deep schemas
            failure = error
    if code is None:
        raise Uncompilable(f"cannot compile: {failure!r}")
    namespace: dict[str, Any] = {
        **constants,
        "_number": (int, float),
        "_date_time": date_time,
        "_known_date_times": {} if known_date_times is None else known_date_times,
        "_multiple_of": is_multiple_of,
    }
    exec(code, namespace)
    check: Check = namespace["check"]
    return check
