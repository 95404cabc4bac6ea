"""Locating the frame a failure is about."""

from __future__ import annotations

from harness.errors import ExpectationFailed, ResponseTimeout, UnexpectedStatus
from harness.report.failure import Failure, locate_failure
from harness.trace import Direction, Trace


def frame(trace: Trace, direction: Direction, mtype: int, uid: str, action: str) -> int:
    entry = trace.record(direction, f'[{mtype},"{uid}","{action}",{{}}]')
    entry.message_type, entry.unique_id, entry.action = mtype, uid, action
    return entry.seq


def test_call_failure_points_at_the_dut_answer_not_its_own_call_with_the_same_id() -> None:
    """A CallFailed names our CALL's id: the DUT's answer is chosen, not a DUT CALL reusing it."""
    trace = Trace("t")
    ours = frame(trace, Direction.SENT, 2, "1", "Reset")
    theirs = frame(trace, Direction.RECEIVED, 2, "1", "StatusNotification")
    answer = frame(trace, Direction.RECEIVED, 3, "1", "Reset")
    error = UnexpectedStatus("status Rejected", action="Reset", unique_id="1")
    failure = Failure.from_exception(error, trace[-1].mono, str(error))
    assert locate_failure(trace, failure) == answer
    assert theirs != answer
    timeout = ResponseTimeout("no answer", action="Reset", unique_id="1")
    trace2 = Trace("t2")
    call = frame(trace2, Direction.SENT, 2, "1", "Reset")
    assert locate_failure(trace2, Failure.from_exception(timeout, 0.0, str(timeout))) == call
    assert ours == 0


def test_message_mentions_ignore_the_quoted_trace_tail() -> None:
    """Frames named in the failure text count; those in its quoted trace tail do not."""
    trace = Trace("t")
    named = frame(trace, Direction.RECEIVED, 2, "a", "StatusNotification")
    frame(trace, Direction.RECEIVED, 2, "b", "Heartbeat")
    message = (
        'Expected StatusNotification.\n  < [2,"a","StatusNotification",{}]\n\n'
        + trace.format_text()
    )
    error = ExpectationFailed(message, awaited="StatusNotification", timeout=1)
    assert locate_failure(trace, Failure.from_exception(error, 1e12, message)) == named


def test_otherwise_the_last_frame_before_the_failure_time() -> None:
    """Without a named frame, the last frame recorded before the failure is chosen."""
    trace = Trace("t")
    first = frame(trace, Direction.RECEIVED, 2, "a", "Heartbeat")
    frame(trace, Direction.RECEIVED, 2, "b", "Heartbeat")
    failure = Failure("AssertionError", "assert False", trace[first].mono)
    assert locate_failure(trace, failure) == first


def test_no_frames_no_highlight() -> None:
    """A trace with only events has nothing to highlight."""
    trace = Trace("t")
    trace.event("connected")
    assert locate_failure(trace, Failure("X", "", 0.0)) is None
