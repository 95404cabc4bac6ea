"""The mutation layer: wire-level faults between a reference simulator and its connection.

A reference simulator behaves correctly; a *mutant* is the same simulator
with rules that change what goes on the wire. Every rule matches one way
(:data:`CALL`, a request the simulator sends; :data:`REPLY`, its answer to
the peer's request), an action (``"*"`` for any) and optional conditions on
the payload (:class:`Where`), and applies one operation:

=================  ===========================================================
operation          effect
=================  ===========================================================
:class:`Drop`      a CALL is not sent (the sender gets no reply); a request of
                   the peer never reaches the behaviour and is never answered
:class:`Delay`     sent (or answered) that many seconds later, times the run's
                   time factor
:class:`Late`      answered after the (stretched) message timeout has passed
:class:`Duplicate` the CALL is sent again after its reply: the same text and
                   id (a retransmission), or with a new id
:class:`Reorder`   the CALL is held and sent after the next CALL
:class:`Omit`      a required field (found from the schema) is left out
:class:`Unset`     an optional field is left out
:class:`Set`       a field gets another value (valid or not; ``valid`` says)
:class:`SetEvery`  every field of that name, at any depth, gets a value
:class:`Extra`     another CALL is sent after the message
:class:`Answer`    the peer's request is answered with this payload instead
                   of reaching the behaviour (a status, a refusal)
:class:`AnswerError` the same, with a CALLERROR
=================  ===========================================================

Conditions of a :data:`CALL` rule, and of a :data:`REPLY` rule whose
operation replaces the answer (Drop, Answer, AnswerError), test the request;
those of the other :data:`REPLY` rules test the answer about to be sent.
Rules are checked against the schemas when a profile is loaded
(:mod:`harness.sim.mutants`); this module only applies them.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.errors import HarnessError
from harness.ocppj import frames as fr
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.connection import IncomingCall, OcppConnection, Reply
from harness.ocppj.replies import NO_REPLY, ErrorReply, ReplySpec, send_reply
from harness.sim.mutation_schema import Path

__all__ = [
    "CALL",
    "REPLY",
    "Answer",
    "AnswerError",
    "Delay",
    "Drop",
    "Duplicate",
    "Extra",
    "Late",
    "MutationLayer",
    "Omit",
    "Op",
    "Reorder",
    "Rule",
    "Set",
    "SetEvery",
    "Unset",
    "Where",
    "rewrite",
]

#: A request the simulator sends.
CALL = "call"
#: The simulator's answer to a request of its peer.
REPLY = "reply"

_MISSING = object()


@dataclass(frozen=True)
class Where:
    """A condition: the value at ``path`` equals ``value`` (differs from it with ``negate``)."""

    path: Path
    value: Any
    negate: bool = False

    def __call__(self, payload: dict[str, Any]) -> bool:
        return bool(_get(payload, self.path) == self.value) != self.negate


@dataclass(frozen=True)
class Drop:
    """Do not send the CALL; leave the peer's request unanswered (unseen by the behaviour)."""


@dataclass(frozen=True)
class Delay:
    """Send or answer ``seconds`` later (times the time factor)."""

    seconds: float


@dataclass(frozen=True)
class Late:
    """Answer ``times`` the message timeout plus ``margin`` seconds (both stretched) later."""

    margin: float = 1.0
    times: float = 1.0


@dataclass(frozen=True)
class Duplicate:
    """Send the CALL again once answered: same id (a retransmission) or a new one."""

    new_id: bool = False


@dataclass(frozen=True)
class Reorder:
    """Hold the CALL and send it after the next CALL."""


@dataclass(frozen=True)
class Omit:
    """Leave out the required field at ``path`` (the message breaks the schema)."""

    path: Path


@dataclass(frozen=True)
class Unset:
    """Leave out the optional field at ``path`` (the message stays valid)."""

    path: Path


@dataclass(frozen=True)
class Set:
    """Give the field at ``path`` ``value`` (added when absent); ``valid``: the schema holds.

    A callable ``value`` makes the new value from the current one (None when absent).
    """

    path: Path
    value: Any
    valid: bool = True

    def new_value(self, current: Any) -> Any:
        if callable(self.value):
            return self.value(None if current is _MISSING else current)
        return self.value


