"""The RIGP/1 driver: commands with tags and bounded timeouts, events in a log.

:class:`RigDriver` opens any pyserial URL, checks the rig's protocol version,
identity and capabilities, and then sends one command at a time. Each command
carries a fresh tag; the reply with that tag (or an untagged reply while it is
the only one waiting) answers it, and a late reply to an abandoned tag is
logged and dropped. When a command goes unanswered the driver resynchronises
(flush input, ``PING`` with a fresh tag) and retries it once — RIGP commands
are absolute, so a retry is safe — and then raises :class:`RigTimeout`.
``!`` lines go to a timestamped event log; an unrequested ``!BOOT`` makes the
next command raise :class:`RigRebooted`. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import dataclass
from types import TracebackType

from harness.rig.codec import (
    MAX_TAG,
    PROTOCOL_VERSION,
    Debug,
    ErrorCode,
    Event,
    Reply,
    encode_command,
    parse_line,
)
from harness.rig.errors import (
    RigCommandError,
    RigDisconnected,
    RigError,
    RigPortBusy,
    RigProtocolError,
    RigRebooted,
    RigTimeout,
    RigVersionMismatch,
)
from harness.rig.log import RigLog
from harness.rig.serial_port import ReadThreadPort, open_serial

__all__ = ["LoggedEvent", "RigDriver"]

NOT_RETRIED = frozenset({"RST"})
"""Commands that are not repeated after a timeout (a second RST would reboot twice)."""


@dataclass(frozen=True)
class LoggedEvent:
    """An asynchronous ``!`` line and when it arrived.

    Attributes:
        event: the parsed event (kind, fields, the rig's ``t``).
        mono: host monotonic arrival time.
        wall: host wall-clock arrival time.
    """

    event: Event
    mono: float
    wall: float


class _Silent(Exception):
    """Internal: one attempt went unanswered."""


class RigDriver:
    """A RIGP/1 conversation with one rig. Build it with :meth:`open`.

    Attributes:
        url: the pyserial URL.
        timeout: default bound on each command attempt, in seconds.
        log: every line sent and received, with host and rig times.
        events: every ``!`` line received, in order.
        identity: the ``IDN?`` fields (vendor, model, fw, serial, …).
        capabilities: the command groups of ``CAPS?`` (``PLUG``, ``CP``, …).
        rig_info: the other ``CAPS?`` fields (``conn``, ``readers``, …).
        proto: the rig's protocol version (``PROTO?``).
    """

    def __init__(self, url: str, *, timeout: float, with_checksum: bool, log: RigLog) -> None:
        self.url = url
        self.timeout = timeout
        self.with_checksum = with_checksum
        self.log = log
        self.events: list[LoggedEvent] = []
        self.identity: dict[str, str] = {}
        self.capabilities: frozenset[str] = frozenset()
        self.rig_info: dict[str, str] = {}
        self.proto = ""
        self.protocol_errors: list[RigProtocolError] = []
        self._port: ReadThreadPort | None = None
        self._tags = itertools.cycle(range(1, MAX_TAG + 1))
        self._pending: dict[int, asyncio.Future[Reply]] = {}
        self._lock = asyncio.Lock()
        self._lost: RigDisconnected | None = None
        self._busy: RigPortBusy | None = None
        self._reboot: LoggedEvent | None = None
        self._reset_requested = False
        self._event_arrived = asyncio.Event()
        self._keepalive: asyncio.Task[None] | None = None
        self.closed = False

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        baudrate: int = 115200,
        timeout: float = 2.0,
        with_checksum: bool = True,
        handshake: bool = True,
        log: RigLog | None = None,
    ) -> RigDriver:
        """Open the port and, unless told not to, greet the rig.

        Args:
            url: any pyserial URL (``/dev/ttyUSB0``, ``socket://…``, ``rfc2217://…``,
                ``hwgrep://…``, ``loop://``).
            baudrate: serial line speed.
            timeout: bound on each command attempt, in seconds.
            with_checksum: append ``*HH`` to every command.
            handshake: ask ``PROTO?``, ``IDN?`` and ``CAPS?`` now.
            log: the log to record into (a new one when None).

        Returns:
            The connected driver.

        Raises:
            RigPortNotFound, RigPortBusy, RigPortError: the port cannot be opened.
            RigVersionMismatch: the rig speaks another major version of RIGP.
            RigTimeout: the rig does not answer the greeting.
        """
        driver = cls(url, timeout=timeout, with_checksum=with_checksum, log=log or RigLog(url))
        loop = asyncio.get_running_loop()
        port = await loop.run_in_executor(
            None, lambda: open_serial(url, baudrate=baudrate, write_timeout=timeout)
        )
        driver._port = ReadThreadPort(port, url, loop, driver._on_line, driver._on_error)
        driver.log.add("-", f"opened {url}")
        with contextlib.suppress(Exception):
            port.reset_input_buffer()
        driver._port.start()
        if handshake:
            try:
                await driver.handshake()
            except BaseException:
                await driver.close()
                raise
        return driver

    async def handshake(self) -> None:
        """Ask ``PROTO?`` (refusing another major version), ``IDN?`` and ``CAPS?``."""
        try:
            proto = await self.command("PROTO?")
        except RigCommandError as error:
            if error.name != ErrorCode.BUSY.name:
                raise
            raise RigPortBusy(
                f"rig at {self.url} is busy: it serves another host ({error.detail})",
                port=self.url,
            ) from error
        self.proto = proto.fields.get("proto", "")
        ours = PROTOCOL_VERSION.split(".")[0]
        if self.proto.split(".")[0] != ours:
            raise RigVersionMismatch(
                f"the rig at {self.url} speaks RIGP {self.proto or '(no version given)'}, "
                f"this harness speaks RIGP {PROTOCOL_VERSION} and refuses another major version",
                rig_version=self.proto,
                host_version=PROTOCOL_VERSION,
            )
        self.identity = dict((await self.command("IDN?")).fields)
        caps = dict((await self.command("CAPS?")).fields)
        groups = set(filter(None, caps.pop("caps", "").split(",")))
        if _minor(self.proto) >= 1:
            # RIGP 1.1 lists the groups it added on a second page: one line holds 128 bytes.
            later = (await self.command("CAPS?", "2")).fields.get("caps", "")
            groups |= set(filter(None, later.split(",")))
        self.capabilities = frozenset(groups)
        self.rig_info = caps

    # -- the loop side of the reader thread -----------------------------------

    def _on_line(self, raw: bytes, mono: float, wall: float) -> None:
        text = raw.rstrip(b"\r\n").decode("ascii", errors="backslashreplace")
        try:
            line = parse_line(raw)
        except RigProtocolError as error:
            self._on_error(error)
            return
        if isinstance(line, Debug):
            self.log.add("%", text)
        elif isinstance(line, Event):
            self.log.add("!", text, rig_t=line.t)
            self._on_event(LoggedEvent(line, mono, wall))
        else:
            self.log.add("<", text)
            self._route(line)

    def _route(self, reply: Reply) -> None:
        if reply.tag is not None:
            waiter = self._pending.get(reply.tag)
        elif len(self._pending) == 1:
            waiter = next(iter(self._pending.values()))
        else:
            waiter = None
        if waiter is None or waiter.done():
            self.log.add("-", "reply ignored: no command waits for it (late or unsolicited)")
            return
        waiter.set_result(reply)

    def _on_event(self, logged: LoggedEvent) -> None:
        self.events.append(logged)
        kind = logged.event.kind
        if kind == "BOOT":
            if self._reset_requested:
                self._reset_requested = False
            else:
                self._reboot = logged
        elif kind == "BUSY":
            self._busy = RigPortBusy(
                f"rig at {self.url} is busy: it serves another host", port=self.url
            )
            self._fail_pending(self._busy)
        self._event_arrived.set()
        self._event_arrived = asyncio.Event()

    def _on_error(self, error: RigError) -> None:
        self.log.add("x", str(error))
        if isinstance(error, RigDisconnected):
            self._lost = error
            self._event_arrived.set()
        elif isinstance(error, RigProtocolError):
            self.protocol_errors.append(error)
        self._fail_pending(self._busy or error)

    def _fail_pending(self, error: RigError) -> None:
        for waiter in self._pending.values():
            if not waiter.done():
                waiter.set_exception(error)

    # -- commands -------------------------------------------------------------

    async def command(self, verb: str, *args: str, timeout: float | None = None) -> Reply:
        """Send a command and return its ``OK`` reply.

        Args:
            verb: the command word, e.g. ``"CP"`` or ``"STATUS?"``.
            *args: its arguments.
            timeout: bound on each attempt; None means :attr:`timeout`.

        Returns:
            The ``OK`` reply.

        Raises:
            RigCommandError: the rig answered ``ERR`` (after one retry for ``BADCHK``).
            RigTimeout: no answer, even after resynchronising and one retry.
            RigDisconnected: the port closed.
            RigPortBusy: the rig serves another host.
            RigRebooted: the rig rebooted by itself since the last command.
            RigProtocolError: the reply was garbled, oversize or failed its checksum.
        """
        bound = self.timeout if timeout is None else timeout
        text = " ".join((verb, *args))
        self._check_alive()
        async with self._lock:
            self._check_alive()
            if self._reboot is not None:
                boot, self._reboot = self._reboot, None
                raise RigRebooted(
                    f"the rig at {self.url} rebooted by itself (!BOOT, rig t={boot.event.t}) "
                    f"before {text!r}; its outputs are back to their defaults"
                )
            if verb == "RST":
                self._reset_requested = True
            try:
                reply = await self._attempt(verb, args, bound)
            except _Silent:
                if verb in NOT_RETRIED:
                    raise self._timeout(text, bound, "no retry: RST is not repeated") from None
                await self._resync(text, bound)
                try:
                    reply = await self._attempt(verb, args, bound)
                except _Silent:
                    raise self._timeout(text, bound, "also after a resync and one retry") from None
            if not reply.ok and reply.code == ErrorCode.BADCHK and verb not in NOT_RETRIED:
                self.log.add("-", f"rig reported a bad checksum for {text!r}; retrying once")
                try:
                    reply = await self._attempt(verb, args, bound)
                except _Silent:
                    raise self._timeout(text, bound, "on the retry after BADCHK") from None
        if not reply.ok:
            raise RigCommandError(
                f"rig at {self.url} refused {text!r}: ERR {reply.code} {reply.name}"
                + (f" ({reply.detail})" if reply.detail else ""),
                command=text,
                code=reply.code or 0,
                name=reply.name or "",
                detail=reply.detail,
            )
        return reply

    def _check_alive(self) -> None:
        if self.closed:
            raise RigDisconnected(f"the driver of rig {self.url} is closed", port=self.url)
        if self._busy is not None:  # a busy rig hangs up next: report why, not the hang-up
            raise RigPortBusy(str(self._busy), port=self.url)
        if self._lost is not None:
            raise RigDisconnected(str(self._lost), port=self.url) from self._lost

    def _timeout(self, text: str, bound: float, how: str) -> RigTimeout:
        message = f"rig at {self.url} did not answer {text!r} within {bound:g} s ({how})"
        self.log.add("x", message)
        return RigTimeout(message, command=text, port=self.url, timeout=bound)

    async def _attempt(self, verb: str, args: tuple[str, ...], bound: float) -> Reply:
        assert self._port is not None
        tag = next(self._tags)
        data = encode_command(verb, *args, tag=tag, with_checksum=self.with_checksum)
        waiter: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._pending[tag] = waiter
        try:
            self.log.add(">", data.rstrip(b"\n").decode("ascii"))
            async with asyncio.timeout(bound):
                await self._port.write(data)
                return await waiter
        except TimeoutError:
            raise _Silent from None
        finally:
            del self._pending[tag]

    async def _resync(self, text: str, bound: float) -> None:
        assert self._port is not None
        self.log.add("-", f"no answer to {text!r} within {bound:g} s: resynchronising")
        await self._port.flush_input(bound)
        try:
            await self._attempt("PING", (), bound)
        except _Silent:
            raise self._timeout(text, bound, "and PING after a flush went unanswered too") from None

    # -- events -----------------------------------------------------------------

    async def wait_event(self, kind: str, *, timeout: float, since: int = 0) -> LoggedEvent:
        """Wait for an event of ``kind`` among the events from index ``since`` on.

        Args:
            kind: e.g. ``"BOOT"`` or ``"EVT CP"``.
            timeout: bound in seconds.
            since: index into :attr:`events` to start from (``len(driver.events)``
                before an action waits only for what the action causes).

        Returns:
            The first matching event.

        Raises:
            RigTimeout: none arrived in time.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    for logged in self.events[since:]:
                        if logged.event.kind == kind:
                            return logged
                    since = len(self.events)
                    self._check_alive()
                    await self._event_arrived.wait()
        except TimeoutError:
            raise RigTimeout(
                f"rig at {self.url} sent no !{kind} within {timeout:g} s",
                command=f"(event {kind})",
                port=self.url,
                timeout=timeout,
            ) from None

    # -- watchdog and life --------------------------------------------------------

    async def start_watchdog(self, milliseconds: int) -> None:
        """Arm the rig's watchdog and keep it fed with ``PING`` every third of the period.

        Args:
            milliseconds: the watchdog period; the rig goes SAFE after this much silence.
        """
        await self.command("WDOG", str(milliseconds))
        if self._keepalive is None:
            self._keepalive = asyncio.get_running_loop().create_task(
                self._feed(milliseconds / 3000.0), name=f"rig watchdog {self.url}"
            )

    async def _feed(self, period: float) -> None:
        while not self.closed:
            await asyncio.sleep(period)  # a fixed keep-alive period, not a wait for the device
            if not self._lock.locked():
                try:
                    await self.command("PING")
                except RigError as error:
                    self.log.add("x", f"watchdog keep-alive failed: {error}")
                    return

    async def close(self) -> None:
        """Stop the keep-alive, the reader thread and the port; idempotent and bounded."""
        if self.closed:
            return
        if self._keepalive is not None:
            self._keepalive.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keepalive
        self.closed = True
        self._fail_pending(RigDisconnected(f"rig driver for {self.url} closed", port=self.url))
        if self._port is not None:
            port = self._port
            await asyncio.get_running_loop().run_in_executor(None, port.close)
        self.log.add("-", f"closed {self.url}")

    async def __aenter__(self) -> RigDriver:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def _minor(version: str) -> int:
    """The minor number of a RIGP version such as ``1.1`` (0 when it has none)."""
    minor = version.partition(".")[2]
    return int(minor) if minor.isdigit() else 0
