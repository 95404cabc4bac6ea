"""Fault knobs of the 2.0.1 reference station for offline authorization and refused idTokens.

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the offline authorization cases (TC_C_15..18_CS, TC_C_26_CS)
check: the ``Deauthorized`` event after a refusal with ``StopTxOnInvalidId``
true, the ``SuspendedEVSE`` state with it false, and the energy
``MaxEnergyOnInvalidId`` still allows. :mod:`harness.sim.station.v201_mutants`
adds them to the station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

_DEAUTHORIZED = Where(("triggerReason",), "Deauthorized")

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "deauthorized_as_stop_authorized",
        "reports a transaction deauthorized by the CSMS with triggerReason `StopAuthorized`",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("triggerReason",), "StopAuthorized"),
                (_DEAUTHORIZED,),
            )
        ],
    ),
    WireMutant(
        "deauthorized_offline",
        "flags the `Deauthorized` TransactionEvent `offline` true although it is sent online",
        lambda _a, _side: [
            Rule(CALL, "TransactionEvent", Set(("offline",), True), (_DEAUTHORIZED,))
        ],
    ),
    WireMutant(
        "suspended_evse_as_charging",
        "reports chargingState `Charging` where the EVSE withholds the energy (`SuspendedEVSE`)",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("transactionInfo", "chargingState"), "Charging"),
                (Where(("transactionInfo", "chargingState"), "SuspendedEVSE"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "refuse_unknown_offline": "refuses an unknown idToken offline although "
    "AuthCtrlr.OfflineTxForUnknownIdEnabled is true — the station's decision, no message",
    "stop_tx_on_any_invalid_id": "ends the transaction (Deauthorized) when the CSMS refuses its "
    "idToken, even with TxCtrlr.StopTxOnInvalidId false — the station's decision",
    "ignore_max_energy_on_invalid_id": "withholds the energy at once when the CSMS refuses the "
    "idToken, whatever TxCtrlr.MaxEnergyOnInvalidId allows — an energy counter, not a message",
}
