"""OCPP 2.0.1 Provisioning (block B), station under test: Get/SetVariables of the device model.

B06 (GetVariables) and B05 (SetVariables): several values in one request, an
unknown component or variable, a not supported attribute type, a read-only
variable and invalidly formatted values.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from harness.expect import containing, one_of, or_absent
from harness.flows.v201.cs import StationFlow, conform_reply
from harness.flows.v201.device_model import address, answered_one, get_one, result, set_one
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

OFFLINE_THRESHOLD = address("OCPPCommCtrlr", "OfflineThreshold")
LOCAL_AUTHORIZE_OFFLINE = address("AuthCtrlr", "LocalAuthorizeOffline")
UNKNOWN_COMPONENT = address("UnknownComponent", "OfflineThreshold")
UNKNOWN_VARIABLE = address("OCPPCommCtrlr", "UnknownVariable")
#: attributeStatusInfo, where the catalogue allows it, is absent or says NoError.
NO_ERROR = or_absent({"reasonCode": "NoError"})


def _equals(value: str) -> Callable[[str], bool]:
    return lambda current: current == value


@testcase(
    "TC_B_07_CS",
    proof=[
        Mutant("reject:GetVariables", step="Before: OfflineThreshold", says="then reports"),
        Mutant(
            "first_result_only:GetVariables",
            step="1-2. GetVariablesRequest",
            says="no element matches",
        ),
    ],
)
async def test_TC_B_07_CS_get_variables_multiple(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """One GetVariables returns both OfflineThreshold (300) and LocalAuthorizeOffline (true)."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as before:
        with step("Before: OfflineThreshold is 300 and LocalAuthorizeOffline is true"):
            for component, variable, value in (
                ("OCPPCommCtrlr", "OfflineThreshold", "300"),
                ("AuthCtrlr", "LocalAuthorizeOffline", "true"),
            ):
                state = flow.configured(component, variable, value, holds=_equals(value))
                await before.enter_async_context(state)
        with step("1-2. GetVariablesRequest for both (Actual) is answered with both values"):
            asked = [
                {**OFFLINE_THRESHOLD, "attributeType": "Actual"},
                {**LOCAL_AUTHORIZE_OFFLINE, "attributeType": "Actual"},
            ]
            reply = await csms.call("GetVariables", {"getVariableData": asked})
            expected = containing(
                result(OFFLINE_THRESHOLD, "Accepted", value="300", info=NO_ERROR),
                result(LOCAL_AUTHORIZE_OFFLINE, "Accepted", value="true", info=NO_ERROR),
            )
            what = "both values Accepted, in any order (TC_B_07_CS step 2)"
            conform_reply(reply, what, {"getVariableResult": expected})


