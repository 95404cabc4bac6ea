"""One OCPP-J connection: records, checks, routes and correlates every frame.

This is the engine both roles share. It does not decide what to answer (the
session and its policies do) but it makes sure that:

* every frame is recorded in the trace before anything else is done with it;
* every received frame is parsed strictly and validated against the official
  schema with format checking; each problem becomes a finding on the entry;
* a malformed CALL is answered with the CALLERROR its version prescribes
  (id ``-1`` when the id is unreadable); a malformed reply is never answered
  with a CALLERROR (2.1 answers an unusable CALLRESULT with CALLRESULTERROR);
* replies are correlated by message id only; an unknown id is a finding;
* at most one CALL of ours is outstanding unless the caller opts out, and a
  second CALL from the peer while one of its own is unanswered is a remark
  (OCPP-J says SHOULD NOT; :mod:`harness.ocppj.findings` weighs each finding).

Handlers for incoming CALLs are awaited in the reader task, so they must not
wait on the peer: a handler that needs to send a CALL schedules it instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from harness.errors import ConcurrencyError, UsageError
from harness.ocppj import findings as found
from harness.ocppj import frames as fr
from harness.ocppj.actions import actions, initiator_allowed
from harness.ocppj.channel import Channel, ChannelClosed
from harness.ocppj.deadlines import Deadlines
from harness.ocppj.errorcodes import UNKNOWN_ID, error_code_for, error_codes
from harness.ocppj.ids import IdGenerator
from harness.ocppj.validation import Violation, payload_validator
from harness.ocppj.versions import OcppVersion, Role
from harness.trace import Direction, Trace, TraceEntry

__all__ = ["IncomingCall", "OcppConnection", "Reply"]


@dataclass(eq=False)
class IncomingCall:
    """A CALL (or 2.1 SEND) received from the peer.

    Attributes:
        frame: the parsed frame.
        entry: its trace entry (raw text, times, findings).
        violations: schema violations; when any, the engine already answered
            with a CALLERROR and ``replied`` is True.
        replied: whether an answer went out.
        reply_entry: the trace entry of the answer, once sent.
    """

    frame: fr.Call | fr.Send
    entry: TraceEntry
    connection: OcppConnection
    violations: list[Violation] = field(default_factory=list)
    replied: bool = False
    reply_entry: TraceEntry | None = None
    reply_payload: dict[str, Any] | None = None

    @property
    def action(self) -> str:
        return self.frame.action

    @property
    def payload(self) -> dict[str, Any]:
        return self.frame.payload

    @property
    def unique_id(self) -> str:
        return self.frame.unique_id

    @property
    def valid(self) -> bool:
        return not self.violations

    @property
    def expects_reply(self) -> bool:
        return isinstance(self.frame, fr.Call)

    async def reply(self, payload: dict[str, Any], *, validate: bool = True) -> None:
        """Answer with a CALLRESULT; the payload is checked against the response schema.

        Raises:
            UsageError: already answered, a SEND (never answered), or an
                invalid payload while ``validate`` is on.
        """
        self._check_open()
        self.reply_payload = payload
        await self.connection.send_result(self, payload, validate=validate)

    async def reply_error(
        self, code: str, description: str = "", details: dict[str, Any] | None = None
    ) -> None:
        """Answer with a CALLERROR."""
        self._check_open()
        await self.connection.send_error(self, code, description, details or {})

    def _check_open(self) -> None:
        if not self.expects_reply:
            raise UsageError(f"{self.action} was sent as SEND: it is never answered")
        if self.replied:
            raise UsageError(
                f"{self.action} [{self.unique_id}] was already answered "
                f"({self.reply_entry.raw if self.reply_entry else 'by the engine'}); "
                "hold the action or set a reply override before it arrives"
            )


@dataclass
class Reply:
    """The peer's answer to one of our CALLs."""

    call: fr.Call
    call_entry: TraceEntry
    frame: fr.CallResult | fr.CallError
    entry: TraceEntry
    violations: list[Violation]

    @property
    def is_error(self) -> bool:
        return isinstance(self.frame, fr.CallError)

    @property
    def payload(self) -> dict[str, Any]:
        return self.frame.payload if isinstance(self.frame, fr.CallResult) else {}


