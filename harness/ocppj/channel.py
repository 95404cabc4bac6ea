"""The seam between the OCPP-J engine and a transport.

The engine needs very little from a websocket: send a text frame, receive the
next one, close, and say why the connection ended. Keeping that behind a
protocol lets the engine run over ``websockets`` in both roles and over an
in-memory pair in unit tests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Channel", "ChannelClosed", "MemoryChannel", "memory_pair"]


class ChannelClosed(Exception):
    """The peer or the local side closed the channel.

    Attributes:
        code: websocket close code when known.
        reason: close reason text when known.
    """

    def __init__(self, code: int | None = None, reason: str = "") -> None:
        super().__init__(f"connection closed (code={code}, reason={reason!r})")
        self.code = code
        self.reason = reason


class Channel(Protocol):
    """A message-oriented, ordered, bidirectional text channel."""

    @property
    def description(self) -> str:
        """Human-readable endpoint description, e.g. ``ws://127.0.0.1:9000/CP1``."""
        ...

    async def send(self, text: str) -> None:
        """Send one text frame. Raises ChannelClosed when the channel is closed."""
        ...

    async def recv(self) -> str:
        """Receive the next text frame. Raises ChannelClosed when it is closed."""
        ...

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the channel; idempotent."""
        ...


@dataclass
class MemoryChannel:
    """One end of an in-memory channel pair, for tests and benchmarks."""

    name: str
    _inbox: asyncio.Queue[str | ChannelClosed] = field(default_factory=asyncio.Queue)
    _peer: MemoryChannel | None = None
    _closed: ChannelClosed | None = None

    @property
    def description(self) -> str:
        return f"memory://{self.name}"

    async def send(self, text: str) -> None:
        if self._closed is not None:
            raise self._closed
        assert self._peer is not None
        self._peer._inbox.put_nowait(text)

    async def recv(self) -> str:
        if self._closed is not None and self._inbox.empty():
            raise self._closed
        item = await self._inbox.get()
        if isinstance(item, ChannelClosed):
            self._closed = item
            raise item
        return item

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self._closed is not None:
            return
        closed = ChannelClosed(code, reason)
        self._closed = closed
        self._inbox.put_nowait(closed)
        if self._peer is not None and self._peer._closed is None:
            self._peer._inbox.put_nowait(closed)


def memory_pair(left: str = "left", right: str = "right") -> tuple[MemoryChannel, MemoryChannel]:
    """Two connected in-memory channel ends."""
    a = MemoryChannel(left)
    b = MemoryChannel(right)
    a._peer = b
    b._peer = a
    return a, b
