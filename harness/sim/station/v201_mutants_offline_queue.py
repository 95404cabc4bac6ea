"""Fault knobs of the 2.0.1 reference station's offline TransactionEvent queue (E04, E12, E14).

Wire mutants only: a queued message is told from a live one by its
``offline`` flag, so each fault is said on the wire. Added to the tables of
:mod:`harness.sim.station.v201_mutants` with one line.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Drop, Reorder, Rule, Set, Where

__all__ = ["MUTANTS"]

_QUEUED = Where(("offline",), True)


def _queued(event_type: str) -> tuple[Where, ...]:
    if not event_type:
        return (_QUEUED,)
    return (_QUEUED, Where(("eventType",), event_type))


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "offline_flag_false",
        "sends the TransactionEvents it kept while offline with `offline` false",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Set(("offline",), False), (_QUEUED,))],
    ),
    WireMutant(
        "drop_queued",
        "loses the TransactionEvents it kept while offline (only those of `<eventType>`, "
        "when given)",
        lambda arg, _side: [Rule(CALL, "TransactionEvent", Drop(), _queued(arg))],
        "[<eventType>]",
    ),
    WireMutant(
        "queue_out_of_order",
        "sends each kept TransactionEvent after the next one (the queue out of order)",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Reorder(), (_QUEUED,))],
    ),
    WireMutant(
        "tx_status_not_queued",
        "answers GetTransactionStatus with `messagesInQueue` false whatever its queue holds",
        lambda _a, _side: [Rule(REPLY, "GetTransactionStatus", Set(("messagesInQueue",), False))],
    ),
)
