"""Reply control: how the peer's CALLs are answered during a test.

Three layers, most specific first: a CALL of an action the test *holds* is not
answered (the test replies itself); an action with an *override* is answered
with it; anything else goes to the session's default policy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from harness.ocppj.connection import IncomingCall
from harness.responders import NO_REPLY, ErrorReply, ReplySpec

__all__ = ["ReplyControl", "Reply_", "answer"]

#: A reply a test can set: a payload, an ErrorReply, NO_REPLY, or a function of the call.
Reply_ = ReplySpec | Callable[[IncomingCall], ReplySpec]


async def answer(incoming: IncomingCall, spec: ReplySpec) -> None:
    """Send the reply ``spec`` describes (nothing for NO_REPLY)."""
    if spec is NO_REPLY:
        incoming.entry.note = "left unanswered on purpose"
        incoming.connection.leave_unanswered(incoming)
    elif isinstance(spec, ErrorReply):
        await incoming.reply_error(spec.code, spec.description, dict(spec.details))
    elif isinstance(spec, dict):
        await incoming.reply(spec)


class ReplyControl:
    """Per-action overrides and holds; mixed into :class:`~harness.session.Session`."""

    def __init__(self) -> None:
        self._overrides: dict[str, Reply_] = {}
        self._held: dict[str, int] = {}

    def respond(self, action: str, reply: Reply_) -> None:
        """Answer every later ``action`` CALL with ``reply`` instead of the default.

        ``reply`` is a payload dict, an :class:`ErrorReply`, ``NO_REPLY``, or a
        function of the incoming call returning one of those.
        """
        self._overrides[action] = reply

    def reset_response(self, action: str) -> None:
        """Go back to the default policy for ``action``."""
        self._overrides.pop(action, None)

    @contextlib.contextmanager
    def responding(self, action: str, reply: Reply_) -> Iterator[None]:
        """:meth:`respond` for the duration of a ``with`` block."""
        previous = self._overrides.get(action)
        self.respond(action, reply)
        try:
            yield
        finally:
            if previous is None:
                self.reset_response(action)
            else:
                self._overrides[action] = previous

    def hold(self, action: str) -> contextlib.AbstractContextManager[None]:
        """Leave ``action`` CALLs unanswered so the test replies itself.

        Usable as a context manager or as a plain call (held until :meth:`release`).
        """
        self._held[action] = self._held.get(action, 0) + 1
        session = self

        class _Release(contextlib.AbstractContextManager[None]):
            def __exit__(self, *exc: object) -> None:
                session.release(action)

        return _Release()

    def release(self, action: str) -> None:
        count = self._held.get(action, 0) - 1
        if count <= 0:
            self._held.pop(action, None)
        else:
            self._held[action] = count
