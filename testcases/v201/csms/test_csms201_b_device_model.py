"""OCPP 2.0.1 block B (provisioning), the CSMS under test: reading and setting variables, reports.

The CSMS is asked (trigger) to read or set variables of the station, or to
retrieve a base report; the harness station answers from its device model
(:mod:`harness.flows.v201.station_model`). What is judged is the CSMS's
request, against the catalogue's tool validations: the entries it names, in
any order, with the attribute types the catalogue allows.
"""

from __future__ import annotations

from typing import Any

from harness.expect import containing, integer_at_least, one_of, or_absent
from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.flows.v201 import station_model
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

OFFLINE_THRESHOLD = ("OCPPCommCtrlr", "OfflineThreshold")
AUTHORIZE_REMOTE_START = ("AuthCtrlr", "AuthorizeRemoteStart")
#: GetVariables: "attributeType absent or Actual, but Target, MinSet and MaxSet also allowed".
ANY_ATTRIBUTE = or_absent(one_of("Actual", "Target", "MinSet", "MaxSet"))
#: SetVariables: "attributeType is absent or attributeType = Actual".
ACTUAL = or_absent("Actual")


def _entry(variable: tuple[str, str], **fields: Any) -> dict[str, Any]:
    return {"component": {"name": variable[0]}, "variable": {"name": variable[1]}, **fields}


def _named(variables: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(".".join(v) for v in variables)


async def _get_variables(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, *variables: tuple[str, str]
) -> None:
    """Steps 1-2 of TC_B_06/07_CSMS: the CSMS reads ``variables``; the station answers."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await requested(
        trigger,
        station,
        "GetVariables",
        {"getVariableData": [_entry(v) for v in variables]},
        description=f"Make the CSMS get the station's {_named(variables)}",
        request_step=f"1. The CSMS sends GetVariablesRequest for {_named(variables)}",
        answer_step="2. The station responds with GetVariablesResponse",
        answer=lambda call: station_model.get_variables_answer(call.payload),
        checks=[
            (
                f"getVariableData names {_named(variables)}, in any order",
                {
                    "getVariableData": containing(
                        *[_entry(v, attributeType=ANY_ATTRIBUTE) for v in variables]
                    )
                },
            )
        ],
    )


async def _set_variables(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, *values: tuple[str, str, str]
) -> None:
    """Steps 1-2 of TC_B_09/10_CSMS: the CSMS sets ``values``; the station accepts."""
    variables = tuple((component, variable) for component, variable, _value in values)
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    wanted = [
        _entry((component, variable), attributeValue=value, attributeType=ACTUAL)
        for component, variable, value in values
    ]
    await requested(
        trigger,
        station,
        "SetVariables",
        {
            "setVariableData": [
                _entry((component, variable), attributeValue=value)
                for component, variable, value in values
            ]
        },
        description="Make the CSMS set the station's "
        + ", ".join(f"{c}.{v} to {value!r}" for c, v, value in values),
        request_step=f"1. The CSMS sends SetVariablesRequest for {_named(variables)}",
        answer_step="2. The station responds with SetVariablesResponse",
        answer=lambda call: station_model.set_variables_answer(call.payload),
        checks=[
            (
                "setVariableData sets "
                + ", ".join(f"{c}.{v} = {value!r}" for c, v, value in values)
                + " (attributeType absent or Actual), in any order",
                {"setVariableData": containing(*wanted)},
            )
        ],
    )


async def _base_report(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, report_base: str
) -> None:
    """Steps 1-2 of TC_B_12/13_CSMS, then the report the station owes once it accepted."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    call = await requested(
        trigger,
        station,
        "GetBaseReport",
        {"requestId": 1, "reportBase": report_base},
        description=f"Make the CSMS retrieve a {report_base} report from the station",
        request_step=f"1. The CSMS sends GetBaseReportRequest for a {report_base} report",
        answer_step="2. The station responds with GetBaseReportResponse Accepted",
        answer={"status": "Accepted"},
        checks=[
            (
                f"requestId >= 0 and reportBase {report_base}",
                {"requestId": integer_at_least(0), "reportBase": report_base},
            )
        ],
    )
    with step("Post. The station sends the report in two NotifyReportRequests; the CSMS answers"):
        request_id = int(call.payload["requestId"])
        for seq_no in (0, 1):
            report = station_model.notify_report(request_id, seq_no, last=seq_no == 1)
            await station.call("NotifyReport", report)


