"""The harness in either role, built from a DUT profile.

* :class:`CsmsRole` — the DUT is a charging station: the harness listens and
  the station connects. The connection outlives a single test (a real
  charger stays connected between test cases); each test gets the live
  session with a fresh backlog and trace, or waits for the station to
  (re)connect.
* :func:`open_station` — the DUT is a CSMS: the harness connects as a station.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from harness.errors import ConfigurationError, TransportError
from harness.ocppj.versions import Role
from harness.profile import DutProfile, mask
from harness.responders import DefaultPolicy, TokenBook
from harness.session import Session
from harness.trace import Trace
from harness.transport import CsmsServer, WebsocketChannel, client_ssl_context, connect_station
from harness.wiring import csms_server

__all__ = [
    "CsmsRole",
    "StationLink",
    "csms_server",
    "new_trace",
    "open_station",
    "policy_for",
    "reconnect_station",
]


def policy_for(dut: DutProfile, local_role: Role) -> DefaultPolicy:
    return DefaultPolicy(
        dut.version,
        local_role,
        heartbeat_interval=dut.timing.heartbeat_interval,
        tokens=TokenBook.of(dut.tokens),
    )


#: Seconds between two "still waiting for the station" notices.
NOTICE_PERIOD = 10.0


class CsmsRole:
    """The harness as the CSMS of a station under test.

    Attributes:
        notice: where progress notices go while the harness waits for the
            station (e.g. the terminal); None for silence.
        never_connected: why the station never connected, once a wait for its
            first connection timed out: later tests fail at once with it.
    """

    def __init__(
        self,
        dut: DutProfile,
        *,
        time_factor: float = 1.0,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        if dut.role is not Role.STATION:
            raise ConfigurationError("the DUT is not a charging station", field="dut.role")
        self.dut = dut
        self.time_factor = time_factor
        self.notice = notice
        self.never_connected: str | None = None
        self.server = csms_server(dut)
        #: A second endpoint on a free port: the "new CSMS" the network-profile cases
        #: (B09, B10) migrate the station to; connections to it join the same session.
        self.alt_server = csms_server(dut, port=0)
        conn = dut.connection
        #: The server certificate and key both endpoints present between TLS cases:
        #: the profile's, until a station that keeps one CSMS root at a time
        #: (AdditionalRootCertificateCheck) has moved to root 2 (TC_B_50_CS).
        self.presented: tuple[Path, Path] | None = (
            (conn.cert_file, conn.key_file)
            if conn.cert_file is not None and conn.key_file is not None
            else None
        )
        self._alt_acceptor: asyncio.Task[None] | None = None
        self._session: Session | None = None
        self._waiting: asyncio.Queue[WebsocketChannel] = asyncio.Queue()
        self._acceptor: asyncio.Task[None] | None = None
        self._trace = new_trace(f"{dut.identity} <-> harness CSMS")
        #: Frames between two tests land here, not in the last test's trace.
        self.between_tests = new_trace(f"{dut.identity} <-> harness CSMS, between tests")

    @property
    def url(self) -> str:
        """Where the station must connect, without its identity."""
        return self.server.url

    async def start(self) -> None:
        await self.server.start()
        self._acceptor = asyncio.get_running_loop().create_task(
            self._accept_forever(), name=f"accept {self.dut.identity}"
        )
        await self.alt_server.start()
        self._alt_acceptor = asyncio.get_running_loop().create_task(
            self._accept_forever(self.alt_server), name=f"accept {self.dut.identity} (2nd)"
        )

    async def stop(self) -> None:
        for acceptor in (self._acceptor, self._alt_acceptor):
            if acceptor is not None:
                acceptor.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await acceptor
        if self._session is not None:
            await self._session.close(1001, "harness shutting down")
        await self.server.stop()
        await self.alt_server.stop()

    async def _accept_forever(self, server: CsmsServer | None = None) -> None:
        """Hand every connection of the station to the live session, or queue it."""
        server = server or self.server
        while True:
            try:
                channel = await server.accept(self.dut.identity, timeout=3600)
            except TransportError:
                continue
            if self._session is not None:
                await self._session.close(1000, "superseded by a new connection")
                self._session.adopt(channel)
            else:
                self._waiting.put_nowait(channel)

    def begin_test(self, trace: Trace) -> None:
        """Start recording a new test in ``trace``, before the station acts.

        Call it before anything can make the station send (an embedded station
        starting, a rig action), so no frame of the test lands in the previous
        test's backlog.
        """
        self._trace = trace
        if self._session is not None:
            self._session.begin(trace)

    def expect_new_station(self) -> None:
        """A fresh station is about to connect: it must boot before it is registered."""
        if self._session is not None:
            self._session.registered_once = False

    def end_test(self) -> None:
        """The test is over: later frames go to the between-tests trace."""
        self.begin_test(self.between_tests)

    @property
    def current(self) -> Session | None:
        """The session with the station, if it ever connected."""
        return self._session

    @property
    def station_url(self) -> str:
        """The URL the station must connect to, identity included."""
        return f"{self.url}/{self.dut.identity}"

    def attempts(self) -> list[str]:
        """Handshakes that did not bring the station under test: refused, or another identity."""
        found: list[str] = []
        for record in self.server.handshakes:
            if not record.accepted:
                found.append(f"refused handshake: {record}")
            elif record.identity != self.dut.identity:
                found.append(
                    f"a station connected as {record.identity!r} ({record.path}), "
                    f"not as the profile's identity {self.dut.identity!r}"
                )
        return found

    async def session(self) -> Session:
        """The live session with the station, waiting for it to connect if needed.

        While waiting, :attr:`notice` is told every :data:`NOTICE_PERIOD`
        seconds the URL, the identity, what is awaited and the time left.

        Raises:
            TransportError: the station did not connect within the connect
                timeout, or never connected in an earlier test (at once).
            DutDisconnected: the station dropped and did not come back in time.
        """
        if self._session is not None:
            if self._session.is_closed:
                async with self._session.reconnection(timeout=self.dut.timing.connect_timeout):
                    pass
            return self._session
        if self.never_connected is not None:
            raise TransportError(
                f"the station never connected (an earlier test waited for it): "
                f"{self.never_connected}"
            )
        channel = await self._first_connection(self.dut.timing.connect_timeout * self.time_factor)
        self._session = Session.open(
            channel,
            self.dut.version,
            Role.CSMS,
            identity=self.dut.identity,
            message_timeout=self.dut.timing.message_timeout,
            time_factor=self.time_factor,
            policy=policy_for(self.dut, Role.CSMS),
            trace=self._trace,
        )
        self._session.registration_timeout = self.dut.timing.boot_timeout
        self._session.gate = self.server.refuse_connections
        return self._session

    async def _first_connection(self, timeout: float) -> WebsocketChannel:
        """Wait for the station's first connection, telling :attr:`notice` meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if self.notice is not None:
                self.notice(self._waiting_text(left))
            try:
                async with asyncio.timeout(max(0.0, min(left, NOTICE_PERIOD))):
                    return await self._waiting.get()
            except TimeoutError:
                if time.monotonic() < deadline:
                    continue
            attempts = self.attempts()
            self.never_connected = (
                f"the station {self.dut.identity!r} did not connect to {self.station_url} "
                f"within {timeout:g} s"
                + ("; meanwhile:\n  " + "\n  ".join(attempts) if attempts else "; no attempt seen")
            )
            raise TransportError(self.never_connected)

    def _waiting_text(self, left: float) -> str:
        attempts = self.attempts()
        return (
            f"waiting for the charging station {self.dut.identity!r} to connect to "
            f"{self.station_url} (OCPP {self.dut.version.value}, then its BootNotification); "
            f"{max(0.0, left):.0f} s left" + ("; seen: " + "; ".join(attempts) if attempts else "")
        )


