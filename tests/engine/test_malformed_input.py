"""Malformed input through a live connection: the CALLERROR answered, or the finding recorded.

A bare channel end plays the peer and writes raw text; the harness (as CSMS or
as station) must answer a malformed CALL with the CALLERROR its version
prescribes, and must never answer a malformed reply but record a finding.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from engine_support import (
    BENIGN,
    NOW,
    SHORT,
    V16,
    V21,
    V201,
    WAIT,
    OpenRaw,
    RawPeer,
    finding_codes,
    received,
    schema_sample,
)

from harness.errors import InvalidResponse, ProtocolViolation, ResponseTimeout
from harness.ocppj import OcppVersion, Problem, Role
from harness.ocppj.connection import Reply
from harness.session import Session
from harness.trace import Level

#: The CALLERROR code each version answers with, by kind of problem (spelled out, not derived).
CODES: dict[OcppVersion, dict[str, str]] = {
    V16: {
        "framing": "FormationViolation",
        "message-type": "FormationViolation",
        "format": "FormationViolation",
        "required": "OccurenceConstraintViolation",  # sic, as 1.6 spells it
    },
    V201: {
        "framing": "RpcFrameworkError",
        "message-type": "MessageTypeNotSupported",
        "format": "FormatViolation",
        "required": "OccurrenceConstraintViolation",
    },
}
CODES[V21] = CODES[V201]
for _codes in CODES.values():
    _codes |= {
        "type": "TypeConstraintViolation",
        "value": "PropertyConstraintViolation",
        "unknown-action": "NotImplemented",
        "direction": "NotSupported",
    }

#: A valid answer to each harmless CALL of :data:`BENIGN`.
BENIGN_REPLY = {"Heartbeat": {"currentTime": NOW}, "ClearCache": {"status": "Accepted"}}

ID_37 = "x" * 37


def assert_callerror(reply: list[Any], unique_id: str, code: str) -> None:
    __tracebackhide__ = True
    assert reply[0] == 4, f"expected a CALLERROR, got {reply}"
    assert reply[1:3] == [unique_id, code], f"expected [{unique_id!r}, {code!r}], got {reply}"
    assert isinstance(reply[3], str)
    assert reply[4] == {}


def assert_violation_named(session: Session, code: str) -> None:
    __tracebackhide__ = True
    with pytest.raises(ProtocolViolation) as caught:
        session.check_findings()
    assert f"[{code}]" in str(caught.value)


# -- framing ------------------------------------------------------------------------

FRAMING = [
    pytest.param("not json", "-1", "framing", id="not-json"),
    pytest.param('{"a": 1}', "-1", "framing", id="not-an-array"),
    pytest.param("[]", "-1", "framing", id="empty-array"),
    pytest.param('["2","m1","Heartbeat",{}]', "m1", "framing", id="type-is-a-string"),
    pytest.param('[9,"m1",{}]', "m1", "message-type", id="unknown-type-9"),
    pytest.param('[2,"m1","Heartbeat"]', "m1", "framing", id="call-of-3"),
    pytest.param('[2,"m1","Heartbeat",{},{}]', "m1", "framing", id="call-of-5"),
    pytest.param('[2,17,"Heartbeat",{}]', "-1", "framing", id="id-is-a-number"),
    pytest.param('[2,"","Heartbeat",{}]', "-1", "framing", id="id-is-empty"),
    pytest.param('[2,"m1",5,{}]', "m1", "framing", id="action-is-a-number"),
    pytest.param('[2,"m1","Heartbeat",[]]', "m1", "format", id="payload-is-an-array"),
    pytest.param(f'[2,"{ID_37}","Heartbeat",{{}}]', ID_37, "framing", id="id-of-37-chars"),
]


@pytest.mark.parametrize(("text", "unique_id", "kind"), FRAMING)
async def test_malformed_frame_is_answered_with_the_version_code(
    open_raw: OpenRaw, version: OcppVersion, role: Role, text: str, unique_id: str, kind: str
) -> None:
    """A malformed CALL gets the version's CALLERROR, with the readable id or "-1"."""
    session, peer = open_raw(version, role)
    await peer.send(text)
    assert_callerror(await peer.recv(), unique_id, CODES[version][kind])
    await peer.barrier()  # answered once, nothing more
    assert "framing" in finding_codes(session.trace[1])
    assert_violation_named(session, "framing")


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: f"ocpp{v.value}")
@pytest.mark.parametrize(
    "text", ['[5,"m1","GenericError","",{}]', '[6,"m1","Heartbeat",{}]'], ids=["5", "6"]
)
async def test_types_5_and_6_are_unsupported_before_2_1(
    open_raw: OpenRaw, version: OcppVersion, role: Role, text: str
) -> None:
    """OCPP 1.6 and 2.0.1 answer message types 5 and 6 as an unknown message type."""
    _session, peer = open_raw(version, role)
    await peer.send(text)
    assert_callerror(await peer.recv(), "m1", CODES[version]["message-type"])


