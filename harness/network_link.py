"""The harness CSMS's end of the station's network connection, for the reconnection cases.

A :class:`CsmsLink` lets a ``_CS`` case act on the websocket connection as
the catalogue's OCTT does: close it ("the OCTT closes the websocket
connection"), refuse the station's next connection attempts ("the connection
attempt is not accepted"), and read when each attempt came (the handshakes
the server recorded, on the monotonic clock).
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from harness.errors import ConfigurationError, ExpectationFailed
from harness.roles import CsmsRole
from harness.session import Session
from harness.transport import CsmsServer, HandshakeRecord

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

    @property
    def endpoints(self) -> tuple[str, str]:
        """The harness's two CSMS endpoints (URL without identity): the first, the second."""
        return self.role.server.url, self.role.alt_server.url

    def endpoint(self) -> str:
        """The endpoint the station is connected to now."""
        described = self.session.connection.channel.description
        first, second = self.endpoints
        return second if described.startswith(second + "/") else first

    def other_endpoint(self) -> str:
        """The endpoint the station is not connected to: the "ocppCsmsUrl not currently active"."""
        first, second = self.endpoints
        return first if self.endpoint() == second else second

    def _server(self, url: str | None) -> CsmsServer:
        return self.role.alt_server if url == self.role.alt_server.url else self.role.server

    @contextlib.contextmanager
    def presenting(self, url: str, cert: Path, key: Path) -> Iterator[None]:
        """The endpoint ``url`` presents this server certificate to TLS handshakes in the block.

        After it, the endpoint presents its usual certificate again (the
        profile's ``cert_file``, or what :meth:`adopt` made it); a connection
        made meanwhile keeps its session.
        """
        usual = self._presented()
        server = self._server(url)
        server.present(cert, key)
        try:
            yield
        finally:
            server.present(*usual)

    def adopt(self, cert: Path, key: Path) -> None:
        """Both endpoints present this server certificate from now on, for every later case.

        For a station that now trusts only the root that signed it (it keeps
        one CSMS root at a time and has replaced the old one).
        """
        self._presented()
        for server in (self.role.server, self.role.alt_server):
            server.present(cert, key)
        self.role.presented = (cert, key)

    def presents_profile_certificate(self) -> bool:
        """Whether the endpoints present the profile's ``cert_file`` (nothing was adopted)."""
        conn = self.role.dut.connection
        return self._presented() == (conn.cert_file, conn.key_file)

    def _presented(self) -> tuple[Path, Path]:
        if self.role.presented is None:
            raise ConfigurationError(
                "the harness's endpoints run no TLS: the profile has no cert_file and key_file",
                field="connection.cert_file",
            )
        return self.role.presented

    def refuse_at(self, url: str, count: int) -> None:
        """Refuse the next ``count`` connection attempts at one endpoint; 0 withdraws."""
        self._server(url).refuse(count)

    def mark(self, url: str | None = None) -> int:
        """The index the next handshake at an endpoint (default: the first) will have."""
        return len(self._server(url).handshakes)

    async def drop(self, reason: str = "closed by the test case") -> float:
        """Close the station's current connection; the monotonic time the close began.

        The time is taken before the closing handshake: the station cannot see
        the close sooner, so a wait measured from it is never too short.
        """
        started = time.monotonic()
        await self.session.close(1000, reason)
        return started

    def refuse(self, count: int) -> None:
        """Refuse the station's next ``count`` connection attempts (HTTP 503) at the endpoint
        it is connected to now; 0 withdraws refusals at both endpoints."""
        if count == 0:
            for url in self.endpoints:
                self.refuse_at(url, 0)
            return
        self.refuse_at(self.endpoint(), count)

    async def attempt(
        self, index: int, *, timeout: float, what: str, url: str | None = None
    ) -> HandshakeRecord:
        """The station's connection attempt number ``index`` (see :meth:`mark`), waited for.

        Raises:
            ExpectationFailed: the station made no such attempt within ``timeout``.
        """
        __tracebackhide__ = True
        seconds = timeout * self.session.time_factor
        try:
            return await self._server(url).handshake(index, timeout=seconds)
        except TimeoutError:
            raise ExpectationFailed(
                f"The station did not try to connect again within {seconds:g} s ({what}).",
                awaited=what,
                timeout=seconds,
            ) from None

    def tls_mark(self, url: str) -> int:
        """The index the next TLS handshake at an endpoint will have (see :meth:`tls_attempt`)."""
        return len(self._server(url).tls_hellos)

    async def tls_attempt(self, index: int, *, timeout: float, what: str, url: str) -> float:
        """When the station's TLS handshake number ``index`` at ``url`` began, waited for.

        A TLS handshake is seen even when the station refuses the certificate
        and never gets to the websocket handshake.

        Raises:
            ExpectationFailed: the station began no such TLS handshake within ``timeout``.
        """
        __tracebackhide__ = True
        seconds = timeout * self.session.time_factor
        try:
            return await self._server(url).tls_hello(index, timeout=seconds)
        except TimeoutError:
            raise ExpectationFailed(
                f"The station began no TLS handshake at {url} within {seconds:g} s ({what}).",
                awaited=what,
                timeout=seconds,
            ) from None

    def accepted_since(self, index: int, url: str | None = None) -> HandshakeRecord | None:
        """The first accepted handshake at an endpoint from ``index`` on, if any."""
        return next((h for h in self._server(url).handshakes[index:] if h.accepted), None)


def unreachable_url(path: str = "/ocpp") -> str:
    """A loopback websocket URL nobody listens on (a failing network profile).

    The port is one the system just handed out and took back; only loopback
    is ever named, so a station trying it reaches no other machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return f"ws://127.0.0.1:{port}{path}"
