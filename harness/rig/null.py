"""The ``none`` rig backend: no physical actions at all.

Every test that needs the rig is skipped as not run, whether it asks
first (:meth:`~harness.rig.Rig.require`) or simply calls an operation.
"""

from __future__ import annotations

from typing import NoReturn

from harness.errors import NotRun
from harness.rig.base import Capability, EvState, Fault, Rig

__all__ = ["NoRig"]


class NoRig(Rig):
    """A rig that can do nothing; each operation skips the test as not run."""

    name = "none"

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset()

    @staticmethod
    def _skip(what: str) -> NoReturn:
        raise NotRun(f"the profile has no rig ([rig] backend = none) to {what}")

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        self._skip("plug a cable")

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        self._skip("unplug a cable")

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        self._skip("set the EV state")

    async def present_card(self, token: str, evse: int | None = None) -> None:
        self._skip("present a card")

    async def power_cycle(self) -> None:
        self._skip("cycle mains power")

    async def power(self, on: bool) -> None:
        self._skip("switch mains power")

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        self._skip(f"inject {fault.value}")

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        self._skip(f"clear {fault.value}")

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        self._skip("drive an EV into the parking bay")

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        self._skip("drive an EV out of the parking bay")