async def test_id_of_36_chars_is_accepted(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A message id of exactly 36 characters is within the limit and answered normally."""
    session, peer = open_raw(version, role)
    reply = await peer.call(BENIGN[peer.role], {}, unique_id="y" * 36)
    assert reply[0] == 3
    session.check_findings()


@pytest.mark.parametrize(
    "text",
    ['[3,"m1"]', '[3,"m1",[]]', '[4,"m1","GenericError",""]', '[4,"m1",1,"",{}]', "[3,5,{}]"],
)
async def test_malformed_reply_is_never_answered(
    open_raw: OpenRaw, version: OcppVersion, role: Role, text: str
) -> None:
    """A malformed CALLRESULT or CALLERROR is recorded as a framing finding, not answered."""
    session, peer = open_raw(version, role)
    await peer.send(text)
    await peer.barrier()
    assert finding_codes(session.trace[1]) == ["framing"]
    assert_violation_named(session, "framing")


# -- actions ----------------------------------------------------------------------------


async def test_unknown_action_is_not_implemented(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """An action the version does not define is answered NotImplemented."""
    session, peer = open_raw(version, role)
    assert_callerror(await peer.call("FlyToTheMoon", {}, "m1"), "m1", "NotImplemented")
    assert finding_codes(received(session, "m1")[0]) == ["action"]
    session.check_findings()  # no rule forbids sending it: a remark, not a failure
    assert [f.code for _e, f in session.trace.remarks()] == ["action"]


async def test_action_in_the_wrong_direction_is_not_supported(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """An action the sender's role may not start (a station sending Reset) is NotSupported."""
    session, peer = open_raw(version, role)
    wrong = "Reset" if peer.role is Role.STATION else "Heartbeat"
    assert_callerror(await peer.call(wrong, {}, "m1"), "m1", "NotSupported")
    assert received(session, "m1")[0].findings[0].problem is Problem.WRONG_DIRECTION


@pytest.mark.parametrize(
    ("version", "action"),
    [(V16, "TransactionEvent"), (V201, "StartTransaction"), (V201, "BatterySwap")],
    ids=["2.x-action-in-1.6", "1.6-action-in-2.0.1", "2.1-action-in-2.0.1"],
)
async def test_action_of_another_version_is_not_implemented(
    open_raw: OpenRaw, version: OcppVersion, action: str
) -> None:
    """Each version knows only its own actions: another version's action is NotImplemented."""
    _session, peer = open_raw(version, Role.CSMS)
    assert_callerror(await peer.call(action, {}, "m1"), "m1", "NotImplemented")


# -- schema ------------------------------------------------------------------------------


def _broken(version: OcppVersion, sender: Role, case: str) -> tuple[str, dict[str, Any]]:
    sample = schema_sample(version, sender)
    payload = dict(sample.payload)
    if case == "missing-required":
        del payload[sample.required]
    elif case == "additional-property":
        payload["bogus"] = 1
    elif case == "wrong-type":
        payload[sample.integer] = "1"
    elif case == "bad-enum":
        return sample.enum_action, {**sample.enum_payload, sample.enum_field: "Sleeping"}
    else:
        payload[sample.date_time] = case.removeprefix("date:")
    return sample.action, payload


SCHEMA = [
    pytest.param("missing-required", "required", Problem.SCHEMA_REQUIRED),
    pytest.param("additional-property", "format", Problem.SCHEMA_ADDITIONAL),
    pytest.param("wrong-type", "type", Problem.SCHEMA_TYPE),
    pytest.param("bad-enum", "value", Problem.SCHEMA_VALUE),
    pytest.param("date:2024-02-30T10:00:00Z", "type", Problem.SCHEMA_FORMAT, id="feb-30"),
    pytest.param("date:yesterday", "type", Problem.SCHEMA_FORMAT, id="yesterday"),
    pytest.param("date:2024-01-01T10:00:00", "type", Problem.SCHEMA_FORMAT, id="no-zone"),
]


async def test_schema_samples_are_valid(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """The unbroken samples the schema cases start from are answered with a CALLRESULT."""
    session, peer = open_raw(version, role)
    sample = schema_sample(version, peer.role)
    assert (await peer.call(sample.action, sample.payload))[0] == 3
    assert (await peer.call(sample.enum_action, sample.enum_payload))[0] == 3
    session.check_findings()


@pytest.mark.parametrize(("case", "kind", "problem"), SCHEMA)
async def test_schema_violation_is_answered_with_the_version_code(
    open_raw: OpenRaw, version: OcppVersion, role: Role, case: str, kind: str, problem: Problem
) -> None:
    """A CALL breaking its schema gets the version's code, a schema finding, and no other answer."""
    session, peer = open_raw(version, role)
    action, payload = _broken(version, peer.role, case)
    assert_callerror(await peer.call(action, payload, "m1"), "m1", CODES[version][kind])
    await peer.barrier()  # the policy did not answer it a second time
    entry = received(session, "m1")[0]
    assert "schema" in finding_codes(entry)
    assert entry.findings[0].problem is problem
    incoming = await session.expect(action, timeout=SHORT, allow_invalid=True)
    assert incoming.replied
    assert not incoming.valid
    assert_violation_named(session, "schema")


# -- replies and ids: findings, never answers ------------------------------------------


@pytest.mark.parametrize("text", ['[3,"nope",{}]', '[4,"nope","GenericError","",{}]'])
async def test_reply_with_unknown_id_is_a_finding(
    open_raw: OpenRaw, version: OcppVersion, role: Role, text: str
) -> None:
    """A CALLRESULT or CALLERROR that answers no pending CALL is recorded as unknown-id."""
    session, peer = open_raw(version, role)
    await peer.send(text)
    await peer.barrier()
    assert finding_codes(received(session, "nope")[0]) == ["unknown-id"]
    assert_violation_named(session, "unknown-id")


async def test_duplicate_call_id_is_a_finding_and_still_answered(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """Another CALL reusing a message id is answered, and its entry gets a duplicate-id finding."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    assert (await peer.call(action, {}, "dup"))[0] == 3
    await peer.call(action, {"other": 1}, "dup")  # another payload: another CALL
    first, second = received(session, "dup")
    assert first.findings == []
    assert "duplicate-id" in finding_codes(second)
    assert_violation_named(session, "duplicate-id")


async def test_a_retransmitted_call_is_a_remark_not_a_violation(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """The same CALL sent again with its id (a retry) is answered and noted, never failed."""
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    assert (await peer.call(action, {}, "again"))[0] == 3
    assert (await peer.call(action, {}, "again"))[0] == 3
    first, second = received(session, "again")
    assert first.findings == []
    assert finding_codes(second) == ["retransmission"]
    assert [f.level for f in second.findings] == [Level.REMARK]
    session.check_findings()  # a remark: no failure


async def _harness_calls(session: Session, peer: RawPeer, **options: Any) -> tuple[Any, list[Any]]:
    """Start a harmless CALL from the harness; return its task and the frame the peer got."""
    action = BENIGN[session.connection.local_role]
    options.setdefault("timeout", WAIT)
    task = asyncio.create_task(session.call(action, {}, **options))
    frame = await peer.recv()
    assert frame[0] == 2
    assert frame[2] == action
    return task, frame


FOREIGN_CODES = {
    V16: ["FormatViolation", "RpcFrameworkError", "NoSuchCode"],
    V201: ["FormationViolation", "OccurenceConstraintViolation", "NoSuchCode"],
    V21: ["FormationViolation", "OccurenceConstraintViolation", "NoSuchCode"],
}


@pytest.mark.parametrize("which", [0, 1, 2], ids=["other-version", "other-version-2", "made-up"])
async def test_callerror_code_outside_the_version_is_a_finding(
    open_raw: OpenRaw, version: OcppVersion, role: Role, which: int
) -> None:
    """A CALLERROR whose code the version does not define gets an error-code finding."""
    session, peer = open_raw(version, role)
    task, frame = await _harness_calls(session, peer, allow_error=True)
    await peer.send([4, frame[1], FOREIGN_CODES[version][which], "", {}])
    reply: Reply = await task
    assert reply.is_error
    assert finding_codes(reply.entry) == ["error-code"]
    assert_violation_named(session, "error-code")


async def test_callerror_code_of_the_version_is_no_finding(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A CALLERROR with a code the version defines is a proper answer: no finding."""
    session, peer = open_raw(version, role)
    task, frame = await _harness_calls(session, peer, allow_error=True)
    await peer.send([4, frame[1], "GenericError", "busy", {"why": "test"}])
    assert (await task).is_error
    session.check_findings()


async def test_second_call_while_the_first_is_unanswered_is_a_remark(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A CALL sent while the peer's previous CALL is unanswered is a remark, never a failure.

    OCPP-J §4.1.1 says a sender SHOULD NOT do it: a broken SHOULD is reported, not judged.
    """
    session, peer = open_raw(version, role)
    action = BENIGN[peer.role]
    with session.hold(action):
        await peer.send([2, "c1", action, {}])
        await peer.send([2, "c2", action, {}])
        first = await session.expect(action, timeout=WAIT)
        second = await session.expect(action, timeout=WAIT)
    assert (first.unique_id, second.unique_id) == ("c1", "c2")
    assert first.entry.findings == []
    assert finding_codes(second.entry) == ["concurrent-call"]
    await first.reply(BENIGN_REPLY[action])
    await second.reply(BENIGN_REPLY[action])
    assert [(await peer.recv())[1], (await peer.recv())[1]] == ["c1", "c2"]
    await peer.call(action, {}, "c3")  # nothing open any more: no finding
    assert received(session, "c3")[0].findings == []
    session.check_findings()
    [(entry, remark)] = session.trace.remarks()
    assert (entry.unique_id, remark.code) == ("c2", "concurrent-call")
    assert "OCPP-J §4.1.1" in str(remark)


async def test_invalid_callresult_is_a_finding_and_fails_the_call(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A CALLRESULT breaking the response schema is a schema finding and raises InvalidResponse.

    Only OCPP 2.1 answers it, with a CALLRESULTERROR; before 2.1 a reply is never answered.
    """
    session, peer = open_raw(version, role)
    task, frame = await _harness_calls(session, peer)
    await peer.send([3, frame[1], {"bogus": True}])
    with pytest.raises(InvalidResponse) as caught:
        await task
    assert frame[2] in str(caught.value)
    assert "schema" in finding_codes(received(session, frame[1])[0])
    if version is V21:
        answer = await peer.recv()
        assert answer[:3] == [5, frame[1], "FormatViolation"]
        assert "bogus" in answer[3]
    await peer.assert_silent()
    assert_violation_named(session, "schema")


async def test_late_reply_is_information_not_a_violation(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """A reply after the harness gave up is traced as late-reply: information, not a violation.

    The ResponseTimeout already judged the device; trace.Finding documents a
    late reply as information (``conformance=False``).
    """
    session, peer = open_raw(version, role)
    task, frame = await _harness_calls(session, peer, timeout=SHORT)
    with pytest.raises(ResponseTimeout):
        await task
    await peer.send([3, frame[1], BENIGN_REPLY[frame[2]]])
    await peer.barrier()
    late = received(session, frame[1])[0]
    assert finding_codes(late) == ["late-reply"]
    assert not late.findings[0].conformance
    session.check_findings()


@pytest.mark.parametrize("version", [V21], ids=["ocpp2.1"])
async def test_callresulterror_is_noted_not_answered(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """OCPP 2.1's CALLRESULTERROR is recorded with a note and never answered."""
    session, peer = open_raw(version, role)
    await peer.send([5, "r1", "InternalError", "", {}])
    await peer.barrier()
    entry = received(session, "r1")[0]
    assert entry.note
    assert entry.findings == []


async def test_integer_beyond_float_range_is_answered(
    open_raw: OpenRaw, version: OcppVersion, role: Role
) -> None:
    """An integer too large for a float is still an integer: the CALL is validated and answered."""
    session, peer = open_raw(version, role)
    sample = schema_sample(version, peer.role)
    reply = await peer.call(sample.action, {**sample.payload, sample.integer: 10**400})
    assert reply[0] == 3
    await peer.barrier()  # the reader is still alive
    session.check_findings()
