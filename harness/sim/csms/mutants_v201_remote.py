"""Wire mutants of the reference CSMS for 2.0.1 remote control (block F) cases.

Each breaks one tool validation of a ``_CSMS`` case on a request the CSMS
sends when triggered (UnlockConnector, TriggerMessage), with values the
schema allows: the case's own check must catch it, not the schema.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set, Unset

__all__ = ["V201_REMOTE_MUTANTS"]

V201_REMOTE_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "unlock_other_connector",
        "names the next connectorId in a triggered UnlockConnector",
        lambda _a, _side: [
            Rule(CALL, "UnlockConnector", Set(("connectorId",), lambda c: int(c or 0) + 1))
        ],
    ),
    WireMutant(
        "trigger_other_message",
        "asks a triggered TriggerMessage for a `Heartbeat` whatever message it was asked for",
        lambda _a, _side: [Rule(CALL, "TriggerMessage", Set(("requestedMessage",), "Heartbeat"))],
    ),
    WireMutant(
        "trigger_no_evse",
        "leaves the evse out of a triggered TriggerMessage",
        lambda _a, _side: [Rule(CALL, "TriggerMessage", Unset(("evse",)))],
    ),
)
