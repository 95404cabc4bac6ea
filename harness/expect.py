"""Matchers: what a test case says it is waiting for, and why a frame differs.

A :class:`Pattern` names an action and, optionally, a partial payload that the
frame must contain. Partial means: every key in the pattern must be present
with a matching value; keys the pattern does not mention are ignored. Values
match by equality, recursively for objects and element-wise for arrays; a
callable value is a predicate; :data:`ANY` requires only presence,
:data:`ABSENT` requires absence, :class:`one_of` allows several values and
:class:`or_absent` allows a field the schema lets the sender leave out (its
default then applies).

This is the one vocabulary for "field X equals / is one of / is present /
is absent": expectations select frames with it, and
:func:`harness.checks.conform` / :func:`harness.checks.conform_reply` judge a
frame in hand with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ABSENT",
    "ANY",
    "Pattern",
    "containing",
    "either",
    "integer_at_least",
    "one_of",
    "or_absent",
]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: Matches any value, as long as the key is present.
ANY: Any = _Marker("ANY")
#: Matches only when the key is absent.
ABSENT: Any = _Marker("ABSENT")


class one_of:
    """Matches a value equal to one of the given ones."""

    def __init__(self, *values: Any) -> None:
        self.values = values

    def __call__(self, value: Any) -> bool:
        return value in self.values

    def __repr__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


class integer_at_least:
    """Matches an integer (not a boolean) no smaller than ``minimum``."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum

    def __call__(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= self.minimum

    def __repr__(self) -> str:
        return f"an integer >= {self.minimum}"


class or_absent:
    """Matches an absent key, or a present one whose value matches ``expected``.

    For optional fields with a schema default: an absent 1.6
    StopTransaction ``reason`` means ``Local``, an absent 2.0.1
    ``attributeType`` means ``Actual``.
    """

    def __init__(self, expected: Any) -> None:
        self.expected = expected

    def __repr__(self) -> str:
        return f"{_show(self.expected)} or absent"


class containing:
    """Matches an array holding, in any order, a distinct element for each pattern.

    For lists the catalogue validates "in arbitrary order" (2.0.1
    ``getVariableData``, ``setVariableData``): each pattern is a partial
    element like any other expected value; elements no pattern names are
    allowed.
    """

    def __init__(self, *patterns: Any) -> None:
        self.patterns = patterns

    def __repr__(self) -> str:
        return "an array holding, in any order, " + ", ".join(_show(p) for p in self.patterns)

    def mismatch(self, path: str, actual: Any) -> str | None:
        """Why ``actual`` does not hold the patterns, or None when it does."""
        if not isinstance(actual, list):
            return f"{path}: expected an array, got {_show(actual)}"
        if self._assign(0, actual, frozenset()):
            return None
        for pattern in self.patterns:
            if not any(_differs(path, pattern, element) is None for element in actual):
                return f"{path}: no element matches {_show(pattern)}; got {_show(actual, 400)}"
        return f"{path}: no distinct element for each of {self!r}; got {_show(actual, 400)}"

    def _assign(self, index: int, actual: list[Any], used: frozenset[int]) -> bool:
        # Backtracking over a handful of elements: each pattern its own element.
        if index == len(self.patterns):
            return True
        for position, element in enumerate(actual):
            if position in used or _differs("", self.patterns[index], element) is not None:
                continue
            if self._assign(index + 1, actual, used | {position}):
                return True
        return False


@dataclass(frozen=True)
class Pattern:
    """An action plus an optional partial payload and predicate.

    Attributes:
        action: the OCPP action, e.g. ``StatusNotification``.
        match: partial payload the frame must contain.
        where: extra predicate on the whole payload.
        label: how failure messages name this pattern (default: derived).
    """

    action: str
    match: Mapping[str, Any] | None = None
    where: Callable[[dict[str, Any]], bool] | None = None
    label: str | None = None

    def matches(self, action: str | None, payload: dict[str, Any]) -> bool:
        return self.mismatch(action, payload) is None

    def mismatch(self, action: str | None, payload: dict[str, Any]) -> str | None:
        """Why a frame does not match, or None when it does."""
        if action != self.action:
            return f"action is {action}, not {self.action}"
        if self.match is not None:
            reason = _differs("$", self.match, payload)
            if reason is not None:
                return reason
        if self.where is not None and not self.where(payload):
            name = getattr(self.where, "__name__", "predicate")
            return f"payload fails {name}"
        return None

    def describe(self) -> str:
        if self.label:
            return self.label
        text = self.action
        if self.match:
            text += " with " + _show(self.match)
        if self.where is not None:
            text += f" where {getattr(self.where, '__name__', 'predicate')}"
        return text


@dataclass(frozen=True)
class _Either(Pattern):
    """Matches a frame that any one of ``alternatives`` matches (see :func:`either`)."""

    alternatives: tuple[Pattern, ...] = ()

    def mismatch(self, action: str | None, payload: dict[str, Any]) -> str | None:
        reasons = []
        for alternative in self.alternatives:
            reason = alternative.mismatch(action, payload)
            if reason is None:
                return None
            reasons.append(f"{alternative.describe()}: {reason}")
        return "; ".join(reasons)


def either(*alternatives: Pattern, label: str | None = None) -> Pattern:
    """A pattern for a report the standard lets the device make in several ways.

    The first frame matching any alternative is the one awaited; where the
    device sends more than one form, the others stay in the backlog.

    Args:
        alternatives: the allowed forms, each a :class:`Pattern`.
        label: how failure messages name the expectation (default: the
            alternatives joined by "or").
    """
    if not alternatives:
        raise ValueError("either() needs at least one pattern")
    shown = label or " or ".join(p.describe() for p in alternatives)
    return _Either(alternatives[0].action, label=shown, alternatives=tuple(alternatives))


def _differs(path: str, expected: Any, actual: Any) -> str | None:
    if expected is ANY:
        return None
    if isinstance(expected, containing):
        return expected.mismatch(path, actual)
    if isinstance(expected, Mapping):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {_show(actual)}"
        for key, want in expected.items():
            here = f"{path}.{key}"
            if want is ABSENT:
                if key in actual:
                    return f"{here}: expected absent, got {_show(actual[key])}"
                continue
            if key not in actual:
                if isinstance(want, or_absent):
                    continue
                return f"{here}: missing (expected {_show(want)})"
            if isinstance(want, or_absent):
                want = want.expected
            reason = _differs(here, want, actual[key])
            if reason is not None:
                return reason
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected {len(expected)} elements, got {_show(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            reason = _differs(f"{path}[{index}]", want, got)
            if reason is not None:
                return reason
        return None
    if callable(expected) and not isinstance(expected, type):
        if expected(actual):
            return None
        return f"{path}: expected {_show(expected)}, got {_show(actual)}"
    if isinstance(expected, bool) is isinstance(actual, bool) and expected == actual:
        return None
    return f"{path}: expected {_show(expected)}, got {_show(actual)}"


def _show(value: Any, limit: int = 160) -> str:
    try:
        text = json.dumps(value, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
