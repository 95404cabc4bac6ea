"""The CSMS role: a websocket server that charging stations connect to.

The server judges each opening handshake with the pure rules of
:mod:`harness.transport.handshake` (path and identity, Basic auth for security
profiles 1 and 2, subprotocol in the client's order), answers refusals with an
explaining HTTP status, and records every outcome in ``handshakes`` so test
cases and reports can show what a station attempted.

Accepted connections are either queued for :meth:`CsmsServer.accept` (one
station per test case) or handed to an ``on_connect`` callback for their
lifetime (a CSMS holding many stations).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import ssl as ssl_module
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from types import TracebackType
from typing import Any
from weakref import WeakKeyDictionary

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from harness.errors import ConfigurationError, TransportError, UsageError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.versions import OcppVersion
from harness.transport.channel import WebsocketChannel, format_address
from harness.transport.handshake import (
    HandshakeRecord,
    Revealable,
    Verdict,
    choose_subprotocol,
    identity_from_path,
    judge_handshake,
    normalize_prefix,
    revealed,
)
from harness.transport.tls import TLS_PROFILES, PathLike, present_certificate

__all__ = ["CsmsServer", "OnConnect"]

logger = logging.getLogger("harness.transport")

OnConnect = Callable[[WebsocketChannel], Awaitable[None]]
"""A coroutine function that handles one station connection for its lifetime."""

BASIC_AUTH_PROFILES = (1, 2)
"""Security profiles whose stations authenticate with HTTP Basic auth."""


class CsmsServer:
    """A websocket server playing the CSMS, bound to loopback by default.

    Usage::

        async with CsmsServer(versions=[OcppVersion.V201]) as server:
            # point the station at f"{server.url}/CP1"
            channel = await server.accept("CP1", timeout=30)

    Attributes:
        host: the interface the server binds to.
        prefix: the normalised path prefix, e.g. ``/ocpp``.
        versions: the OCPP versions accepted.
        security_profile: 0 (plain), 1 (Basic auth), 2 (TLS + Basic auth),
            3 (mutual TLS).
        handshakes: every handshake outcome, in arrival order.
    """

    def __init__(
        self,
        *,
        versions: Collection[OcppVersion],
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/ocpp",
        security_profile: int = 0,
        password: Revealable | str | None = None,
        ssl: ssl_module.SSLContext | None = None,
        on_connect: OnConnect | None = None,
        ping_interval: float | None = None,
        ping_timeout: float | None = 20.0,
        max_size: int = 2**20,
        open_timeout: float = 10.0,
        close_timeout: float = 5.0,
    ) -> None:
        """Configure the server; nothing is bound until :meth:`start`.

        Args:
            versions: the OCPP versions to accept (at least one).
            host: the one address to bind (an IP address; a name resolving to
                several addresses would get one ephemeral port each); loopback
                by default.
            port: TCP port; 0 picks a free one, read it from ``port`` after start.
            path: prefix before the station identity in the URL.
            security_profile: 0 to 3, see the class attributes.
            password: the password stations present with profiles 1 and 2;
                pass the profile's Secret itself (revealed only to check a
                handshake, so no traceback shows it).
            ssl: server TLS context, required for profiles 2 and 3 (see
                :func:`harness.transport.tls.server_ssl_context`).
            on_connect: when set, called with each accepted connection, which
                stays open until the callback returns; ``accept`` is then
                unavailable.
            ping_interval: seconds between keepalive pings; None disables them
                so tests see only the frames they exchange.
            ping_timeout: seconds to wait for a pong before failing.
            max_size: largest incoming message in bytes (1 MiB by default).
            open_timeout: bound on each opening handshake, in seconds.
            close_timeout: bound on each closing handshake, in seconds.

        Raises:
            ConfigurationError: when the settings contradict each other.
        """
        if not versions:
            raise ConfigurationError("accept at least one OCPP version", field="versions")
        if security_profile not in (0, 1, 2, 3):
            raise ConfigurationError(
                f"security profile must be 0, 1, 2 or 3, not {security_profile}",
                field="security_profile",
            )
        if security_profile in BASIC_AUTH_PROFILES and not password:
            raise ConfigurationError(
                f"security profile {security_profile} needs a Basic auth password",
                field="password",
            )
        if (security_profile in TLS_PROFILES) != (ssl is not None):
            need = "needs" if security_profile in TLS_PROFILES else "must not have"
            raise ConfigurationError(
                f"security profile {security_profile} {need} a TLS context", field="ssl"
            )
        if (
            security_profile == 3
            and ssl is not None
            and ssl.verify_mode != ssl_module.CERT_REQUIRED
        ):
            raise ConfigurationError(
                "security profile 3 (mutual TLS) needs a TLS context that requires "
                "client certificates",
                field="ssl",
            )
        self.host = host
        self.prefix = normalize_prefix(path)
        self.versions = frozenset(versions)
        self.security_profile = security_profile
        self.handshakes: list[HandshakeRecord] = []
        self._requested_port = port
        self._password = password
        self._ssl = ssl
        self._on_connect = on_connect
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._max_size = max_size
        self._open_timeout = open_timeout
        self._close_timeout = close_timeout
        self._server: Server | None = None
        self._port: int | None = None
        self._stopping = False
        self._pending: list[WebsocketChannel] = []
        self._arrival = asyncio.Condition()
        self._verdicts: WeakKeyDictionary[ServerConnection, Verdict] = WeakKeyDictionary()
        self._handler_errors: list[Exception] = []
        #: Why new connections are refused (the harness has cut the network); None: accepted.
        self._refusing: str | None = None
        #: When the refusal ends by itself (monotonic seconds); None: when lifted.
        self._refusing_until: float | None = None
        #: How many more opening handshakes to refuse (a test case's unreachable CSMS).
        self._refusals_left = 0
        self._handshake_seen = asyncio.Event()
        #: When each TLS handshake began (monotonic seconds), accepted or not.
        self.tls_hellos: list[float] = []
        self._hello_seen = asyncio.Event()
        if ssl is not None:
            ssl.sni_callback = self._tls_hello

    # -- lifecycle ---------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound TCP port.

        Raises:
            UsageError: before the first :meth:`start`.
        """
        if self._port is None:
            raise UsageError("the CSMS server has no port before start()")
        return self._port

    @property
    def url(self) -> str:
        """The URL stations append their identity to, e.g. ``ws://127.0.0.1:9000/ocpp``."""
        return f"{self._origin}{self.prefix}"

    @property
    def _origin(self) -> str:
        scheme = "wss" if self._ssl is not None else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def present(self, cert: PathLike, key: PathLike) -> None:
        """Present this server certificate (PEM files) from the next TLS handshake on.

        Raises:
            UsageError: the server does not run TLS.
            ConfigurationError: naming the file that is missing or unreadable.
        """
        if self._ssl is None:
            raise UsageError("a CSMS server without TLS presents no certificate")
        present_certificate(self._ssl, cert, key)

    async def start(self) -> None:
        """Bind and start serving.

        After a :meth:`stop`, starting again binds the same port, so stations
        reconnect to the same URL.

        Raises:
            UsageError: when already started.
            TransportError: when the address cannot be bound.
        """
        if self._server is not None:
            raise UsageError("the CSMS server is already started")
        port = self._port if self._port is not None else self._requested_port
        extra: dict[str, Any] = {"ssl": self._ssl} if self._ssl is not None else {}
        try:
            server = await serve(
                self._handle,
                self.host,
                port,
                process_request=self._process_request,
                process_response=self._process_response,
                select_subprotocol=self._select_subprotocol,
                ping_interval=self._ping_interval,
                ping_timeout=self._ping_timeout,
                max_size=self._max_size,
                open_timeout=self._open_timeout,
                close_timeout=self._close_timeout,
                **extra,
            )
        except OSError as exc:
            raise TransportError(f"cannot listen on {self.host}:{port}: {exc}") from exc
        self._server = server
        self._port = int(server.sockets[0].getsockname()[1])
        self._stopping = False
        logger.info("CSMS listening on %s", self.url)

    async def stop(self) -> None:
        """Close every connection (code 1001) and stop listening; idempotent.

        Bounded: connection handlers that outlive the closing handshakes are
        cancelled.

        Raises:
            TransportError: when an ``on_connect`` callback failed while the
                server ran (chained from the first failure).
        """
        await self._shutdown()
        self._raise_handler_errors()

    async def __aenter__(self) -> CsmsServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._shutdown()
        if exc_type is None:
            self._raise_handler_errors()

    async def _shutdown(self) -> None:
        server = self._server
        if server is None:
            return
        self._server = None
        self._stopping = True
        async with self._arrival:
            self._arrival.notify_all()
        server.close()
        try:
            async with asyncio.timeout(self._close_timeout + 1.0):
                await server.wait_closed()
        except TimeoutError:
            for task in list(server.handler_tasks):
                task.cancel()
            try:
                async with asyncio.timeout(1.0):
                    await server.wait_closed()
            except TimeoutError as exc:
                raise TransportError(
                    f"{self.url}: connection handlers did not end after the server stopped"
                ) from exc
        self._pending.clear()
        logger.info("CSMS on %s stopped", self.url)

    def _raise_handler_errors(self) -> None:
        if not self._handler_errors:
            return
        errors, self._handler_errors = self._handler_errors, []
        raise TransportError(
            f"{self.url}: {len(errors)} on_connect handler(s) failed; first: {errors[0]!r}"
        ) from errors[0]

    # -- connections -------------------------------------------------------

    def refuse_connections(self, reason: str | None, *, until: float | None = None) -> None:
        """Refuse every new handshake with 503 and ``reason`` until called with None.

        The harness's side of a network cut: stations that try to reconnect
        meanwhile are turned away (and the attempts recorded in ``handshakes``).
        With ``until`` (monotonic seconds) the refusal also ends by itself then.
        """
        self._refusing = reason
        self._refusing_until = until if reason is not None else None

    @property
    def refusing(self) -> str | None:
        """Why handshakes are refused now, or None when they are admitted."""
        until = self._refusing_until
        if until is not None and time.monotonic() >= until:
            self._refusing = self._refusing_until = None
        return self._refusing

    async def accept(self, identity: str | None = None, *, timeout: float) -> WebsocketChannel:
        """Wait for the next connection, from one station or from any.

        Connections that arrived before the call are delivered first, oldest
        first, even when the station has closed them meanwhile (its frames
        can still be read). The connection stays open until the channel is
        closed by the caller, the station or :meth:`stop`.

        Args:
            identity: the station identity to wait for; None for any station.
            timeout: seconds to wait.

        Raises:
            TransportError: on timeout (naming the URL, the identity, the
                timeout and the handshakes refused meanwhile) or when the
                server stops while waiting.
            UsageError: before start, or when ``on_connect`` is set.
        """
        if self._server is None:
            raise UsageError("start() the CSMS server before accept()")
        if self._on_connect is not None:
            raise UsageError("accept() is unavailable: on_connect handles every connection")
        first_record = len(self.handshakes)
        try:
            async with asyncio.timeout(timeout), self._arrival:
                await self._arrival.wait_for(
                    lambda: self._stopping or self._find(identity) is not None
                )
                channel = self._find(identity)
                if channel is not None:
                    self._pending.remove(channel)
                    return channel
        except TimeoutError as exc:
            raise TransportError(self._accept_failure(identity, timeout, first_record)) from exc
        raise TransportError(f"{self.url}: the server stopped while waiting for a station")

    def _find(self, identity: str | None) -> WebsocketChannel | None:
        for channel in self._pending:
            if identity is None or channel.identity == identity:
                return channel
        return None

    def _accept_failure(self, identity: str | None, timeout: float, first_record: int) -> str:
        who = "any station" if identity is None else f"station {identity!r}"
        lines = [f"no connection from {who} to {self.url} within {timeout:g} s"]
        refused = [r for r in self.handshakes[first_record:] if not r.accepted]
        if refused:
            lines.append("handshakes refused meanwhile:")
            lines.extend(f"  - {record}" for record in refused)
        else:
            lines.append("no handshake was refused meanwhile")
        others = sorted({channel.identity for channel in self._pending})
        if others:
            lines.append(f"connections waiting from other stations: {others}")
        return "\n".join(lines)

    async def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        version = OcppVersion.from_subprotocol(connection.subprotocol or "")
        if request is None or version is None:  # process_request refuses these
            await connection.close(1011, "handshake state lost")
            return
        identity = identity_from_path(request.path, self.prefix)
        description = f"{self._origin}{request.path.split('?', 1)[0]}"
        channel = WebsocketChannel(
            connection, identity=identity, version=version, description=description
        )
        if self._on_connect is None:
            async with self._arrival:
                self._pending.append(channel)
                self._arrival.notify_all()
            # Returning would close the connection; it belongs to accept()'s caller.
            await connection.wait_closed()
            return
        try:
            await self._on_connect(channel)
        except ChannelClosed:
            pass  # the station went away: the normal end of a connection's life
        except Exception as exc:
            logger.exception("%s: on_connect handler failed", description)
            self._handler_errors.append(exc)
            await channel.close(1011, "CSMS handler failed")

    def refuse(self, count: int) -> None:
        """Refuse the next ``count`` opening handshakes (503), as an unreachable CSMS.

        A test case uses it where the catalogue says "the connection attempt
        is not accepted"; each refusal is recorded in ``handshakes``. ``0``
        withdraws refusals not yet used.
        """
        self._refusals_left = max(0, count)

    async def handshake(self, index: int, *, timeout: float) -> HandshakeRecord:
        """The handshake record number ``index`` (from 0), waiting for it.

        Raises:
            TimeoutError: no such handshake within ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while len(self.handshakes) <= index:
                seen = self._handshake_seen
                await seen.wait()
        return self.handshakes[index]

    def _tls_hello(
        self, _tls: ssl_module.SSLObject, _name: str | None, _ctx: ssl_module.SSLContext
    ) -> None:
        # OpenSSL calls this for every ClientHello, with or without SNI: the only
        # trace of an attempt whose client then refuses the certificate.
        self.tls_hellos.append(time.monotonic())
        self._hello_seen.set()
        self._hello_seen = asyncio.Event()

    async def tls_hello(self, index: int, *, timeout: float) -> float:
        """When TLS handshake number ``index`` (from 0) began, waiting for it.

        Raises:
            TimeoutError: no such TLS handshake within ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            while len(self.tls_hellos) <= index:
                seen = self._hello_seen
                await seen.wait()
        return self.tls_hellos[index]

    # -- handshake hooks ---------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        needs_auth = self.security_profile in BASIC_AUTH_PROFILES
        verdict = judge_handshake(
            request.path,
            request.headers.get_all("Sec-WebSocket-Protocol"),
            request.headers.get_all("Authorization"),
            prefix=self.prefix,
            versions=self.versions,
            password=revealed(self._password) if needs_auth and self._password else None,
        )
        refusing = self.refusing
        if refusing is not None and verdict.status == 101:
            verdict = dataclasses.replace(verdict, status=503, reason=refusing)
        elif verdict.status == 101 and self._refusals_left:
            self._refusals_left -= 1
            verdict = dataclasses.replace(
                verdict, status=503, reason="the test case refuses this connection attempt"
            )
        self._verdicts[connection] = verdict
        if verdict.status == 101:
            return None
        response = connection.respond(verdict.status, verdict.reason + "\n")
        if verdict.status == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="ocpp"'
        return response

    def _select_subprotocol(
        self, connection: ServerConnection, offered: Sequence[Subprotocol]
    ) -> Subprotocol | None:
        version = choose_subprotocol(offered, self.versions)
        return None if version is None else Subprotocol(version.subprotocol)

    def _process_response(
        self, connection: ServerConnection, request: Request, response: Response
    ) -> None:
        verdict = self._verdicts.pop(connection, None)
        status, reason = response.status_code, verdict.reason if verdict else ""
        if status == 101 and not connection.server.is_serving():
            # websockets turns this 101 into a 503 right after this hook.
            status, reason = 503, "the server is shutting down"
        elif status != 101 and not reason:
            body = bytes(response.body).decode("utf-8", errors="replace").strip()
            reason = f"websocket handshake failed: {body or response.reason_phrase}"
        accepted = status == 101
        record = HandshakeRecord(
            accepted=accepted,
            status=status,
            path=request.path,
            identity=verdict.identity if verdict else None,
            offered_subprotocols=verdict.offered if verdict else (),
            subprotocol=response.headers.get("Sec-WebSocket-Protocol") if accepted else None,
            authorization_present=verdict.authorization_present if verdict else False,
            reason=reason,
            remote=format_address(connection.remote_address),
        )
        self.handshakes.append(record)
        self._handshake_seen.set()
        self._handshake_seen = asyncio.Event()
        logger.info("handshake %s", record)
