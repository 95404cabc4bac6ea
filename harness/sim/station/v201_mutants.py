"""The OCPP 2.0.1 reference station's fault knobs: wire mutants as data, and behaviour knobs.

:data:`MUTANTS` are the knobs said on the wire: the mutation layer
(:mod:`harness.sim.mutation`) applies them between the station and its
connection, and the behaviour never sees them. :data:`BEHAVIOUR_KNOBS` are
the faults a wire rule cannot say; each is read where its behaviour lives and
says here, after ``—``, why it is not a wire rule. The docs table in
``docs/station-simulator-2.0.1.md`` is :func:`~harness.sim.mutants.knob_table`
of this data (a test holds it so).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.errors import ConfigurationError
from harness.sim.mutants import COMMON, Side, WireMutant, refusal, replacing
from harness.sim.mutation import CALL, REPLY, Answer, Drop, Duplicate, Rule, Set, Unset, Where
from harness.sim.station import (
    v201_mutants_auth,
    v201_mutants_availability,
    v201_mutants_device_model,
    v201_mutants_e_tx,
    v201_mutants_master_pass,
    v201_mutants_offline_auth,
    v201_mutants_offline_queue,
    v201_mutants_parking,
    v201_mutants_remote,
    v201_mutants_tls,
)
from harness.sim.station.v201_mutants_network import NETWORK_KNOBS, NETWORK_MUTANTS

__all__ = ["BEHAVIOUR_KNOBS", "EV_STATES", "MUTANTS", "check_behaviour"]

#: The IEC 61851-1 control-pilot states an EV can be switched to (``ignore_ev_state``).
EV_STATES = ("A", "B", "C", "D", "E", "F")

#: The answers whose refusal is one result per requested variable.
_LIST_RESULTS = {
    "GetVariables": ("getVariableData", "getVariableResult"),
    "SetVariables": ("setVariableData", "setVariableResult"),
}
_ENDED = Where(("eventType",), "Ended")
#: The answer of a mutant that accepts a request and does nothing.
_ACCEPT = Answer({"status": "Accepted"})


def _reject_each(action: str) -> Answer:
    asked, answered = _LIST_RESULTS[action]

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        results = [
            {"attributeStatus": "Rejected", "component": i["component"], "variable": i["variable"]}
            for i in request.get(asked, [])
        ]
        return {answered: results}

    return Answer(answer)


def _reject(action: str, side: Side) -> list[Rule]:
    op = _reject_each(action) if action in _LIST_RESULTS else refusal(side.version, action)
    return [Rule(REPLY, action, op)]


def _only(path: tuple[str | int, ...], value: str) -> tuple[Where, ...]:
    return (Where(path, value),) if value else ()


#: The 2.0.1 station's wire mutants (the shared ones, then its own).
MUTANTS: tuple[WireMutant, ...] = replacing(
    COMMON,
    WireMutant(
        "duplicate",
        "sends each `<Action>` request twice (the second with a new message id)",
        lambda a, _side: [Rule(CALL, a, Duplicate(new_id=True))],
        "<Action>",
    ),
    WireMutant(
        "reject",
        "answers `<Action>` `Rejected` (every result of GetVariables/SetVariables; the "
        "refusing status of others, or a CALLERROR `NotSupported`) without acting on it",
        _reject,
        "<Action>",
    ),
    WireMutant(
        "skip_status",
        "sends no StatusNotification (only those with `<connectorStatus>`, when given)",
        lambda v, _side: [Rule(CALL, "StatusNotification", Drop(), _only(("connectorStatus",), v))],
        "[<connectorStatus>]",
    ),
    WireMutant(
        "skip_notify_event",
        "sends no NotifyEvent (only those with `<actualValue>`, when given)",
        lambda v, _side: [
            Rule(CALL, "NotifyEvent", Drop(), _only(("eventData", 0, "actualValue"), v))
        ],
        "[<actualValue>]",
    ),
    WireMutant(
        "skip_security_event",
        "sends no SecurityEventNotification",
        lambda _a, _side: [Rule(CALL, "SecurityEventNotification", Drop())],
    ),
    WireMutant(
        "boot_wrong_reason",
        "boots with `RemoteReset` after power-up and `PowerUp` after a reset",
        lambda _a, _side: [
            Rule(CALL, "BootNotification", Set(("reason",), new), (Where(("reason",), old),))
            for old, new in (("PowerUp", "RemoteReset"), ("RemoteReset", "PowerUp"))
        ],
    ),
    WireMutant(
        "no_seqno_increment",
        "sends seqNo 0 in every TransactionEvent",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Set(("seqNo",), 0))],
    ),
    WireMutant(
        "tx_not_ended",
        "never sends the `Ended` TransactionEvent of a transaction",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Drop(), (_ENDED,))],
    ),
    WireMutant(
        "no_remote_start_id",
        "omits remoteStartId after a RequestStartTransaction",
        lambda _a, _side: [
            Rule(CALL, "TransactionEvent", Unset(("transactionInfo", "remoteStartId")))
        ],
    ),
    WireMutant(
        "wrong_trigger_reason",
        "sends triggerReason `Trigger` in every TransactionEvent",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Set(("triggerReason",), "Trigger"))],
    ),
    WireMutant(
        "ignore_reset",
        "answers Reset `Accepted` but never reboots",
        lambda _a, _side: [Rule(REPLY, "Reset", _ACCEPT)],
    ),
    WireMutant(
        "ignore_trigger",
        "answers TriggerMessage `Accepted` but sends nothing",
        lambda _a, _side: [Rule(REPLY, "TriggerMessage", _ACCEPT)],
    ),
    WireMutant(
        "ignore_availability",
        "answers ChangeAvailability `Accepted` but changes and reports nothing",
        lambda _a, _side: [Rule(REPLY, "ChangeAvailability", _ACCEPT)],
    ),
    *NETWORK_MUTANTS,
    WireMutant(
        "wrong_stopped_reason",
        "ends every transaction with stoppedReason `Other`",
        lambda _a, _side: [
            Rule(
                CALL,
                "TransactionEvent",
                Set(("transactionInfo", "stoppedReason"), "Other"),
                (_ENDED,),
            )
        ],
    ),
    *v201_mutants_auth.MUTANTS,
    *v201_mutants_remote.MUTANTS,
    *v201_mutants_availability.MUTANTS,
    *v201_mutants_device_model.MUTANTS,
    *v201_mutants_e_tx.MUTANTS,
    *v201_mutants_offline_auth.MUTANTS,
    *v201_mutants_offline_queue.MUTANTS,
    *v201_mutants_master_pass.MUTANTS,
    *v201_mutants_parking.MUTANTS,
    *v201_mutants_tls.MUTANTS,
)

#: Knobs a wire rule cannot say: what each does — why it is not a wire rule.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "boot_no_retry": "never repeats a BootNotification answered Pending or Rejected "
    "— the missing message has no moment on the wire to drop it at",
    "boot_retry_early": "repeats a Pending/Rejected BootNotification after 0.2 s, ignoring the "
    "interval — a retry timer, not a message",
    "send_while_rejected": "sends a Heartbeat while its boot is Rejected "
    "— it depends on the CSMS's answer, not on a message the station sends",
    "cache_disabled": "never stores nor uses the authorization cache (while reporting it "
    "enabled) — the station's memory",
    "accept_any_token": "authorizes an idToken whatever the CSMS answered to Authorize "
    "— the station's decision",
    "ignore_set_variables": "answers SetVariables Accepted but keeps every old value "
    "— it still checks each variable as the reference does: only the store is skipped",
    "ignore_tx_start_point": "accepts a new TxCtrlr.TxStartPoint but keeps using the old one "
    "— the transaction logic decides",
    "ignore_ev_state:<A-F>": "does not notice the EV entering that control-pilot state (no "
    "argument: any state); refused for other letters — a rig input, not a message",
    "stale_charging_state": "reports the chargingState from before the change in an Ended "
    "event — needs the state before the change",
    **NETWORK_KNOBS,
    **v201_mutants_auth.BEHAVIOUR_KNOBS,
    **v201_mutants_availability.BEHAVIOUR_KNOBS,
    **v201_mutants_e_tx.BEHAVIOUR_KNOBS,
    **v201_mutants_offline_auth.BEHAVIOUR_KNOBS,
    **v201_mutants_master_pass.BEHAVIOUR_KNOBS,
    **v201_mutants_parking.BEHAVIOUR_KNOBS,
    **v201_mutants_tls.BEHAVIOUR_KNOBS,
}


def check_behaviour(names: Iterable[str]) -> None:
    """Refuse a behaviour knob's argument the station cannot honour.

    Raises:
        ConfigurationError: naming the knob (``ignore_ev_state`` with an unknown state).
    """
    for name in names:
        key, _, arg = name.partition(":")
        if key == "ignore_ev_state" and arg and arg not in EV_STATES:
            raise ConfigurationError(
                f"fault knob {name!r}: {arg!r} is not a control-pilot state "
                f"({', '.join(EV_STATES)})",
                field="embedded.faults",
            )