@dataclass(frozen=True)
class SetEvery:
    """Give every field named ``key``, at any depth, ``value``."""

    key: str
    value: Any
    valid: bool = False


@dataclass(frozen=True)
class Extra:
    """Send the CALL ``action`` with ``payload`` after the message."""

    action: str
    payload: dict[str, Any] = field(default_factory=dict)
    valid: bool = True


@dataclass(frozen=True)
class Answer:
    """Answer the peer's request with ``payload`` (or what it makes of the request).

    The behaviour never sees the request.
    """

    payload: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class AnswerError:
    """Answer the peer's request with a CALLERROR; the behaviour never sees it."""

    code: str
    description: str = "refused by a mutant"


Op = (
    Drop | Delay | Late | Duplicate | Reorder | Omit | Unset | Set | SetEvery | Extra | Answer
) | AnswerError

#: Operations that replace the answer to the peer's request (tested on the request).
_INTERCEPTS = (Drop, Answer, AnswerError)
#: Operations that change a payload.
_REWRITES = (Omit, Unset, Set, SetEvery)


@dataclass(frozen=True)
class Rule:
    """One wire fault: on ``way`` (:data:`CALL`, :data:`REPLY`) for ``action``, when ``where``."""

    way: str
    action: str
    op: Op
    where: tuple[Where, ...] = ()

    def matches(self, way: str, action: str, payload: dict[str, Any]) -> bool:
        return (
            self.way == way
            and self.action in ("*", action)
            and all(condition(payload) for condition in self.where)
        )


def _get(payload: Any, path: Path) -> Any:
    node = payload
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node


def _parent(payload: Any, path: Path) -> Any:
    return _get(payload, path[:-1])


