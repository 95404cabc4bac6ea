"""The OCPP 1.6 reference station's fault knobs: wire mutants as data, and behaviour knobs.

:data:`MUTANTS` are the knobs said on the wire: the mutation layer
(:mod:`harness.sim.mutation`) applies them between the station and its
connection, and the behaviour never sees them. :data:`BEHAVIOUR_KNOBS` are
the few faults a wire rule cannot say; each is read where its behaviour lives
and says here, in one line, why it is not a wire rule. The docs table in
``docs/station-simulator-1.6.md`` lists both (a test holds it to this data).
"""

from __future__ import annotations

from harness.sim.mutants import COMMON, WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Drop, Rule, Set, Where
from harness.sim.station import (
    v16_mutants_core_actions,
    v16_mutants_core_auth,
    v16_mutants_management,
    v16_mutants_reservation,
)
from harness.sim.station.v16_mutants_offline import OFFLINE_BEHAVIOUR_KNOBS, OFFLINE_MUTANTS
from harness.sim.station.v16_mutants_smart_charging import (
    SMART_CHARGING_BEHAVIOUR,
    SMART_CHARGING_MUTANTS,
)

#: The answer of a mutant that accepts a request and does nothing.
_ACCEPT = Answer({"status": "Accepted"})

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

_OTHER_CONNECTORS = Where(("connectorId",), 0, negate=True)


def _skip_status(status: str) -> list[Rule]:
    where = (_OTHER_CONNECTORS, Where(("status",), status)) if status else (_OTHER_CONNECTORS,)
    return [Rule(CALL, "StatusNotification", Drop(), where)]


#: The 1.6 station's wire mutants (the shared ones, then its own).
MUTANTS: tuple[WireMutant, ...] = (
    *COMMON,
    WireMutant(
        "skip_status",
        "never sends StatusNotification for connectors 1..n (only those with status `<Status>`, "
        "when given)",
        lambda status, _side: _skip_status(status),
        "[<Status>]",
    ),
    WireMutant(
        "skip_connector0_status",
        "never sends StatusNotification for connector 0",
        lambda _a, _side: [Rule(CALL, "StatusNotification", Drop(), (Where(("connectorId",), 0),))],
    ),
    WireMutant(
        "generic_error_code",
        "reports every fault with errorCode `OtherError`",
        lambda _a, _side: [
            Rule(
                CALL,
                "StatusNotification",
                Set(("errorCode",), "OtherError"),
                (Where(("errorCode",), "NoError", negate=True),),
            )
        ],
    ),
    WireMutant(
        "wrong_stop_reason",
        "sends StopTransaction with reason `Other` whatever the cause "
        "(`Local` when it was `Other`)",
        lambda _a, _side: [
            Rule(
                CALL,
                "StopTransaction",
                Set(("reason",), "Other"),
                (Where(("reason",), "Other", negate=True),),
            ),
            Rule(
                CALL, "StopTransaction", Set(("reason",), "Local"), (Where(("reason",), "Other"),)
            ),
        ],
    ),
    WireMutant(
        "no_stop_transaction",
        "ends transactions without sending StopTransaction",
        lambda _a, _side: [Rule(CALL, "StopTransaction", Drop())],
    ),
    WireMutant(
        "ignore_reset",
        "answers Reset `Accepted` but does not reboot",
        lambda _a, _side: [Rule(REPLY, "Reset", _ACCEPT)],
    ),
    WireMutant(
        "trigger_ignored",
        "answers TriggerMessage for `<Message>` `Accepted` but never sends the message",
        lambda message, _side: [
            Rule(REPLY, "TriggerMessage", _ACCEPT, (Where(("requestedMessage",), message),))
        ],
        "<Message>",
    ),
    WireMutant(
        "unlock_fails",
        "answers UnlockConnector `UnlockFailed` and unlocks nothing",
        lambda _a, _side: [Rule(REPLY, "UnlockConnector", Answer({"status": "UnlockFailed"}))],
    ),
    *v16_mutants_core_auth.MUTANTS,
    *SMART_CHARGING_MUTANTS,
    *v16_mutants_reservation.MUTANTS,
    *v16_mutants_management.MUTANTS,
    *v16_mutants_core_actions.MUTANTS,
    *OFFLINE_MUTANTS,
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "boot_no_retry": "after a Pending or Rejected boot, never sends BootNotification again "
    "— the missing message has no moment on the wire to drop it at",
    "boot_ignore_interval": "retries a refused BootNotification at once, ignoring the interval "
    "— a retry timer, not a message",
    "no_heartbeat": "never sends Heartbeat on its own (a triggered one is still sent) "
    "— the wire cannot tell a periodic Heartbeat from a triggered one",
    "wrong_order": "sends the boot-time StatusNotifications before the BootNotification, not "
    "after its acceptance — messages sent before the connection's first exchange",
    "readonly_writable": "reports read-only keys as writable and accepts changes to them "
    "— the configuration store itself changes",
    "hide_key:<Key>": "does not know configuration key `<Key>` — every answer about the key "
    "(GetConfiguration, ChangeConfiguration) must agree",
    "ignore_change": "answers ChangeConfiguration `Accepted` but keeps the old value "
    "— it still checks the key and value as the reference does: only the store is skipped",
    "forget_availability": "loses the connectors' availability (Inoperative) on reboot "
    "— state across a reboot",
    "skip_remote_authorize": "starts remote transactions without Authorize even when "
    "`AuthorizeRemoteTxRequests` is true — the Authorize decides the transaction",
    "ignore_fault:<Fault>": "does not notice the rig fault `<Fault>` (a `harness.rig.Fault` "
    "value): no status change, transactions go on or start — a rig input, not a message",
    "start_when_faulted": "starts transactions on a Faulted connector (card and cable) "
    "— the transaction logic decides",
    "power_loss_abrupt": "goes down at once on a power loss despite backup power (PICS "
    "`backup_power`); the transactions are stopped after the reboot — power handling",
    "ignore_ev_disconnect": "keeps the transaction going when the EV side is unplugged, whatever "
    "`StopTransactionOnEVSideDisconnect` says — a rig input, not a message",
    "ignore_connection_timeout": "keeps an idTag waiting for the cable for ever "
    "(`ConnectionTimeOut` is not applied) — a timer",
    "connection_timeout_early": "drops an idTag waiting for the cable at once, not after "
    "`ConnectionTimeOut` — a timer",
    **v16_mutants_core_auth.BEHAVIOUR_KNOBS,
    **SMART_CHARGING_BEHAVIOUR,
    **v16_mutants_reservation.BEHAVIOUR_KNOBS,
    **v16_mutants_management.BEHAVIOUR_KNOBS,
    **v16_mutants_core_actions.BEHAVIOUR_KNOBS,
    **OFFLINE_BEHAVIOUR_KNOBS,
}
