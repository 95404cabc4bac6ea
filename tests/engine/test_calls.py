"""Calls and replies: Session.call's verdicts, reply control, and the default policy per version."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from engine_support import (
    BENIGN,
    NOW,
    QUIET,
    SHORT,
    V16,
    V21,
    V201,
    WAIT,
    OpenPair,
    OpenRaw,
    Pair,
    authorize_request,
    boot_request,
    later,
    status_call,
    status_request,
)

from harness.errors import (
    CallErrorReceived,
    ConcurrencyError,
    DutDisconnected,
    HarnessError,
    ResponseTimeout,
    UnexpectedStatus,
    UsageError,
)
from harness.ocppj import OcppVersion, Role
from harness.responders import NO_REPLY, DefaultPolicy, ErrorReply, TokenBook
from harness.trace import Direction

# ``role`` is the role of the harness session that makes the CALL; its peer is the other session.


def _sides(pair: Pair, role: Role) -> tuple[Any, Any]:
    return pair.session(role), pair.session(role.peer)


async def test_call_returns_the_reply(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """call() returns the peer's CALLRESULT, and status= accepts a matching status."""
    caller, callee = _sides(open_pair(version), role)
    sample = status_call(version, role)
    callee.respond(sample.action, sample.accepted)
    reply = await caller.call(sample.action, sample.payload, status="Accepted", timeout=WAIT)
    assert reply.payload == sample.accepted
    assert not reply.is_error
    assert reply.call.action == sample.action
    got = await callee.expect(sample.action, timeout=0)
    assert got.unique_id == reply.call.unique_id


