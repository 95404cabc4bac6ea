"""Shared pieces of the rig tests: bounds, a fake station, fixture types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from harness.rig.emulator import RigEmulator
from harness.rig.serial_driver import RigDriver

TIMEOUT = 0.2
"""Reply bound for the driver in these tests: the emulator answers in about a millisecond."""

WAIT = 2.0
"""Bound for waits that succeed in a working rig (generous, never reached)."""


class FakeStation:
    """A StationInputs that records each call; ``failing`` names a method that raises."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.failing: str | None = None

    def _record(self, *call: Any) -> None:
        if call[0] == self.failing:
            raise RuntimeError(f"{call[0]} broke")
        self.calls.append(call)

    async def plug_in(self, evse: int, connector: int) -> None:
        self._record("plug_in", evse, connector)

    async def plug_out(self, evse: int, connector: int) -> None:
        self._record("plug_out", evse, connector)

    async def set_ev_state(self, evse: int, connector: int, state: str) -> None:
        self._record("set_ev_state", evse, connector, state)

    async def present_card(self, token: str, evse: int | None = None) -> None:
        self._record("present_card", token, evse)

    async def power_off(self) -> None:
        self._record("power_off")

    async def power_on(self) -> None:
        self._record("power_on")

    async def inject_fault(self, fault: str, evse: int, connector: int) -> None:
        self._record("inject_fault", fault, evse, connector)

    async def clear_fault(self, fault: str, evse: int, connector: int) -> None:
        self._record("clear_fault", fault, evse, connector)


MakeEmulator = Callable[..., Awaitable[tuple[RigEmulator, str]]]
OpenDriver = Callable[..., Awaitable[RigDriver]]
