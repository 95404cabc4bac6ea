"""Connectors of the OCPP 1.6 reference station: physical state, transaction, status.

A :class:`Connector` holds what the station knows about one outlet: the
cable and the EV's control-pilot state, its availability setting, injected
faults, a pending authorization and the running transaction. Its OCPP status
is *derived* from that state (:meth:`Connector.status`) rather than stored, so
every path that changes the state reports the status the specification
prescribes for it. Connector 0 stands for the whole charge point.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = [
    "CHARGE_POINT_FAULTS",
    "FAULT_ERROR_CODES",
    "Connector",
    "Meter",
    "Transaction",
    "status_of_charge_point",
]

#: The StatusNotification errorCode a station reports for each rig fault.
FAULT_ERROR_CODES: dict[str, str] = {
    "ground_fault": "GroundFailure",
    "overcurrent": "OverCurrentFailure",
    "over_temperature": "HighTemperature",
    "lock_failure": "ConnectorLockFailure",
    "meter_link": "PowerMeterFailure",
    "reader_failure": "ReaderFailure",
    "emergency_stop": "OtherError",
    "diode_short": "OtherError",
    "ev_error": "EVCommunicationError",
    "evse_error": "OtherError",
}

#: Faults that concern the charge point as a whole (reported on connector 0).
CHARGE_POINT_FAULTS = frozenset({"emergency_stop", "reader_failure"})


class Meter:
    """An energy register that counts while the connector delivers power.

    Args:
        power_w: the power the simulated EV draws while charging, in watts.
    """

    def __init__(self, power_w: float = 11000.0) -> None:
        self.power_w = power_w
        self._wh = 0.0
        self._since: float | None = None

    def energize(self, on: bool) -> None:
        """Start or stop counting."""
        self._settle()
        self._since = time.monotonic() if on else None

    @property
    def delivering(self) -> bool:
        return self._since is not None

    def _settle(self) -> None:
        if self._since is not None:
            now = time.monotonic()
            self._wh += self.power_w * (now - self._since) / 3600.0
            self._since = now

    def read_wh(self) -> int:
        """The register's value in whole watt-hours."""
        self._settle()
        return int(self._wh)

    def power(self) -> float:
        """The active power drawn right now, in watts."""
        return self.power_w if self.delivering else 0.0


@dataclass
class Transaction:
    """A transaction the Central System has confirmed with a transactionId."""

    transaction_id: int
    id_tag: str
    meter_start: int
    started: str
    parent_id_tag: str | None = None
    #: The idTag was refused afterwards: the EVSE delivers no more energy (SuspendedEVSE).
    energy_withheld: bool = False


@dataclass
class Connector:
    """One connector of the charge point.

    Attributes:
        id: the connector id (1.6 counts connectors across the charge point).
        plugged: the cable is in the socket.
        ev_state: the IEC 61851 control-pilot state (``A`` to ``F``).
        operative: the availability set by ChangeAvailability (persistent).
        scheduled_operative: an availability change waiting for the
            transaction to end (ChangeAvailability answered ``Scheduled``).
        faults: injected fault names (see :data:`FAULT_ERROR_CODES`).
        authorized_tag: an idTag authorized for the next transaction, waiting
            for the cable (identification first, or a remote start).
        transaction: the running transaction.
        finishing: a transaction ended but the cable is still in.
        locked: the cable lock is engaged.
        meter: the energy register.
        reserved: a reservation holds the connector (Reservation profile).
    """

    id: int
    plugged: bool = False
    ev_state: str = "A"
    operative: bool = True
    scheduled_operative: bool | None = None
    faults: set[str] = field(default_factory=set)
    authorized_tag: str | None = None
    transaction: Transaction | None = None
    finishing: bool = False
    locked: bool = False
    meter: Meter = field(default_factory=Meter)
    reserved: bool = False

    @property
    def ev_ready(self) -> bool:
        """The EV asks for energy (control pilot C or D)."""
        return self.plugged and self.ev_state in ("C", "D")

    def error_code(self) -> str:
        """The errorCode to report: the first fault's code, else ``NoError``."""
        for fault in sorted(self.faults):
            return FAULT_ERROR_CODES.get(fault, "OtherError")
        return "NoError"

    def status(self, charge_point_operative: bool = True) -> str:
        """The ChargePointStatus this connector is in, derived from its state."""
        if self.faults:
            return "Faulted"
        if self.transaction is not None:
            if self.transaction.energy_withheld:
                return "SuspendedEVSE"
            if self.ev_ready:
                return "Charging"
            return "SuspendedEV"
        if not (self.operative and charge_point_operative):
            return "Unavailable"
        if self.finishing and self.plugged:
            return "Finishing"
        if self.reserved and self.authorized_tag is None:
            return "Reserved"  # a cable alone does not end a reservation (only its idTag)
        if self.plugged or self.authorized_tag is not None:
            return "Preparing"
        return "Available"

    def update_energy(self) -> None:
        """Let the meter count exactly while energy flows to the EV."""
        running = self.transaction
        withheld = running is not None and running.energy_withheld
        self.meter.energize(
            running is not None and self.ev_ready and not self.faults and not withheld
        )


def status_of_charge_point(operative: bool, faults: set[str]) -> tuple[str, str]:
    """Status and errorCode of connector 0 (the charge point as a whole)."""
    if faults:
        return "Faulted", FAULT_ERROR_CODES.get(sorted(faults)[0], "OtherError")
    return ("Available" if operative else "Unavailable"), "NoError"
