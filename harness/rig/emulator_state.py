"""The rig emulator's state: outputs per connector and station-wide, timers, the station.

:class:`RigCore` holds what the emulated rig's firmware keeps between
commands and the helpers its commands share (argument checks, timers, acts on
a wired :class:`~harness.rig.StationInputs`); :mod:`harness.rig.emulator_machine`
adds the commands themselves.
"""

from __future__ import annotations

import abc
import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from harness.rig.codec import PROTOCOL_VERSION, ErrorCode
from harness.rig.sim import ParkingBayInput, StationInputs

__all__ = ["ALL_GROUPS", "ConnectorState", "Refused", "RigCore", "StationWide"]

ALL_GROUPS = (
    "PLUG", "PP", "CP", "DIODE", "CPFAULT", "LEAK", "LOAD", "MAINS", "ESTOP", "TEMP", "LOCK",
    "RFID", "READER", "METERLINK", "BAY", "MEAS", "STATUS", "WDOG",
)  # fmt: skip
"""Every optional command group of RIGP/1, in ``CAPS?`` order."""
#: The groups RIGP 1.1 added: listed by ``CAPS? 2`` (``CAPS?`` alone would outgrow a line).
PAGE_TWO = ("BAY",)

PP_RATINGS = (0, 13, 20, 32, 63, 70)
LEAK_TRIP_MA = {"AC": 30.0, "DC": 6.0}
TEMP_LIMIT_C = 70.0
AMBIENT_C = 25.0
UID = re.compile(r"[A-Za-z0-9_.:-]{1,36}")
CP_VOLTS = {"A": "12", "B": "9", "C": "6", "D": "3", "E": "0", "F": "-12"}

Emit = Callable[[str, dict[str, object]], None]


