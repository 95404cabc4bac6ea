"""A ``websockets`` connection seen through the engine's ``Channel`` seam."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from websockets.asyncio.connection import Connection
from websockets.exceptions import ConcurrencyError, ConnectionClosed

from harness.errors import TransportError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.versions import OcppVersion

__all__ = ["WebsocketChannel", "format_address"]

logger = logging.getLogger("harness.transport")

ABNORMAL_CLOSURE = 1006
"""Close code reported when the connection ended without a close frame."""


def format_address(address: Any) -> str:
    """A socket address as ``host:port`` (``[host]:port`` for IPv6)."""
    if isinstance(address, tuple) and len(address) >= 2:
        host, port = address[0], address[1]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return "unknown" if address is None else str(address)


def _closed_from(exc: ConnectionClosed) -> ChannelClosed:
    """Translate a websockets closure into the engine's ChannelClosed."""
    frame = exc.rcvd if exc.rcvd is not None else exc.sent
    if frame is None:
        return ChannelClosed(ABNORMAL_CLOSURE, "connection lost without a close frame")
    return ChannelClosed(frame.code, frame.reason)


class WebsocketChannel:
    """An open OCPP-J websocket connection, server or client side.

    Implements the engine's ``Channel`` protocol. OCPP-J uses text frames only;
    a binary frame from the peer is not hidden: ``recv`` returns its UTF-8
    decoding (undecodable bytes replaced by U+FFFD) so the engine can judge
    the content, and ``binary_frames`` counts how many arrived.

    Attributes:
        identity: the charging station identity of this connection.
        version: the OCPP version selected by the subprotocol.
        subprotocol: the negotiated ``Sec-WebSocket-Protocol`` token.
        request_path: the handshake request path, query included.
        request_headers: the handshake request headers (repeated headers joined
            with ``, ``); on the client side these include our Authorization.
        remote: the peer address as ``host:port``.
        binary_frames: number of binary frames received so far.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        identity: str,
        version: OcppVersion,
        description: str,
    ) -> None:
        """Wrap an open connection.

        Args:
            connection: a websockets.asyncio server or client connection that
                completed its opening handshake.
            identity: the station identity the connection belongs to.
            version: the OCPP version the subprotocol selected.
            description: the endpoint URL, e.g. ``ws://127.0.0.1:9000/ocpp/CP1``.
        """
        self._connection = connection
        self._description = description
        self._close_started = False
        self.identity = identity
        self.version = version
        self.subprotocol = version.subprotocol
        request = connection.request
        self.request_path = request.path if request is not None else ""
        headers: dict[str, str] = {}
        if request is not None:
            for name, value in request.headers.raw_items():
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        self.request_headers: Mapping[str, str] = MappingProxyType(headers)
        self.remote = format_address(connection.remote_address)
        self.binary_frames = 0

    @property
    def description(self) -> str:
        """The endpoint URL, e.g. ``ws://127.0.0.1:9000/ocpp/CP1``."""
        return self._description

    @property
    def closed(self) -> bool:
        """Whether the closing handshake started or the connection is gone."""
        return self._close_started or self._connection.close_code is not None

    def __repr__(self) -> str:
        return (
            f"<WebsocketChannel {self._description} {self.subprotocol} "
            f"remote={self.remote}{' closed' if self.closed else ''}>"
        )

    async def send(self, text: str) -> None:
        """Send one text frame.

        Raises:
            ChannelClosed: when the connection is closed, with its close code.
        """
        try:
            await self._connection.send(text)
        except ConnectionClosed as exc:
            raise _closed_from(exc) from exc

    async def recv(self) -> str:
        """Receive the next frame as text.

        Raises:
            ChannelClosed: when the connection is closed, with the peer's close
                code (or ours when we closed first; 1006 when no close frame).
            TransportError: when two coroutines receive concurrently.
        """
        try:
            message = await self._connection.recv()
        except ConnectionClosed as exc:
            raise _closed_from(exc) from exc
        except ConcurrencyError as exc:
            raise TransportError(f"{self._description}: concurrent recv() calls") from exc
        if isinstance(message, str):
            return message
        self.binary_frames += 1
        logger.warning("%s: binary frame of %d bytes received", self._description, len(message))
        return message.decode("utf-8", errors="replace")

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection and wait for the closing handshake; idempotent.

        The wait is bounded by the connection's ``close_timeout``.
        """
        if self._close_started:
            await self._connection.wait_closed()
            return
        self._close_started = True
        await self._connection.close(code, reason)

    async def wait_closed(self) -> None:
        """Wait until the connection is closed, by either side."""
        await self._connection.wait_closed()
