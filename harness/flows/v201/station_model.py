"""The harness station's device model, for ``_CSMS`` cases that read or set variables.

When the harness plays a 2.0.1 charging station, the CSMS under test may ask
it for variables (GetVariables), set them (SetVariables) or ask for a report
(GetBaseReport). The station answers as a conforming one would: a known
component and variable with its value and ``Accepted``, an unknown component
``UnknownComponent``, an unknown variable of a known component
``UnknownVariable``. Values are the harness station's own; a case judges what
the CSMS sends, never these answers.
"""

from __future__ import annotations

from typing import Any

from harness.responders import utc_now

__all__ = ["VALUES", "get_variables_answer", "notify_report", "report_data", "set_variables_answer"]

#: The harness station's variables: (component, variable) -> Actual value.
VALUES: dict[tuple[str, str], str] = {
    ("OCPPCommCtrlr", "OfflineThreshold"): "60",
    ("OCPPCommCtrlr", "HeartbeatInterval"): "300",
    ("OCPPCommCtrlr", "MessageAttempts"): "3",
    ("OCPPCommCtrlr", "MessageAttemptInterval"): "10",
    ("OCPPCommCtrlr", "NetworkConfigurationPriority"): "1",
    ("AuthCtrlr", "AuthorizeRemoteStart"): "true",
    ("AuthCtrlr", "LocalAuthorizeOffline"): "true",
    ("AuthCtrlr", "LocalPreAuthorize"): "false",
    ("TxCtrlr", "EVConnectionTimeOut"): "60",
    ("TxCtrlr", "StopTxOnEVSideDisconnect"): "true",
    ("TxCtrlr", "TxStartPoint"): "PowerPathClosed",
    ("TxCtrlr", "TxStopPoint"): "EVConnected",
    ("SampledDataCtrlr", "TxUpdatedInterval"): "60",
    ("DeviceDataCtrlr", "ItemsPerMessage"): "20",
    ("DeviceDataCtrlr", "BytesPerMessage"): "8000",
}
_COMPONENTS = frozenset(component for component, _variable in VALUES)


def _status(component: str, variable: str) -> str:
    if (component, variable) in VALUES:
        return "Accepted"
    return "UnknownVariable" if component in _COMPONENTS else "UnknownComponent"


def get_variables_answer(request: dict[str, Any]) -> dict[str, Any]:
    """The GetVariablesResponse to ``request``: one result per entry, in its order."""
    results: list[dict[str, Any]] = []
    for entry in request["getVariableData"]:
        component, variable = entry["component"], entry["variable"]
        status = _status(component["name"], variable["name"])
        result: dict[str, Any] = {
            "attributeStatus": status,
            "component": component,
            "variable": variable,
        }
        if "attributeType" in entry:
            result["attributeType"] = entry["attributeType"]
        if status == "Accepted":
            result["attributeValue"] = VALUES[(component["name"], variable["name"])]
        results.append(result)
    return {"getVariableResult": results}


def set_variables_answer(request: dict[str, Any]) -> dict[str, Any]:
    """The SetVariablesResponse to ``request``: Accepted for every variable the station has."""
    results: list[dict[str, Any]] = []
    for entry in request["setVariableData"]:
        component, variable = entry["component"], entry["variable"]
        result: dict[str, Any] = {
            "attributeStatus": _status(component["name"], variable["name"]),
            "component": component,
            "variable": variable,
        }
        if "attributeType" in entry:
            result["attributeType"] = entry["attributeType"]
        results.append(result)
    return {"setVariableResult": results}


def report_data() -> list[dict[str, Any]]:
    """The station's variables as NotifyReport ``reportData`` (Actual values, read-write)."""
    return [
        {
            "component": {"name": component},
            "variable": {"name": variable},
            "variableAttribute": [{"type": "Actual", "value": value, "mutability": "ReadWrite"}],
        }
        for (component, variable), value in VALUES.items()
    ]


def notify_report(request_id: int, seq_no: int, *, last: bool) -> dict[str, Any]:
    """One NotifyReportRequest of a report: all the station's variables, ``tbc`` unless last."""
    return {
        "requestId": request_id,
        "generatedAt": utc_now(),
        "seqNo": seq_no,
        "tbc": not last,
        "reportData": report_data(),
    }
