"""One live OCPP connection, seen from a test case.

A :class:`Session` is what the ``csms`` and ``station`` fixtures hand to a test:
it owns the engine (:class:`~harness.ocppj.OcppConnection`) and adds the
vocabulary of a test case:

* ``expect`` — wait for a CALL from the device. Frames are consumed once;
  frames that arrived before the expectation are found in the backlog; one
  monotonic deadline per wait.
* ``expect_none`` — the device must not send something during a window.
* ``expect_in_order`` / ``expect_all`` — several frames, in a fixed or any order.
* ``call`` — send a CALL and require a proper answer (and a status).
* ``respond`` / ``hold`` — decide how the device's CALLs are answered; anything
  neither held nor overridden is answered by the default policy.

Timeouts: ``timeout=DEFAULT`` means the configured message timeout, ``None``
means no deadline (the per-test timeout still guards), a number means that
many seconds. Every timeout is multiplied by the session's ``time_factor``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from typing import Any

from harness import errors
from harness.explain import capped, judge_reply, trace_tail, waited_text
from harness.ocppj.channel import Channel, ChannelClosed
from harness.ocppj.connection import IncomingCall, OcppConnection, Reply
from harness.ocppj.versions import OcppVersion, Role
from harness.replycontrol import ReplyControl, answer
from harness.responders import DefaultPolicy, ReplySpec
from harness.timeouts import DEFAULT, Timeout
from harness.trace import Trace
from harness.waiting import Expectations

__all__ = ["DEFAULT", "Session"]

logger = logging.getLogger("harness.session")


class Session(Expectations, ReplyControl):
    """A live OCPP connection with expectations, calls and reply control.

    Create one with :meth:`open`; close it with :meth:`close` (the fixtures do both).
    """

    def __init__(
        self,
        connection: OcppConnection,
        policy: Callable[[IncomingCall], ReplySpec],
        *,
        message_timeout: float,
        time_factor: float = 1.0,
        identity: str = "",
    ) -> None:
        self.connection = connection
        self.policy = policy
        self.message_timeout = message_timeout
        self.time_factor = time_factor
        self.identity = identity
        self.inbound: list[IncomingCall] = []
        self._consumed: set[int] = set()
        self._arrived = asyncio.Event()
        self._arrival_awaited = False
        ReplyControl.__init__(self)
        self._harness_errors: list[errors.HarnessError] = []
        self._reconnect_allowed = 0
        #: How many connections this session has had; grows on :meth:`adopt`.
        self.generation = 1
        connection.on_call = self._on_call

    @classmethod
    def open(
        cls,
        channel: Channel,
        version: OcppVersion,
        local_role: Role,
        *,
        identity: str = "",
        message_timeout: float = 10.0,
        time_factor: float = 1.0,
        policy: Callable[[IncomingCall], ReplySpec] | None = None,
        trace: Trace | None = None,
    ) -> Session:
        """Wrap a connected channel and start reading from it."""

        async def unset(_call: IncomingCall) -> None:  # replaced in __init__
            return None

        if trace is None:
            trace = Trace(identity or channel.description)
        connection = OcppConnection(channel, version, local_role, trace=trace, on_call=unset)
        session = cls(
            connection,
            policy or DefaultPolicy(version, local_role),
            message_timeout=message_timeout,
            time_factor=time_factor,
            identity=identity,
        )
        trace.event(f"connected: {channel.description} ({version.subprotocol})")
        connection.peer_call_timeout = session.seconds(DEFAULT)
        connection.start()
        return session

    # -- properties -----------------------------------------------------------

    @property
    def version(self) -> OcppVersion:
        return self.connection.version

    @property
    def trace(self) -> Trace:
        return self.connection.trace

    @property
    def is_closed(self) -> bool:
        return self.connection.is_closed

    def begin(self, trace: Trace) -> None:
        """Start a new test on a connection that outlives tests.

        The backlog, reply overrides and holds of the previous test are dropped;
        frames are recorded in ``trace`` from now on.
        """
        self.connection.trace = trace
        self.inbound.clear()
        self._consumed.clear()
        self._overrides.clear()
        self._held.clear()
        self._harness_errors.clear()
        trace.event(f"test starts on {self.connection.channel.description}")

    def adopt(self, channel: Channel) -> None:
        """Continue on a new connection from the same peer (after a reboot or reconnect).

        The trace, backlog and reply control carry over; the old connection
        is left to close on its own.
        """
        old = self.connection
        connection = OcppConnection(
            channel, old.version, old.local_role, trace=old.trace, on_call=self._on_call
        )
        connection.peer_call_timeout = old.peer_call_timeout
        self.connection = connection
        self.generation += 1
        old.trace.event(f"reconnected: {channel.description} (connection #{self.generation})")
        connection.start()
        self._notify()

    @contextlib.asynccontextmanager
    async def reconnection(self, timeout: Timeout = DEFAULT) -> AsyncIterator[None]:
        """The body makes the peer reconnect (power cycle, reset); wait until it has.

        Inside the block a disconnect is not a failure. On leaving, the session
        waits (bounded by ``timeout``) for a connection newer than the one at
        entry.

        Raises:
            DutDisconnected: the peer did not reconnect in time.
        """
        __tracebackhide__ = True
        start = self.generation
        with self.disconnect_allowed():
            yield
            seconds = self.seconds(timeout)
            deadline = None if seconds is None else time.monotonic() + seconds
            while self.generation == start:
                if not await self._wait_arrival(deadline):
                    if self.generation != start:
                        break
                    raise errors.DutDisconnected(
                        f"The device did not reconnect {waited_text(seconds)} "
                        f"(still on connection #{start}).\n\n{trace_tail(self.trace)}"
                    )

    @contextlib.contextmanager
    def disconnect_allowed(self) -> Iterator[None]:
        """Inside the block the peer may drop and come back; neither is required.

        Expectations in the block treat a closed connection as "not yet": they
        go on waiting, until their deadline, for frames on a new connection.
        """
        self._reconnect_allowed += 1
        try:
            yield
        finally:
            self._reconnect_allowed -= 1

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.connection.close(code, reason)

    def seconds(self, timeout: Timeout) -> float | None:
        """The effective deadline length for a ``timeout=`` argument."""
        if timeout is None:
            return None
        if isinstance(timeout, int | float):
            return timeout * self.time_factor
        return self.message_timeout * self.time_factor  # DEFAULT

    # -- inbound routing ------------------------------------------------------

    def _notify(self) -> None:
        if self._arrival_awaited:  # else nobody holds the event: nothing to wake
            self._arrived.set()
            self._arrived = asyncio.Event()
            self._arrival_awaited = False

    async def _on_call(self, incoming: IncomingCall) -> None:
        self.inbound.append(incoming)
        if self._arrival_awaited:
            self._notify()
        action = incoming.frame.action
        if incoming.replied or not incoming.expects_reply or self._held.get(action):
            return
        chosen = self._overrides.get(action, self.policy)
        try:
            spec = chosen(incoming) if callable(chosen) else chosen
            await answer(incoming, spec)
        except errors.HarnessError as error:
            self.trace.event(f"harness error while answering {incoming.action}: {error}")
            self._harness_errors.append(error)
        except ChannelClosed:
            pass
        except Exception as exc:  # a broken responder is the test's bug: surface it
            broken = errors.UsageError(f"the responder for {incoming.action} raised {exc!r}")
            broken.__cause__ = exc
            self.trace.event(f"harness error while answering {incoming.action}: {exc!r}")
            self._harness_errors.append(broken)

    def _raise_harness_errors(self) -> None:
        if self.connection.internal_errors:
            cause = self.connection.internal_errors.pop(0)
            raise errors.HarnessError(f"the OCPP engine failed on a frame: {cause!r}") from cause
        if self._harness_errors:
            error = self._harness_errors.pop(0)
            raise error

    # -- outbound -------------------------------------------------------------

    async def call(
        self,
        action: str,
        payload: dict[str, Any],
        *,
        status: str | Collection[str] | None = None,
        timeout: Timeout = DEFAULT,
        allow_error: bool = False,
        concurrent: bool = False,
        validate: bool = True,
    ) -> Reply:
        """Send a CALL and require a valid answer.

        Args:
            status: the ``status`` (or one of the statuses) the answer must carry.
            allow_error: return a CALLERROR answer instead of failing on it.
            concurrent: allow this CALL while another of ours is outstanding.
            validate: refuse to send a payload that breaks the schema.

        Raises:
            ResponseTimeout, CallErrorReceived, InvalidResponse, UnexpectedStatus,
            DutDisconnected: the device did not answer properly.
        """
        __tracebackhide__ = True
        if self._harness_errors or self.connection.internal_errors:
            self._raise_harness_errors()
        seconds = self.seconds(timeout)
        try:
            reply = await self.connection.call(
                action, payload, timeout=seconds, concurrent=concurrent, validate=validate
            )
        except TimeoutError:
            raise errors.ResponseTimeout(
                f"The device did not answer {action} {waited_text(seconds)}.\n\n"
                f"{trace_tail(self.trace)}",
                action=action,
                unique_id="",
            ) from None
        except ChannelClosed as closed:
            raise errors.DutDisconnected(
                f"The connection closed (code {closed.code}, reason {closed.reason!r}) "
                f"before the device answered {action}.\n\n{trace_tail(self.trace)}",
                code=closed.code,
                reason=closed.reason,
            ) from None
        judge_reply(reply, status, allow_error, self.trace, self.version.value)
        return reply

    async def send_raw(self, text: str) -> None:
        """Send text exactly as given (malformed frames on purpose); traced, not judged."""
        await self.connection.send_raw(text)

    async def send_unconfirmed(self, action: str, payload: dict[str, Any]) -> None:
        """Send an OCPP 2.1 SEND message."""
        await self.connection.send_unconfirmed(action, payload)

    # -- verdict support ------------------------------------------------------

    def conformance_findings(self) -> list[str]:
        """Findings on received frames that make the device non-conformant."""
        return [
            f"{entry.format(self.trace.start_mono, self.trace.mask, 240)}\n    -> {finding}"
            for entry, finding in self.trace.findings()
        ]

    def check_findings(self) -> None:
        """Raise ProtocolViolation when received frames carried conformance findings."""
        __tracebackhide__ = True
        self._raise_harness_errors()
        found = self.conformance_findings()
        if found:
            raise errors.ProtocolViolation(
                "Frames from the device broke the OCPP-J rules or schemas:\n"
                + "\n".join(capped(found, "findings"))
                + f"\n\n{trace_tail(self.trace)}"
            )
