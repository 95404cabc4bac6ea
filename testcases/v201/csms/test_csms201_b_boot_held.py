"""OCPP 2.0.1 block B (provisioning), the CSMS under test: a station held Pending or Rejected.

The CSMS is configured (trigger) to answer the station's first boot Pending
or Rejected. TC_B_30 then checks that it refuses what the station may not
send meanwhile (SecurityError); TC_B_31 that it asks for a new boot with
TriggerMessage and accepts it.
"""

from __future__ import annotations

from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_boot import boot_not_accepted, refused_until_accepted
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_BOOT_STEP = "1-2. BootNotification (PowerUp) is answered Pending or Rejected"


@testcase(
    "TC_B_30_CSMS",
    proof=[
        Mutant("boot_accepted", step=_BOOT_STEP, says="'Accepted'"),
        Mutant(
            "report_while_held",
            step="3-4. The connectors are reported",
            says="SecurityError",
        ),
    ],
)
async def test_TC_B_30_CSMS_held_back_security_error(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A station not accepted yet gets SecurityError for its connector reports."""
    await boot_not_accepted(station, dut, trigger, configured="Rejected")
    with step("3-4. The connectors are reported; the CSMS answers CALLERROR SecurityError"):
        await refused_until_accepted(station, dut)


@testcase(
    "TC_B_31_CSMS",
    proof=[
        Mutant("boot_accepted", step=_BOOT_STEP, says="'Accepted'"),
        Mutant(
            "trigger_other_message",
            step="3. The CSMS sends TriggerMessageRequest",
            says="requestedMessage",
        ),
        Mutant("reject_reboot", step="5-6. BootNotification (Triggered)", says="'Rejected'"),
    ],
)
async def test_TC_B_31_CSMS_held_back_trigger_boot(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS holding a station back triggers its new boot, then accepts it."""
    await boot_not_accepted(station, dut, trigger, configured="Pending")
    await requested(
        trigger,
        station,
        "TriggerMessage",
        {"requestedMessage": "BootNotification"},
        description="Make the CSMS trigger a BootNotification from the station",
        request_step="3. The CSMS sends TriggerMessageRequest for a BootNotification",
        answer_step="4. The station responds with TriggerMessageResponse Accepted",
        answer={"status": "Accepted"},
        checks=[("requestedMessage BootNotification", {"requestedMessage": "BootNotification"})],
    )
    with step("5-6. BootNotification (Triggered) is answered Accepted"):
        await flows.boot(station, dut, reason="Triggered")
    with step("7-8. Every connector is reported Available; the CSMS responds"):
        for evse_id, connector_id in dut.connectors:
            await flows.report_connector(station, evse_id, connector_id, "Available")
