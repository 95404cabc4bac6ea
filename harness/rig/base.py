"""The test rig: one interface for the station's physical inputs, several backends.

A test case never knows whether a relay box, an operator or the embedded
simulator plugs the cable: it calls the :class:`Rig` and the backend chosen in
the DUT profile does it. A backend states its capabilities; a test that needs
one the backend lacks is skipped as not run (see :meth:`Rig.require`): the
case applies to the DUT, this rig just cannot perform it.
"""

from __future__ import annotations

import abc
import enum
from typing import NoReturn

# Fault is named by the profile's [faults] tables, so it lives below the rig.
from harness.errors import NotRun
from harness.profile.faults import Fault
from harness.rig.log import LogEntry

__all__ = ["Capability", "EvState", "Fault", "Rig"]


class Capability(enum.Enum):
    PLUG = "plug"
    EV_STATE = "ev_state"
    CARD = "card"
    POWER = "power"
    FAULT = "fault"
    UI = "ui"
    PARKING = "parking"


#: What each capability lets the harness do, for skip reasons.
DOING = {
    Capability.PLUG: "plug a cable",
    Capability.EV_STATE: "set the EV state",
    Capability.CARD: "present a card",
    Capability.POWER: "switch the mains power",
    Capability.FAULT: "inject a fault",
    Capability.UI: "select on the station's user interface",
    Capability.PARKING: "drive an EV into the parking bay",
}


def lacking(
    name: str, capabilities: frozenset[Capability], needed: tuple[Capability, ...]
) -> str | None:
    """The "not run:" reason when a rig called ``name`` lacks some of ``needed``, else None."""
    missing = [c for c in needed if c not in capabilities]
    if not missing:
        return None
    doing = ", ".join(DOING[c] for c in missing)
    return f"not run: the {name} rig cannot {doing} ({', '.join(c.value for c in missing)})"


class EvState(enum.Enum):
    """IEC 61851-1 control-pilot states seen from the station."""

    A = "A"  # no EV connected
    B = "B"  # EV connected, not ready
    C = "C"  # EV ready, charging
    D = "D"  # charging with ventilation
    E = "E"  # error: CP shorted / no power
    F = "F"  # fault: station unavailable


class Rig(abc.ABC):
    """Drives the physical inputs of the station under test.

    Connector arguments are ``(evse_id, connector_id)`` as in the DUT profile;
    for OCPP 1.6 the EVSE id equals the connector id.
    """

    name: str = "rig"

    @property
    @abc.abstractmethod
    def capabilities(self) -> frozenset[Capability]:
        """What this backend can do."""

    def require(self, *needed: Capability) -> None:
        """Skip the test as not run when the rig lacks a capability."""
        reason = lacking(self.name, self.capabilities, needed)
        if reason is not None:
            raise NotRun(reason)

    @abc.abstractmethod
    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        """Plug the cable into the connector (the EV side stays in state B)."""

    @abc.abstractmethod
    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        """Unplug the cable (state A)."""

    @abc.abstractmethod
    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        """Set the EV's control-pilot state (B connected, C charging, B again = suspended)."""

    @abc.abstractmethod
    async def present_card(self, token: str, evse: int | None = None) -> None:
        """Hold an RFID card with ``token`` to the reader (optionally of one EVSE)."""

    @abc.abstractmethod
    async def power_cycle(self) -> None:
        """Cut and restore mains power: the station reboots."""

    @abc.abstractmethod
    async def power(self, on: bool) -> None:
        """Switch mains power on or off."""

    @abc.abstractmethod
    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        """Inject a fault."""

    @abc.abstractmethod
    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        """Clear a fault injected before."""

    async def ui_stop(self, evse: int | None = None) -> None:
        """On the station's user interface, select to stop the transaction on ``evse``.

        ``None`` selects to stop all transactions (C16, a master pass presented).
        Only a backend with :attr:`Capability.UI` does it; any other skips the
        test as not run.
        """
        raise NotRun(lacking(self.name, frozenset(), (Capability.UI,)) or "")

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        """Drive an EV into the parking bay of the EVSE (its occupancy sensor sees it).

        Optional: a backend without a parking bay sensor keeps this default,
        which skips the test as not run.
        """
        self._no_parking_bay()

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        """Drive the EV out of the parking bay of the EVSE (see :meth:`drive_in`)."""
        self._no_parking_bay()

    def _no_parking_bay(self) -> NoReturn:
        raise NotRun(str(lacking(self.name, frozenset(), (Capability.PARKING,))))

    def log_text(self) -> str:
        """The rig's command and event log as text, for the report ("" when it keeps none)."""
        return ""

    def log_entries(self) -> list[LogEntry]:
        """The rig's log entries (``mono``, ``wall``, ``kind``, ``text``), oldest first."""
        return []

    async def close(self) -> None:  # noqa: B027 - optional hook, empty by design
        """Return the rig to a safe state and release it."""
