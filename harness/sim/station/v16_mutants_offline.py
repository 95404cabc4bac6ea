"""Fault knobs of the OCPP 1.6 reference station's offline behaviour (connection loss, queue).

The behaviour knobs concern the station's memory of messages it could not
send, or what it does with a later answer, which no rule on the wire can say
(the wire only shows what the station sends once back). The one wire mutant
misreports the end of a transaction whose idTag was refused.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set, Where

__all__ = ["OFFLINE_BEHAVIOUR_KNOBS", "OFFLINE_MUTANTS"]

#: Wire mutants of the offline area.
OFFLINE_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "deauthorized_as_local",
        "sends StopTransaction with reason `Local` when it ends a transaction because the "
        "idTag was refused (`DeAuthorized`)",
        lambda _a, _side: [
            Rule(
                CALL,
                "StopTransaction",
                Set(("reason",), "Local"),
                (Where(("reason",), "DeAuthorized"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
OFFLINE_BEHAVIOUR_KNOBS: dict[str, str] = {
    "offline_queue_lost": "forgets the transaction messages it could not send while offline: "
    "they are never sent — state kept across a connection loss",
    "offline_replay_reversed": "sends the transaction messages kept while offline newest first "
    "— the order of messages kept across a connection loss",
    "offline_stamped_when_sent": "stamps the meter values kept while offline with the time "
    "they are sent, not the time they were sampled — the timestamps are the queue's memory",
    "keep_charging_on_invalid_id": "goes on charging when the answer to a StartTransaction sent "
    "after a connection loss refuses the idTag, whatever StopTransactionOnInvalidId and "
    "MaxEnergyOnInvalidId say — the transaction logic decides",
}
