"""Checks of a single frame against a partial payload, with self-explaining failures.

Expectations select frames; these checks judge a frame already in hand (a
request that arrived, or the answer to one of our CALLs) against what a step
of the test case requires, failing with the field, the expected and the
received value, the frame, and the trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.errors import CallFailed, UnexpectedMessage
from harness.expect import Pattern
from harness.explain import trace_tail
from harness.ocppj.connection import IncomingCall, Reply

__all__ = ["conform", "conform_reply"]


def conform(found: IncomingCall, what: str, match: Mapping[str, Any]) -> None:
    """Fail unless the request ``found`` carries ``match`` (partial payload)."""
    __tracebackhide__ = True
    reason = Pattern(found.action, match).mismatch(found.action, found.payload)
    if reason is not None:
        raise UnexpectedMessage(
            f"{found.action} does not satisfy '{what}': {reason}.\n"
            f"  received: {found.entry.raw[:600]}\n\n{trace_tail(found.connection.trace)}"
        )


def conform_reply(reply: Reply, what: str, match: Mapping[str, Any]) -> None:
    """Fail unless the device's answer to one of our CALLs carries ``match``."""
    __tracebackhide__ = True
    reason = Pattern(reply.call.action, match).mismatch(reply.call.action, reply.payload)
    if reason is not None:
        raise CallFailed(
            f"The answer to {reply.call.action} does not satisfy '{what}': {reason}.\n"
            f"  sent:     {reply.call_entry.raw[:400]}\n  received: {reply.entry.raw[:600]}",
            action=reply.call.action,
            unique_id=reply.call.unique_id,
        )
