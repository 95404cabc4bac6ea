"""How the DUT reports each fault the rig can inject: the ``[faults]`` tables of a profile.

A station's way of reporting a ground fault or a blocked cable lock is its
vendor's choice within what OCPP allows, so the report a test case waits for
comes from the DUT profile. Each :class:`~harness.rig.Fault` has a
:class:`FaultReport` with defaults (:data:`DEFAULT_FAULT_REPORTS`); a
``[faults.<name>]`` table of the profile overrides single fields of it::

    [faults.over_temperature]
    v16_error_code = "OtherError"     # this charger reports no HighTemperature
    v201_stopped_reason = ""          # "" = not reported (the transaction goes on)

A test case reads ``dut.faults[Fault.GROUND_FAULT].v16_error_code``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.profile._tables import Table

__all__ = [
    "DEFAULT_FAULT_REPORTS",
    "FAULT_KEYS",
    "FAULT_NAMES",
    "Fault",
    "FaultReport",
    "FaultReports",
    "read_faults",
]


class Fault(enum.Enum):
    """Faults a rig can inject; how a station reports each is set per DUT.

    The rig re-exports it (:class:`harness.rig.Fault`); it lives here because
    the profile names faults and must not depend on the rig.
    """

    GROUND_FAULT = "ground_fault"
    OVERCURRENT = "overcurrent"
    OVER_TEMPERATURE = "over_temperature"
    DIODE_SHORT = "diode_short"
    EMERGENCY_STOP = "emergency_stop"
    LOCK_FAILURE = "lock_failure"
    METER_LINK = "meter_link"
    READER_FAILURE = "reader_failure"
    POWER_LOSS = "power_loss"


@dataclass(frozen=True)
class FaultReport:
    """What the DUT sends when the rig injects one fault; ``None`` where it sends nothing.

    Attributes:
        v16_error_code: 1.6 StatusNotification ``errorCode`` (ChargePointErrorCode).
        v16_status: 1.6 StatusNotification ``status`` (ChargePointStatus).
        v201_connector_status: 2.0.1 StatusNotification ``connectorStatus``.
        v201_problem_component: 2.0.1 NotifyEvent: the component whose variable reports it.
        v201_problem_variable: 2.0.1 NotifyEvent: that variable (``Problem`` by default).
        v201_stopped_reason: 2.0.1 TransactionEvent ``stoppedReason`` when the fault
            ends a running transaction (None: the transaction goes on).
    """

    v16_error_code: str | None = None
    v16_status: str | None = None
    v201_connector_status: str | None = None
    v201_problem_component: str | None = None
    v201_problem_variable: str | None = None
    v201_stopped_reason: str | None = None


#: The keys of a ``[faults.<name>]`` table: the fields of :class:`FaultReport`.
FAULT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(FaultReport))
#: The fault names a ``[faults]`` table may hold, in the order of :class:`~harness.rig.Fault`.
FAULT_NAMES: tuple[str, ...] = tuple(fault.value for fault in Fault)


def _report(v16: tuple[str | None, str | None], v201: tuple[str | None, ...]) -> FaultReport:
    status, component, variable, reason = v201
    return FaultReport(v16[0], v16[1], status, component, variable, reason)


_FAULTED_16 = "Faulted"
#: The reports assumed when the profile says nothing: the catalogue's expectations where
#: it has one (TC_024: ConnectorLockFailure, Faulted), the closest OCPP enum values otherwise.
DEFAULT_FAULT_REPORTS: Mapping[Fault, FaultReport] = {
    Fault.GROUND_FAULT: _report(
        ("GroundFailure", _FAULTED_16), ("Faulted", "Connector", "Problem", "GroundFault")
    ),
    Fault.OVERCURRENT: _report(
        ("OverCurrentFailure", _FAULTED_16), ("Faulted", "Connector", "Problem", "OvercurrentFault")
    ),
    Fault.OVER_TEMPERATURE: _report(
        ("HighTemperature", _FAULTED_16), ("Faulted", "Connector", "Problem", "Other")
    ),
    Fault.DIODE_SHORT: _report(
        ("OtherError", _FAULTED_16), ("Faulted", "Connector", "Problem", "Other")
    ),
    Fault.EMERGENCY_STOP: _report(
        ("OtherError", _FAULTED_16), ("Faulted", "Connector", "Problem", "EmergencyStop")
    ),
    Fault.LOCK_FAILURE: _report(
        ("ConnectorLockFailure", _FAULTED_16), ("Faulted", "Connector", "Problem", "Other")
    ),
    Fault.METER_LINK: _report(
        ("PowerMeterFailure", _FAULTED_16), (None, "PowerMeter", "Problem", None)
    ),
    Fault.READER_FAILURE: _report(
        ("ReaderFailure", _FAULTED_16), (None, "TokenReader", "Problem", None)
    ),
    # 1.6: the station goes down without a StatusNotification; it stops transactions PowerLoss.
    Fault.POWER_LOSS: _report((None, None), ("Faulted", "Connector", "Problem", "PowerLoss")),
}


class FaultReports(Mapping[Fault, FaultReport]):
    """A read-only mapping from every :class:`~harness.rig.Fault` to its :class:`FaultReport`.

    Like :class:`~harness.profile.model.FrozenMapping` it can be hashed, copied
    and pickled. Every fault is present: missing ones take their default.

    Args:
        data: reports that replace the defaults.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Fault, FaultReport] | None = None) -> None:
        self._data: dict[Fault, FaultReport] = {
            fault: (data or {}).get(fault, DEFAULT_FAULT_REPORTS[fault]) for fault in Fault
        }

    def __getitem__(self, key: Fault) -> FaultReport:
        return self._data[key]

    def __iter__(self) -> Iterator[Fault]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __reduce__(self) -> tuple[type[FaultReports], tuple[dict[Fault, FaultReport]]]:
        return (type(self), (self._data,))

    def __repr__(self) -> str:
        changed = {f.value: r for f, r in self._data.items() if r != DEFAULT_FAULT_REPORTS[f]}
        return f"FaultReports(changed={changed!r})"

    def plain(self) -> dict[str, dict[str, str | None]]:
        """The reports as plain data, laid out like the ``[faults]`` tables."""
        return {
            fault.value: {key: getattr(report, key) for key in FAULT_KEYS}
            for fault, report in self._data.items()
        }