def _set_every(value: Any, key: str, new: Any) -> Any:
    if isinstance(value, dict):
        return {k: new if k == key else _set_every(v, key, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_set_every(item, key, new) for item in value]
    return value


def rewrite(payload: dict[str, Any], ops: Sequence[Op]) -> tuple[dict[str, Any], bool]:
    """The payload after the rewriting operations, and whether it still meets the schema."""
    if not any(isinstance(op, _REWRITES) for op in ops):
        return payload, True
    changed: Any = copy.deepcopy(payload)
    valid = True
    for op in ops:
        if isinstance(op, (Omit, Unset)):
            holder = _parent(changed, op.path)
            if isinstance(holder, dict):
                holder.pop(op.path[-1], None)
            valid = valid and isinstance(op, Unset)
        elif isinstance(op, Set):
            holder, last = _parent(changed, op.path), op.path[-1]
            fits = isinstance(holder, list) and isinstance(last, int) and last < len(holder)
            if isinstance(holder, dict) or fits:
                holder[last] = op.new_value(_get(changed, op.path))
            valid = valid and op.valid
        elif isinstance(op, SetEvery):
            changed = _set_every(changed, op.key, op.value)
            valid = valid and op.valid
    return changed, valid


class MutationLayer:
    """Applies a mutant's rules to what one simulator sends (no rules: the reference).

    Args:
        rules: the mutant's rules, already checked against the schemas.
        late_after: the (stretched) message timeout, for :class:`Late`.
        time_factor: the run's time factor, for :class:`Delay` and margins.
        spawn: runs a deferred answer without blocking the connection's reader.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        late_after: Callable[[], float],
        time_factor: float = 1.0,
        spawn: Callable[[Coroutine[Any, Any, None]], object],
    ) -> None:
        self.rules = tuple(rules)
        self._late_after = late_after
        self._factor = time_factor
        self._spawn = spawn
        self._held: tuple[str, dict[str, Any], bool] | None = None

    def __bool__(self) -> bool:
        return bool(self.rules)

    def _ops(self, way: str, action: str, payload: dict[str, Any]) -> list[Op]:
        return [rule.op for rule in self.rules if rule.matches(way, action, payload)]

    async def _pause(self, ops: Sequence[Op]) -> None:
        # The pause is the mutant's deliberate misbehaviour, not a wait for a device.
        for op in ops:
            if isinstance(op, Delay):
                await asyncio.sleep(op.seconds * self._factor)
            elif isinstance(op, Late):
                await asyncio.sleep(self._late_after() * op.times + op.margin * self._factor)

    # -- requests the simulator sends ------------------------------------------------

    async def call(
        self,
        connection: OcppConnection,
        action: str,
        payload: dict[str, Any],
        *,
        timeout: float | None,
        validate: bool = True,
    ) -> Reply | None:
        """Send the CALL as the mutant would; None when it was dropped or held back.

        Raises:
            TimeoutError, ChannelClosed, ConcurrencyError, UsageError: as
            :meth:`OcppConnection.call` for the CALL itself.
        """
        ops = self._ops(CALL, action, payload)
        if not ops:
            reply = await connection.call(action, payload, timeout=timeout, validate=validate)
            await self._release(connection, timeout)
            return reply
        sent, valid = rewrite(payload, ops)
        if any(isinstance(op, Drop) for op in ops):
            return None
        if any(isinstance(op, Reorder) for op in ops) and self._held is None:
            self._held = (action, sent, validate and valid)
            return None
        await self._pause(ops)
        unique_id = connection.next_id()
        try:
            return await connection.call(
                action, sent, timeout=timeout, validate=validate and valid, unique_id=unique_id
            )
        finally:
            await self._after_call(connection, ops, fr.Call(unique_id, action, sent), timeout)

    async def _after_call(
        self, connection: OcppConnection, ops: Sequence[Op], call: fr.Call, timeout: float | None
    ) -> None:
        with contextlib.suppress(TimeoutError, ChannelClosed, HarnessError):
            for op in ops:
                if isinstance(op, Duplicate) and not op.new_id:
                    await connection.send_raw(fr.encode(call), note="mutant: retransmission")
                elif isinstance(op, Duplicate):
                    await connection.call(
                        call.action, call.payload, timeout=timeout, validate=False
                    )
                elif isinstance(op, Extra):
                    await connection.call(op.action, op.payload, timeout=timeout, validate=op.valid)
            await self._release(connection, timeout)

    async def _release(self, connection: OcppConnection, timeout: float | None) -> None:
        if self._held is None:
            return
        action, payload, validate = self._held
        self._held = None
        with contextlib.suppress(TimeoutError, ChannelClosed, HarnessError):
            await connection.call(action, payload, timeout=timeout, validate=validate)

    # -- answers to the peer's requests ------------------------------------------------

    def intercept(self, incoming: IncomingCall) -> ReplySpec | None:
        """The answer that replaces the behaviour's for this request, or None."""
        for op in self._ops(REPLY, incoming.action, incoming.payload):
            if isinstance(op, Drop):
                return NO_REPLY
            if isinstance(op, Answer):
                made = op.payload
                return made(incoming.payload) if callable(made) else copy.deepcopy(made)
            if isinstance(op, AnswerError):
                return ErrorReply(op.code, op.description)
        return None

    def defers(self, incoming: IncomingCall) -> bool:
        """Whether the answer to this request waits (then send it from a task, not the reader)."""
        return any(
            rule.way == REPLY
            and rule.action in ("*", incoming.action)
            and isinstance(rule.op, (Delay, Late, Extra))
            for rule in self.rules
        )

    async def answer(
        self, incoming: IncomingCall, spec: ReplySpec, *, validate: bool = True
    ) -> None:
        """Send the behaviour's answer ``spec`` as the mutant would."""
        ops = (
            [
                op
                for op in self._ops(REPLY, incoming.action, spec)
                if not isinstance(op, _INTERCEPTS)
            ]
            if isinstance(spec, dict)
            else [
                rule.op
                for rule in self.rules
                if rule.way == REPLY
                and rule.action in ("*", incoming.action)
                and not rule.where
                and isinstance(rule.op, (Delay, Late, Extra))
            ]
        )
        if isinstance(spec, dict):
            spec, valid = rewrite(spec, ops)
            validate = validate and valid
        await self._pause(ops)
        if incoming.connection.is_closed or incoming.replied:
            return
        with contextlib.suppress(ChannelClosed):
            await send_reply(incoming, spec, validate=validate)
        extras = [op for op in ops if isinstance(op, Extra)]
        if extras:
            self._spawn(self._extras(incoming.connection, extras))

    async def _extras(self, connection: OcppConnection, extras: Sequence[Extra]) -> None:
        with contextlib.suppress(TimeoutError, ChannelClosed, HarnessError):
            for op in extras:
                await connection.call(
                    op.action, op.payload, timeout=self._late_after(), validate=op.valid
                )
