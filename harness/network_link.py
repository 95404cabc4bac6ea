"""The harness CSMS's end of the station's network connection, for the reconnection cases.

A :class:`CsmsLink` lets a ``_CS`` case act on the websocket connection as
the catalogue's OCTT does: close it ("the OCTT closes the websocket
connection"), refuse the station's next connection attempts ("the connection
attempt is not accepted"), and read when each attempt came (the handshakes
the server recorded, on the monotonic clock).
"""

from __future__ import annotations

import socket
import time

from harness.errors import ExpectationFailed
from harness.roles import CsmsRole
from harness.session import Session
from harness.transport import HandshakeRecord

__all__ = ["CsmsLink", "unreachable_url"]


class CsmsLink:
    """The station's websocket connection to the harness, seen from the harness's side.

    Args:
        role: the harness's CSMS role (its server records every handshake).
        session: the live session with the station.
    """

    def __init__(self, role: CsmsRole, session: Session) -> None:
        self.role = role
        self.session = session

    def mark(self) -> int:
        """The index the next handshake will have (to wait for attempts after now)."""
        return len(self.role.server.handshakes)

    async def drop(self, reason: str = "closed by the test case") -> float:
        """Close the station's current connection; the monotonic time it was closed."""
        await self.session.close(1000, reason)
        return time.monotonic()

    def refuse(self, count: int) -> None:
        """Refuse the station's next ``count`` connection attempts (HTTP 503); 0 withdraws."""
        self.role.server.refuse(count)

    async def attempt(self, index: int, *, timeout: float, what: str) -> HandshakeRecord:
        """The station's connection attempt number ``index`` (see :meth:`mark`), waited for.

        Raises:
            ExpectationFailed: the station made no such attempt within ``timeout``.
        """
        __tracebackhide__ = True
        seconds = timeout * self.session.time_factor
        try:
            return await self.role.server.handshake(index, timeout=seconds)
        except TimeoutError:
            raise ExpectationFailed(
                f"The station did not try to connect again within {seconds:g} s ({what}).",
                awaited=what,
                timeout=seconds,
            ) from None

    def accepted_since(self, index: int) -> HandshakeRecord | None:
        """The first accepted handshake from ``index`` on, if any."""
        return next((h for h in self.role.server.handshakes[index:] if h.accepted), None)


def unreachable_url(path: str = "/ocpp") -> str:
    """A loopback websocket URL nobody listens on (a failing network profile).

    The port is one the system just handed out and took back; only loopback
    is ever named, so a station trying it reaches no other machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return f"ws://127.0.0.1:{port}{path}"
