"""JSON-schema validation of payloads with the ``ocpp`` package's official schemas.

Formats are checked, not just types: a ``date-time`` must be an RFC 3339
timestamp with a time zone, as OCPP requires. Each violation becomes a
:class:`Violation` carrying the version-independent :class:`Problem`, the JSON
path, and a one-line explanation.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from harness.ocppj.actions import actions
from harness.ocppj.codegen import compile_source
from harness.ocppj.fastcheck import Check, Uncompilable, is_multiple_of
from harness.ocppj.frames import Problem
from harness.ocppj.schemas import schema_folder
from harness.ocppj.versions import OcppVersion

__all__ = [
    "PayloadValidator",
    "Violation",
    "is_date_time",
    "payload_validator",
    "request_schema",
    "response_schema",
    "validate_payload",
]

_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))\Z",
    re.ASCII,
)

_PROBLEM_BY_KEYWORD = {
    "type": Problem.SCHEMA_TYPE,
    "format": Problem.SCHEMA_FORMAT,
    "required": Problem.SCHEMA_REQUIRED,
    "additionalProperties": Problem.SCHEMA_ADDITIONAL,
}
# When one payload breaks several rules, the CALLERROR names the most basic one.
_PRIORITY = [
    Problem.SCHEMA_ADDITIONAL,
    Problem.SCHEMA_REQUIRED,
    Problem.SCHEMA_TYPE,
    Problem.SCHEMA_FORMAT,
    Problem.SCHEMA_VALUE,
]


def is_date_time(value: object) -> bool:
    """Whether ``value`` is an RFC 3339 ``date-time`` (time zone required)."""
    if not isinstance(value, str):
        return True  # not a string: the "type" keyword reports it
    # Every timestamp is checked twice (by its sender and by its receiver) and
    # devices repeat them: remember the verdicts on the last few short strings.
    known = _RECENT_DATE_TIMES.get(value)
    if known is not None:
        return known
    verdict = _check_date_time(value)
    if len(value) <= _MAX_REMEMBERED_LENGTH:
        if len(_RECENT_DATE_TIMES) >= _MAX_REMEMBERED:
            _RECENT_DATE_TIMES.clear()
        _RECENT_DATE_TIMES[value] = verdict
    return verdict


_RECENT_DATE_TIMES: dict[str, bool] = {}
_MAX_REMEMBERED = 256
_MAX_REMEMBERED_LENGTH = 40


def _check_date_time(value: str) -> bool:
    match = _DATE_TIME.match(value)
    if match is None:
        return False
    # Two ASCII digits each (re.ASCII): comparing the texts compares the numbers.
    year, month, day, hour, minute, second, _fraction, _zone, zone_h, zone_m = match.groups()
    if not ("01" <= month <= "12" and day >= "01"):
        return False
    if day > "28" and int(day) > _days_in(int(year), int(month)):
        return False
    if hour > "23" or minute > "59" or second > "60":
        return False
    if zone_h is not None:
        return zone_h <= "23" and zone_m <= "59"
    return True


def _days_in(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("date-time")(is_date_time)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a payload breaks its schema."""

    problem: Problem
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _decimal_multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Any:
    if validator.is_type(instance, "number") and not is_multiple_of(instance, step):
        yield ValidationError(f"{instance!r} is not a multiple of {step}")


_Draft4 = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft4Validator, {"multipleOf": _decimal_multiple_of}
)
_Draft6 = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft6Validator, {"multipleOf": _decimal_multiple_of}
)


@functools.cache
def _has_response(version: OcppVersion, action: str) -> bool:
    folder = schema_folder(version)
    return folder.joinpath(_schema_file(version, action, True)).is_file()


def _schema_file(version: OcppVersion, action: str, response: bool) -> str:
    if version is OcppVersion.V16:
        return f"{action}Response.json" if response else f"{action}.json"
    if response:
        return f"{action}Response.json"
    folder = schema_folder(version)
    if folder.joinpath(f"{action}Request.json").is_file():
        return f"{action}Request.json"
    return f"{action}.json"  # 2.1 SEND messages have no "Request" suffix