@testcase(
    "TC_B_06_CSMS",
    proof=[
        Mutant(
            "wrong_variable:GetVariables",
            step="1. The CSMS sends GetVariablesRequest",
            says="no element matches",
        )
    ],
)
async def test_TC_B_06_CSMS_get_variables_single(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS reads OCPPCommCtrlr.OfflineThreshold from the station with GetVariables."""
    await _get_variables(station, dut, trigger, OFFLINE_THRESHOLD)


@testcase(
    "TC_B_07_CSMS",
    proof=[
        Mutant(
            "wrong_variable:GetVariables",
            step="1. The CSMS sends GetVariablesRequest",
            says="no element matches",
        )
    ],
)
async def test_TC_B_07_CSMS_get_variables_multiple(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS reads two variables in one GetVariables, in any order."""
    await _get_variables(station, dut, trigger, OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START)


@testcase(
    "TC_B_09_CSMS",
    proof=[
        Mutant(
            "wrong_value:SetVariables",
            step="1. The CSMS sends SetVariablesRequest",
            says="no element matches",
        ),
        Mutant(
            "attribute_type_target:SetVariables",
            step="1. The CSMS sends SetVariablesRequest",
            says='"attributeType": "Target"',
        ),
    ],
)
async def test_TC_B_09_CSMS_set_variables_single(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS sets OCPPCommCtrlr.OfflineThreshold to 123 with SetVariables."""
    await _set_variables(station, dut, trigger, (*OFFLINE_THRESHOLD, "123"))


@testcase(
    "TC_B_10_CSMS",
    proof=[
        Mutant(
            "wrong_variable:SetVariables",
            step="1. The CSMS sends SetVariablesRequest",
            says="no element matches",
        )
    ],
)
async def test_TC_B_10_CSMS_set_variables_multiple(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS sets two variables in one SetVariables, in any order."""
    await _set_variables(
        station, dut, trigger, (*OFFLINE_THRESHOLD, "123"), (*AUTHORIZE_REMOTE_START, "false")
    )


@testcase(
    "TC_B_12_CSMS",
    proof=[
        Mutant(
            "other_report_base",
            step="1. The CSMS sends GetBaseReportRequest",
            says="reportBase",
        )
    ],
)
async def test_TC_B_12_CSMS_base_report_configuration(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks for a ConfigurationInventory report and takes the station's NotifyReports."""
    await _base_report(station, dut, trigger, "ConfigurationInventory")


@testcase(
    "TC_B_13_CSMS",
    proof=[
        Mutant(
            "other_report_base",
            step="1. The CSMS sends GetBaseReportRequest",
            says="reportBase",
        )
    ],
)
async def test_TC_B_13_CSMS_base_report_full(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks for a FullInventory report and takes the station's NotifyReports."""
    await _base_report(station, dut, trigger, "FullInventory")


@testcase(
    "TC_B_25_CSMS",
    proof=[
        Mutant("reset_immediate", step="1. The CSMS sends ResetRequest", says="type"),
        Mutant("reset_station", step="1. The CSMS sends ResetRequest", says="evseId"),
    ],
)
async def test_TC_B_25_CSMS_reset_evse_idle(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS resets one EVSE with type OnIdle; the station accepts."""
    evse_id = dut.connectors[0][0]
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    expected = {"type": "OnIdle", "evseId": evse_id}
    await requested(
        trigger,
        station,
        "Reset",
        expected,
        description=f"Make the CSMS reset EVSE {evse_id} of the station with type OnIdle",
        request_step=f"1. The CSMS sends ResetRequest type OnIdle for EVSE {evse_id}",
        answer_step="2. The station responds with ResetResponse Accepted",
        answer={"status": "Accepted"},
        checks=[(f"type OnIdle, evseId {evse_id}", expected)],
    )
