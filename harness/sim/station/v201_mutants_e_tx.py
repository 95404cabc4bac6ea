"""Fault knobs of the 2.0.1 reference station for starting and stopping transactions (block E).

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the start/stop option and transaction status cases check: the
charging state of an EV that is not ready, the EV connection timeout,
authorization without the CSMS, and the answer to GetTransactionStatus.
:mod:`harness.sim.station.v201_mutants` adds them to the station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Rule, Set, Unset, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "unsigned_meter_values",
        "leaves `signedMeterValue` out of the first sampled value of every TransactionEvent",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Unset(("meterValue", 0, "sampledValue", 0, "signedMeterValue")),
            )
        ],
    ),
    WireMutant(
        "tx_status_ongoing",
        "answers GetTransactionStatus with `ongoingIndicator` `<true|false>` (added when absent)",
        lambda arg, _side: [
            Rule(REPLY, "GetTransactionStatus", Set(("ongoingIndicator",), arg == "true"))
        ],
        "<true|false>",
    ),
    WireMutant(
        "tx_status_queued",
        "answers GetTransactionStatus with `messagesInQueue` true whatever its queue holds",
        lambda _a, _side: [Rule(REPLY, "GetTransactionStatus", Set(("messagesInQueue",), True))],
    ),
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
    "no_tx_retry": "never sends a failed TransactionEvent again — the retry is a timer "
    "inside the station, no message to alter",
    "tx_retry_early": "sends a failed TransactionEvent again at once, ignoring "
    "MessageAttemptInterval — a timer, not a message",
    "ev_side_disconnect_stops": "withdraws the authorization when the EV parts at its side even "
    "with TxCtrlr.StopTxOnEVSideDisconnect false — a rig input, not a message",
    "cable_gone_with_ev": "frees the connector (Available) when the EV parts at its side although "
    "the detachable cable is still in the socket — the cable is physical, not a message",
}