@functools.cache
def _schema(version: OcppVersion, action: str, response: bool) -> dict[str, Any]:
    text = (
        schema_folder(version)
        .joinpath(_schema_file(version, action, response))
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    schema.pop("$id", None)
    return schema


@functools.cache
def _validator(version: OcppVersion, action: str, response: bool) -> Any:
    cls = _Draft4 if version is OcppVersion.V16 else _Draft6
    return cls(_schema(version, action, response), format_checker=_FORMATS)


@functools.cache
def _fast(version: OcppVersion, action: str, response: bool) -> Check | None:
    try:
        return compile_source(
            _schema(version, action, response),
            is_date_time,
            draft4=version is OcppVersion.V16,
            known_date_times=_RECENT_DATE_TIMES,
        )
    except Uncompilable:
        return None


def _never(_payload: Any) -> bool:
    return False


class PayloadValidator:
    """:func:`validate_payload` for one version, each action's check looked up once.

    A connection holds one, so that the per-frame path is a dictionary lookup
    and the compiled check instead of cached calls keyed by version.

    Attributes:
        requests: the compiled check by action, for the requests met so far.
        responses: the same for responses.
    """

    __slots__ = ("requests", "responses", "version")

    def __init__(self, version: OcppVersion) -> None:
        self.version = version
        self.requests: dict[str, Check] = {}
        self.responses: dict[str, Check] = {}

    def __call__(self, action: str, payload: dict[str, Any], *, response: bool) -> list[Violation]:
        """Every schema violation of ``payload``; see :func:`validate_payload`."""
        fast = (self.responses if response else self.requests).get(action)
        if fast is None:
            fast = self.check(action, response)
        if fast(payload):
            return []
        return self.explain(action, payload, response)

    def check(self, action: str, response: bool) -> Check:
        """The yes/no check of ``action`` (a "no" is only a hint: ask :meth:`explain`).

        Raises:
            KeyError: when the version does not define ``action`` (or its response).
        """
        table = self.responses if response else self.requests
        fast = table.get(action)
        if fast is not None:
            return fast
        version = self.version
        if action not in actions(version):
            raise KeyError(action)
        if response and not _has_response(version, action):
            raise KeyError(f"{action} has no response")
        fast = _fast(version, action, response) or _never
        table[action] = fast
        return fast

    def explain(self, action: str, payload: dict[str, Any], response: bool) -> list[Violation]:
        """Every violation, most basic first, by ``jsonschema`` (empty when valid)."""
        return _explain(self.version, action, payload, response)


@functools.cache
def payload_validator(version: OcppVersion) -> PayloadValidator:
    """The shared :class:`PayloadValidator` of ``version``."""
    return PayloadValidator(version)


def validate_payload(
    version: OcppVersion, action: str, payload: dict[str, Any], *, response: bool
) -> list[Violation]:
    """Every schema violation of ``payload``, most basic first; empty when valid.

    Raises:
        KeyError: when the version does not define ``action``.
    """
    return payload_validator(version)(action, payload, response=response)


def _explain(
    version: OcppVersion, action: str, payload: dict[str, Any], response: bool
) -> list[Violation]:
    found = [_violation(e) for e in _validator(version, action, response).iter_errors(payload)]
    found.sort(key=lambda v: _PRIORITY.index(v.problem))
    return found


def _violation(error: ValidationError) -> Violation:
    problem = _PROBLEM_BY_KEYWORD.get(str(error.validator), Problem.SCHEMA_VALUE)
    path = "$" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    )
    message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return Violation(problem, path, message)


def response_schema(version: OcppVersion, action: str) -> dict[str, Any]:
    """The official response schema of ``action`` as a dict (do not modify it)."""
    return _schema(version, action, True)


def request_schema(version: OcppVersion, action: str) -> dict[str, Any]:
    """The official request schema of ``action`` as a dict (do not modify it)."""
    return _schema(version, action, False)
