"""OCPP 1.6 Firmware Management, the Central System under test (harness: charge point).

The harness charge point does not download or upload a file: the catalogue
validates the Central System's request and its acknowledgements of the
status notifications, which the harness sends as each step prescribes.
"""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16.csms_features import TestData, judged_request, utc_in
from harness.flows.v16.csms_requests import rebooted
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

#: The firmware cases fail when the location is not the test data's, or a status goes unanswered.
_FIRMWARE_PROOF = [
    Mutant(
        "firmware_wrong_location",
        step="1. The Central System sends UpdateFirmware with the test data's location",
        says="$.location: expected",
    ),
    Mutant(
        "ignore_call:FirmwareStatusNotification",
        step="3-4. FirmwareStatusNotification Downloading is acknowledged",
        says="FirmwareStatusNotification",
    ),
]
#: The diagnostics cases fail when no request comes, or a status goes unanswered.
_DIAGNOSTICS_PROOF = [
    Mutant(
        "ignore_call:DiagnosticsStatusNotification",
        step="3-4. DiagnosticsStatusNotification Uploading is acknowledged",
        says="DiagnosticsStatusNotification",
    ),
    Mutant(
        "skip_trigger", step="1. The Central System sends GetDiagnostics", says="GetDiagnostics"
    ),
]


async def _update_firmware(station: Session, dut: DutProfile, trigger: CsmsTrigger) -> None:
    data = TestData.of(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await judged_request(
        station,
        trigger,
        "UpdateFirmware",
        {"location": data.firmware_location, "retrieveDate": utc_in(0)},
        description=f"Make the Central System update the charge point's firmware from "
        f"{data.firmware_location}",
        request_step="1. The Central System sends UpdateFirmware with the test data's location",
        what="firmware location from the test data",
        expected={"location": data.firmware_location},
        answer_step="2. The charge point answers UpdateFirmware.conf",
        answer={},
    )


async def _firmware_status(station: Session, status: str) -> None:
    await station.call("FirmwareStatusNotification", {"status": status})


async def _installed(station: Session, link: StationLink, dut: DutProfile, outcome: str) -> None:
    """Steps 3-16: downloaded, connectors Unavailable, installed, reboot, ``outcome``."""
    with step("3-4. FirmwareStatusNotification Downloading is acknowledged"):
        await _firmware_status(station, "Downloading")
    with step("5-6. FirmwareStatusNotification Downloaded is acknowledged"):
        await _firmware_status(station, "Downloaded")
    with step("7-8. StatusNotification Unavailable for each connector is acknowledged"):
        for _evse, connector_id in dut.connectors:
            await flows.status_notification(station, connector_id, "Unavailable")
    with step("9-10. FirmwareStatusNotification Installing is acknowledged"):
        await _firmware_status(station, "Installing")
    await link.cut("charge point reboots to install the firmware")
    await rebooted(
        station,
        link,
        dut,
        boot_step="11-12. BootNotification after the reboot is answered Accepted",
        status_step="13-14. StatusNotification Available for connector 0 and each connector",
    )
    with step(f"15-16. FirmwareStatusNotification {outcome} is acknowledged"):
        await _firmware_status(station, outcome)


async def _diagnostics(station: Session, dut: DutProfile, trigger: CsmsTrigger, end: str) -> None:
    data = TestData.of(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await judged_request(
        station,
        trigger,
        "GetDiagnostics",
        {"location": data.diagnostics_location},
        description=f"Make the Central System ask the charge point for its diagnostics, "
        f"uploaded to {data.diagnostics_location}",
        request_step="1. The Central System sends GetDiagnostics",
        what="GetDiagnostics.req",
        expected={},
        answer_step="2. The charge point answers with the diagnostics file name",
        answer={"fileName": "diagnostics.log"},
    )
    with step("3-4. DiagnosticsStatusNotification Uploading is acknowledged"):
        await station.call("DiagnosticsStatusNotification", {"status": "Uploading"})
    with step(f"5-6. DiagnosticsStatusNotification {end} is acknowledged"):
        await station.call("DiagnosticsStatusNotification", {"status": end})


@testcase(
    "TC_044_1_CSMS",
    requires=("firmware_management",),
    proof=_FIRMWARE_PROOF,
)
async def test_TC_044_1_CSMS_firmware_update(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The Central System orders a firmware update and follows it to Installed."""
    await _update_firmware(station, dut, trigger)
    await _installed(station, station_link, dut, "Installed")


@testcase(
    "TC_044_2_CSMS",
    requires=("firmware_management",),
    proof=_FIRMWARE_PROOF,
)
async def test_TC_044_2_CSMS_firmware_download_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System orders a firmware update and acknowledges its failed download."""
    await _update_firmware(station, dut, trigger)
    with step("3-4. FirmwareStatusNotification Downloading is acknowledged"):
        await _firmware_status(station, "Downloading")
    with step("5-6. FirmwareStatusNotification DownloadFailed is acknowledged"):
        await _firmware_status(station, "DownloadFailed")


@testcase(
    "TC_044_3_CSMS",
    requires=("firmware_management",),
    proof=_FIRMWARE_PROOF,
)
async def test_TC_044_3_CSMS_firmware_installation_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The Central System orders a firmware update and follows it to InstallationFailed."""
    await _update_firmware(station, dut, trigger)
    await _installed(station, station_link, dut, "InstallationFailed")


@testcase(
    "TC_045_1_CSMS",
    requires=("firmware_management",),
    proof=_DIAGNOSTICS_PROOF,
)
async def test_TC_045_1_CSMS_get_diagnostics(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks for diagnostics and acknowledges their upload."""
    await _diagnostics(station, dut, trigger, "Uploaded")


@testcase(
    "TC_045_2_CSMS",
    requires=("firmware_management",),
    proof=_DIAGNOSTICS_PROOF,
)
async def test_TC_045_2_CSMS_get_diagnostics_upload_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks for diagnostics and acknowledges a failed upload."""
    await _diagnostics(station, dut, trigger, "UploadFailed")
