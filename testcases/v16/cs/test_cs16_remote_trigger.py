"""OCPP 1.6 Remote Trigger, charge point under test: triggered messages (TC_054, TC_055)."""

from __future__ import annotations

from harness.expect import Pattern
from harness.flows.common import answer_or_error, expect_judged
from harness.flows.v16.cs import booted, connector_id
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_054_CS",
    requires=("remote_trigger",),
    proof=[
        Mutant(
            "trigger_ignored:StatusNotification",
            step="11-12. The Charge Point sends StatusNotification",
            says="did not arrive",
        )
    ],
)
async def test_TC_054_CS_trigger_message(csms: Session, dut: DutProfile) -> None:
    """The charge point sends each message a TriggerMessage asks for, right after accepting it."""
    number = connector_id(dut)
    await booted(csms, dut)
    for first, message, extra in (
        (1, "MeterValues", {"connectorId": number}),
        (5, "Heartbeat", {}),
        (9, "StatusNotification", {"connectorId": number}),
    ):
        mark = csms.mark()
        with step(f"{first}-{first + 1}. TriggerMessage {message} is Accepted"):
            await csms.call(
                "TriggerMessage", {"requestedMessage": message, **extra}, status="Accepted"
            )
        with step(f"{first + 2}-{first + 3}. The Charge Point sends {message}.req"):
            # The catalogue validates nothing in the triggered message: the first one
            # (of the triggered connector) after the trigger is the step's.
            await csms.expect(Pattern(message, extra), after=mark)
    mark = csms.mark()
    with step("13-14. TriggerMessage DiagnosticsStatusNotification is Accepted"):
        await csms.call(
            "TriggerMessage",
            {"requestedMessage": "DiagnosticsStatusNotification"},
            status="Accepted",
        )
    with step("15-16. DiagnosticsStatusNotification.req with status Idle"):
        await expect_judged(
            csms,
            Pattern("DiagnosticsStatusNotification"),
            "status Idle (no upload is going on; TC_054_CS step 15)",
            {"status": "Idle"},
            after=mark,
        )
    mark = csms.mark()
    with step("17-18. TriggerMessage FirmwareStatusNotification is Accepted or NotImplemented"):
        reply = await csms.call(
            "TriggerMessage",
            {"requestedMessage": "FirmwareStatusNotification"},
            status=("Accepted", "NotImplemented"),
        )
    if reply.payload.get("status") == "Accepted":
        with step("19-20. FirmwareStatusNotification.req with status Idle"):
            await expect_judged(
                csms,
                Pattern("FirmwareStatusNotification"),
                "status Idle (no update is going on; TC_054_CS step 19)",
                {"status": "Idle"},
                after=mark,
            )


@testcase(
    "TC_055_CS",
    requires=("remote_trigger",),
    proof=[
        Mutant(
            "trigger_accepts_all",
            step="1-2. TriggerMessage MeterValues for connector NumberOfConnectors + 1",
            says="status Rejected",
        )
    ],
)
async def test_TC_055_CS_trigger_message_rejected(csms: Session, dut: DutProfile) -> None:
    """A TriggerMessage for a connector the charge point lacks is Rejected (or a CALLERROR)."""
    beyond = len(dut.connectors) + 1
    await booted(csms, dut)
    with step("1-2. TriggerMessage MeterValues for connector NumberOfConnectors + 1: Rejected"):
        # The catalogue allows a CALLERROR instead, of any code.
        await answer_or_error(
            csms,
            "TriggerMessage",
            {"requestedMessage": "MeterValues", "connectorId": beyond},
            "status Rejected (TC_055_CS step 2)",
            {"status": "Rejected"},
            error_codes=None,
        )