def _allowed() -> dict[str, tuple[str, ...]]:
    from harness.ocppj.schemas import schema_enum
    from harness.ocppj.versions import OcppVersion

    v16, v201 = OcppVersion.V16, OcppVersion.V201
    return {
        "v16_error_code": schema_enum(v16, "StatusNotification.json", "errorCode"),
        "v16_status": schema_enum(v16, "StatusNotification.json", "status"),
        "v201_connector_status": schema_enum(
            v201, "StatusNotificationRequest.json", "ConnectorStatusEnumType"
        ),
        "v201_stopped_reason": schema_enum(v201, "TransactionEventRequest.json", "ReasonEnumType"),
    }


def read_faults(table: Table) -> FaultReports:
    """Read the ``[faults]`` table: one optional ``[faults.<name>]`` sub-table per fault.

    Enumerated fields must be values of their OCPP enum; component and variable
    names are at most 50 characters (CiString50). ``""`` means "not reported".

    Args:
        table: the ``[faults]`` table, whose allowed keys are the fault names.
    """
    allowed = _allowed()
    reports: dict[Fault, FaultReport] = {}
    for name in table:
        fault = Fault(name)
        entry = table.table(name, FAULT_KEYS)
        default = DEFAULT_FAULT_REPORTS[fault]
        changes = {
            key: entry.blankable(key, getattr(default, key), allowed.get(key, ()), max_length=50)
            for key in FAULT_KEYS
            if key in entry
        }
        reports[fault] = replace(default, **changes)
    return FaultReports(reports)