@testcase(
    "TC_B_32_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. GetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_32_CS_get_unknown_component(csms: Session, dut: DutProfile) -> None:
    """GetVariables for a component the station lacks is answered UnknownComponent."""
    with step("1-2. GetVariablesRequest for UnknownComponent (no attributeType)"):
        await answered_one(
            csms, "GetVariables", UNKNOWN_COMPONENT, "UnknownComponent", "TC_B_32_CS step 2"
        )


@testcase(
    "TC_B_33_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. GetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_33_CS_get_unknown_variable(csms: Session, dut: DutProfile) -> None:
    """GetVariables for a variable OCPPCommCtrlr lacks is answered UnknownVariable."""
    with step("1-2. GetVariablesRequest for OCPPCommCtrlr.UnknownVariable (no attributeType)"):
        await answered_one(
            csms, "GetVariables", UNKNOWN_VARIABLE, "UnknownVariable", "TC_B_33_CS step 2"
        )


@testcase(
    "TC_B_34_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. GetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_34_CS_get_not_supported_attribute(csms: Session, dut: DutProfile) -> None:
    """GetVariables for the Target of OfflineThreshold is answered NotSupportedAttributeType."""
    with step("1-2. GetVariablesRequest for OfflineThreshold, attributeType Target"):
        await answered_one(
            csms,
            "GetVariables",
            OFFLINE_THRESHOLD,
            "NotSupportedAttributeType",
            "TC_B_34_CS step 2",
            attribute="Target",
        )


@testcase(
    "TC_B_10_CS",
    proof=[
        Mutant("reject:SetVariables", step="1-2. SetVariablesRequest", says='"Rejected"'),
        Mutant(
            "first_result_only:SetVariables",
            step="1-2. SetVariablesRequest",
            says="no element matches",
        ),
    ],
)
async def test_TC_B_10_CS_set_variables_multiple(csms: Session, dut: DutProfile) -> None:
    """One SetVariables of OfflineThreshold (300) and LocalAuthorizeOffline (true) is accepted."""
    with step("1-2. SetVariablesRequest for both (Actual) is answered Accepted for both"):
        asked = [
            {**OFFLINE_THRESHOLD, "attributeValue": "300", "attributeType": "Actual"},
            {**LOCAL_AUTHORIZE_OFFLINE, "attributeValue": "true", "attributeType": "Actual"},
        ]
        reply = await csms.call("SetVariables", {"setVariableData": asked})
        expected = containing(
            result(OFFLINE_THRESHOLD, "Accepted", info=NO_ERROR),
            result(LOCAL_AUTHORIZE_OFFLINE, "Accepted", info=NO_ERROR),
        )
        what = "both values Accepted, in any order (TC_B_10_CS step 2)"
        conform_reply(reply, what, {"setVariableResult": expected})


@testcase(
    "TC_B_35_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. SetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_35_CS_set_unknown_component(csms: Session, dut: DutProfile) -> None:
    """SetVariables for a component the station lacks is answered UnknownComponent."""
    with step("1-2. SetVariablesRequest for UnknownComponent (no attributeType)"):
        await answered_one(
            csms,
            "SetVariables",
            UNKNOWN_COMPONENT,
            "UnknownComponent",
            "TC_B_35_CS step 2",
            value="300",
        )


@testcase(
    "TC_B_36_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. SetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_36_CS_set_unknown_variable(csms: Session, dut: DutProfile) -> None:
    """SetVariables for a variable OCPPCommCtrlr lacks is answered UnknownVariable."""
    with step("1-2. SetVariablesRequest for OCPPCommCtrlr.UnknownVariable (no attributeType)"):
        await answered_one(
            csms,
            "SetVariables",
            UNKNOWN_VARIABLE,
            "UnknownVariable",
            "TC_B_36_CS step 2",
            value="300",
        )


@testcase(
    "TC_B_37_CS",
    proof=[Mutant("unknown_as_rejected", step="1-2. SetVariablesRequest", says='"Rejected"')],
)
async def test_TC_B_37_CS_set_not_supported_attribute(csms: Session, dut: DutProfile) -> None:
    """SetVariables of the Target of OfflineThreshold is answered NotSupportedAttributeType."""
    with step("1-2. SetVariablesRequest for OfflineThreshold, attributeType Target"):
        await answered_one(
            csms,
            "SetVariables",
            OFFLINE_THRESHOLD,
            "NotSupportedAttributeType",
            "TC_B_37_CS step 2",
            value="300",
            attribute="Target",
        )


@testcase(
    "TC_B_39_CS",
    proof=[Mutant("read_only_accepted", step="1-2. SetVariablesRequest", says='"Accepted"')],
)
async def test_TC_B_39_CS_set_read_only(csms: Session, dut: DutProfile) -> None:
    """SetVariables of the read-only OCPPCommCtrlr.MessageTimeout[Default] is Rejected."""
    message_timeout = address("OCPPCommCtrlr", "MessageTimeout", instance="Default")
    with step("1-2. SetVariablesRequest for MessageTimeout[Default] (no attributeType)"):
        # attributeValue is required by the schema; the catalogue names none.
        value = str(int(dut.timing.message_timeout) + 1)
        rule = "TC_B_39_CS step 2: a ReadOnly variable"
        await answered_one(csms, "SetVariables", message_timeout, "Rejected", rule, value=value)


#: Steps 3-4, 5-6 and 7-8 of TC_B_11_CS, after OfflineThreshold (steps 1-2).
_B11_OTHERS = (
    ("3-4", address("SmartChargingCtrlr", "LimitChangeSignificance")),
    ("5-6", address("AuthCtrlr", "AuthorizeRemoteStart")),
    ("7-8", address("ClockCtrlr", "NextTimeOffsetTransitionDateTime")),
)


def _set_outcome(where: dict[str, dict[str, str]]) -> dict[str, object]:
    """TC_B_11_CS: Accepted when the value fits, Rejected when it does not.

    The catalogue allows attributeStatusInfo absent or InvalidValue and calls it
    "not required"; a Rejected answer's reason is therefore not judged.
    """
    return result(where, one_of("Accepted", "Rejected"))


@testcase(
    "TC_B_11_CS",
    proof=[
        Mutant(
            "set_status:UnknownVariable",
            step="1-2. SetVariablesRequest OfflineThreshold",
            says='"UnknownVariable"',
        )
    ],
)
async def test_TC_B_11_CS_set_invalid_formats(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Values of each type written to variables of other types are accepted or rejected."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: the configured OfflineThreshold and which other variables are present"):
        configured = await flow.get_variable("OCPPCommCtrlr", "OfflineThreshold")
        if configured is None:
            configured = "300"
        present = []
        for numbers, where in _B11_OTHERS:
            reply = await get_one(csms, where)
            found = (reply.payload.get("getVariableResult") or [{}])[0]
            if found.get("attributeStatus") == "Accepted":
                present.append((numbers, where))
    read_only: set[str] = set()
    values = (configured, f"{configured}.1", "true", utc_now(), "abc")
    for round_number, value in enumerate(values, start=1):
        with step(f"1-2. SetVariablesRequest OfflineThreshold = {value!r} (round {round_number})"):
            reply = await set_one(csms, OFFLINE_THRESHOLD, value)
            what = "Accepted or Rejected, Actual (TC_B_11_CS step 2)"
            conform_reply(reply, what, {"setVariableResult": [_set_outcome(OFFLINE_THRESHOLD)]})
        for numbers, where in present:
            name = where["variable"]["name"]
            if name in read_only:
                continue
            with step(f"{numbers}. SetVariablesRequest {name} = {value!r} (round {round_number})"):
                reply = await set_one(csms, where, value)
                found = (reply.payload.get("setVariableResult") or [{}])[0]
                if found.get("attributeStatusInfo", {}).get("reasonCode") == "ReadOnly":
                    # "Only executed if this component/variable combination is readwrite."
                    read_only.add(name)
                    continue
                what = f"Accepted or Rejected, Actual (TC_B_11_CS step {numbers[-1]})"
                conform_reply(reply, what, {"setVariableResult": [_set_outcome(where)]})
