"""A pyserial port read by a dedicated thread, its lines handed to asyncio safely.

pyserial is blocking, so one reader thread owns every read of the port. It
splits the byte stream into lines (LF, CR or CRLF), refuses lines longer than
RIGP allows, and posts each line, or the error that ended the port, to the
event loop with ``loop.call_soon_threadsafe``. Writes run in the loop's
executor, bounded by the port's write timeout. A resynchronising flush is
performed by the reader thread itself (never two readers on one port).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from harness.rig.codec import MAX_LINE
from harness.rig.errors import (
    RigDisconnected,
    RigError,
    RigLineTooLong,
    RigPortBusy,
    RigPortError,
    RigPortNotFound,
)

__all__ = ["LineSink", "ReadThreadPort", "open_serial"]

POLL = 0.05
"""Read timeout of the reader thread: how quickly it notices a stop request."""

JOIN_BOUND = 2.0
"""How long close() waits for the reader thread to end."""

_ABSENT = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ECONNREFUSED, errno.EHOSTUNREACH}
_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EBUSY}

LineSink = Callable[[bytes, float, float], None]
"""Receives each line (terminator included), its host monotonic and wall arrival times."""


def _errno_of(error: BaseException) -> int | None:
    seen: BaseException | None = error
    while seen is not None:
        number = getattr(seen, "errno", None)
        if isinstance(number, int):
            return number
        seen = seen.__cause__ or seen.__context__
    return None


def open_serial(url: str, *, baudrate: int, write_timeout: float) -> serial.Serial:
    """Open a pyserial URL exclusively where the platform supports it.

    Args:
        url: ``/dev/ttyUSB0``, ``socket://host:port``, ``rfc2217://…``, ``hwgrep://…``, ``loop://``.
        baudrate: line speed (ignored by network URLs).
        write_timeout: bound on one write, in seconds.

    Returns:
        The open port.

    Raises:
        RigPortNotFound: the device does not exist, or nothing listens at the address.
        RigPortBusy: another program holds the port exclusively.
        RigPortError: any other failure to open (permissions, bad URL, …).
    """
    try:
        port = serial.serial_for_url(
            url,
            baudrate=baudrate,
            timeout=POLL,
            write_timeout=write_timeout,
            exclusive=True,
            do_not_open=True,
        )
        port.open()
    except ValueError as error:
        raise RigPortError(
            f"rig port {url!r} is not a valid pyserial URL: {error}", port=url
        ) from error
    except (serial.SerialException, OSError) as error:
        number = _errno_of(error)
        text = str(error)
        if "exclusively lock" in text or number in _BUSY:
            raise RigPortBusy(
                f"rig port {url} is busy: another program holds it ({text})", port=url
            ) from error
        if number in _ABSENT or "refused" in text.lower() or "No such file" in text:
            raise RigPortNotFound(
                f"rig port {url} not found: no such device, or nothing listens there ({text})",
                port=url,
            ) from error
        raise RigPortError(f"cannot open rig port {url}: {text}", port=url) from error
    return port


class ReadThreadPort:
    """An open port, a reader thread, and thread-safe hand-over to the event loop.

    Args:
        port: an open pyserial port (see :func:`open_serial`).
        url: its URL, for messages.
        loop: the event loop that receives the lines.
        on_line: called in the loop with each complete line.
        on_error: called in the loop once with the protocol error of an oversize
            line, or the :class:`RigDisconnected` that ended the port.
    """

    def __init__(
        self,
        port: serial.Serial,
        url: str,
        loop: asyncio.AbstractEventLoop,
        on_line: LineSink,
        on_error: Callable[[RigError], None],
    ) -> None:
        self.port = port
        self.url = url
        self._loop = loop
        self._on_line = on_line
        self._on_error = on_error
        self._stop = threading.Event()
        self._flush_waiters: list[asyncio.Future[None]] = []
        self._flush_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"rig-reader {url}", daemon=True)
        self.closed = False

    def start(self) -> None:
        """Start the reader thread."""
        self._thread.start()

    # -- the reader thread ----------------------------------------------------

    def _post(self, callback: Callable[..., None], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed under us: nobody listens
            self._loop.call_soon_threadsafe(callback, *args)

    def _run(self) -> None:
        buffer = bytearray()
        discarding = False
        while not self._stop.is_set():
            self._serve_flush(buffer)
            try:
                waiting = self.port.in_waiting
                chunk = self.port.read(max(1, min(int(waiting), 4096)))
            except Exception as error:  # pyserial raises several types on a dead port
                if not self._stop.is_set():
                    lost = RigDisconnected(
                        f"rig port {self.url} closed mid-run: {error}", port=self.url
                    )
                    lost.__cause__ = error
                    self._post(self._on_error, lost)
                return
            if not chunk:
                continue
            buffer += chunk
            discarding = self._split(buffer, discarding)

    def _split(self, buffer: bytearray, discarding: bool) -> bool:
        while True:
            cut = next((i for i, byte in enumerate(buffer) if byte in (0x0A, 0x0D)), -1)
            if cut < 0:
                if not discarding and len(buffer) > MAX_LINE:
                    discarding = True
                    if buffer[:1] != b"%":  # an overlong debug line is just dropped
                        self._post(
                            self._on_error,
                            RigLineTooLong(
                                f"rig sent a line longer than {MAX_LINE} bytes: "
                                f"{bytes(buffer[:40])!r}…",
                                line=bytes(buffer[:MAX_LINE]),
                            ),
                        )
                if discarding:
                    buffer.clear()
                return discarding
            end = cut + 1
            if buffer[cut] == 0x0D and end < len(buffer) and buffer[end] == 0x0A:
                end += 1
            line = bytes(buffer[:end])
            del buffer[:end]
            if discarding:
                discarding = False
                continue
            if line.strip(b"\r\n"):
                self._post(self._on_line, line, time.monotonic(), time.time())

    def _serve_flush(self, buffer: bytearray) -> None:
        with self._flush_lock:
            waiters, self._flush_waiters = self._flush_waiters, []
        if not waiters:
            return
        with contextlib.suppress(Exception):  # a dead port shows on the next read
            self.port.reset_input_buffer()
        buffer.clear()
        for waiter in waiters:
            self._post(_resolve, waiter)

    # -- the loop side ----------------------------------------------------------

    async def flush_input(self, timeout: float) -> None:
        """Discard unread input and any partial line (done by the reader thread).

        Args:
            timeout: bound on the wait for the reader thread.
        """
        waiter: asyncio.Future[None] = self._loop.create_future()
        with self._flush_lock:
            self._flush_waiters.append(waiter)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await waiter

    async def write(self, data: bytes) -> None:
        """Write ``data`` from an executor thread, bounded by the port's write timeout.

        Raises:
            RigDisconnected: the port is closed or the write failed.
        """
        if self.closed:
            raise RigDisconnected(f"rig port {self.url} is closed", port=self.url)
        try:
            await self._loop.run_in_executor(None, self.port.write, data)
        except (serial.SerialException, OSError) as error:
            raise RigDisconnected(
                f"writing to rig port {self.url} failed: {error}", port=self.url
            ) from error

    def close(self) -> None:
        """Stop the reader (joined with a bound) and close the port; idempotent."""
        if self.closed:
            return
        self.closed = True
        self._stop.set()
        cancel = getattr(self.port, "cancel_read", None)
        if cancel is not None:
            with contextlib.suppress(Exception):
                cancel()
        if self._thread.is_alive():
            self._thread.join(JOIN_BOUND)
        _close(self.port)


def _close(port: serial.Serial) -> None:
    """Close a port; network ports are closed here because pyserial's socket close
    leaks the socket when the peer has gone (shutdown raises, close is skipped) and
    then sleeps 0.3 s."""
    sock = getattr(port, "_socket", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        port._socket = None  # type: ignore[attr-defined]
        port.is_open = False
        return
    with contextlib.suppress(Exception):
        port.close()


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
