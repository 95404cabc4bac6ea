"""Fault knobs of the 1.6 reference station for sessions and authorization (Core).

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the Core session and authorization cases check: who may stop
a transaction (same idTag, or another of the same parentIdTag), the
transactionId the Central System gave, a refused idTag, the authorization
cache and remote start/stop answers. :mod:`harness.sim.station.v16_mutants`
adds them to the station's tables.
"""

from __future__ import annotations

from typing import Any

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Rule, Set, Unset

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

#: Added to every transactionId the ``invented_transaction_id`` mutant sends.
_OWN_ID_OFFSET = 500_000


def _own_id(given: Any) -> Any:
    """A transactionId of the station's own, never the one the Central System gave."""
    return given + _OWN_ID_OFFSET if isinstance(given, int) else _OWN_ID_OFFSET


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "accept_blindly",
        "answers `<Action>` `Accepted` whatever it asks and does nothing (a remote start on "
        "connector 0, a stop of an unknown transactionId, a cache left full)",
        lambda action, _side: [Rule(REPLY, action, Answer({"status": "Accepted"}))],
        "<Action>",
    ),
    WireMutant(
        "invented_transaction_id",
        "sends StopTransaction with a transactionId of its own instead of the one "
        "StartTransaction.conf gave",
        lambda _a, _side: [Rule(CALL, "StopTransaction", Set(("transactionId",), _own_id))],
    ),
    WireMutant(
        "stop_without_id_tag",
        "sends StopTransaction without the idTag that stopped the transaction",
        lambda _a, _side: [Rule(CALL, "StopTransaction", Unset(("idTag",)))],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "stop_with_any_tag": "ends a running transaction with any accepted idTag presented at its "
    "connector — who may stop a transaction is the authorization logic's decision",
    "ignore_parent_id_tag": "stops a transaction only with the idTag that started it, never with "
    "another idTag of the same parentIdTag — the authorization logic's decision",
    "start_unauthorized": "starts a transaction for a presented idTag the Central System refused "
    "— the authorization decision, not a message",
    "accept_busy_remote_start": "answers RemoteStartTransaction `Accepted` (and starts nothing) "
    "for a connector with a running transaction — the answer depends on the connector's state, "
    "which the wire does not show",
    "cached_id_refused": "treats an idTag found Accepted in its authorization cache as refused "
    "while `LocalPreAuthorize` is true: no Authorize, no transaction — the cache lives inside "
    "the station",
    "ev_disconnect_stops": "ends the transaction (`EVDisconnected`) when the EV side is unplugged "
    "even with `StopTransactionOnEVSideDisconnect` false — a rig input, not a message",
}
