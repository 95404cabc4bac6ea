"""OCPP 2.0.1 Provisioning (block B), station under test: a boot left Pending or Rejected.

B02: while Pending the station answers the CSMS's configuration and report
requests, refuses a remote start, and boots again when triggered. B03: while
Rejected it answers every CSMS request with CALLERROR SecurityError.
"""

from __future__ import annotations

from harness.checks import conform
from harness.errors import CallFailed, DutDisconnected
from harness.expect import one_of
from harness.flows.v201.boot import power_cycled_boot_answered
from harness.flows.v201.checks import id_token
from harness.flows.v201.cs import StationFlow, conform_reply
from harness.flows.v201.device_model import address, get_one, result, set_one
from harness.flows.v201.reports import full_report, new_request_id
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

OFFLINE_THRESHOLD = address("OCPPCommCtrlr", "OfflineThreshold")


@testcase(
    "TC_B_02_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant("reject:SetVariables", step="3-4. SetVariablesRequest", says='"Rejected"'),
        Mutant("report_seqno_stuck", step="9-10. NotifyReportRequest", says="$.seqNo"),
        Mutant(
            "pending_remote_start",
            step="11-12. RequestStartTransactionRequest",
            says="'Accepted'",
        ),
        Mutant("boot_not_triggered", step="15. BootNotificationRequest", says="$.reason"),
        Mutant(
            "skip_status",
            "skip_notify_event",
            step="17-18. Every connector reports Available",
            says="StatusNotification",
        ),
    ],
)
async def test_TC_B_02_CS_cold_boot_pending(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A Pending station is configured and reports, refuses a remote start, reboots on trigger."""
    flow = StationFlow(csms, dut, rig)
    interval = dut.timing.heartbeat_interval
    with csms.hold("BootNotification"):
        await power_cycled_boot_answered(
            flow, "Pending", "Manual Action: reboot the charging station"
        )
        with step("3-4. SetVariablesRequest OfflineThreshold = 300 is answered Accepted"):
            reply = await set_one(csms, OFFLINE_THRESHOLD, "300", while_pending=True)
            what = "attributeStatus Accepted (TC_B_02_CS step 4)"
            conform_reply(reply, what, {"setVariableResult": [{"attributeStatus": "Accepted"}]})
        with step("5-6. GetVariablesRequest OfflineThreshold is answered Accepted"):
            reply = await get_one(csms, OFFLINE_THRESHOLD, while_pending=True)
            what = "attributeStatus Accepted (TC_B_02_CS step 6)"
            expected = [result(OFFLINE_THRESHOLD, "Accepted")]
            conform_reply(reply, what, {"getVariableResult": expected})
        await full_report(
            csms, dut, "FullInventory", "TC_B_02_CS", numbers=(7, 9), while_pending=True
        )
        with step("11-12. RequestStartTransactionRequest is answered Rejected (after the report)"):
            payload = {"idToken": id_token(dut), "remoteStartId": new_request_id()}
            await csms.call(
                "RequestStartTransaction", payload, status="Rejected", while_pending=True
            )
        with step("13-14. TriggerMessageRequest BootNotification: Accepted or NotImplemented"):
            mark = csms.mark()
            reply = await csms.call(
                "TriggerMessage", {"requestedMessage": "BootNotification"}, while_pending=True
            )
            what = "status Accepted or NotImplemented (TC_B_02_CS step 14)"
            conform_reply(reply, what, {"status": one_of("Accepted", "NotImplemented")})
            triggered = reply.payload["status"] == "Accepted"
        with step("15. BootNotificationRequest (reason Triggered when the trigger was accepted)"):
            # Triggered: at once, before the interval runs out; otherwise the retry after it.
            wait = dut.timing.message_timeout + (0 if triggered else interval)
            second = await flow.expect_boot(mark, timeout=wait)
            if triggered:
                conform(second, "reason Triggered (TC_B_02_CS step 15)", {"reason": "Triggered"})
        with step("16. BootNotificationResponse Accepted with the configured heartbeat interval"):
            await second.reply(
                {"status": "Accepted", "currentTime": utc_now(), "interval": interval}
            )
    with step("17-18. Every connector reports Available"):
        for evse, connector in dut.connectors:
            await flow.expect_availability("Available", second, evse=evse, connector=connector)


@testcase(
    "TC_B_30_CS",
    rig=(Capability.POWER,),
    proof=[
        Mutant("reject:GetBaseReport", step="3-4. GetBaseReportRequest", says="CALLRESULT"),
    ],
)
async def test_TC_B_30_CS_rejected_security_error(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A Rejected station answers a CSMS request with CALLERROR SecurityError."""
    flow = StationFlow(csms, dut, rig)
    with csms.hold("BootNotification"):
        await power_cycled_boot_answered(flow, "Rejected", "Reboot the charging station")
    with step("3-4. GetBaseReportRequest FullInventory is answered CALLERROR SecurityError"):
        payload = {"requestId": new_request_id(), "reportBase": "FullInventory"}
        try:
            with csms.before_registration():
                reply = await csms.call("GetBaseReport", payload, allow_error=True)
        except DutDisconnected:
            # "The OCTT will only send this request if the Charging Station does not disconnect."
            return
        code = str(getattr(reply.frame, "error_code", "")) if reply.is_error else None
        if code != "SecurityError":
            raise CallFailed(
                "While its registration is Rejected the station must answer a CSMS request "
                "with CALLERROR SecurityError (TC_B_30_CS step 4, OCPP 2.0.1 B03); it answered "
                f"{'CALLERROR ' + code if code else 'with a CALLRESULT'}.\n"
                f"  sent:     {reply.call_entry.raw[:400]}\n  received: {reply.entry.raw[:400]}",
                action="GetBaseReport",
                unique_id=reply.call.unique_id,
            )