CallHandler = Callable[[IncomingCall], Awaitable[None]]


class OcppConnection:
    """The engine for one live connection; see the module docstring."""

    def __init__(
        self,
        channel: Channel,
        version: OcppVersion,
        local_role: Role,
        *,
        trace: Trace,
        on_call: CallHandler,
        ids: IdGenerator | None = None,
    ) -> None:
        self.channel = channel
        self.version = version
        self.local_role = local_role
        self.trace = trace
        self.on_call = on_call
        self.next_id = ids or IdGenerator()
        self.closed: asyncio.Future[ChannelClosed] = asyncio.get_running_loop().create_future()
        self._pending: dict[str, tuple[fr.Call, TraceEntry, asyncio.Future[Reply]]] = {}
        self._abandoned: dict[str, str] = {}
        self._raw_calls: dict[str, str] = {}
        self._background: set[asyncio.Task[None]] = set()
        #: Unexpected exceptions raised while routing frames (harness bugs).
        self.internal_errors: list[Exception] = []
        #: The peer's CALL ids so far, with the action and payload of the CALL that used each.
        self._peer_ids: dict[str, tuple[str, Any]] = {}
        self._peer_open: dict[str, tuple[str, float]] = {}
        #: After this many seconds an unanswered CALL of the peer counts as
        #: timed out on its side, so its next CALL is legitimate (None: never).
        self.peer_call_timeout: float | None = None
        self._reader: asyncio.Task[None] | None = None
        self._binary_frames = 0
        self._deadlines = Deadlines(asyncio.get_running_loop())
        self._actions = actions(version)
        self._validate = payload_validator(version)
        self._request_checks = self._validate.requests
        self._response_checks = self._validate.responses
        #: The actions the peer may start, resolved once (the common case of _check_action).
        self._peer_actions = frozenset(
            action
            for action in self._actions
            if initiator_allowed(version, action, local_role.peer)
        )

    # -- life cycle -----------------------------------------------------------

    def start(self) -> None:
        """Start the reader task (owned by this connection, cancelled by close)."""
        if self._reader is None:
            self._reader = asyncio.get_running_loop().create_task(
                self._read_loop(), name=f"ocpp-reader {self.channel.description}"
            )

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the channel and stop the reader; idempotent."""
        with contextlib.suppress(ChannelClosed):
            await self.channel.close(code, reason)
        if self._reader is not None:
            try:
                async with asyncio.timeout(5):
                    await asyncio.shield(self._reader)
            except TimeoutError:
                self._reader.cancel()
        self._mark_closed(ChannelClosed(code, reason or "closed by the harness"))

    @property
    def is_closed(self) -> bool:
        return self.closed.done()

    async def _read_loop(self) -> None:
        while True:
            try:
                text = await self.channel.recv()
            except ChannelClosed as closed:
                self._mark_closed(closed)
                return
            entry = self.trace.record(Direction.RECEIVED, text)
            binary = getattr(self.channel, "binary_frames", 0)
            if binary != self._binary_frames:  # the transport counts them; text frames only
                self._binary_frames = binary
                entry.add(found.binary_frame())
            try:
                work = self._route(entry, text)
                if work is not None:  # a CALL to hand on, or a frame to refuse
                    await work
            except ChannelClosed as closed:  # our answer found the channel closed
                self._mark_closed(closed)
                return
            except Exception as error:  # an engine bug: keep reading, surface it later
                self.trace.event(f"engine error while routing #{entry.seq}: {error!r}")
                self.internal_errors.append(error)

    def _mark_closed(self, closed: ChannelClosed) -> None:
        if self.closed.done():
            return
        self.trace.event(f"connection closed: code={closed.code} reason={closed.reason!r}")
        self.closed.set_result(closed)
        self._deadlines.close()
        for _call, _entry, future in self._pending.values():
            if not future.done():
                future.set_exception(closed)
        self._pending.clear()

    # -- inbound --------------------------------------------------------------

    def _route(self, entry: TraceEntry, text: str) -> Coroutine[Any, Any, None] | None:
        """Parse a received frame and route it: the one place frames are told apart.

        Replies are correlated at once; what needs an await (handing a CALL
        on, refusing a malformed frame) is returned for the reader to await,
        so a frame costs no coroutine of its own.
        """
        try:
            frame = fr.parse(text, self.version)
        except fr.FrameError as bad:
            entry.message_type = bad.message_type
            entry.unique_id = bad.unique_id
            entry.add(found.framing(bad.problem, str(bad)))
            if bad.message_type in (None, fr.MessageType.CALL) or (
                bad.problem is fr.Problem.UNKNOWN_MESSAGE_TYPE
            ):
                return self._refuse(bad.unique_id or UNKNOWN_ID, bad.problem, str(bad))
            return None
        kind = type(frame)
        entry.message_type = fr.TYPE_CODES.get(kind) or frame.message_type.value
        entry.unique_id = frame.unique_id
        if kind is fr.Call or kind is fr.Send:
            return self._route_call(entry, frame)  # type: ignore[arg-type]
        if kind is fr.CallResult or kind is fr.CallError:
            self._route_reply(entry, frame)  # type: ignore[arg-type]
        else:
            entry.note = "peer could not process our CALLRESULT"
        return None

    async def _route_call(self, entry: TraceEntry, frame: fr.Call | fr.Send) -> None:
        entry.action = frame.action
        is_call = isinstance(frame, fr.Call)
        if len(frame.unique_id) > fr.MAX_ID_LENGTH:
            entry.add(found.framing(fr.Problem.ID_TOO_LONG, fr.Problem.ID_TOO_LONG.value))
            if is_call:
                await self._refuse(frame.unique_id, fr.Problem.ID_TOO_LONG, "message id too long")
            return
        peer_ids = self._peer_ids
        earlier = peer_ids.get(frame.unique_id)
        if earlier is not None:
            # The same action and payload again is one CALL sent twice (a retry), not
            # another CALL reusing its id; only the latter breaks the message-id rule.
            same = earlier == (frame.action, frame.payload)
            uid = frame.unique_id
            entry.add(found.retransmission(uid) if same else found.duplicate_id(uid))
        peer_ids[frame.unique_id] = (frame.action, frame.payload)
        if is_call and self._peer_open:
            self._expire_peer_calls(entry.mono)
            if self._peer_open:
                waiting = ", ".join(f"{a} [{i}]" for i, (a, _t) in self._peer_open.items())
                entry.add(found.concurrent_call(waiting))
        if frame.action not in self._peer_actions:
            problem, detail = self._check_action(frame.action)
            if problem is not None:
                entry.add(found.action_finding(problem, detail))
                if is_call:
                    await self._refuse(frame.unique_id, problem, detail)
                return
        incoming = IncomingCall(frame, entry, self)
        check = self._request_checks.get(frame.action) or self._validate.check(frame.action, False)
        if not check(frame.payload):
            incoming.violations = self._validate.explain(frame.action, frame.payload, False)
        for violation in incoming.violations:
            entry.add(found.schema(violation, self.version))
        if is_call:
            if incoming.violations:
                first = incoming.violations[0]
                await self._refuse(frame.unique_id, first.problem, str(first), incoming)
            else:
                self._peer_open[frame.unique_id] = (frame.action, entry.mono)
        await self.on_call(incoming)

    def _expire_peer_calls(self, now: float) -> None:
        if self.peer_call_timeout is None or not self._peer_open:
            return
        for unique_id, (_action, since) in list(self._peer_open.items()):
            if now - since >= self.peer_call_timeout:
                del self._peer_open[unique_id]

    def leave_unanswered(self, incoming: IncomingCall) -> None:
        """The harness will never answer ``incoming``: the peer may go on after its timeout."""
        self._peer_open.pop(incoming.unique_id, None)

    def _check_action(self, action: str) -> tuple[fr.Problem | None, str]:
        if action in self._peer_actions:
            return None, ""
        if action not in self._actions:
            return fr.Problem.UNKNOWN_ACTION, f"OCPP {self.version.value} has no action {action!r}"
        if not initiator_allowed(self.version, action, self.local_role.peer):
            sender = self.local_role.peer.value
            return fr.Problem.WRONG_DIRECTION, f"a {sender} does not send {action}"
        return None, ""

    def _route_reply(self, entry: TraceEntry, frame: fr.CallResult | fr.CallError) -> None:
        pending = self._pending.pop(frame.unique_id, None)
        if pending is None:
            late = self._abandoned.pop(frame.unique_id, None)
            raw_action = self._raw_calls.pop(frame.unique_id, None)
            if raw_action is not None or (frame.unique_id == UNKNOWN_ID and self._raw_calls):
                entry.action = raw_action
                entry.note = "answer to a raw send"
            elif late is not None:
                entry.action = late
                entry.add(found.late_reply())
            else:
                entry.add(found.unknown_id(frame.unique_id))
            return
        call, call_entry, future = pending
        entry.action = call.action
        violations: list[Violation] = []
        if isinstance(frame, fr.CallResult):
            check = self._response_checks.get(call.action) or self._validate.check(
                call.action, True
            )
            if not check(frame.payload):
                violations = self._validate.explain(call.action, frame.payload, True)
            for violation in violations:
                entry.add(found.schema(violation, self.version))
            if violations and self.version is OcppVersion.V21:
                # 2.1 lets the receiver of an unusable CALLRESULT say so.
                first = violations[0]
                code = error_code_for(first.problem, self.version)
                self._spawn_send(fr.CallResultError(frame.unique_id, code, str(first)[:255], {}))
        elif frame.error_code not in error_codes(self.version):
            entry.add(found.error_code(frame.error_code, self.version))
        if not future.done():
            future.set_result(Reply(call, call_entry, frame, entry, violations))

    def _spawn_send(self, frame: fr.Frame) -> None:
        """Send a frame from a synchronous routing step, without blocking the reader."""

        async def send() -> None:
            with contextlib.suppress(ChannelClosed):
                await self._send_frame(frame, note="answered by the engine")

        task = asyncio.get_running_loop().create_task(send())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _refuse(
        self,
        unique_id: str,
        problem: fr.Problem,
        detail: str,
        incoming: IncomingCall | None = None,
    ) -> None:
        code = error_code_for(problem, self.version)
        frame = fr.CallError(unique_id, code, detail[:255], {})
        entry = await self._send_frame(frame, note="answered by the engine")
        if incoming is not None:
            incoming.replied = True
            incoming.reply_entry = entry

    # -- outbound -------------------------------------------------------------

    async def call(
        self,
        action: str,
        payload: dict[str, Any],
        *,
        timeout: float | None,
        concurrent: bool = False,
        validate: bool = True,
        unique_id: str | None = None,
    ) -> Reply:
        """Send a CALL and wait for the reply correlated by id.

        Raises:
            ConcurrencyError: another CALL of ours is outstanding.
            UsageError: the payload breaks the schema while ``validate`` is on.
            TimeoutError: no reply before ``timeout`` seconds.
            ChannelClosed: the connection closed first.
        """
        if self._pending and not concurrent:
            outstanding = ", ".join(f"{c.action} [{i}]" for i, (c, _e, _f) in self._pending.items())
            raise ConcurrencyError(
                f"cannot send {action}: CALL {outstanding} is still outstanding "
                "(pass concurrent=True to do this on purpose)"
            )
        if self.closed.done():
            raise self.closed.result()
        self._check_outgoing(action, payload, response=False, validate=validate)
        call = fr.Call(unique_id or self.next_id(), action, payload)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Reply] = loop.create_future()
        entry = self.trace.record(Direction.SENT, fr.encode(call))
        entry.message_type, entry.unique_id, entry.action = 2, call.unique_id, action
        self._pending[call.unique_id] = (call, entry, future)
        try:
            await self.channel.send(entry.raw)
            if timeout is None:
                return await future
            self._deadlines.add(call.unique_id, timeout, future)
            try:
                return await future
            finally:
                self._deadlines.discard(call.unique_id)
        except TimeoutError:
            self._abandoned[call.unique_id] = action
            raise
        finally:
            self._pending.pop(call.unique_id, None)

    async def send_unconfirmed(self, action: str, payload: dict[str, Any]) -> TraceEntry:
        """Send an OCPP 2.1 SEND message (never answered)."""
        if self.version is not OcppVersion.V21:
            raise UsageError(f"SEND does not exist in OCPP {self.version.value}")
        self._check_outgoing(action, payload, response=False, validate=True)
        return await self._send_frame(fr.Send(self.next_id(), action, payload))

    async def send_result(
        self, incoming: IncomingCall, payload: dict[str, Any], *, validate: bool = True
    ) -> None:
        frame = incoming.frame
        action = frame.action
        self._check_outgoing(action, payload, response=True, validate=validate)
        self._answered(incoming)
        # _send_frame of a CallResult, unrolled: the frame object is not needed.
        unique_id = frame.unique_id
        entry = self.trace.record(Direction.SENT, fr.encode_result(unique_id, payload))
        entry.message_type, entry.unique_id, entry.action = 3, unique_id, action
        await self.channel.send(entry.raw)
        incoming.reply_entry = entry

    async def send_error(
        self, incoming: IncomingCall, code: str, description: str, details: dict[str, Any]
    ) -> None:
        self._answered(incoming)
        incoming.reply_entry = await self._send_frame(
            fr.CallError(incoming.unique_id, code, description, details), action=incoming.action
        )

    def _answered(self, incoming: IncomingCall) -> None:
        incoming.replied = True
        self._peer_open.pop(incoming.unique_id, None)

    async def send_raw(self, text: str, *, note: str = "raw send") -> TraceEntry:
        """Send text as it is, for deliberate misbehaviour; it is traced, not judged."""
        entry = self.trace.record(Direction.SENT, text, note=note)
        try:
            frame = fr.parse(text, self.version)
        except fr.FrameError as error:
            entry.message_type, entry.unique_id = error.message_type, error.unique_id
            self._raw_calls[error.unique_id or UNKNOWN_ID] = ""
        else:
            entry.message_type, entry.unique_id = frame.message_type.value, frame.unique_id
            entry.action = getattr(frame, "action", None)
            if isinstance(frame, fr.Call):
                self._raw_calls[frame.unique_id] = frame.action
        await self.channel.send(text)
        return entry

    async def _send_frame(
        self, frame: fr.Frame, *, note: str = "", action: str | None = None
    ) -> TraceEntry:
        entry = self.trace.record(Direction.SENT, fr.encode(frame), note=note)
        entry.message_type = fr.TYPE_CODES.get(type(frame)) or frame.message_type.value
        entry.unique_id = frame.unique_id
        entry.action = getattr(frame, "action", action)
        await self.channel.send(entry.raw)
        return entry

    def _check_outgoing(
        self, action: str, payload: dict[str, Any], *, response: bool, validate: bool
    ) -> None:
        if not validate:
            return
        try:
            check = (self._response_checks if response else self._request_checks).get(
                action
            ) or self._validate.check(action, response)
        except KeyError:
            raise UsageError(f"OCPP {self.version.value} has no {action} message") from None
        if check(payload):
            return
        violations = self._validate.explain(action, payload, response)
        if violations:
            kind = "response" if response else "request"
            listed = "; ".join(str(v) for v in violations)
            raise UsageError(
                f"the harness was about to send an invalid {action} {kind}: {listed} "
                "(use send_raw or validate=False to send invalid frames on purpose)"
            )
