"""The expectation engine: waiting for the device's CALLs, consumed once.

Mixed into :class:`~harness.session.Session`. Every received CALL lands in the
session's backlog (``inbound``); an expectation searches the backlog first,
then waits for new arrivals under one monotonic deadline. A matched frame is
consumed, so no two expectations match the same frame. A failure names what
was awaited and for how long, the nearest candidates and the trace.
"""

from __future__ import annotations

import abc
import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from harness import errors
from harness.expect import Pattern
from harness.explain import candidates_text, capped, trace_tail, waited_text
from harness.ocppj.connection import IncomingCall, OcppConnection
from harness.ocppj.versions import OcppVersion
from harness.timeouts import DEFAULT, Timeout
from harness.trace import Trace

__all__ = ["Expectations"]


class Expectations(abc.ABC):
    """``expect``, ``expect_none``, ``expect_in_order`` and ``expect_all``."""

    connection: OcppConnection
    inbound: list[IncomingCall]
    _consumed: set[int]
    _arrived: asyncio.Event
    _arrival_awaited: bool
    _reconnect_allowed: int

    @property
    @abc.abstractmethod
    def trace(self) -> Trace:
        """The trace frames are recorded in."""

    @property
    @abc.abstractmethod
    def version(self) -> OcppVersion:
        """The OCPP version spoken."""

    @abc.abstractmethod
    def seconds(self, timeout: Timeout) -> float | None:
        """The effective deadline length for a ``timeout=`` argument."""

    @abc.abstractmethod
    def _raise_harness_errors(self) -> None:
        """Raise a harness error that happened in the background, if any."""

    def mark(self) -> int:
        """A position in the trace, for ``after=`` arguments: "from now on"."""
        return len(self.trace)

    def _find(self, pattern: Pattern, after_seq: int) -> IncomingCall | None:
        for incoming in self.inbound:
            seq = incoming.entry.seq
            if (
                seq > after_seq
                and seq not in self._consumed
                and pattern.matches(incoming.action, incoming.payload)
            ):
                return incoming
        return None

    async def _wait_arrival(self, deadline: float | None) -> bool:
        """Wait for the next frame or connection; False at the deadline or on disconnect.

        While a :meth:`reconnection` block is open, a closed connection is not
        the end: the wait goes on for a new connection until the deadline.
        """
        waiting_for_reconnect = self._reconnect_allowed > 0
        if self.connection.is_closed and not waiting_for_reconnect:
            return False
        self._arrival_awaited = True
        arrived: asyncio.Future[Any] = asyncio.ensure_future(self._arrived.wait())
        watched = {arrived}
        if not waiting_for_reconnect:
            watched.add(self.connection.closed)
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            done, _ = await asyncio.wait(
                watched, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            arrived.cancel()
        return arrived in done

    def _pattern(
        self,
        action: str | Pattern,
        match: Mapping[str, Any] | None,
        where: Callable[[dict[str, Any]], bool] | None,
    ) -> Pattern:
        if isinstance(action, Pattern):
            if match is not None or where is not None:
                raise errors.UsageError("pass match/where inside the Pattern, not beside it")
            return action
        return Pattern(action, match, where)

    async def expect(
        self,
        action: str | Pattern,
        *,
        match: Mapping[str, Any] | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
        timeout: Timeout = DEFAULT,
        after: IncomingCall | int | None = None,
        allow_invalid: bool = False,
    ) -> IncomingCall:
        """Wait for a CALL from the device matching the pattern, and consume it.

        Args:
            action: action name or a :class:`Pattern`.
            match: partial payload the frame must contain.
            where: extra predicate on the payload.
            timeout: DEFAULT (configured), None (no deadline) or seconds.
            after: only frames after this call (or trace position) count.
            allow_invalid: return a frame that breaks its schema instead of failing.

        Raises:
            ExpectationFailed: nothing matching arrived in time.
            DutDisconnected: the connection closed first.
            ProtocolViolation: the matching frame, or any CALL of the awaited
                action arriving while none matched, breaks its schema (at once,
                not at the deadline).
        """
        __tracebackhide__ = True
        pattern = self._pattern(action, match, where)
        after_seq = self._after_seq(after)
        seconds = self.seconds(timeout)
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            self._raise_harness_errors()
            found = self._find(pattern, after_seq)
            if found is not None:
                self._consumed.add(found.entry.seq)
                if found.violations and not allow_invalid:
                    raise errors.ProtocolViolation(self._invalid_text(pattern, found))
                return found
            if not allow_invalid:
                self._fail_on_invalid([pattern], after_seq)
            if not await self._wait_arrival(deadline):
                break
        self._fail_waiting([pattern], seconds, after_seq)

    def _fail_on_invalid(self, patterns: list[Pattern], after_seq: int) -> None:
        """Fail at once when a CALL of an awaited action arrived breaking its schema.

        Its payload cannot be trusted to match (an invalid enum never equals
        the awaited value), so waiting would end in a timeout that hides the
        cause. The schema is the verdict: fail now, with its error first.
        """
        __tracebackhide__ = True
        actions = {p.action: p for p in patterns}
        for incoming in self.inbound:
            if (
                incoming.violations
                and incoming.entry.seq > after_seq
                and incoming.entry.seq not in self._consumed
                and incoming.action in actions
            ):
                self._consumed.add(incoming.entry.seq)
                raise errors.ProtocolViolation(
                    self._invalid_text(actions[incoming.action], incoming)
                )

    def _after_seq(self, after: IncomingCall | int | None) -> int:
        if after is None:
            return -1
        if isinstance(after, IncomingCall):
            return after.entry.seq
        return after - 1

    def _fail_waiting(
        self, patterns: list[Pattern], seconds: float | None, after_seq: int
    ) -> NoReturn:
        __tracebackhide__ = True
        awaited = " and ".join(p.describe() for p in patterns)
        candidates = candidates_text(self.trace, patterns, self.inbound, self._consumed, after_seq)
        if self.connection.is_closed:
            closed = self.connection.closed.result()
            raise errors.DutDisconnected(
                f"The device closed the connection (code {closed.code}, reason "
                f"{closed.reason!r}) while the harness awaited {awaited}.\n"
                f"{candidates}\n\n{trace_tail(self.trace)}",
                code=closed.code,
                reason=closed.reason,
            )
        raise errors.ExpectationFailed(
            f"Expected {awaited} {waited_text(seconds)}; it did not arrive.\n"
            f"{candidates}\n\n{trace_tail(self.trace)}",
            awaited=awaited,
            timeout=seconds,
        )

    def _invalid_text(self, pattern: Pattern, found: IncomingCall) -> str:
        """The schema error first, then the frame, then what was awaited and the trace."""
        listed = "\n".join(capped([f"  - {v}" for v in found.violations], "violations"))
        frame = found.entry.format(self.trace.start_mono, self.trace.mask, 400).splitlines()[0]
        return (
            f"{found.action} breaks the OCPP {self.version.value} schema (schema):\n{listed}\n"
            f"  frame: {frame.strip()}\n"
            f"It arrived while the harness awaited {pattern.describe()}: the test fails "
            f"at once instead of waiting for a valid one.\n\n{trace_tail(self.trace)}"
        )

    async def expect_none(
        self,
        action: str | Pattern,
        *,
        match: Mapping[str, Any] | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
        during: float,
        after: IncomingCall | int | None = None,
    ) -> None:
        """Fail as soon as a matching CALL arrives within ``during`` seconds.

        Frames already received count when they came after ``after`` (default:
        only frames arriving from now on).

        Raises:
            UnexpectedMessage: a matching frame arrived.
        """
        __tracebackhide__ = True
        pattern = self._pattern(action, match, where)
        after_seq = self._after_seq(after) if after is not None else self.mark() - 1
        seconds = self.seconds(during)
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            self._raise_harness_errors()
            for incoming in self.inbound:
                if incoming.entry.seq > after_seq and pattern.matches(
                    incoming.action, incoming.payload
                ):
                    line = incoming.entry.format(self.trace.start_mono, self.trace.mask, 400)
                    raise errors.UnexpectedMessage(
                        f"The device sent {pattern.describe()}, which it must not send "
                        f"{waited_text(seconds).replace('for', 'within')}:\n  {line}\n\n"
                        f"{trace_tail(self.trace)}"
                    )
            if not await self._wait_arrival(deadline):
                return

    async def expect_in_order(
        self,
        *patterns: Pattern,
        timeout: Timeout = DEFAULT,
        after: IncomingCall | int | None = None,
    ) -> list[IncomingCall]:
        """Each pattern in turn, each frame after the previous one; one deadline for all."""
        __tracebackhide__ = True
        seconds = self.seconds(timeout)
        deadline = None if seconds is None else time.monotonic() + seconds
        after_seq = self._after_seq(after)
        found: list[IncomingCall] = []
        for pattern in patterns:
            while True:
                self._raise_harness_errors()
                hit = self._find(pattern, after_seq)
                if hit is not None:
                    break
                self._fail_on_invalid([pattern], after_seq)
                if not await self._wait_arrival(deadline):
                    self._fail_waiting([pattern], seconds, after_seq)
            self._consumed.add(hit.entry.seq)
            if hit.violations:
                raise errors.ProtocolViolation(self._invalid_text(pattern, hit))
            found.append(hit)
            after_seq = hit.entry.seq
        return found

    async def expect_all(
        self,
        *patterns: Pattern,
        timeout: Timeout = DEFAULT,
        after: IncomingCall | int | None = None,
        judge: Callable[[int, IncomingCall], None] | None = None,
    ) -> list[IncomingCall]:
        """One distinct frame per pattern, in any order; one deadline for all.

        Args:
            patterns: what each frame is (e.g. the StatusNotification of one connector).
            timeout: DEFAULT (configured), None (no deadline) or seconds.
            after: only frames after this call (or trace position) count.
            judge: called with the pattern's index and the frame as soon as
                each frame is found; it raises to fail at once on a wrong value,
                without waiting for the other frames.

        Returns the frames in the order of the patterns.
        """
        __tracebackhide__ = True
        seconds = self.seconds(timeout)
        deadline = None if seconds is None else time.monotonic() + seconds
        after_seq = self._after_seq(after)
        found: dict[int, IncomingCall] = {}
        while True:
            self._raise_harness_errors()
            for index, pattern in enumerate(patterns):
                if index not in found:
                    hit = self._find(pattern, after_seq)
                    if hit is not None:
                        self._consumed.add(hit.entry.seq)
                        if hit.violations:
                            raise errors.ProtocolViolation(self._invalid_text(pattern, hit))
                        found[index] = hit
                        if judge is not None:
                            judge(index, hit)
            if len(found) == len(patterns):
                return [found[i] for i in range(len(patterns))]
            self._fail_on_invalid([p for i, p in enumerate(patterns) if i not in found], after_seq)
            if not await self._wait_arrival(deadline):
                missing = [p for i, p in enumerate(patterns) if i not in found]
                self._fail_waiting(missing, seconds, after_seq)
