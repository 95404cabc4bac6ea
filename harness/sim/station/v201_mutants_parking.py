"""Fault knobs of the 2.0.1 reference station for the parking bay and the EV leaving (block E).

Wire mutants (:data:`MUTANTS`) and a behaviour knob (:data:`BEHAVIOUR_KNOBS`)
that break what the parking bay cases (TC_E_12_CS, TC_E_19_CS) and the EV-side
communication loss case (TC_E_54_CS) check: the ``triggerReason`` that names
the cause, the ``eventType`` of the event it starts or ends, and the parking
bay sensor itself. :mod:`harness.sim.station.v201_mutants` adds them to the
station's tables.
"""

from __future__ import annotations

from harness.errors import ConfigurationError
from harness.sim.mutants import Side, WireMutant
from harness.sim.mutation import CALL, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

#: For each cause a case checks, the plausible but wrong triggerReason the mutant sends instead.
_MISNAMED = {
    "EVDetected": "CablePluggedIn",
    "EVDeparted": "EVCommunicationLost",
    "EVCommunicationLost": "ChargingStateChanged",
}


def _cause(arg: str) -> str:
    if arg not in _MISNAMED:
        raise ConfigurationError(
            f"the trigger must be one of {', '.join(_MISNAMED)}, not {arg!r}", field="faults"
        )
    return arg


def _misnamed(arg: str, _side: Side) -> list[Rule]:
    cause = _cause(arg)
    rename = Set(("triggerReason",), _MISNAMED[cause])
    return [Rule(CALL, "TransactionEvent", rename, (Where(("triggerReason",), cause),))]


def _updated(arg: str, _side: Side) -> list[Rule]:
    cause = _cause(arg)
    only = (Where(("triggerReason",), cause),)
    return [Rule(CALL, "TransactionEvent", Set(("eventType",), "Updated"), only)]


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "trigger_misnamed",
        "names the cause `<EVDetected|EVDeparted|EVCommunicationLost>` of a TransactionEvent "
        "wrongly (`CablePluggedIn`, `EVCommunicationLost`, `ChargingStateChanged`)",
        _misnamed,
        "<EVDetected|EVDeparted|EVCommunicationLost>",
    ),
    WireMutant(
        "updated_instead",
        "sends eventType `Updated` in the TransactionEvent caused by "
        "`<EVDetected|EVDeparted|EVCommunicationLost>` (the transaction neither starts nor ends)",
        _updated,
        "<EVDetected|EVDeparted|EVCommunicationLost>",
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "ignore_parking_bay": "does not react to its parking bay sensor (an EV arriving or leaving) "
    "— a rig input, not a message",
}
