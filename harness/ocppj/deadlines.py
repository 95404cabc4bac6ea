"""Reply deadlines of a connection's outstanding CALLs, served by one timer.

``asyncio.timeout()`` around each wait creates a timer per CALL and cancels it
when (nearly always) the reply comes first. Here the deadline fails the reply
future itself, and one watchdog timer per connection, armed for the earliest
deadline, stays armed across CALLs: when it fires it fails the futures whose
deadline passed (``TimeoutError``) and re-arms itself for the next one.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["Deadlines"]


class Deadlines:
    """Deadlines by key (the CALL's message id), each failing its future on expiry."""

    __slots__ = ("_by_key", "_loop", "_timer")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._by_key: dict[str, tuple[float, asyncio.Future[Any]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, key: str, seconds: float, future: asyncio.Future[Any]) -> None:
        """Fail ``future`` with TimeoutError unless it is done within ``seconds``."""
        deadline = self._loop.time() + seconds
        self._by_key[key] = (deadline, future)
        timer = self._timer
        if timer is None or timer.when() > deadline:
            self._arm()

    def discard(self, key: str) -> None:
        """Forget the deadline of ``key`` (its wait is over)."""
        self._by_key.pop(key, None)

    def close(self) -> None:
        """Stop the timer; deadlines added later re-arm it."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self) -> None:
        waiting = [when for when, future in self._by_key.values() if not future.done()]
        if not waiting:
            return
        earliest = min(waiting)
        if self._timer is not None:
            if self._timer.when() <= earliest:
                return
            self._timer.cancel()
        self._timer = self._loop.call_at(earliest, self._expire)

    def _expire(self) -> None:
        self._timer = None
        now = self._loop.time()
        for when, future in list(self._by_key.values()):
            if when <= now and not future.done():
                future.set_exception(TimeoutError())
        self._arm()
