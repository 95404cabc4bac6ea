"""Fault knobs of the 2.0.1 reference station for starting and stopping transactions (block E).

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the local start and start/stop option cases check: the charging
state of an EV that is not ready, the EV connection timeout, and authorization
without the CSMS. :mod:`harness.sim.station.v201_mutants` adds them to the
station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "charging_when_suspended",
        "reports chargingState `Charging` where the EV draws no energy (`SuspendedEV`)",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("transactionInfo", "chargingState"), "Charging"),
                (Where(("transactionInfo", "chargingState"), "SuspendedEV"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "ignore_ev_connection_timeout": "keeps an authorization whose cable never came, whatever "
    "TxCtrlr.EVConnectionTimeOut says — a timer inside the station, not a message",
    "ignore_disable_remote_authorization": "asks the CSMS with Authorize although "
    "AuthCtrlr.DisableRemoteAuthorization is true — the station's decision",
}
