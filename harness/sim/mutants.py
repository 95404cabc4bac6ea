"""Named wire mutants: a knob name, what it breaks, and its rules for the mutation layer.

A mutant is data: :class:`WireMutant` gives a fault knob's name, its
argument (``<Action>``, an optional ``[<Status>]``), one line saying what the
mutant does, and a function from the argument to the
:mod:`~harness.sim.mutation` rules. :func:`wire_rules` reads a profile's
``[embedded].faults``, builds the rules of every wire knob and checks each
against the schemas (the action exists and travels that way, every field and
enum value is the standard's, a field to omit is required), so a typo or a
knob that cannot apply is a :class:`~harness.errors.ConfigurationError`
naming the knob when the profile is loaded.

The mutants every simulator shares are :data:`COMMON`; a simulator adds its
own table (e.g. :data:`harness.sim.station.v16_mutants.MUTANTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.errors import ConfigurationError
from harness.ocppj.actions import actions, initiator_allowed
from harness.ocppj.validation import validate_payload
from harness.ocppj.versions import OcppVersion, Role
from harness.sim.mutation import (
    CALL,
    REPLY,
    Answer,
    AnswerError,
    Drop,
    Duplicate,
    Extra,
    Late,
    Omit,
    Rule,
    Set,
    SetEvery,
    Unset,
    Where,
)
from harness.sim.mutation_schema import Path, enum_of, field_schema, message_schema, required_of

__all__ = [
    "BAD_TIMESTAMP",
    "BOGUS",
    "COMMON",
    "Side",
    "WireMutant",
    "first_enum",
    "first_required",
    "knob_table",
    "refusal",
    "replacing",
    "wire_rules",
]

#: The fields a ``bad_timestamp`` mutant breaks, at any depth.
TIMESTAMP_KEYS = ("timestamp", "generatedAt")
#: A timestamp that breaks the date-time format (no time zone, space separator).
BAD_TIMESTAMP = "2024-01-01 12:00:00"
#: A value outside every enumeration of OCPP.
BOGUS = "Bogus"
#: The refusing statuses a ``reject`` mutant answers with, first found in the enum wins.
_REFUSALS = ("Rejected", "UnlockFailed", "Failed", "NotSupported")
#: Enum fields a ``wrong_enum`` mutant prefers, when the message has several.
_ENUM_PREFERRED = ("status", "attributeStatus", "reason", "triggerReason", "errorCode")


@dataclass(frozen=True)
class Side:
    """Who the simulator is: the version it speaks and the role it plays."""

    version: OcppVersion
    role: Role

    @property
    def peer(self) -> Role:
        return Role.CSMS if self.role is Role.STATION else Role.STATION

    def way(self, action: str) -> str:
        """:data:`CALL` when the simulator sends ``action``, :data:`REPLY` when it answers it."""
        return CALL if initiator_allowed(self.version, action, self.role) else REPLY


class MutantError(ValueError):
    """A knob's argument or rules do not fit the schemas (wrapped with the knob's name)."""


@dataclass(frozen=True)
class WireMutant:
    """A fault knob said on the wire.

    Attributes:
        name: the knob's name in ``[embedded].faults``.
        does: what the mutant does, one line (the docs table).
        rules: the rules, from the knob's argument ("" when none) and the side.
        arg: the argument's placeholder: ``"<Action>"`` (required),
            ``"[<Status>]"`` (optional) or ``""`` (none).
    """

    name: str
    does: str
    rules: Callable[[str, Side], Sequence[Rule]]
    arg: str = ""

    @property
    def label(self) -> str:
        """The knob as the docs table shows it: ``reject:<Action>``, ``skip_status[:<Status>]``."""
        if not self.arg:
            return self.name
        if self.arg.startswith("["):
            return f"{self.name}[:{self.arg[1:-1]}]"
        return f"{self.name}:{self.arg}"


def first_enum(version: OcppVersion, action: str, *, response: bool) -> Path:
    """The path of the enum a ``wrong_enum`` mutant breaks: a preferred one, else the nearest."""
    root = message_schema(version, action, response=response)
    level: list[Path] = [()]
    while level:
        found: list[Path] = []
        deeper: list[Path] = []
        for path in level:
            node = field_schema(root, path) or {}
            children: list[Path] = [(*path, key) for key in node.get("properties", {})]
            if node.get("type") == "array":
                children = [(*path, 0)]
            for child in children:
                (found if enum_of(root, child) else deeper).append(child)
        if found:
            return min(
                found,
                key=lambda p: _ENUM_PREFERRED.index(p[-1]) if p[-1] in _ENUM_PREFERRED else 99,
            )
        level = deeper
    raise MutantError(f"no {action} {'answer' if response else 'request'} field has an enum")


def refusal(version: OcppVersion, action: str) -> Answer | AnswerError:
    """The negative answer to ``action``: its refusing status, else CALLERROR ``NotSupported``."""
    statuses = enum_of(message_schema(version, action, response=True), ("status",))
    for status in _REFUSALS:
        if status in statuses:
            return Answer({"status": status})
    return AnswerError("NotSupported", "refused by a mutant")


def first_required(version: OcppVersion, action: str, *, response: bool) -> Path:
    """The path of the field a ``schema_violation`` mutant omits: the first the schema requires."""
    names = required_of(message_schema(version, action, response=response), ())
    if not names:
        raise MutantError(f"the {action} {'answer' if response else 'request'} requires no field")
    return (names[0],)


def _schema_violation(action: str, side: Side) -> Sequence[Rule]:
    way = side.way(action)
    return [Rule(way, action, Omit(first_required(side.version, action, response=way == REPLY)))]


def _wrong_enum(action: str, side: Side) -> Sequence[Rule]:
    way = side.way(action)
    path = first_enum(side.version, action, response=way == REPLY)
    return [Rule(way, action, Set(path, BOGUS, valid=False))]


#: The wire mutants every simulator understands.
COMMON: tuple[WireMutant, ...] = (
    WireMutant(
        "wrong_enum",
        "puts `Bogus` in an enum of `<Action>` (status, reason or errorCode first; its request, "
        "or its answer to a request)",
        _wrong_enum,
        "<Action>",
    ),
    WireMutant(
        "schema_violation",
        "leaves the first required field out of `<Action>` (request or answer)",
        _schema_violation,
        "<Action>",
    ),
    WireMutant(
        "bad_timestamp",
        f"writes every `timestamp` and `generatedAt` of its requests without a time zone "
        f"(`{BAD_TIMESTAMP}`)",
        lambda _a, _side: [Rule(CALL, "*", SetEvery(key, BAD_TIMESTAMP)) for key in TIMESTAMP_KEYS],
    ),
    WireMutant(
        "duplicate",
        "sends each `<Action>` request a second time with the same message id",
        lambda a, _side: [Rule(CALL, a, Duplicate())],
        "<Action>",
    ),
    WireMutant(
        "ignore_call",
        "never answers the peer's `<Action>`",
        lambda a, _side: [Rule(REPLY, a, Drop())],
        "<Action>",
    ),
    WireMutant(
        "reply_late",
        "answers `<Action>` one second after the message timeout",
        lambda a, _side: [Rule(REPLY, a, Late())],
        "<Action>",
    ),
    WireMutant(
        "reject",
        "answers `<Action>` with its negative status (`Rejected`, `UnlockFailed`, …; a CALLERROR "
        "`NotSupported` when the answer has no status) and does nothing",
        lambda a, side: [Rule(REPLY, a, refusal(side.version, a))],
        "<Action>",
    ),
)


def replacing(mutants: Iterable[WireMutant], *own: WireMutant) -> tuple[WireMutant, ...]:
    """``mutants`` with the same-named ones replaced by ``own`` (a simulator's own meaning)."""
    names = {mutant.name for mutant in own}
    return (*(m for m in mutants if m.name not in names), *own)


def knob_table(mutants: Iterable[WireMutant], behaviour: Mapping[str, str]) -> str:
    """A simulator's knob table in Markdown, by name: the docs page holds exactly this.

    Behaviour knobs are written ``"what it does — why it is not a wire rule"``.
    """
    rows = [(f"`{m.label}`", m.does, "wire") for m in mutants]
    for name, text in behaviour.items():
        does, _, why = text.partition(" — ")
        rows.append((f"`{name}`", does, f"behaviour: {why}"))
    rows.sort(key=lambda row: row[0].strip("`").partition(":")[0].partition("[")[0])
    lines = ["| knob | the mutant … | how |", "|---|---|---|"]
    lines += [f"| {knob} | {does} | {how} |" for knob, does, how in rows]
    return "\n".join(lines) + "\n"


def _check_where(root: dict[str, Any], action: str, where: Where) -> None:
    if field_schema(root, where.path) is None:
        raise MutantError(f"{action} has no field {'.'.join(map(str, where.path))}")
    enum = enum_of(root, where.path)
    if enum and where.value not in enum:
        raise MutantError(f"{where.value!r} is not one of {', '.join(enum)}")


def _check_op(side: Side, rule: Rule, root: dict[str, Any]) -> None:
    op, action = rule.op, rule.action
    if isinstance(op, Omit):
        if op.path[-1] not in required_of(root, op.path[:-1]):
            raise MutantError(f"{'.'.join(map(str, op.path))} is not a required field of {action}")
    elif isinstance(op, (Unset, Set)):
        if field_schema(root, op.path) is None and field_schema(root, op.path[:-1]) is None:
            raise MutantError(f"{action} has no field {'.'.join(map(str, op.path))}")
        enum = enum_of(root, op.path)
        fixed = isinstance(op, Set) and op.valid and not callable(op.value)
        if isinstance(op, Set) and fixed and enum and op.value not in enum:
            raise MutantError(f"{op.value!r} is not one of {', '.join(enum)}")
    elif isinstance(op, Extra):
        _check_action(side, CALL, op.action)
    elif (
        isinstance(op, Answer)
        and isinstance(op.payload, dict)
        and validate_payload(side.version, action, op.payload, response=True)
    ):
        raise MutantError(f"{op.payload} is not a valid {action} answer")


def _check_action(side: Side, way: str, action: str) -> None:
    if action not in actions(side.version):
        raise MutantError(f"{action!r} is not an OCPP {side.version.value} action")
    sender = side.role if way == CALL else side.peer
    if not initiator_allowed(side.version, action, sender):
        raise MutantError(f"{action} is not a request the {sender.value} sends")


def _check_rule(side: Side, rule: Rule) -> None:
    if rule.action == "*":
        return
    _check_action(side, rule.way, rule.action)
    answers = rule.way == REPLY and not isinstance(rule.op, (Drop, Answer, AnswerError))
    root = message_schema(side.version, rule.action, response=answers)
    for condition in rule.where:
        _check_where(root, rule.action, condition)
    _check_op(side, rule, message_schema(side.version, rule.action, response=rule.way == REPLY))


def _refuse(knob: str, why: str) -> ConfigurationError:
    return ConfigurationError(f"fault knob {knob!r}: {why}", field="embedded.faults")


def wire_rules(
    names: Iterable[str], mutants: Iterable[WireMutant], side: Side
) -> tuple[list[Rule], list[str]]:
    """The rules of the wire knobs among ``names``, and the other (behaviour) knob names.

    Raises:
        ConfigurationError: a wire knob missing its argument, given one it
            does not take, or whose rules do not fit the schemas (naming it).
    """
    table = {mutant.name: mutant for mutant in mutants}
    rules: list[Rule] = []
    rest: list[str] = []
    for knob in names:
        name, _, arg = knob.partition(":")
        mutant = table.get(name)
        if mutant is None:
            rest.append(knob)
            continue
        if mutant.arg.startswith("<") and not arg:
            raise _refuse(knob, f"needs an argument, e.g. '{name}:{mutant.arg}'")
        if not mutant.arg and arg:
            raise _refuse(knob, "takes no argument")
        try:
            if arg and mutant.arg == "<Action>" and arg not in actions(side.version):
                raise MutantError(f"{arg!r} is not an OCPP {side.version.value} action")
            built = list(mutant.rules(arg, side))
            for rule in built:
                _check_rule(side, rule)
        except MutantError as error:
            raise _refuse(knob, str(error)) from None
        except KeyError as error:  # a schema the version lacks
            raise _refuse(knob, f"no schema for {error.args[0]}") from None
        rules += built
    return rules, rest
