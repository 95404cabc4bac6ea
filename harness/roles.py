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

from harness.errors import ConfigurationError, TransportError
from harness.ocppj.versions import Role
from harness.profile import DutProfile, mask
from harness.responders import DefaultPolicy, TokenBook
from harness.session import Session
from harness.trace import Trace
from harness.transport import WebsocketChannel, client_ssl_context, connect_station
from harness.wiring import csms_server

__all__ = [
    "CsmsRole",
    "csms_server",
    "new_trace",
    "open_station",
    "policy_for",
    "reconnect_station",
    "token_book",
]


def token_book(dut: DutProfile) -> TokenBook:
    """How the harness CSMS answers authorization for the profile's tokens."""
    tokens = dut.tokens
    statuses: dict[str, str] = {}
    for token, status in (
        (tokens.valid, "Accepted"),
        (tokens.valid2, "Accepted"),
        (tokens.group_member, "Accepted"),
        (tokens.master_pass, "Accepted"),
        (tokens.invalid, "Invalid"),
        (tokens.blocked, "Blocked"),
        (tokens.expired, "Expired"),
    ):
        if token:
            statuses[token] = status
    groups: dict[str, str] = {}
    if tokens.group_id:
        for token in (tokens.group_member, tokens.valid):
            if token:
                groups[token] = tokens.group_id
    return TokenBook(statuses, groups)


def policy_for(dut: DutProfile, local_role: Role) -> DefaultPolicy:
    return DefaultPolicy(
        dut.version,
        local_role,
        heartbeat_interval=dut.timing.heartbeat_interval,
        tokens=token_book(dut),
    )


class CsmsRole:
    """The harness as the CSMS of a station under test."""

    def __init__(self, dut: DutProfile, *, time_factor: float = 1.0) -> None:
        if dut.role is not Role.STATION:
            raise ConfigurationError("the DUT is not a charging station", field="dut.role")
        self.dut = dut
        self.time_factor = time_factor
        self.server = csms_server(dut)
        self._session: Session | None = None
        self._waiting: asyncio.Queue[WebsocketChannel] = asyncio.Queue()
        self._acceptor: asyncio.Task[None] | None = None
        self._trace = new_trace(f"{dut.identity} <-> harness CSMS")

    @property
    def url(self) -> str:
        """Where the station must connect, without its identity."""
        return self.server.url

    async def start(self) -> None:
        await self.server.start()
        self._acceptor = asyncio.get_running_loop().create_task(
            self._accept_forever(), name=f"accept {self.dut.identity}"
        )

    async def stop(self) -> None:
        if self._acceptor is not None:
            self._acceptor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._acceptor
        if self._session is not None:
            await self._session.close(1001, "harness shutting down")
        await self.server.stop()

    async def _accept_forever(self) -> None:
        """Hand every connection of the station to the live session, or queue it."""
        while True:
            try:
                channel = await self.server.accept(self.dut.identity, timeout=3600)
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

    async def session(self) -> Session:
        """The live session with the station, waiting for it to connect if needed.

        Raises:
            TransportError: the station did not connect within the connect timeout.
            DutDisconnected: the station dropped and did not come back in time.
        """
        if self._session is not None:
            if self._session.is_closed:
                async with self._session.reconnection(timeout=self.dut.timing.connect_timeout):
                    pass
            return self._session
        timeout = self.dut.timing.connect_timeout * self.time_factor
        try:
            async with asyncio.timeout(timeout):
                channel = await self._waiting.get()
        except TimeoutError:
            refused = [str(h) for h in self.server.handshakes if not h.accepted]
            raise TransportError(
                f"the station {self.dut.identity!r} did not connect to "
                f"{self.url}/{self.dut.identity} within {timeout:g} s"
                + (f"; refused handshakes meanwhile: {refused}" if refused else "")
            ) from None
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
        return self._session


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
