"""Fault knobs of the 2.0.1 reference station for the master pass (C16).

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the master-pass cases check: the idToken the stop names and
which transactions a selection on the user interface stops.
:mod:`harness.sim.station.v201_mutants` adds them to the station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]


def _other_token(value: object) -> str:
    """Another idToken than the one that stopped: its value with an ``X`` appended."""
    return f"{value}X"[-36:]


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "stop_token_altered",
        "names another idToken (the value with `X` appended) in the StopAuthorized "
        "TransactionEvent than the one that stopped",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("idToken", "idToken"), _other_token),
                (Where(("triggerReason",), "StopAuthorized"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "ui_stops_all": "stops every running transaction when one is selected on the user interface "
    "after a master pass — the station's decision",
}
