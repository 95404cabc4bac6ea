"""OCPP 2.0.1 Remote Control (block F): TriggerMessage, station under test.

Each case applies when the station supports triggering its message (the PICS
flag ``trigger:<requestedMessage>``, docs/profile.md).
"""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, timedelta

from harness.errors import ExpectationFailed
from harness.expect import Pattern
from harness.fileserver import TransferLocations
from harness.flows.common import expect_judged
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.trigger import first_context, trigger
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_WRONG_CONTEXT = "trigger_context:Sample.Periodic"
_request_ids = itertools.count(1)
#: The statuses that end a log upload / a firmware update (OCPP 2.0.1 N01, L01).
_LOG_ENDS = ("Uploaded", "UploadFailure", "BadMessage", "NotSupportedOperation", "PermissionDenied")
_FIRMWARE_ENDS = (
    "Installed",
    "InstallRebooting",
    "InstallationFailed",
    "InstallVerificationFailed",
    "InvalidSignature",
    "DownloadFailed",
)
#: Step 3 of TC_F_13/14_CS: what the triggered TransactionEvent must hold.
_TRIGGERED_TX = {
    "triggerReason": "Trigger",
    "transactionInfo": {"chargingState": "Charging"},
    "meterValue": first_context("Trigger"),
}


def _evses(dut: DutProfile) -> list[int]:
    return sorted({evse for evse, _ in dut.connectors})


@testcase(
    "TC_F_11_CS",
    requires=("trigger:MeterValues",),
    proof=[
        Mutant(_WRONG_CONTEXT, step="3-4. MeterValuesRequest", says="context"),
        Mutant("ignore_trigger", step="3-4. MeterValuesRequest", says="did not arrive"),
    ],
)
async def test_TC_F_11_CS_trigger_meter_values_evse(csms: Session, dut: DutProfile) -> None:
    """A MeterValues triggered for one EVSE comes for that EVSE with context Trigger."""
    evse = _evses(dut)[0]
    mark = await trigger(csms, "MeterValues", evse=evse)
    with step(f"3-4. MeterValuesRequest for EVSE {evse}, context Trigger"):
        await expect_judged(
            csms,
            Pattern("MeterValues"),
            f"evseId {evse}, meterValue[0].sampledValue[0].context Trigger (TC_F_11_CS step 3)",
            {"evseId": evse, "meterValue": first_context("Trigger")},
            after=mark,
        )


@testcase(
    "TC_F_12_CS",
    requires=("trigger:MeterValues",),
    proof=[Mutant(_WRONG_CONTEXT, step="3-4. MeterValuesRequest", says="context")],
)
async def test_TC_F_12_CS_trigger_meter_values_all(csms: Session, dut: DutProfile) -> None:
    """A MeterValues triggered without an EVSE comes for every EVSE with context Trigger."""
    mark = await trigger(csms, "MeterValues")
    for evse in _evses(dut):
        with step(f"3-4. MeterValuesRequest for EVSE {evse}, context Trigger"):
            await expect_judged(
                csms,
                Pattern("MeterValues", {"evseId": evse}, label=f"MeterValues of EVSE {evse}"),
                "meterValue[0].sampledValue[0].context Trigger (TC_F_12_CS step 3)",
                {"meterValue": first_context("Trigger")},
                after=mark,
            )


