"""Fault knobs of the 2.0.1 reference station for availability (G03, G04) and reset (B11, B12).

Wire mutants (data for the mutation layer) that break the rules TC_G_04 to
TC_G_21 and TC_B_21 to TC_B_41 judge, and the behaviour knobs a wire rule
cannot say. :mod:`harness.sim.station.v201_mutants` adds them to the
station's tables.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "refuse_availability",
        "answers ChangeAvailability with `<operationalStatus>` `Rejected` without acting on it",
        lambda status, _side: [
            Rule(
                REPLY,
                "ChangeAvailability",
                Answer({"status": "Rejected"}),
                (Where(("operationalStatus",), status),),
            )
        ],
        "<operationalStatus>",
    ),
    WireMutant(
        "accept_scheduled",
        "answers `Accepted` a ChangeAvailability or Reset it acts on only later (`Scheduled`)",
        lambda _a, _side: [
            Rule(REPLY, action, Set(("status",), "Accepted"), (Where(("status",), "Scheduled"),))
            for action in ("ChangeAvailability", "Reset")
        ],
    ),
    WireMutant(
        "boot_reason",
        "boots with reason `<BootReason>` whatever the cause",
        lambda reason, _side: [Rule(CALL, "BootNotification", Set(("reason",), reason))],
        "<BootReason>",
    ),
    WireMutant(
        "reset_keeps_token",
        "sends the idToken in the TransactionEvent that an Immediate reset ends",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("idToken",), {"idToken": "MUTANT", "type": "Central"}),
                (Where(("transactionInfo", "stoppedReason"), "ImmediateReset"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say: what each does — why it is not a wire rule.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "refuse_same_availability": "answers ChangeAvailability `Rejected` when the target is "
    "already in the requested state — it depends on the station's state, not on the request",
    "forget_availability": "comes back Operative after a reboot whatever it was set to "
    "— the station's persistent memory",
}
