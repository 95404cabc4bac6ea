"""The RIGP/1 rig emulator: a rig in software, over a pseudo-terminal or TCP.

The emulator lets the serial driver be tested end to end and lets a
:class:`~harness.rig.StationInputs` simulator be driven through RIGP/1 exactly
as a real station is driven through a real rig::

    emulator = RigEmulator(station=station)
    path = await emulator.start_pty()          # e.g. /dev/pts/7
    url = await emulator.start_tcp()           # socket://127.0.0.1:PORT
    ...
    await emulator.stop()

It misbehaves on demand, through context managers on the reply path:
:meth:`dropping_replies`, :meth:`delaying`, :meth:`corrupting_checksums`,
:meth:`garbling`, :meth:`oversize_lines`, and :meth:`rebooting` (an async
context manager). A TCP emulator serves one host at a time: a second
connection gets ``!BUSY`` and ``ERR 7 BUSY`` to every command, as RIGP/1 asks
of network rigs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass

from harness.rig.codec import (
    MAX_LINE,
    PROTOCOL_VERSION,
    Command,
    ErrorCode,
    checksum,
    encode_error,
    encode_event,
    encode_ok,
    parse_command,
    salvage_tag,
)
from harness.rig.emulator_machine import RigMachine
from harness.rig.emulator_state import ALL_GROUPS, Refused
from harness.rig.errors import RigChecksumError, RigLineTooLong, RigProtocolError
from harness.rig.sim import StationInputs

__all__ = ["LOOPBACK", "Misbehaviour", "RigEmulator"]

LOOPBACK = ("127.0.0.1", "::1", "localhost")
"""The only addresses the TCP emulator listens on: it has no authentication."""


@dataclass
class Misbehaviour:
    """How the emulator misbehaves right now (all off by default).

    Attributes:
        drop_replies: send no reply at all (events still go out).
        drop_count: when not None, how many more replies to drop before answering again.
        drop_only: when not None, drop only the replies to this command word.
        delay: seconds to hold each reply back.
        corrupt_checksums: give each reply a wrong ``*HH``.
        garble: replace each reply by bytes that are not ASCII.
        oversize: pad each reply beyond 128 bytes.
        booting: answer every command ``ERR 7 BUSY`` (the rig is rebooting).
        noise: how many more commands to treat as damaged in transit (``ERR 1 BADCHK``).
    """

    drop_replies: bool = False
    drop_count: int | None = None
    drop_only: str | None = None
    delay: float = 0.0
    corrupt_checksums: bool = False
    garble: bool = False
    oversize: bool = False
    booting: bool = False
    noise: int = 0


class _Link:
    """One host connection: line assembly, a serial command queue, a writer."""

    def __init__(self, emulator: RigEmulator, write: Callable[[bytes], None], name: str) -> None:
        self.emulator = emulator
        self.write = write
        self.name = name
        self.buffer = bytearray()
        self.discarding = False
        self.lines: asyncio.Queue[bytes] = asyncio.Queue()
        self.task = asyncio.get_running_loop().create_task(self._serve(), name=f"rig link {name}")

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while True:
            cut = next((i for i, b in enumerate(self.buffer) if b in (0x0A, 0x0D)), -1)
            if cut < 0:
                if len(self.buffer) > MAX_LINE and not self.discarding:
                    self.discarding = True
                    self.lines.put_nowait(bytes(self.buffer[: MAX_LINE + 1]))
                if self.discarding:
                    self.buffer.clear()
                return
            line = bytes(self.buffer[: cut + 1])
            del self.buffer[: cut + 1]
            if self.discarding:
                self.discarding = False
            elif line.strip(b"\r\n"):
                self.lines.put_nowait(line)

    async def _serve(self) -> None:
        while True:
            line = await self.lines.get()
            await self.emulator._handle(self, line)


class RigEmulator:
    """An emulated RIGP/1 rig.

    Args:
        connectors: rig connector n -> (evse id, connector id) at index n-1.
        readers: number of RFID readers.
        station: a station simulator the rig acts on (optional).
        caps: the command groups offered (all by default).
        proto: the version answered to ``PROTO?`` (change it to test a mismatch).
        event_checksums: append ``*HH`` to ``!`` lines.

    Attributes:
        machine: the rig's state (connectors, station-wide outputs).
        misbehaviour: the current :class:`Misbehaviour`.
        received: every command parsed, in order.
        sent_events: every ``!`` line emitted, in order.
    """

    def __init__(
        self,
        *,
        connectors: Sequence[tuple[int, int]] = ((1, 1),),
        readers: int = 1,
        station: StationInputs | None = None,
        caps: Sequence[str] = ALL_GROUPS,
        proto: str = PROTOCOL_VERSION,
        event_checksums: bool = True,
    ) -> None:
        self.machine = RigMachine(
            self._emit, connectors=connectors, readers=readers, station=station, caps=caps,
            proto=proto,
        )  # fmt: skip
        self.misbehaviour = Misbehaviour()
        self.event_checksums = event_checksums
        self.received: list[Command] = []
        self.sent_events: list[bytes] = []
        self._links: set[_Link] = set()
        self._pty: tuple[int, int] | None = None
        self._pty_link: _Link | None = None
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._clients: set[asyncio.Task[object]] = set()
        self._later: set[asyncio.TimerHandle] = set()

    # -- transports -------------------------------------------------------------

    async def start_pty(self) -> str:
        """Serve on a new pseudo-terminal.

        Returns:
            The path of its slave side, to open with pyserial (e.g. ``/dev/pts/7``).
        """
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR/LF translation: bytes pass as they are
        os.set_blocking(master, False)
        self._pty = (master, slave)
        loop = asyncio.get_running_loop()
        self._pty_link = _Link(self, self._pty_write, "pty")
        self._links.add(self._pty_link)
        loop.add_reader(master, self._pty_readable)
        return os.ttyname(slave)

    def _pty_readable(self) -> None:
        if self._pty is None or self._pty_link is None:
            return
        try:
            data = os.read(self._pty[0], 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # no process holds the slave open right now
            return
        self._pty_link.feed(data)

    def _pty_write(self, data: bytes) -> None:
        if self._pty is None:
            return
        with contextlib.suppress(BlockingIOError, OSError):  # nobody reads: the line is lost
            os.write(self._pty[0], data)

    async def start_tcp(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on TCP, on a loopback address only.

        Args:
            host: ``127.0.0.1``, ``::1`` or ``localhost``.
            port: the port; 0 picks a free one.

        Returns:
            The pyserial URL of the rig, ``socket://host:port``.

        Raises:
            ValueError: ``host`` is not a loopback address.
        """
        if host not in LOOPBACK:
            raise ValueError(f"the rig emulator listens on loopback only, not on {host!r}")
        self._server = await asyncio.start_server(self._client, host, port)
        bound = self._server.sockets[0].getsockname()
        return f"socket://{'[' + bound[0] + ']' if ':' in bound[0] else bound[0]}:{bound[1]}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
            task.add_done_callback(self._clients.discard)
        tcp_links = [link for link in self._links if link is not self._pty_link]
        self._writers.add(writer)
        if tcp_links:
            await self._refuse(reader, writer)
            return
        link = _Link(self, writer.write, "tcp")
        self._links.add(link)
        try:
            while data := await reader.read(4096):
                link.feed(data)
        except OSError:
            pass
        finally:
            self._links.discard(link)
            link.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await link.task
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A second host: every command is answered ``ERR 7 BUSY`` until it hangs up."""
        writer.write(encode_event("BUSY", {}))
        try:
            while line := await reader.readline():
                if line.strip(b"\r\n"):
                    tag = salvage_tag(line[: MAX_LINE + 1])
                    writer.write(
                        encode_error(ErrorCode.BUSY, "another host holds the rig", tag=tag)
                    )
        except (OSError, ValueError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def stop(self) -> None:
        """Close every transport (hosts see the port close) and cancel timers; idempotent."""
        for handle in self._later:
            handle.cancel()
        self._later.clear()
        if self._pty is not None:
            master, slave = self._pty
            self._pty = None
            asyncio.get_running_loop().remove_reader(master)
            os.close(master)
            os.close(slave)
        if self._pty_link is not None:
            self._links.discard(self._pty_link)
            self._pty_link.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pty_link.task
            self._pty_link = None
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            if self._clients:  # the handlers see EOF and end; bounded all the same
                await asyncio.wait(list(self._clients), timeout=2.0)
            await self._server.wait_closed()
            self._server = None
        await self.machine.shutdown()

    # -- lines in, replies out ------------------------------------------------------

    async def disconnect_hosts(self) -> None:
        """Drop the TCP hosts connected now (the port closes under them); keep listening."""
        for writer in list(self._writers):
            writer.close()
        if self._clients:
            await asyncio.wait(list(self._clients), timeout=2.0)

    async def _handle(self, link: _Link, raw: bytes) -> None:
        self.machine.host_seen()
        self._verb: str | None = None
        try:
            command = parse_command(raw)
        except RigProtocolError as error:
            code = (
                ErrorCode.BADCHK
                if isinstance(error, RigChecksumError)
                else ErrorCode.OVERFLOW
                if isinstance(error, RigLineTooLong)
                else ErrorCode.UNKNOWN_CMD
            )
            detail = {1: "checksum mismatch", 10: "line longer than 128 bytes"}.get(
                int(code), "not a RIGP command"
            )
            self._reply(link, salvage_tag(raw), False, code, detail, {}, summed=True)
            return
        self.received.append(command)
        self._verb = command.verb
        if self.misbehaviour.noise > 0:
            self.misbehaviour.noise -= 1
            self._reply(link, command.tag, False, ErrorCode.BADCHK, "line noise", {}, True)
            return
        if self.misbehaviour.booting:
            self._reply(
                link, command.tag, False, ErrorCode.BUSY, "booting", {}, command.checksummed
            )
            return
        try:
            fields = await self.machine.execute(command)
        except Refused as refused:
            self._reply(
                link, command.tag, False, refused.code, refused.detail, {}, command.checksummed
            )
            return
        self._reply(link, command.tag, True, None, "", fields, command.checksummed)
        await self.machine.run_after()

    def _reply(
        self,
        link: _Link,
        tag: int | None,
        ok: bool,
        code: ErrorCode | None,
        detail: str,
        fields: dict[str, object],
        summed: bool,
    ) -> None:
        bad = self.misbehaviour
        if bad.drop_replies and bad.drop_only in (None, self._verb):
            if bad.drop_count is None:
                return
            if bad.drop_count > 0:
                bad.drop_count -= 1
                return
        if bad.garble:
            data = b"OK #%d \xff\xfe\x01 garbled\n" % (tag or 0)
        elif bad.oversize:
            data = b"OK #%d pad=" % (tag or 0) + b"x" * (2 * MAX_LINE) + b"\n"
        elif ok:
            data = encode_ok(fields, tag=tag, with_checksum=summed or bad.corrupt_checksums)
        else:
            assert code is not None
            data = encode_error(
                code, detail, tag=tag, with_checksum=summed or bad.corrupt_checksums
            )
        if bad.corrupt_checksums and not (bad.garble or bad.oversize):
            body = data[: data.rindex(b"*")]
            wrong = int(checksum(body), 16) ^ 0x5A
            data = body + b"*%02X\n" % wrong
        if bad.delay > 0:
            handle = asyncio.get_running_loop().call_later(bad.delay, link.write, data)
            self._later.add(handle)
        else:
            link.write(data)

    def _emit(self, kind: str, fields: dict[str, object]) -> None:
        data = encode_event(
            kind, fields, t=self.machine.clock(), with_checksum=self.event_checksums
        )
        self.sent_events.append(data)
        for link in list(self._links):
            link.write(data)

    def send_raw(self, data: bytes) -> None:
        """Write bytes to every connected host as they are (for tests of odd input)."""
        for link in list(self._links):
            link.write(data)

    # -- misbehaviour on demand -------------------------------------------------------

    @contextlib.contextmanager
    def _setting(self, name: str, value: object) -> Iterator[None]:
        before = getattr(self.misbehaviour, name)
        setattr(self.misbehaviour, name, value)
        try:
            yield
        finally:
            setattr(self.misbehaviour, name, before)

    @contextlib.contextmanager
    def dropping_replies(self, count: int | None = None, only: str | None = None) -> Iterator[None]:
        """Within the block, commands are carried out but not answered.

        Args:
            count: drop only this many replies, then answer again; None drops all.
            only: drop only the replies to this command word (e.g. ``"CP"``).
        """
        with (
            self._setting("drop_count", count),
            self._setting("drop_only", only),
            self._setting("drop_replies", True),
        ):
            yield

    def delaying(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """Within the block, each reply is held back ``seconds``."""
        return self._setting("delay", seconds)

    def corrupting_checksums(self) -> contextlib.AbstractContextManager[None]:
        """Within the block, each reply carries a wrong checksum."""
        return self._setting("corrupt_checksums", True)

    @contextlib.contextmanager
    def noisy_line(self, count: int = 1) -> Iterator[None]:
        """Within the block, the next ``count`` commands count as damaged: ``ERR 1 BADCHK``."""
        with self._setting("noise", count):
            yield

    def garbling(self) -> contextlib.AbstractContextManager[None]:
        """Within the block, each reply is replaced by non-ASCII bytes."""
        return self._setting("garble", True)

    def oversize_lines(self) -> contextlib.AbstractContextManager[None]:
        """Within the block, each reply is longer than 128 bytes."""
        return self._setting("oversize", True)

    @contextlib.asynccontextmanager
    async def rebooting(self) -> AsyncIterator[None]:
        """Reboot: on entry outputs go neutral and commands get ``ERR 7 BUSY``;
        on exit the rig is ready and says ``!BOOT``."""
        with self._setting("booting", True):
            await self.machine.safe()
            yield
        await self.machine.reboot("POWERON")
