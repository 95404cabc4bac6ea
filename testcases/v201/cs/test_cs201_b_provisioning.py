"""OCPP 2.0.1 Provisioning (block B), charging station under test: boot, variables, reset."""

from __future__ import annotations

from typing import Any

from harness.errors import CallFailed, UnexpectedMessage
from harness.expect import or_absent
from harness.flows.common import boot_retry, confirm_setting, make_different
from harness.flows.v201.cs import StationFlow, conform_reply
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

OFFLINE_THRESHOLD = {
    "component": {"name": "OCPPCommCtrlr"},
    "variable": {"name": "OfflineThreshold"},
}


def _no_error_info(reply: Reply, key: str) -> None:
    """``attributeStatusInfo`` of the first result is absent or says ``NoError``."""
    __tracebackhide__ = True
    info = reply.payload[key][0].get("attributeStatusInfo")
    if info is not None and info.get("reasonCode") != "NoError":
        raise CallFailed(
            f"The answer to {reply.call.action} carries attributeStatusInfo {info}; the test "
            "case allows it only absent or with reasonCode NoError.\n"
            f"  received: {reply.entry.raw}",
            action=reply.call.action,
            unique_id=reply.call.unique_id,
        )


@testcase(
    "TC_B_01_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant(
            "skip_status",
            "skip_notify_event",
            step="Booted 5-6. Every connector reports Available",
            says="StatusNotification",
        ),
        Mutant("boot_wrong_reason", step="Booted 3-4. BootNotificationRequest", says="$.reason"),
        Mutant(
            "skip_security_event",
            step="Booted 7-8. SecurityEventNotificationRequest",
            says="did not arrive",
        ),
    ],
)
async def test_TC_B_01_CS_cold_boot_accepted(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """After a power cycle the station boots, is accepted and reports every connector Available."""
    flow = StationFlow(csms, dut, rig)
    with step("1. Execute Reusable State Booted"):
        await flow.booted()


@testcase(
    "TC_B_03_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant(
            "send_while_rejected", step="3. BootNotificationRequest again", says="must send nothing"
        ),
        Mutant(
            "boot_retry_early",
            step="3. BootNotificationRequest again",
            says="at least the interval",
        ),
    ],
)
async def test_TC_B_03_CS_cold_boot_rejected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A rejected station stays silent for the interval, boots again and reports its connectors."""
    rig.require(Capability.POWER)
    flow = StationFlow(csms, dut, rig)
    interval = dut.timing.heartbeat_interval
    with csms.hold("BootNotification"):
        first = await flow.rebooted_by(
            "Reboot the charging station",
            rig.power_cycle,
            "1. The charging station sends a BootNotificationRequest",
        )
        with step("2. BootNotificationResponse Rejected with the configured heartbeat interval"):
            await first.reply(
                {"status": "Rejected", "currentTime": utc_now(), "interval": interval}
            )
        with step("3. BootNotificationRequest again, after the interval and nothing in between"):
            second = await boot_retry(csms, first, interval, dut.timing, rule="TC_B_03_CS step 3")
            between = [c for c in csms.inbound if first.entry.seq < c.entry.seq < second.entry.seq]
            if between:
                listed = "\n".join(f"  {c.entry.raw[:300]}" for c in between)
                raise UnexpectedMessage(
                    "While rejected, the station must send nothing until its next "
                    f"BootNotification (TC_B_03_CS step 3); it sent:\n{listed}"
                )
        with step("4. BootNotificationResponse Accepted with the configured heartbeat interval"):
            await second.reply(
                {"status": "Accepted", "currentTime": utc_now(), "interval": interval}
            )
    with step("5-6. Every connector reports Available"):
        for evse, connector in dut.connectors:
            await flow.expect_availability("Available", second, evse=evse, connector=connector)


@testcase(
    "TC_B_06_CS",
    proof=[
        Mutant(
            "reject:GetVariables",
            step="1-2. GetVariablesRequest OfflineThreshold",
            says='"Rejected"',
        )
    ],
)
async def test_TC_B_06_CS_get_variables_single(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """GetVariables returns the Actual value of OCPPCommCtrlr.OfflineThreshold as configured."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: OCPPCommCtrlr.OfflineThreshold is 300"):
        reply = await flow.set_variable("OCPPCommCtrlr", "OfflineThreshold", "300")
        conform_reply(
            reply,
            "the configuration state",
            {"setVariableResult": [{"attributeStatus": "Accepted"}]},
        )
    with step("1-2. GetVariablesRequest OfflineThreshold (Actual) is answered with its value"):
        request = {**OFFLINE_THRESHOLD, "attributeType": "Actual"}
        reply = await csms.call("GetVariables", {"getVariableData": [request]})
        result: dict[str, Any] = {
            **OFFLINE_THRESHOLD,
            "attributeStatus": "Accepted",
            "attributeValue": "300",
            # An absent attributeType means Actual (the schema's default).
            "attributeType": or_absent("Actual"),
        }
        what = "the Actual value of OfflineThreshold (TC_B_06_CS step 2)"
        conform_reply(reply, what, {"getVariableResult": [result]})
        _no_error_info(reply, "getVariableResult")


