"""Fault knobs of the 2.0.1 reference station for block C authorization.

Wire mutants (:data:`MUTANTS`) and behaviour knobs (:data:`BEHAVIOUR_KNOBS`)
that break what the authorization cases check: who may stop a transaction
(the same idToken, one of its group, a master pass), what a master pass may
start, and the answer to ClearCache. :mod:`harness.sim.station.v201_mutants`
adds them to the station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Rule, Unset, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "accept_clear_cache",
        "answers ClearCache `Accepted` whatever the cache's state (also with the cache disabled)",
        lambda _a, _side: [Rule(REPLY, "ClearCache", Answer({"status": "Accepted"}))],
    ),
    WireMutant(
        "stop_without_id_token",
        "sends the StopAuthorized TransactionEvent without the idToken that stopped",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Unset(("idToken",)),
                (Where(("triggerReason",), "StopAuthorized"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "stop_with_any_token": "ends a running transaction with any accepted idToken presented, "
    "whatever its group — who may stop a transaction is the authorization logic's decision",
    "ignore_group_id": "stops a transaction only with the idToken that started it, never with "
    "another of its group — the authorization logic's decision",
    "ignore_post_authorize": "refuses an idToken cached as not Accepted without asking the "
    "CSMS, although AuthCacheCtrlr.DisablePostAuthorize is false — the station's decision",
    "ignore_local_pre_authorize": "authorizes an idToken cached as Accepted without asking the "
    "CSMS although AuthCtrlr.LocalPreAuthorize is false — the station's decision",
    "cache_hit_refused": "refuses an idToken its cache holds as Accepted (LocalPreAuthorize), "
    "without asking the CSMS — the station's reading of its own memory",
    "ignore_cache_lifetime": "keeps using cache entries older than AuthCacheCtrlr.LifeTime "
    "— the station's memory",
    "cache_ignores_transaction_answers": "does not update the cache from the idTokenInfo of "
    "TransactionEvent answers — the station's memory",
    "ignore_master_pass": "treats a master-pass idToken as any other accepted one and starts "
    "a transaction with it — the authorization logic's decision",
}
