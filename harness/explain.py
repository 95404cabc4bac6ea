"""Failure messages that explain themselves.

Every non-conformance the session raises is built here, so they all read the
same way: what was awaited and for how long, the nearest candidate frames with
the first difference of each, the recent trace, and a hint where one helps.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.expect import Pattern
from harness.ocppj.connection import IncomingCall
from harness.trace import Trace, TraceEntry

__all__ = ["candidates_text", "trace_tail", "waited_text"]

TRACE_TAIL = 25
MAX_CANDIDATES = 5
RAW_WIDTH = 240


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
            notes.append("invalid: " + "; ".join(str(v) for v in call.violations))
        if reason:
            notes.insert(0, reason)
        for note in notes:
            lines.append(f"{'':14}- {note}")
    return "\n".join(lines)


def trace_tail(trace: Trace) -> str:
    return trace.format_text(last=TRACE_TAIL, width=RAW_WIDTH)
