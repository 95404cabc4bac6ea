"""The physical and logical state of the 2.0.1 reference station's EVSEs.

Plain data: what is plugged, what the EV does, which faults are present, who is
authorized, which transaction runs. The rules that turn changes of this state
into OCPP messages live in :mod:`harness.sim.station.v201_transactions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FAULTS",
    "Authorization",
    "Connector201",
    "Evse201",
    "FaultReport",
    "Transaction",
]


@dataclass(frozen=True)
class FaultReport:
    """How the station reports one injected fault.

    Attributes:
        component: the component whose ``Problem`` variable the NotifyEvent names.
        faults_connector: whether the connector becomes ``Faulted``.
        stopped_reason: the ``stoppedReason`` of a transaction the fault ends
            (None: the transaction goes on).
    """

    component: str
    faults_connector: bool
    stopped_reason: str | None


#: Every rig fault the station understands (``harness.rig.Fault`` values).
FAULTS: dict[str, FaultReport] = {
    "ground_fault": FaultReport("Connector", True, "GroundFault"),
    "overcurrent": FaultReport("Connector", True, "OvercurrentFault"),
    "over_temperature": FaultReport("Connector", True, "Other"),
    "diode_short": FaultReport("Connector", True, "Other"),
    "emergency_stop": FaultReport("Connector", True, "EmergencyStop"),
    "lock_failure": FaultReport("Connector", True, "Other"),
    "power_loss": FaultReport("Connector", True, "PowerLoss"),
    "meter_link": FaultReport("PowerMeter", False, None),
    "reader_failure": FaultReport("TokenReader", False, None),
}


@dataclass
class Connector201:
    """One connector: the cable, the EV behind it, its faults and its setting."""

    evse: int
    id: int
    plugged: bool = False
    ev_state: str = "A"
    faults: set[str] = field(default_factory=set)
    operative: bool = True
    #: The last connectorStatus sent in a StatusNotification.
    reported: str | None = None
    #: A detachable cable left in the socket after the EV side disconnected.
    cable_left: bool = False
    #: The idToken that unlocks that cable (UnlockOnEVSideDisconnect false), if locked.
    locked_for: dict[str, Any] | None = None

    @property
    def faulted(self) -> bool:
        return any(FAULTS[f].faults_connector for f in self.faults)


@dataclass
class Authorization:
    """An idToken authorized to charge on an EVSE.

    Attributes:
        id_token: the ``IdTokenType`` as presented.
        info: the ``idTokenInfo`` the CSMS (or the cache) returned.
        remote_start_id: set when a RequestStartTransaction authorized it.
    """

    id_token: dict[str, Any]
    info: dict[str, Any]
    remote_start_id: int | None = None

    @property
    def group(self) -> str | None:
        group = self.info.get("groupIdToken")
        return str(group.get("idToken")) if isinstance(group, dict) else None


@dataclass
class Transaction:
    """A transaction from its Started to its Ended event.

    Attributes:
        id: the transactionId.
        evse: the EVSE id.
        connector: the connector id.
        seq_no: the seqNo the next TransactionEvent carries.
        charging_state: the last chargingState reported.
        id_token_due: the idToken goes into the next TransactionEvent.
        remote_start_id_due: the remoteStartId goes into the next TransactionEvent.
        energy_wh: the energy register (Wh) since the station was built.
        interrupted: power was lost while it ran; it ends after the next boot.
        stop_cause: why its authorization ended, when that did not end it.
    """

    id: str
    evse: int
    connector: int
    seq_no: int = 0
    charging_state: str = "Idle"
    id_token_due: bool = False
    remote_start_id_due: bool = False
    energy_wh: float = 0.0
    interrupted: bool = False
    #: The stoppedReason decided when the authorization ended (Local, Remote, ...).
    stop_cause: str | None = None
    #: The idToken that ended the authorization (one of the group, a master pass), still to send.
    stop_token: dict[str, Any] | None = None


@dataclass
class Evse201:
    """One EVSE: its connectors, its setting, the authorization and the transaction."""

    id: int
    connectors: dict[int, Connector201]
    operative: bool = True
    auth: Authorization | None = None
    tx: Transaction | None = None
    #: An EV stands in the EVSE's parking bay (its occupancy sensor).
    bay_occupied: bool = False

    @property
    def connector(self) -> Connector201:
        """The connector in use: the plugged one, else the first."""
        for connector in self.connectors.values():
            if connector.plugged:
                return connector
        return next(iter(self.connectors.values()))

    @property
    def plugged(self) -> bool:
        return any(c.plugged for c in self.connectors.values())
