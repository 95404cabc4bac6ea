"""The findings the engine records on frames, each with the rule it breaks and its weight.

A finding fails a test only when the rule it cites is a MUST/SHALL of OCPP-J
or the schema (:attr:`~harness.trace.Level.FAIL`). A broken SHOULD, or
something no rule forbids but worth telling the user, is a remark
(:attr:`~harness.trace.Level.REMARK`): it is shown in the report and never
changes the verdict. Every constructor here names its rule, so the weight of
a finding is decided in one place.

Section titles are those of the OCPP-J specification (OCPP 1.6 "OCPP-J";
OCPP 2.0.1 and 2.1 Part 4), whose chapter 4 is the RPC framework.
"""

from __future__ import annotations

from harness.ocppj.frames import Problem
from harness.ocppj.validation import Violation
from harness.ocppj.versions import OcppVersion
from harness.trace import Finding, Level

__all__ = [
    "action_finding",
    "binary_frame",
    "concurrent_call",
    "duplicate_id",
    "error_code",
    "framing",
    "late_reply",
    "retransmission",
    "schema",
    "unknown_id",
]

_MESSAGE_STRUCTURE = "OCPP-J §4.2 message structures (MUST)"
_FRAMING_RULES = {
    Problem.NOT_JSON: "OCPP-J RPC framework: the message MUST be valid JSON",
    Problem.UNKNOWN_MESSAGE_TYPE: "OCPP-J message type: a defined MessageTypeId MUST be used",
    Problem.BAD_ID: "OCPP-J message ID: a non-empty string of at most 36 characters",
    Problem.ID_TOO_LONG: "OCPP-J message ID: a non-empty string of at most 36 characters",
}


def framing(problem: Problem, detail: str) -> Finding:
    """A frame that is not a well-formed OCPP-J message: FAIL."""
    return Finding("framing", detail, problem, rule=_FRAMING_RULES.get(problem, _MESSAGE_STRUCTURE))


def duplicate_id(unique_id: str) -> Finding:
    """A CALL reusing a message id of the same sender: FAIL (OCPP-J says MUST be different)."""
    return Finding(
        "duplicate-id",
        f"message id {unique_id!r} was used before",
        rule="OCPP-J message ID: a CALL's id MUST differ from the sender's earlier CALL ids",
    )


def retransmission(unique_id: str) -> Finding:
    """The same CALL frame sent again with its id: a remark.

    The message-id rule asks an id to differ from those of the sender's *other*
    CALLs; a frame repeated to the letter is one CALL sent twice (a retry), so
    it is reported, not failed.
    """
    return Finding(
        "retransmission",
        f"message id {unique_id!r}: the same CALL was sent again",
        level=Level.REMARK,
        rule="OCPP-J message ID: a retried CALL is not another CALL; reported, not failed",
    )


def concurrent_call(waiting: str) -> Finding:
    """A CALL sent while the sender's previous CALL is unanswered: a remark (SHOULD NOT)."""
    return Finding(
        "concurrent-call",
        f"sent while its CALL {waiting} is unanswered",
        level=Level.REMARK,
        rule="OCPP-J §4.1.1 Synchronicity: a sender SHOULD NOT send a CALL before its "
        "previous CALL was answered or timed out",
    )


def action_finding(problem: Problem, detail: str) -> Finding:
    """An action the version lacks or the sender's role does not start: a remark.

    OCPP-J defines the answer (CALLERROR ``NotImplemented`` / ``NotSupported``,
    which the engine sends), but no rule forbids the sending.
    """
    code = "NotImplemented" if problem is Problem.UNKNOWN_ACTION else "NotSupported"
    return Finding(
        "action",
        detail,
        problem,
        level=Level.REMARK,
        rule=f"OCPP-J §4.2.3 CALLERROR: answered {code}, as OCPP-J prescribes",
    )


def schema(violation: Violation, version: OcppVersion) -> Finding:
    """A payload breaking the official JSON schema: FAIL."""
    return Finding(
        "schema", str(violation), violation.problem, rule=f"OCPP {version.value} JSON schema"
    )


def unknown_id(unique_id: str) -> Finding:
    """A CALLRESULT/CALLERROR answering no pending CALL: FAIL (its id MUST be the CALL's)."""
    return Finding(
        "unknown-id",
        f"no CALL with id {unique_id!r} is pending",
        rule="OCPP-J message ID: an answer's id MUST be that of the CALL it answers",
    )


def error_code(code: str, version: OcppVersion) -> Finding:
    """A CALLERROR code outside the version's table: FAIL."""
    return Finding(
        "error-code",
        f"{code!r} is not an OCPP {version.value} code",
        rule="OCPP-J §4.2.3 CALLERROR: errorCode MUST be one of the defined codes",
    )


def late_reply() -> Finding:
    """An answer after the harness gave up: information (the timeout itself is the verdict)."""
    return Finding("late-reply", "arrived after the harness stopped waiting", level=Level.INFO)


def binary_frame() -> Finding:
    """A message sent as a websocket binary frame: a remark; its text is judged as usual."""
    return Finding(
        "binary-frame",
        "sent as a websocket binary frame; judged as its UTF-8 text",
        level=Level.REMARK,
        rule="OCPP-J: messages are JSON text, sent as websocket text frames",
    )
