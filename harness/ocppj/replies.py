"""How a handler says what to answer to an incoming CALL, and sending that answer.

Both the judge (session policies, reply overrides) and the reference
simulators answer the peer's CALLs through the engine; they share these
words for an answer, which belong to the engine because they only describe
an OCPP-J reply: a payload (CALLRESULT), an :class:`ErrorReply` (CALLERROR)
or :data:`NO_REPLY` (leave the CALL unanswered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.connection import IncomingCall

__all__ = ["NO_REPLY", "ErrorReply", "ReplySpec", "send_reply"]


@dataclass(frozen=True)
class ErrorReply:
    """Answer with a CALLERROR instead of a CALLRESULT."""

    code: str
    description: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


class _NoReply:
    def __repr__(self) -> str:
        return "NO_REPLY"


#: Leave the CALL unanswered (to provoke the peer's timeout behaviour).
NO_REPLY = _NoReply()

ReplySpec = dict[str, Any] | ErrorReply | _NoReply


async def send_reply(incoming: IncomingCall, spec: ReplySpec, *, validate: bool = True) -> None:
    """Send the answer ``spec`` describes; for :data:`NO_REPLY`, tell the engine none will come.

    Args:
        incoming: the CALL to answer.
        spec: a payload, an :class:`ErrorReply` or :data:`NO_REPLY`.
        validate: check a payload against the response schema before sending.
    """
    if isinstance(spec, ErrorReply):
        await incoming.reply_error(spec.code, spec.description, dict(spec.details))
    elif isinstance(spec, dict):
        await incoming.reply(spec, validate=validate)
    else:
        incoming.entry.note = "left unanswered on purpose"
        incoming.connection.leave_unanswered(incoming)
