"""The ``sim`` rig backend: drives the embedded station simulator directly."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from harness.rig.base import Capability, EvState, Fault, Rig

__all__ = ["ParkingBayInput", "SimRig", "StationInputs", "UserInterface"]


class StationInputs(Protocol):
    """The physical-input API every embedded station simulator offers."""

    async def plug_in(self, evse: int, connector: int) -> None: ...
    async def plug_out(self, evse: int, connector: int) -> None: ...
    async def set_ev_state(self, evse: int, connector: int, state: str) -> None: ...
    async def present_card(self, token: str, evse: int | None = None) -> None: ...
    async def power_off(self) -> None: ...
    async def power_on(self) -> None: ...
    async def inject_fault(self, fault: str, evse: int, connector: int) -> None: ...
    async def clear_fault(self, fault: str, evse: int, connector: int) -> None: ...


@runtime_checkable
class UserInterface(Protocol):
    """A simulator with a user interface (the 2.0.1 station; the 1.6 one has none)."""

    async def ui_stop(self, evse: int | None = None) -> None: ...


@runtime_checkable
class ParkingBayInput(Protocol):
    """The parking bay occupancy sensor of a station simulator that has one (OCPP 2.0.1)."""

    async def set_parking_bay(self, evse: int, connector: int, occupied: bool) -> None: ...


class SimRig(Rig):
    """Physical actions performed on the embedded simulator, instantly."""

    name = "sim"

    def __init__(self, station: StationInputs) -> None:
        self.station = station

    @property
    def capabilities(self) -> frozenset[Capability]:
        missing = set()
        if not isinstance(self.station, UserInterface):
            missing.add(Capability.UI)
        if not isinstance(self.station, ParkingBayInput):
            missing.add(Capability.PARKING)
        return frozenset(Capability) - missing

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        await self.station.plug_in(evse, connector)

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        await self.station.plug_out(evse, connector)

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        await self.station.set_ev_state(evse, connector, state.value)

    async def present_card(self, token: str, evse: int | None = None) -> None:
        await self.station.present_card(token, evse)

    async def power_cycle(self) -> None:
        await self.station.power_off()
        await self.station.power_on()

    async def power(self, on: bool) -> None:
        if on:
            await self.station.power_on()
        else:
            await self.station.power_off()

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.station.inject_fault(fault.value, evse, connector)

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.station.clear_fault(fault.value, evse, connector)

    async def ui_stop(self, evse: int | None = None) -> None:
        if not isinstance(self.station, UserInterface):
            await super().ui_stop(evse)
            return
        await self.station.ui_stop(evse)

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        await self._parking_bay(evse, connector, True)

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        await self._parking_bay(evse, connector, False)

    async def _parking_bay(self, evse: int, connector: int, occupied: bool) -> None:
        if not isinstance(self.station, ParkingBayInput):
            self._no_parking_bay()
        await self.station.set_parking_bay(evse, connector, occupied)
