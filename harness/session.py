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
* ``registered`` — registration first: in the CSMS role (``registration_timeout``
  set), ``call`` waits until this connection's BootNotification was answered
  Accepted (or, with ``while_pending=True``, Pending). A station registered
  earlier in the run that reconnects without a BootNotification is registered.

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
from typing import Any, Protocol

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

__all__ = ["DEFAULT", "Session", "SessionObserver"]

logger = logging.getLogger("harness.session")

#: Registration statuses that let the CSMS send requests (``while_pending`` adds Pending).
_REGISTERED = frozenset({"Accepted"})
_PENDING_OK = frozenset({"Accepted", "Pending"})
#: The trace note of a CALL the test chose never to answer (replycontrol.answer).
_SILENT = "left unanswered on purpose"


class SessionObserver(Protocol):
    """Watches a session's traffic (e.g. to restore idle after a test case)."""

    def seen(self, incoming: IncomingCall) -> None:
        """A CALL arrived from the device (before it is answered)."""

    async def before_call(self, session: Session, action: str, payload: dict[str, Any]) -> None:
        """A CALL of the harness is about to go out (it may read state first)."""

    def called(self, action: str, payload: dict[str, Any], reply: Reply) -> None:
        """The device answered a CALL of the harness."""


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
        #: Seconds a CALL waits for the station's registration; None: no rule (station role).
        self.registration_timeout: float | None = None
        #: Whether a BootNotification was answered Accepted on any connection so far.
        self.registered_once = False
        self._boot: IncomingCall | None = None
        self._rule_lifted = 0
        #: Watchers of the traffic, told of every CALL in and out.
        self.observers: list[SessionObserver] = []
        #: Refuses (with a reason) or admits again the peer's new connections; set by the
        #: role that listens (the CSMS role), None where the harness cannot cut the network.
        self.gate: Callable[[str | None], None] | None = None
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

    async def release_all(self) -> None:
        """Drop the test's reply overrides and holds; answer what they left unanswered.

        CALLs of the device on the current connection that a hold kept waiting
        get the default policy's answer (a held BootNotification is accepted).
        """
        self._overrides.clear()
        self._held.clear()
        for incoming in list(self.inbound):
            if incoming.replied or not incoming.expects_reply:
                continue
            if incoming.connection is not self.connection or incoming.entry.note == _SILENT:
                continue  # another connection, or left unanswered on purpose
            await self._answer(incoming, incoming.action)
        self._notify()

    def adopt(self, channel: Channel) -> None:
        """Continue on a new connection from the same peer (after a reboot or reconnect).

        The trace, backlog and reply control carry over; the old connection
        is left to close on its own.
        """
        self.registration_status()  # remembers an Accepted boot of the old connection
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

    @contextlib.asynccontextmanager
    async def offline(self, timeout: Timeout = DEFAULT) -> AsyncIterator[None]:
        """The harness cuts the network for the block: the device is offline.

        On entry the connection is closed and every new connection of the
        device is refused until the block ends (a lab pulls the network
        cable; the harness does it on its side). On leaving, connections are
        admitted again and the session waits (bounded by ``timeout``) for the
        device to reconnect.

        Raises:
            UsageError: this session cannot refuse connections (station role).
            DutDisconnected: the device did not reconnect in time.
        """
        __tracebackhide__ = True
        gate = self.gate
        if gate is None:
            raise errors.UsageError("this session cannot take the device offline")
        async with self.reconnection(timeout=timeout):
            gate("the harness has cut the network (offline test step)")
            try:
                self.trace.event("offline: the harness closes the connection, refuses new ones")
                await self.close(1001, "network cut by the harness")
                yield
            finally:
                gate(None)
                self.trace.event("online: the harness accepts connections again")

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
        action = incoming.frame.action
        if action == "BootNotification":
            self.registration_status()  # remembers an earlier Accepted before it is replaced
            self._boot = incoming
        for observer in self.observers:
            observer.seen(incoming)
        if self._arrival_awaited:
            self._notify()
        if incoming.replied or not incoming.expects_reply or self._held.get(action):
            return
        try:
            await self._answer(incoming, action)
        finally:
            if action == "BootNotification":
                self._notify()  # wakes a CALL waiting for the registration

    async def _answer(self, incoming: IncomingCall, action: str) -> None:
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

    # -- registration -----------------------------------------------------------

    @property
    def last_boot(self) -> IncomingCall | None:
        """The last BootNotification received, on any connection."""
        return self._boot

    def registration_status(self) -> str | None:
        """The station's registration on the current connection.

        Returns:
            the status answered to this connection's last BootNotification
            (``Accepted``, ``Pending``, ``Rejected``); ``Accepted`` when no
            BootNotification came on this connection and the station was
            accepted earlier in the run (a reconnect without reboot); None
            while unanswered or never booted.
        """
        boot = self._boot
        if boot is not None and boot.connection is self.connection:
            if not boot.replied or boot.reply_payload is None:
                return None
            status = str(boot.reply_payload.get("status"))
            if status == "Accepted":
                self.registered_once = True
            return status
        return "Accepted" if self.registered_once else None

    async def registered(self, *, while_pending: bool = False) -> None:
        """Wait (bounded by ``registration_timeout``) until the station is registered.

        OCPP: a CSMS sends no request to a newly connected station before its
        BootNotification was answered Accepted (during Pending only what the
        case sends on purpose, ``while_pending``).

        Raises:
            StationNotRegistered: not registered within the bound.
        """
        __tracebackhide__ = True
        wanted = _PENDING_OK if while_pending else _REGISTERED
        if self.registration_timeout is None or self._rule_lifted:
            return
        if self.registration_status() in wanted:
            return
        seconds = self.registration_timeout * self.time_factor
        deadline = time.monotonic() + seconds
        with self.disconnect_allowed():  # a station may reconnect before it boots
            while self.registration_status() not in wanted:
                if time.monotonic() >= deadline:
                    raise errors.StationNotRegistered(self._unregistered_text(wanted, seconds))
                await self._wait_arrival(deadline)

    @contextlib.contextmanager
    def before_registration(self) -> Iterator[None]:
        """Inside the block CALLs go out whatever the registration (tests of a station's
        behaviour while Pending or Rejected, or of a boot that breaks the schema)."""
        self._rule_lifted += 1
        try:
            yield
        finally:
            self._rule_lifted -= 1

    def _unregistered_text(self, wanted: frozenset[str], seconds: float) -> str:
        boot = self._boot
        if boot is None or boot.connection is not self.connection:
            seen = "no BootNotification arrived on this connection"
        elif not boot.replied:
            seen = "its BootNotification is still unanswered (held by the test case?)"
        else:
            seen = f"its BootNotification was answered {self.registration_status()!r}"
        return (
            f"The station {self.identity!r} did not register {waited_text(seconds)}: the "
            f"harness awaited a BootNotification answered {' or '.join(sorted(wanted))} on "
            f"connection #{self.generation} before sending any request; {seen}.\n\n"
            f"{trace_tail(self.trace)}"
        )

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
        while_pending: bool = False,
    ) -> Reply:
        """Send a CALL and require a valid answer.

        Waits first for the station's registration (see :meth:`registered`).

        Args:
            status: the ``status`` (or one of the statuses) the answer must carry.
            allow_error: return a CALLERROR answer instead of failing on it.
            concurrent: allow this CALL while another of ours is outstanding.
            validate: refuse to send a payload that breaks the schema.
            while_pending: the case sends this during a Pending registration on
                purpose (2.0.1 B02/B04); a Pending answer is enough.

        Raises:
            ResponseTimeout, CallErrorReceived, InvalidResponse, UnexpectedStatus,
            DutDisconnected: the device did not answer properly.
            StationNotRegistered: the station did not register in time.
        """
        __tracebackhide__ = True
        if self._harness_errors or self.connection.internal_errors:
            self._raise_harness_errors()
        await self.registered(while_pending=while_pending)
        for observer in self.observers:
            await observer.before_call(self, action, payload)
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
        for observer in self.observers:
            observer.called(action, payload, reply)
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
