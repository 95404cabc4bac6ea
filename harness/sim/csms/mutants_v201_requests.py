"""Wire mutants of the reference CSMS for 2.0.1 cases: its triggered requests, its silences.

Most break one tool validation of a ``_CSMS`` case on a request the CSMS
sends when triggered, with values the schema allows: the case's own check
must catch it, not the schema. The ``ignore_tx*`` ones leave one kind of
TransactionEvent unanswered, for cases whose only check is that the CSMS
responds to the event of their step.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.sim.mutants import Side, WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Drop, Rule, Set, Unset, Where

__all__ = ["V201_REQUEST_MUTANTS"]

#: Where the first entry of a GetVariables / SetVariables request lives.
_DATA = {"GetVariables": "getVariableData", "SetVariables": "setVariableData"}
#: The variable a ``wrong_variable`` mutant names instead (the station has it too).
OTHER_VARIABLE = "HeartbeatInterval"


def _first(action: str, *path: str | int) -> tuple[str | int, ...]:
    return (_DATA[action], 0, *path)


def _ignore_tx(path: tuple[str, ...], value: str) -> Sequence[Rule]:
    return [Rule(REPLY, "TransactionEvent", Drop(), (Where(path, value),))]


def _flip(status: str) -> str:
    return "Operative" if status == "Inoperative" else "Inoperative"


def _wrong_variable(action: str, _side: Side) -> Sequence[Rule]:
    return [Rule(CALL, action, Set(_first(action, "variable", "name"), OTHER_VARIABLE))]


def _wrong_value(action: str, _side: Side) -> Sequence[Rule]:
    return [Rule(CALL, action, Set(_first(action, "attributeValue"), lambda v: f"{v}0"))]


def _attribute_type_target(action: str, _side: Side) -> Sequence[Rule]:
    return [Rule(CALL, action, Set(_first(action, "attributeType"), "Target"))]


V201_REQUEST_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "wrong_variable",
        f"names `{OTHER_VARIABLE}` instead of the first variable of a triggered "
        "`<Action>` (GetVariables / SetVariables)",
        _wrong_variable,
        "<Action>",
    ),
    WireMutant(
        "wrong_value",
        "appends `0` to the first attributeValue of a triggered `<Action>` (SetVariables)",
        _wrong_value,
        "<Action>",
    ),
    WireMutant(
        "attribute_type_target",
        "sets attributeType `Target` on the first entry of a triggered `<Action>`",
        _attribute_type_target,
        "<Action>",
    ),
    WireMutant(
        "other_report_base",
        "asks GetBaseReport for `SummaryInventory` whatever report it was asked for",
        lambda _a, _side: [Rule(CALL, "GetBaseReport", Set(("reportBase",), "SummaryInventory"))],
    ),
    WireMutant(
        "reset_immediate",
        "sends Reset with type `Immediate` whatever type it was asked for",
        lambda _a, _side: [Rule(CALL, "Reset", Set(("type",), "Immediate"))],
    ),
    WireMutant(
        "reset_station",
        "sends Reset for the whole station (no `evseId`) when asked to reset an EVSE",
        lambda _a, _side: [Rule(CALL, "Reset", Unset(("evseId",)))],
    ),
    WireMutant(
        "ignore_tx_ended",
        "never answers a TransactionEvent with eventType `Ended`",
        lambda _a, _side: _ignore_tx(("eventType",), "Ended"),
    ),
    WireMutant(
        "ignore_tx_trigger",
        "never answers a TransactionEvent with triggerReason `<Reason>`",
        lambda reason, _side: _ignore_tx(("triggerReason",), reason),
        "<Reason>",
    ),
    WireMutant(
        "ignore_tx_state",
        "never answers a TransactionEvent with transactionInfo.chargingState `<State>`",
        lambda state, _side: _ignore_tx(("transactionInfo", "chargingState"), state),
        "<State>",
    ),
    WireMutant(
        "availability_flipped",
        "asks ChangeAvailability for the other operationalStatus than it was asked for",
        lambda _a, _side: [Rule(CALL, "ChangeAvailability", Set(("operationalStatus",), _flip))],
    ),
    WireMutant(
        "availability_whole_station",
        "sends ChangeAvailability for the whole station (no `evse`) when asked for an EVSE "
        "or a connector",
        lambda _a, _side: [Rule(CALL, "ChangeAvailability", Unset(("evse",)))],
    ),
    WireMutant(
        "availability_whole_evse",
        "sends ChangeAvailability for the whole EVSE (no `evse.connectorId`) when asked for "
        "a connector",
        lambda _a, _side: [Rule(CALL, "ChangeAvailability", Unset(("evse", "connectorId")))],
    ),
)

#: The EVSE a ``reset_evse`` mutant names in a Reset meant for the whole station.
RESET_EVSE_ID = 1

V201_REQUEST_MUTANTS += (
    WireMutant(
        "reset_on_idle",
        "sends Reset with type `OnIdle` whatever type it was asked for",
        lambda _a, _side: [Rule(CALL, "Reset", Set(("type",), "OnIdle"))],
    ),
    WireMutant(
        "reset_evse",
        f"sends Reset for EVSE {RESET_EVSE_ID} when asked to reset the whole station",
        lambda _a, _side: [Rule(CALL, "Reset", Set(("evseId",), RESET_EVSE_ID))],
    ),
)

V201_REQUEST_MUTANTS += (
    WireMutant(
        "boot_accepted",
        "answers every BootNotification `Accepted`, whatever it was configured to answer",
        lambda _a, _side: [Rule(REPLY, "BootNotification", Set(("status",), "Accepted"))],
    ),
    WireMutant(
        "report_while_held",
        "acknowledges StatusNotification and NotifyEvent even from a station it has not "
        "accepted (no SecurityError)",
        lambda _a, _side: [
            Rule(REPLY, "StatusNotification", Answer({})),
            Rule(REPLY, "NotifyEvent", Answer({})),
        ],
    ),
)

#: Where the CSMS URL of a network profile lives.
_CSMS_URL = ("connectionData", "ocppCsmsUrl")

V201_REQUEST_MUTANTS += (
    WireMutant(
        "network_profile_other_slot",
        "puts a SetNetworkProfile in the slot after the one it was asked for",
        lambda _a, _side: [
            Rule(CALL, "SetNetworkProfile", Set(("configurationSlot",), lambda s: int(s) + 1))
        ],
    ),
    WireMutant(
        "network_profile_other_url",
        "sends a SetNetworkProfile whose ocppCsmsUrl has `/other` appended",
        lambda _a, _side: [Rule(CALL, "SetNetworkProfile", Set(_CSMS_URL, lambda u: f"{u}/other"))],
    ),
)

#: The transactionId a ``transaction_status_with_id`` mutant asks about.
UNKNOWN_TRANSACTION = "unknown-transaction"

V201_REQUEST_MUTANTS += (
    WireMutant(
        "transaction_status_no_id",
        "sends GetTransactionStatus without the transactionId it was asked about",
        lambda _a, _side: [Rule(CALL, "GetTransactionStatus", Unset(("transactionId",)))],
    ),
    WireMutant(
        "transaction_status_with_id",
        f"sends GetTransactionStatus for transaction `{UNKNOWN_TRANSACTION}` when asked about "
        "every transaction",
        lambda _a, _side: [
            Rule(CALL, "GetTransactionStatus", Set(("transactionId",), UNKNOWN_TRANSACTION))
        ],
    ),
)