class Refused(Exception):
    """A command the rig answers with ``ERR``."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(f"{code.name}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class ConnectorState:
    """The outputs of the rig at one connector."""

    plug: str = "OUT"
    cp: str = "A"
    pp: int = 32
    diode: str = "OK"
    cpfault: str = "NONE"
    lock: str = "FREE"
    load: float = 0.0
    leak_ma: float = 0.0
    leak_kind: str = "OFF"
    meter: str = "ON"
    bay: str = "FREE"


@dataclass
class StationWide:
    """The rig outputs that concern the whole station."""

    mains: str = "ON"
    estop: str = "RELEASED"
    temp: float = AMBIENT_C
    reader: str = "ON"
    card: str | None = None
    card_reader: int = 1
    wdog_ms: int = 0


@dataclass
class _Identity:
    vendor: str = "ocpp-harness"
    model: str = "rig-emulator"
    fw: str = "1.0.0"
    serial: str = "EMU-0001"


class RigCore(abc.ABC):
    """The emulated rig's state and the helpers its commands share.

    Args:
        emit: called with (kind, fields) for every asynchronous event.
        connectors: rig connector index n (from 1) -> (evse id, connector id) at index n-1.
        readers: number of RFID readers (reader r belongs to EVSE r when more than one).
        station: a station simulator to act on, or None for a free-standing rig.
        caps: the command groups offered; commands of other groups get ``NOT_SUPPORTED``.
        proto: the version answered to ``PROTO?``.
    """

    def __init__(
        self,
        emit: Emit,
        *,
        connectors: Sequence[tuple[int, int]] = ((1, 1),),
        readers: int = 1,
        station: StationInputs | None = None,
        caps: Sequence[str] = ALL_GROUPS,
        proto: str = PROTOCOL_VERSION,
    ) -> None:
        self.emit = emit
        self.connectors = list(connectors)
        self.readers = readers
        self.station = station
        # A station without a parking bay sensor (a 1.6 one) has nothing BAY could act on.
        sensor = station is None or isinstance(station, ParkingBayInput)
        self.caps = tuple(g for g in ALL_GROUPS if g in caps and (sensor or g != "BAY"))
        self.proto = proto
        self.identity = _Identity()
        self.conn = [ConnectorState() for _ in self.connectors]
        self.wide = StationWide()
        self.booted_at = time.monotonic()
        self._after: list[Callable[[], Awaitable[None]]] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.on_reboot: Callable[[], Awaitable[None]] | None = None

    # -- time, timers -----------------------------------------------------------

    def clock(self) -> int:
        """Milliseconds since the rig booted (the ``t=`` of events)."""
        return int((time.monotonic() - self.booted_at) * 1000)

    def _later(self, name: str, seconds: float, work: Callable[[], Awaitable[None]]) -> None:
        self._cancel(name)
        loop = asyncio.get_running_loop()
        self._timers[name] = loop.call_later(seconds, lambda: self._spawn(work()))

    def _cancel(self, name: str) -> None:
        handle = self._timers.pop(name, None)
        if handle is not None:
            handle.cancel()

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Refused as refused:  # a timer's act failed: say so on the wire
                self.emit("EVT ERROR", {"detail": refused.code.name})

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def host_seen(self) -> None:
        """The host sent a line: restart the watchdog."""
        if self.wide.wdog_ms:
            self._later("wdog", self.wide.wdog_ms / 1000.0, self._watchdog_expired)

    async def _watchdog_expired(self) -> None:
        self.emit("WDOG EXPIRED", {})
        await self.safe()

    @abc.abstractmethod
    async def safe(self) -> None:
        """Return every injected condition to neutral (defined by the commands)."""

    async def run_after(self) -> None:
        """Run what a command deferred until its reply was sent (the reboot of ``RST``)."""
        work, self._after = self._after, []
        for item in work:
            await item()

    async def shutdown(self) -> None:
        """Cancel every timer and background task."""
        for name in list(self._timers):
            self._cancel(name)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- the station ------------------------------------------------------------

    async def _act(self, method: str, *args: object) -> None:
        if self.station is None:
            return
        try:
            await getattr(self.station, method)(*args)
        except Exception as error:  # the rig's hardware "failed": report it, keep state
            raise Refused(ErrorCode.HW_FAULT, f"station {method} failed: {error}") from error

    async def _fault(self, fault: str, on: bool, index: int = 1) -> None:
        evse, connector = self.connectors[index - 1]
        await self._act("inject_fault" if on else "clear_fault", fault, evse, connector)

    # -- arguments ---------------------------------------------------------------

    @staticmethod
    def _word(args: list[str], at: int, options: Sequence[str]) -> str:
        if len(args) <= at:
            raise Refused(ErrorCode.BAD_ARGS, f"missing argument: one of {'|'.join(options)}")
        if args[at] not in options:
            raise Refused(ErrorCode.BAD_ARGS, f"{args[at]} is not one of {'|'.join(options)}")
        return args[at]

    @staticmethod
    def _value(args: list[str], at: int, low: float, high: float, what: str) -> float:
        if len(args) <= at:
            raise Refused(ErrorCode.BAD_ARGS, f"missing {what}")
        try:
            value = float(args[at])
        except ValueError:
            raise Refused(ErrorCode.BAD_ARGS, f"{what} {args[at]} is not a number") from None
        if not low <= value <= high:
            raise Refused(ErrorCode.OUT_OF_RANGE, f"{what} {args[at]} outside {low:g}..{high:g}")
        return value

    def _index(self, args: list[str], at: int, high: int, what: str = "connector") -> int:
        if len(args) > at + 1:
            raise Refused(ErrorCode.BAD_ARGS, f"unexpected {' '.join(args[at + 1 :])}")
        if len(args) <= at:
            return 1
        index = int(self._value(args, at, 0 if what == "status" else 1, high, what))
        if str(index) != args[at]:
            raise Refused(ErrorCode.BAD_ARGS, f"{what} {args[at]} is not a whole number")
        return index

    def _c(self, args: list[str], at: int) -> tuple[int, ConnectorState]:
        index = self._index(args, at, len(self.conn))
        return index, self.conn[index - 1]