@testcase(
    "TC_F_13_CS",
    requires=("trigger:TransactionEvent",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("trigger_no_meter", step="3-4. TransactionEventRequest", says="meterValue"),
        Mutant(_WRONG_CONTEXT, step="3-4. TransactionEventRequest", says="context"),
    ],
)
async def test_TC_F_13_CS_trigger_transaction_event_evse(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent triggered for a charging EVSE reports Charging with a Trigger reading."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    await trigger(csms, "TransactionEvent", evse=flow.evse)
    with step("3-4. TransactionEventRequest triggerReason Trigger, chargingState Charging"):
        await flow.expect_tx("the triggered event (TC_F_13_CS step 3)", _TRIGGERED_TX)


@testcase(
    "TC_F_14_CS",
    requires=("trigger:TransactionEvent",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[Mutant("trigger_no_meter", step="3-4. TransactionEventRequest", says="meterValue")],
)
async def test_TC_F_14_CS_trigger_transaction_event_all(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent triggered without an EVSE comes from every charging EVSE."""
    flows = []
    for evse in _evses(dut):
        connector = min(c for e, c in dut.connectors if e == evse)
        flow = StationFlow(csms, dut, rig, evse=evse, connector=connector)
        with step(f"Before: State is EnergyTransferStarted on EVSE {evse}"):
            # A remote start per EVSE: one idToken may not authorize two EVSEs at a reader.
            await flow.authorized_remote()
            await flow.energy_transfer_started()
        flows.append(flow)
    await trigger(csms, "TransactionEvent")
    for flow in flows:
        with step(f"3-4. TransactionEventRequest of EVSE {flow.evse}, triggerReason Trigger"):
            # Here evse.id must be present (step 3), where TC_F_13_CS lets it be omitted.
            await flow.expect_tx(
                "the triggered event, evse.id present (TC_F_14_CS step 3)",
                {**_TRIGGERED_TX, "evse": {"id": flow.evse}},
            )


@testcase(
    "TC_F_15_CS",
    requires=("trigger:LogStatusNotification",),
    proof=[
        Mutant("log_status_value:Uploading", step="3-4. LogStatusNotificationRequest", says="Idle")
    ],
)
async def test_TC_F_15_CS_trigger_log_status_idle(csms: Session) -> None:
    """A LogStatusNotification triggered while no log is uploaded reports Idle."""
    mark = await trigger(csms, "LogStatusNotification")
    with step("3-4. LogStatusNotificationRequest status Idle"):
        await expect_judged(
            csms,
            Pattern("LogStatusNotification"),
            "status Idle (TC_F_15_CS step 3)",
            {"status": "Idle"},
            after=mark,
        )


async def _transfer_ends(
    csms: Session, dut: DutProfile, action: str, mark: int, ends: tuple[str, ...]
) -> None:
    """Post (not judged): the transfer's last status, so the next case finds none running.

    The catalogue ends with step 8; a station still uploading or installing
    would report it to the next case's trigger instead of Idle. The wait is
    bounded by the boot timeout (an installation may take that long) and never
    fails the case.
    """
    with (
        step(f"Post: the transfer ends ({action} {' or '.join(ends)}; not judged)"),
        contextlib.suppress(ExpectationFailed),
    ):
        await csms.expect(
            action,
            where=lambda p: p.get("status") in ends,
            after=mark,
            timeout=dut.timing.boot_timeout,
        )


async def _notification(csms: Session, action: str, status: str, mark: int, where: str) -> None:
    """The next ``action`` after ``mark`` reports ``status``; ``where`` names the step."""
    await expect_judged(
        csms, Pattern(action), f"status {status} ({where})", {"status": status}, after=mark
    )


@testcase(
    "TC_F_16_CS",
    requires=("trigger:LogStatusNotification",),
    proof=[
        Mutant("ignore_trigger", step="7-8. LogStatusNotificationRequest", says="Uploading"),
        Mutant("reject:GetLog", step="1-2. GetLogRequest", says="Accepted"),
    ],
)
async def test_TC_F_16_CS_trigger_log_status_uploading(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """A LogStatusNotification triggered while a log is uploaded reports Uploading."""
    location = transfer.get("diagnostics_location")
    mark = csms.mark()
    with step("1-2. GetLogRequest DiagnosticsLog is answered Accepted"):
        request = {
            "logType": "DiagnosticsLog",
            "requestId": next(_request_ids),
            "log": {"remoteLocation": location},
        }
        await csms.call("GetLog", request, status="Accepted")
    with step("3-4. LogStatusNotificationRequest status Uploading"):
        await _notification(csms, "LogStatusNotification", "Uploading", mark, "TC_F_16_CS step 3")
    mark = await trigger(csms, "LogStatusNotification", numbers="5-6.")
    with step("7-8. LogStatusNotificationRequest status Uploading"):
        await _notification(csms, "LogStatusNotification", "Uploading", mark, "TC_F_16_CS step 7")
    await _transfer_ends(csms, dut, "LogStatusNotification", mark, _LOG_ENDS)


async def _firmware_idle(csms: Session, mark: int, case: str) -> None:
    with step("3-4. FirmwareStatusNotificationRequest status Idle"):
        await expect_judged(
            csms,
            Pattern("FirmwareStatusNotification"),
            f"status Idle ({case} step 3)",
            {"status": "Idle"},
            after=mark,
        )


@testcase(
    "TC_F_17_CS",
    requires=("trigger:FirmwareStatusNotification",),
    proof=[
        Mutant(
            "firmware_status_value:Downloaded",
            step="3-4. FirmwareStatusNotificationRequest",
            says="Idle",
        )
    ],
)
async def test_TC_F_17_CS_trigger_firmware_status_evse(csms: Session, dut: DutProfile) -> None:
    """A FirmwareStatusNotification triggered for an EVSE (not relevant to it) reports Idle."""
    mark = await trigger(csms, "FirmwareStatusNotification", evse=_evses(dut)[0])
    await _firmware_idle(csms, mark, "TC_F_17_CS")


@testcase(
    "TC_F_18_CS",
    requires=("trigger:FirmwareStatusNotification",),
    proof=[
        Mutant(
            "firmware_status_value:Downloaded",
            step="3-4. FirmwareStatusNotificationRequest",
            says="Idle",
        )
    ],
)
async def test_TC_F_18_CS_trigger_firmware_status_idle(csms: Session) -> None:
    """A FirmwareStatusNotification triggered while no firmware is updated reports Idle."""
    mark = await trigger(csms, "FirmwareStatusNotification")
    await _firmware_idle(csms, mark, "TC_F_18_CS")


@testcase(
    "TC_F_19_CS",
    requires=("trigger:FirmwareStatusNotification",),
    proof=[
        Mutant("ignore_trigger", step="7-8. FirmwareStatusNotificationRequest", says="Downloading"),
        Mutant(
            "firmware_status_value:Downloaded",
            step="3-4. FirmwareStatusNotificationRequest",
            says="Downloading",
        ),
    ],
)
async def test_TC_F_19_CS_trigger_firmware_status_downloading(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """A FirmwareStatusNotification triggered while the firmware downloads reports Downloading."""
    location = transfer.get("firmware_location")
    mark = csms.mark()
    with step("1-2. UpdateFirmwareRequest is answered Accepted"):
        # The profile configures no signing certificate nor signature: both optional
        # fields are left out (an unsigned firmware).
        firmware = {
            "location": location,
            "retrieveDateTime": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        }
        request = {"requestId": next(_request_ids), "firmware": firmware}
        await csms.call("UpdateFirmware", request, status="Accepted")
    with step("3-4. FirmwareStatusNotificationRequest status Downloading"):
        await _notification(
            csms, "FirmwareStatusNotification", "Downloading", mark, "TC_F_19_CS step 3"
        )
    mark = await trigger(csms, "FirmwareStatusNotification", numbers="5-6.")
    with step("7-8. FirmwareStatusNotificationRequest status Downloading"):
        await _notification(
            csms, "FirmwareStatusNotification", "Downloading", mark, "TC_F_19_CS step 7"
        )
    await _transfer_ends(csms, dut, "FirmwareStatusNotification", mark, _FIRMWARE_ENDS)


@testcase(
    "TC_F_23_CS",
    requires=("trigger:StatusNotification",),
    proof=[
        # Every Available report dropped: a report sent "in the meantime" (after a boot)
        # would fulfil the trigger as well (F06), so the mutant silences both.
        Mutant(
            "skip_status:Available",
            "skip_notify_event:Available",
            step="3-4. The connector reports",
            says="did not arrive",
        )
    ],
)
async def test_TC_F_23_CS_trigger_status_available(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A status triggered for an idle connector reports Available, in either form."""
    flow = StationFlow(csms, dut, rig)
    mark = await trigger(csms, "StatusNotification", evse=flow.evse, connector=flow.connector)
    with step("3-4. The connector reports Available (StatusNotification or NotifyEvent)"):
        await flow.expect_availability("Available", mark)


@testcase(
    "TC_F_24_CS",
    requires=("trigger:StatusNotification",),
    rig=(Capability.PLUG,),
    proof=[Mutant("ignore_trigger", step="3-4. The connector reports", says="did not arrive")],
)
async def test_TC_F_24_CS_trigger_status_occupied(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A status triggered for a connector with the EV plugged in reports Occupied (either form)."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    mark = await trigger(csms, "StatusNotification", evse=flow.evse, connector=flow.connector)
    with step("3-4. The connector reports Occupied (StatusNotification or NotifyEvent)"):
        await flow.expect_availability("Occupied", mark)


@testcase(
    "TC_F_26_CS",
    requires=("trigger:BootNotification",),
    proof=[
        Mutant(
            "trigger_answer:Accepted",
            step="1-2. TriggerMessageRequest BootNotification",
            says="Rejected",
        )
    ],
)
async def test_TC_F_26_CS_trigger_boot_rejected(csms: Session) -> None:
    """A BootNotification triggered while the station is already accepted is Rejected."""
    await trigger(csms, "BootNotification", status="Rejected")


@testcase(
    "TC_F_27_CS",
    excludes=("trigger:SignCombinedCertificate",),
    proof=[
        Mutant(
            "trigger_answer:Rejected",
            step="1-2. TriggerMessageRequest SignCombinedCertificate",
            says="NotImplemented",
        )
    ],
)
async def test_TC_F_27_CS_trigger_not_implemented(csms: Session) -> None:
    """A trigger for a message the station cannot send is answered NotImplemented."""
    await trigger(csms, "SignCombinedCertificate", status="NotImplemented")
