"""Fault knobs of the 2.0.1 station's device model, reports and boot (B02-B07), as wire data.

Added to the station's table in :mod:`harness.sim.station.v201_mutants`; each
rewrites the station's answers or reports between the behaviour and the wire.
"""

from __future__ import annotations

from typing import Any

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Rule, Set, SetEvery, Unset, Where

__all__ = ["MUTANTS"]

#: The results a station that only knows ``Rejected`` gives instead.
_SPECIFIC = ("UnknownComponent", "UnknownVariable", "NotSupportedAttributeType")
_RESULTS = (("GetVariables", "getVariableResult"), ("SetVariables", "setVariableResult"))
_SET_STATUSES = (
    "Accepted",
    "Rejected",
    "UnknownComponent",
    "UnknownVariable",
    "NotSupportedAttributeType",
    "RebootRequired",
)


_TRIGGERED = Where(("reason",), "Triggered")
_MUTABILITIES = ("ReadOnly", "WriteOnly", "ReadWrite")
_REPORT = ("Accepted", "Rejected", "NotSupported", "EmptyResultSet")


def _without(data: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    kept = [entry for entry in data if entry.get("variable", {}).get("name") != name]
    # reportData must not be empty: a page of that variable only keeps one entry.
    return kept or data[:1]


def _no_values_list(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stripped = []
    for entry in data:
        if "variableCharacteristics" in entry:
            kept = entry["variableCharacteristics"].items()
            entry = {
                **entry,
                "variableCharacteristics": {k: v for k, v in kept if k != "valuesList"},
            }
        stripped.append(entry)
    return stripped


def _as_rejected() -> list[Rule]:
    return [
        Rule(REPLY, action, Set((key, 0, "attributeStatus"), "Rejected"), (where,))
        for action, key in _RESULTS
        for where in (Where((key, 0, "attributeStatus"), status) for status in _SPECIFIC)
    ]


def _read_only_accepted() -> list[Rule]:
    read_only = (
        Where(("setVariableResult", 0, "attributeStatus"), "Rejected"),
        Where(("setVariableResult", 0, "attributeStatusInfo", "reasonCode"), "ReadOnly"),
    )
    return [
        Rule(
            REPLY, "SetVariables", Unset(("setVariableResult", 0, "attributeStatusInfo")), read_only
        ),
        Rule(
            REPLY,
            "SetVariables",
            Set(("setVariableResult", 0, "attributeStatus"), "Accepted"),
            (read_only[0],),
        ),
    ]


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "unknown_as_rejected",
        "answers the first GetVariables/SetVariables result `Rejected` where it is "
        "UnknownComponent, UnknownVariable or NotSupportedAttributeType",
        lambda _a, _side: _as_rejected(),
    ),
    WireMutant(
        "first_result_only",
        "answers a GetVariables/SetVariables `<Action>` of several variables with the first "
        "result only",
        lambda action, _side: [
            Rule(REPLY, action, Set((dict(_RESULTS)[action],), lambda results: results[:1]))
        ],
        "<Action>",
    ),
    WireMutant(
        "read_only_accepted",
        "answers a SetVariables of a ReadOnly variable `Accepted` (the value stays)",
        lambda _a, _side: _read_only_accepted(),
    ),
    WireMutant(
        "set_status",
        "answers every SetVariables result with attributeStatus `<Status>` (refused for a "
        "status SetVariableStatusEnumType lacks)",
        lambda status, _side: [
            Rule(
                REPLY,
                "SetVariables",
                SetEvery("attributeStatus", status, valid=status in _SET_STATUSES),
            )
        ],
        "<Status>",
    ),
    WireMutant(
        "report_seqno_stuck",
        "sends seqNo 0 in every NotifyReport of a report",
        lambda _a, _side: [Rule(CALL, "NotifyReport", Set(("seqNo",), 0))],
    ),
    WireMutant(
        "report_wrong_request_id",
        "sends NotifyReport with another requestId than the GetBaseReport's",
        lambda _a, _side: [Rule(CALL, "NotifyReport", Set(("requestId",), lambda v: (v or 0) + 1))],
    ),
    WireMutant(
        "report_without",
        "leaves every `<Variable>` out of the reportData of its NotifyReport messages",
        lambda name, _side: [
            Rule(CALL, "NotifyReport", Set(("reportData",), lambda data: _without(data, name)))
        ],
        "<Variable>",
    ),
    WireMutant(
        "report_no_values_list",
        "leaves valuesList out of every variableCharacteristics of its NotifyReport messages",
        lambda _a, _side: [Rule(CALL, "NotifyReport", Set(("reportData",), _no_values_list))],
    ),
    WireMutant(
        "report_mutability",
        "reports every variableAttribute with mutability `<Mutability>`",
        lambda value, _side: [
            Rule(
                CALL,
                "NotifyReport",
                SetEvery("mutability", value, valid=value in _MUTABILITIES),
            )
        ],
        "<Mutability>",
    ),
    WireMutant(
        "base_report_status",
        "answers every GetBaseReport with status `<Status>` (what it does stays the same)",
        lambda status, _side: [
            Rule(REPLY, "GetBaseReport", Set(("status",), status, valid=status in _REPORT))
        ],
        "<Status>",
    ),
    WireMutant(
        "pending_remote_start",
        "answers `Accepted` a RequestStartTransaction it refuses while its boot is Pending "
        "(and starts nothing)",
        lambda _a, _side: [
            Rule(
                REPLY,
                "RequestStartTransaction",
                Set(("status",), "Accepted"),
                (Where(("statusInfo", "reasonCode"), "Pending"),),
            )
        ],
    ),
    WireMutant(
        "boot_not_triggered",
        "boots with reason `PowerUp` when a TriggerMessage asked for the BootNotification",
        lambda _a, _side: [
            Rule(CALL, "BootNotification", Set(("reason",), "PowerUp"), (_TRIGGERED,))
        ],
    ),
)