async def test_call_with_another_status_fails(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """status= raises UnexpectedStatus naming the status received and the one required."""
    caller, callee = _sides(open_pair(version), role)
    sample = status_call(version, role)
    callee.respond(sample.action, sample.rejected)
    with pytest.raises(UnexpectedStatus) as caught:
        await caller.call(sample.action, sample.payload, status="Accepted", timeout=WAIT)
    assert "'Rejected'" in str(caught.value)
    assert "'Accepted'" in str(caught.value)
    assert caught.value.action == sample.action
    reply = await caller.call(
        sample.action, sample.payload, status=["Accepted", "Rejected"], timeout=WAIT
    )
    assert reply.payload["status"] == "Rejected"


async def test_callerror_fails_the_call_unless_allowed(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """A CALLERROR answer raises CallErrorReceived; with allow_error=True it is returned."""
    caller, callee = _sides(open_pair(version), role)
    action = BENIGN[role]
    callee.respond(action, ErrorReply("InternalError", "boom", {"where": "test"}))
    with pytest.raises(CallErrorReceived) as caught:
        await caller.call(action, {}, timeout=WAIT)
    assert (caught.value.error_code, caught.value.description) == ("InternalError", "boom")
    assert "CALLERROR InternalError" in str(caught.value)
    reply = await caller.call(action, {}, timeout=WAIT, allow_error=True)
    assert reply.is_error
    assert reply.frame.error_details == {"where": "test"}
    assert reply.payload == {}


async def test_unanswered_call_times_out(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """A CALL the peer holds raises ResponseTimeout after the timeout, naming action and time."""
    caller, callee = _sides(open_pair(version), role)
    action = BENIGN[role]
    callee.hold(action)
    start = time.monotonic()
    with pytest.raises(ResponseTimeout) as caught:
        await caller.call(action, {}, timeout=SHORT)
    assert SHORT <= time.monotonic() - start < 1.0
    assert f"did not answer {action} for {SHORT:g} s" in str(caught.value)


async def test_second_concurrent_call_is_refused_unless_asked(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """A second CALL while one is outstanding raises ConcurrencyError; concurrent=True allows it."""
    caller, callee = _sides(open_pair(version), role)
    action = BENIGN[role]
    with callee.hold(action):
        first = asyncio.create_task(caller.call(action, {}, timeout=WAIT))
        held_first = await callee.expect(action, timeout=WAIT)
        with pytest.raises(ConcurrencyError) as caught:
            await caller.call(action, {}, timeout=WAIT)
        assert "still outstanding" in str(caught.value)
        second = asyncio.create_task(caller.call(action, {}, timeout=WAIT, concurrent=True))
        held_second = await callee.expect(action, timeout=WAIT)
    reply = {"currentTime": NOW} if action == "Heartbeat" else {"status": "Accepted"}
    await held_second.reply(reply)
    await held_first.reply(reply)
    assert (await first).call.unique_id == held_first.unique_id
    assert (await second).call.unique_id == held_second.unique_id


async def test_invalid_outgoing_payload_is_refused_and_not_sent(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """call() with a payload breaking the schema raises UsageError and sends nothing."""
    session, peer = open_raw(version, role)
    before = len(session.trace)
    with pytest.raises(UsageError) as caught:
        await session.call(BENIGN[role], {"bogus": 1}, timeout=WAIT)
    assert "invalid" in str(caught.value)
    with pytest.raises(UsageError):
        await session.call("FlyToTheMoon", {}, timeout=WAIT)
    assert len(session.trace) == before
    await peer.assert_silent()


async def test_call_fails_promptly_when_the_peer_disconnects(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A peer closing while a CALL waits raises DutDisconnected at once, not at the timeout."""
    session, peer = open_raw(version, role)
    closing = asyncio.create_task(later(QUIET, peer.close()))
    start = time.monotonic()
    with pytest.raises(DutDisconnected):
        await session.call(BENIGN[role], {}, timeout=5)
    assert time.monotonic() - start < 1.0
    await closing
    with pytest.raises(DutDisconnected):
        await session.call(BENIGN[role], {}, timeout=5)


# -- reply control -------------------------------------------------------------------------


async def test_respond_overrides_the_default(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """respond(action, payload) answers every later CALL of that action with the payload."""
    caller, callee = _sides(open_pair(version), role)
    sample = status_call(version, role)
    callee.respond(sample.action, lambda call: sample.rejected)
    for _ in range(2):
        await caller.call(sample.action, sample.payload, status="Rejected", timeout=WAIT)
    callee.reset_response(sample.action)
    callee.respond(sample.action, sample.accepted)
    await caller.call(sample.action, sample.payload, status="Accepted", timeout=WAIT)


async def test_responding_lasts_for_the_block(open_pair: OpenPair, version: OcppVersion) -> None:
    """responding() overrides inside the with-block and restores the previous answer after it."""
    pair = open_pair(version)
    boot = boot_request(version)
    rejected = {"status": "Rejected", "currentTime": NOW, "interval": 10}
    pending = {"status": "Pending", "currentTime": NOW, "interval": 10}
    with pair.csms.responding("BootNotification", rejected):
        await pair.station.call("BootNotification", boot, status="Rejected", timeout=WAIT)
    await pair.station.call("BootNotification", boot, status="Accepted", timeout=WAIT)
    pair.csms.respond("BootNotification", pending)
    with pair.csms.responding("BootNotification", rejected):
        await pair.station.call("BootNotification", boot, status="Rejected", timeout=WAIT)
    await pair.station.call("BootNotification", boot, status="Pending", timeout=WAIT)


async def test_hold_lets_the_test_reply_once(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A held CALL is answered by the test; answering it twice is a UsageError."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    with session.hold(action):
        await peer.send([2, "h1", action, {}])
        incoming = await session.expect(action, timeout=WAIT)
        await peer.assert_silent()
    assert incoming.reply_entry is None  # not answered while held
    reply = {"currentTime": NOW} if action == "Heartbeat" else {"status": "Accepted"}
    await incoming.reply(reply)
    assert await peer.recv() == [3, "h1", reply]
    assert incoming.replied
    with pytest.raises(UsageError) as caught:
        await incoming.reply(reply)
    assert "already answered" in str(caught.value)
    with pytest.raises(UsageError):
        await incoming.reply_error("GenericError")
    await peer.barrier()  # released after the block: the policy answers again


async def test_held_call_can_be_answered_with_an_error(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A held CALL can be answered with a CALLERROR by the test."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    session.hold(action)
    await peer.send([2, "h1", action, {}])
    incoming = await session.expect(action, timeout=WAIT)
    await incoming.reply_error("GenericError", "no", {"k": 1})
    assert await peer.recv() == [4, "h1", "GenericError", "no", {"k": 1}]
    session.release(action)
    await peer.barrier()


async def test_reply_with_invalid_payload_is_refused(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """The test's own reply is checked against the response schema before it is sent."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    with session.hold(action):
        await peer.send([2, "h1", action, {}])
        incoming = await session.expect(action, timeout=WAIT)
    with pytest.raises(UsageError):
        await incoming.reply({"bogus": 1})
    assert not incoming.replied
    await peer.assert_silent()
    await incoming.reply({"bogus": 1}, validate=False)
    assert await peer.recv() == [3, "h1", {"bogus": 1}]


async def test_no_reply_leaves_the_call_unanswered(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """NO_REPLY leaves the CALL unanswered on purpose: the caller times out."""
    caller, callee = _sides(open_pair(version), role)
    action = BENIGN[role]
    callee.respond(action, NO_REPLY)
    with pytest.raises(ResponseTimeout):
        await caller.call(action, {}, timeout=SHORT)
    incoming = await callee.expect(action, timeout=0)
    assert not incoming.replied
    assert incoming.entry.note == "left unanswered on purpose"


async def test_error_reply_answers_with_callerror(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """An ErrorReply override answers with exactly that CALLERROR."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    session.respond(action, ErrorReply("GenericError", "not now"))
    assert await peer.call(action, {}, "e1") == [4, "e1", "GenericError", "not now", {}]


async def test_invalid_responder_surfaces_at_the_next_expect_and_call(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A responder returning an invalid payload is not swallowed: the next expect/call raises it."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    session.respond(action, {"bogus": 1})
    await peer.send([2, "r1", action, {}])
    await peer.assert_silent()  # nothing invalid went out
    with pytest.raises(UsageError) as caught:
        await session.expect(action, timeout=WAIT)
    assert "invalid" in str(caught.value)
    await peer.send([2, "r2", action, {}])
    await peer.assert_silent()
    with pytest.raises(UsageError):
        await session.call(BENIGN[role], {}, timeout=WAIT)
    await peer.send([2, "r3", action, {}])
    await peer.assert_silent()
    with pytest.raises(UsageError):  # and from the final verdict when no wait came after it
        session.check_findings()


async def test_responder_that_raises_is_a_harness_error_and_reading_goes_on(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A responder raising (a bug in the test) surfaces as a HarnessError, not a DUT failure.

    The connection must keep reading: the next CALL is still answered.
    """
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    session.respond(action, lambda call: call.payload["missing"])
    await peer.send([2, "r1", action, {}])
    await peer.assert_silent()
    with pytest.raises(HarnessError):
        await session.expect(action, timeout=SHORT)
    session.reset_response(action)
    await peer.barrier()


async def test_no_reply_does_not_make_the_retry_a_concurrent_call(
    open_pair: OpenPair, version: OcppVersion, role: Role
) -> None:
    """After a CALL left unanswered on purpose times out, the peer's retry is no finding.

    OCPP-J lets a sender send its next CALL once the previous one was answered
    or timed out; NO_REPLY exists to provoke exactly that retry.
    """
    caller, callee = _sides(open_pair(version), role)
    action = BENIGN[role]
    with callee.responding(action, NO_REPLY), pytest.raises(ResponseTimeout):
        await caller.call(action, {}, timeout=SHORT)
    await caller.call(action, {}, timeout=WAIT)  # the retry, after the caller's timeout
    callee.check_findings()


async def test_raw_send_is_traced_not_judged(open_pair: OpenPair, version: OcppVersion) -> None:
    """A deliberate malformed frame is traced; its CALLERROR is noted, not a finding of the peer."""
    pair = open_pair(version)
    await pair.station.send_raw("not json")
    await pair.station.call("Heartbeat", {}, timeout=WAIT)  # answered after the CALLERROR
    answer = next(e for e in pair.station.trace if e.unique_id == "-1")
    assert answer.direction is Direction.RECEIVED
    assert answer.note == "answer to a raw send"
    assert answer.findings == []
    pair.station.check_findings()
    assert "framing" in [f.code for _e, f in pair.csms.trace.findings()]


# -- the default policy ----------------------------------------------------------------------


def _policy(version: OcppVersion) -> DefaultPolicy:
    tokens = TokenBook(
        statuses={"GOOD": "Accepted", "BLOCKED": "Blocked"}, groups={"GOOD": "GROUP1"}
    )
    return DefaultPolicy(version, Role.CSMS, heartbeat_interval=42, tokens=tokens)


async def test_default_csms_answers_station_calls_validly(
    open_pair: OpenPair, version: OcppVersion
) -> None:
    """The default CSMS answers Boot, Heartbeat and StatusNotification with valid payloads."""
    pair = open_pair(version, csms={"policy": _policy(version)})
    boot = await pair.station.call(
        "BootNotification", boot_request(version), status="Accepted", timeout=WAIT
    )
    assert boot.payload["interval"] == 42
    beat = await pair.station.call("Heartbeat", {}, timeout=WAIT)
    assert beat.payload["currentTime"].endswith("Z")
    status = await pair.station.call("StatusNotification", status_request(version), timeout=WAIT)
    assert status.payload == {}
    pair.station.check_findings()  # the station engine validated every answer


@pytest.mark.parametrize(
    ("token", "status"), [("GOOD", "Accepted"), ("BLOCKED", "Blocked"), ("WHO", "Invalid")]
)
async def test_default_csms_authorizes_from_the_token_book(
    open_pair: OpenPair, version: OcppVersion, token: str, status: str
) -> None:
    """Authorize is answered with the token book's status (Invalid when unknown) and group."""
    pair = open_pair(version, csms={"policy": _policy(version)})
    reply = await pair.station.call("Authorize", authorize_request(version, token), timeout=WAIT)
    info = reply.payload["idTagInfo" if version is V16 else "idTokenInfo"]
    assert info["status"] == status
    group = info.get("parentIdTag" if version is V16 else "groupIdToken")
    if token == "GOOD":
        assert group == ("GROUP1" if version is V16 else {"idToken": "GROUP1", "type": "Central"})
    else:
        assert group is None
    pair.station.check_findings()


@pytest.mark.parametrize(
    ("action", "payload", "status"),
    [
        ("TriggerMessage", {"requestedMessage": "Heartbeat"}, "Rejected"),
        ("ClearCache", {}, "Rejected"),
    ],
)
async def test_default_station_rejects_what_it_cannot_do(
    open_pair: OpenPair, version: OcppVersion, action: str, payload: dict[str, Any], status: str
) -> None:
    """The harness as station answers operations it does not perform with Rejected."""
    pair = open_pair(version)
    await pair.csms.call(action, payload, status=status, timeout=WAIT)


async def test_default_station_refuses_what_it_cannot_answer(
    open_pair: OpenPair, version: OcppVersion
) -> None:
    """Without a derivable answer (GetLocalListVersion) the harness station says NotSupported."""
    pair = open_pair(version)
    with pytest.raises(CallErrorReceived) as caught:
        await pair.csms.call("GetLocalListVersion", {}, timeout=WAIT)
    assert caught.value.error_code == "NotSupported"
    assert "test case must reply" in caught.value.description


# -- OCPP 2.1 SEND ---------------------------------------------------------------------------

STREAM = {"id": 1, "pending": 0, "basetime": NOW, "data": [{"t": 0.5, "v": "230.1"}]}


async def test_send_unconfirmed_is_delivered(open_raw: OpenRaw) -> None:
    """send_unconfirmed writes a 2.1 SEND frame (type 6) and waits for no answer."""
    session, peer = open_raw(V21, Role.STATION)
    await session.send_unconfirmed("NotifyPeriodicEventStream", STREAM)
    frame = await peer.recv()
    assert frame[0] == 6
    assert frame[2:] == ["NotifyPeriodicEventStream", STREAM]
    session.check_findings()


async def test_received_send_is_never_answered(open_raw: OpenRaw) -> None:
    """A SEND the harness receives is recorded and expected like a CALL but never answered."""
    session, peer = open_raw(V21, Role.CSMS)
    await peer.send([6, "s1", "NotifyPeriodicEventStream", STREAM])
    await peer.barrier()  # the next frame out is the barrier's answer: SEND got none
    incoming = await session.expect("NotifyPeriodicEventStream", timeout=0)
    assert not incoming.expects_reply
    with pytest.raises(UsageError) as caught:
        await incoming.reply({})
    assert "never answered" in str(caught.value)
    assert [e.unique_id for e in session.trace if e.direction is Direction.SENT] == ["p-1"]


async def test_send_between_pair_sessions(open_pair: OpenPair) -> None:
    """One harness session's SEND reaches the other, which leaves it unanswered."""
    pair = open_pair(V21)
    await pair.station.send_unconfirmed("NotifyPeriodicEventStream", STREAM)
    got = await pair.csms.expect("NotifyPeriodicEventStream", timeout=WAIT)
    assert got.payload == STREAM
    await pair.csms.expect_none("NotifyPeriodicEventStream", during=0)
    assert not any(e.direction is Direction.SENT for e in pair.csms.trace)


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: f"ocpp{v.value}")
async def test_send_unconfirmed_before_2_1_is_a_usage_error(
    open_raw: OpenRaw, version: OcppVersion
) -> None:
    """SEND does not exist before OCPP 2.1: send_unconfirmed raises UsageError, sends nothing."""
    session, peer = open_raw(version, Role.STATION)
    with pytest.raises(UsageError):
        await session.send_unconfirmed("Heartbeat", {})
    await peer.assert_silent()


async def test_send_unconfirmed_checks_its_payload(open_raw: OpenRaw) -> None:
    """An invalid SEND payload is refused like an invalid CALL."""
    session, peer = open_raw(V21, Role.STATION)
    with pytest.raises(UsageError):
        await session.send_unconfirmed("NotifyPeriodicEventStream", {"id": 1})
    await peer.assert_silent()
