"""Where in a trace a verdict failed: the frame a sequence diagram highlights.

A failure of the harness explains itself in text; the diagram points at the
frame that text is about. The search, most specific first:

1. The failure names a CALL by message id (:class:`~harness.errors.CallFailed`
   and its subclasses): the DUT's answer with that id, else our CALL itself
   (the DUT never answered).
2. The failure's own text (before the trace tail it quotes) mentions frames
   by message id: the last received one of them, else the last sent one.
3. Otherwise: the last frame recorded before the failure time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.trace import Direction, Trace, TraceEntry

__all__ = ["Failure", "locate_failure"]

# Failure messages quote the recent trace after a header line "trace <name> (t=0 at ...";
# frames listed there are context, not the subject of the failure.
_TRACE_HEADER = re.compile(r"^\s*trace .*\(t=0 at ", re.MULTILINE)


@dataclass(frozen=True)
class Failure:
    """A failed verdict as the reports see it.

    Attributes:
        kind: the exception's class name, e.g. ``ExpectationFailed``.
        message: the exception's text, already masked.
        mono: the monotonic time the failure was caught at.
        unique_id: the message id of the CALL the failure is about, if it names one.
    """

    kind: str
    message: str
    mono: float
    unique_id: str | None = None

    @classmethod
    def from_exception(cls, error: BaseException, mono: float, message: str) -> Failure:
        """Describe ``error``, caught at ``mono``; ``message`` is its masked text."""
        unique_id = getattr(error, "unique_id", None)
        return cls(
            type(error).__name__,
            message,
            mono,
            unique_id if isinstance(unique_id, str) else None,
        )


def _frames(trace: Trace) -> list[TraceEntry]:
    return [entry for entry in trace if entry.direction is not Direction.EVENT]


def _by_id(frames: list[TraceEntry], unique_id: str) -> TraceEntry | None:
    """The DUT's answer to our CALL ``unique_id``, else that CALL.

    The DUT's own CALLs may reuse the id; they are not what the failure is about.
    """
    matching = [entry for entry in frames if entry.unique_id == unique_id]
    answers = [
        e for e in matching if e.direction is Direction.RECEIVED and e.message_type not in (2, 6)
    ]
    calls = [e for e in matching if e.direction is Direction.SENT and e.message_type == 2]
    chosen = answers or calls
    return chosen[-1] if chosen else None


def _mentioned(frames: list[TraceEntry], message: str) -> TraceEntry | None:
    head = _TRACE_HEADER.split(message, maxsplit=1)[0]
    named = [e for e in frames if e.unique_id and f'"{e.unique_id}"' in head]
    received = [entry for entry in named if entry.direction is Direction.RECEIVED]
    chosen = received or named
    return chosen[-1] if chosen else None


def locate_failure(trace: Trace, failure: Failure) -> int | None:
    """The sequence number of the entry at which ``failure`` happened, or None.

    Args:
        trace: the session's trace.
        failure: the failed verdict.

    Returns:
        The ``seq`` of the frame to highlight; None when the trace has no frame.
    """
    frames = _frames(trace)
    if not frames:
        return None
    hit = _by_id(frames, failure.unique_id) if failure.unique_id else None
    if hit is None:
        hit = _mentioned(frames, failure.message)
    if hit is None:
        before = [entry for entry in frames if entry.mono <= failure.mono]
        hit = before[-1] if before else frames[-1]
    return hit.seq