@testcase(
    "TC_B_09_CS",
    proof=[
        Mutant(
            "reject:SetVariables",
            step="1-2. SetVariablesRequest OfflineThreshold",
            says='"Rejected"',
        ),
        Mutant(
            "ignore_set_variables",
            step="Before: OfflineThreshold is not 300",
            says="then reports '300'",
        ),
    ],
)
async def test_TC_B_09_CS_set_variables_single(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """SetVariables of OCPPCommCtrlr.OfflineThreshold (Actual) is accepted."""
    flow = StationFlow(csms, dut, rig)
    setting = flow.setting("OCPPCommCtrlr", "OfflineThreshold")
    with step("Before: OfflineThreshold is not 300, so the change can be seen"):
        await make_different(setting, "300", "301")
    with step("1-2. SetVariablesRequest OfflineThreshold = 300 (Actual) is answered Accepted"):
        reply = await flow.set_variable("OCPPCommCtrlr", "OfflineThreshold", "300")
        # An absent attributeType means Actual (the schema's default).
        result = {
            **OFFLINE_THRESHOLD,
            "attributeStatus": "Accepted",
            "attributeType": or_absent("Actual"),
        }
        what = "OfflineThreshold (Actual) accepted (TC_B_09_CS step 2)"
        conform_reply(reply, what, {"setVariableResult": [result]})
        _no_error_info(reply, "setVariableResult")
    with step("After 2. GetVariablesRequest OfflineThreshold gives the value set"):
        await confirm_setting(setting, "300")


@testcase(
    "TC_B_20_CS",
    proof=[
        Mutant("reject:Reset", step="1-2. ResetRequest OnIdle", says="status 'Rejected'"),
        Mutant(
            "skip_status",
            "skip_notify_event",
            step="5-6. Every connector reports Available",
            says="StatusNotification",
        ),
    ],
)
async def test_TC_B_20_CS_reset_on_idle(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idle station accepts an OnIdle reset, reboots and reports every connector Available."""
    flow = StationFlow(csms, dut, rig)

    async def reset() -> None:
        # Errata 2024-09: a station-wide reset omits evseId.
        await csms.call("Reset", {"type": "OnIdle"}, status="Accepted")

    boot = await flow.rebooted_by(
        "1-2. ResetRequest OnIdle is answered Accepted",
        reset,
        "3-4. After rebooting, the station sends a BootNotificationRequest (answered Accepted)",
    )
    with step("5-6. Every connector reports Available"):
        for evse, connector in dut.connectors:
            await flow.expect_availability("Available", boot, evse=evse, connector=connector)
