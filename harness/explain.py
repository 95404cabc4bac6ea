"""Failure messages that explain themselves.

Every non-conformance the session raises is built here, so they all read the
same way: what was awaited and for how long, the nearest candidate frames with
the first difference of each, the recent trace, and a hint where one helps.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from harness import errors
from harness.expect import Pattern
from harness.ocppj.connection import IncomingCall, Reply
from harness.trace import Trace, TraceEntry

__all__ = ["candidates_text", "capped", "judge_reply", "trace_tail", "waited_text"]

TRACE_TAIL = 25
MAX_CANDIDATES = 5
RAW_WIDTH = 240
#: At most this many findings or violations are listed in one failure message.
MAX_LISTED = 20


def capped(lines: Sequence[str], what: str, limit: int = MAX_LISTED) -> list[str]:
    """The first ``limit`` lines, then one saying how many more there are.

    A device sending thousands of bad frames must not make a failure message
    of thousands of lines; every one of them stays in the trace attachment.
    """
    if len(lines) <= limit:
        return list(lines)
    return [
        *lines[:limit],
        f"... and {len(lines) - limit} more {what} (all of them are in the trace attachment)",
    ]


def waited_text(timeout: float | None) -> str:
    return "without a deadline" if timeout is None else f"for {timeout:g} s"


def _line(trace: Trace, entry: TraceEntry) -> str:
    return entry.format(trace.start_mono, trace.mask, RAW_WIDTH)


def candidates_text(
    trace: Trace,
    patterns: Sequence[Pattern],
    inbound: Sequence[IncomingCall],
    consumed: set[int],
    after_seq: int = -1,
) -> str:
    """The received CALLs nearest to what was awaited, each with why it differs."""
    actions = {p.action for p in patterns}
    same = [c for c in inbound if c.action in actions]
    others = [c for c in inbound if c.action not in actions and c.entry.seq not in consumed]
    chosen = same[-MAX_CANDIDATES:] or others[-MAX_CANDIDATES:]
    if not chosen:
        return "Nothing was received from the device in that time that could match."
    lines = ["Nearest candidates received:"]
    for call in chosen:
        lines.append("  " + _line(trace, call.entry))
        reasons = [p.mismatch(call.action, call.payload) for p in patterns]
        reason = min((r for r in reasons if r), key=len, default=None)
        notes = []
        if call.entry.seq in consumed:
            notes.append("already matched by an earlier expectation")
        if call.entry.seq <= after_seq:
            notes.append("arrived before the frame this one had to follow")
        if call.violations:
            listed = capped([str(v) for v in call.violations], "violations", limit=3)
            notes.append("invalid: " + "; ".join(listed))
        if reason:
            notes.insert(0, reason)
        for note in notes:
            lines.append(f"{'':14}- {note}")
    return "\n".join(lines)


def trace_tail(trace: Trace) -> str:
    return trace.format_text(last=TRACE_TAIL, width=RAW_WIDTH)


def judge_reply(
    reply: Reply,
    status: str | Collection[str] | None,
    allow_error: bool,
    trace: Trace,
    version: str,
) -> None:
    """Raise the failure that describes an unacceptable answer to one of our CALLs."""
    __tracebackhide__ = True
    action, uid = reply.call.action, reply.call.unique_id
    frame = reply.frame
    if reply.is_error:
        if allow_error:
            return
        code = getattr(frame, "error_code", "")
        description = getattr(frame, "error_description", "")
        raise errors.CallErrorReceived(
            f"The device answered {action} with CALLERROR {code} ({description!r}).\n"
            f"  sent:     {reply.call_entry.raw[:400]}\n  received: {reply.entry.raw[:400]}"
            f"\n\n{trace_tail(trace)}",
            action=action,
            unique_id=uid,
            error_code=code,
            description=description,
        )
    if reply.violations:
        listed = "\n".join(capped([f"  - {v}" for v in reply.violations], "violations"))
        raise errors.InvalidResponse(
            f"The device's answer to {action} breaks the OCPP {version} "
            f"schema:\n{listed}\n  received: {reply.entry.raw[:400]}\n\n"
            f"{trace_tail(trace)}",
            action=action,
            unique_id=uid,
        )
    if status is not None:
        allowed = [status] if isinstance(status, str) else list(status)
        got = reply.payload.get("status")
        if got not in allowed:
            raise errors.UnexpectedStatus(
                f"The device answered {action} with status {got!r}; the test case "
                f"requires {' or '.join(repr(s) for s in allowed)}.\n"
                f"  received: {reply.entry.raw[:400]}\n\n{trace_tail(trace)}",
                action=action,
                unique_id=uid,
            )