async def open_station(dut: DutProfile, url: str, trace: Trace, *, time_factor: float) -> Session:
    """Connect to the CSMS under test as the station ``dut.identity``."""
    channel = await _connect(dut, url, time_factor)
    return Session.open(
        channel,
        dut.version,
        Role.STATION,
        identity=dut.identity,
        message_timeout=dut.timing.message_timeout,
        time_factor=time_factor,
        policy=policy_for(dut, Role.STATION),
        trace=trace,
    )


async def reconnect_station(
    session: Session, dut: DutProfile, url: str, *, time_factor: float
) -> None:
    """Close the harness station's connection and open a new one (a reboot)."""
    await session.close(1000, "station reboots")
    session.adopt(await _connect(dut, url, time_factor))


class StationLink:
    """The harness station's network link to the CSMS under test, which a case may cut.

    Cutting it is the charge point going offline (connectivity removed, or
    power lost); restoring it opens a new connection the session carries on
    with (trace, backlog and reply control are kept).

    Args:
        session: the harness station's session.
        dut: the CSMS profile (identity, security, timing).
        url: the CSMS endpoint, without the identity.
        time_factor: stretches the connection timeout.
    """

    def __init__(self, session: Session, dut: DutProfile, url: str, *, time_factor: float) -> None:
        self.session = session
        self.dut = dut
        self.url = url
        self.time_factor = time_factor

    @property
    def online(self) -> bool:
        """Whether the station is connected now."""
        return not self.session.is_closed

    async def cut(self, reason: str = "station offline") -> None:
        """Close the connection (idempotent): the CSMS sees the station go away."""
        if self.online:
            await self.session.close(1001, reason)

    async def restore(self) -> None:
        """Connect again; the session continues on the new connection."""
        await self.cut()
        self.session.adopt(await _connect(self.dut, self.url, self.time_factor))


async def _connect(dut: DutProfile, url: str, time_factor: float) -> WebsocketChannel:
    conn = dut.connection
    password = conn.basic_auth_password  # the Secret: revealed only into the header
    ssl = None
    if url.startswith("wss://"):
        ssl = client_ssl_context(
            conn.security_profile, ca=conn.ca_file, cert=conn.cert_file, key=conn.key_file
        )
    return await connect_station(
        url,
        dut.identity,
        [dut.version],
        password=password,
        ssl=ssl,
        timeout=dut.timing.connect_timeout * time_factor,
    )


def new_trace(name: str) -> Trace:
    """A trace whose text forms hide every registered secret."""
    return Trace(name, mask=mask)
