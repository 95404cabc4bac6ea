"""OCPP 1.6 Firmware Management, charge point under test: firmware, diagnostics (TC_044, TC_045)."""

from __future__ import annotations

from harness.expect import one_of
from harness.fileserver import TransferLocations
from harness.flows.v16.cs import booted, expect_statuses
from harness.flows.v16.firmware import (
    available_again,
    diagnostics_uploading,
    expect_diagnostics_status,
    expect_firmware_status,
    firmware_downloaded,
    update_firmware,
)
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_FIRMWARE = ("firmware_management",)


@testcase(
    "TC_044_1_CS",
    requires=_FIRMWARE,
    proof=[
        Mutant(
            "skip_firmware_status:Downloaded",
            step="5-6. FirmwareStatusNotification Downloaded",
            says="status Downloaded",
        ),
        Mutant(
            "skip_firmware_status:Installed",
            step="13-14. FirmwareStatusNotification Installed",
            says="did not arrive",
        ),
        Mutant("firmware_no_reboot", step="9-10. BootNotification", says="did not arrive"),
    ],
)
async def test_TC_044_1_CS_firmware_update(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """The charge point downloads and installs a firmware, reboots and is Available again."""
    location = transfer.get("firmware_location")
    await booted(csms, dut)
    # The station reboots to install: every wait below goes on across its reconnection.
    with csms.disconnect_allowed():
        found = await firmware_downloaded(
            csms, location, what="the firmware download URL", case="TC_044_1_CS"
        )
        with step("7-8. FirmwareStatusNotification Installing"):
            installing = await expect_firmware_status(
                csms, "Installing", after=found, rule="TC_044_1_CS step 7"
            )
        with step("9-10. BootNotification: the charge point reboots"):
            boot = await csms.expect(
                "BootNotification",
                after=installing,
                timeout=dut.timing.boot_timeout + dut.timing.message_timeout,
            )
        with step("11-12. StatusNotification Available for every connector"):
            numbers = [number for _evse, number in dut.connectors]
            await expect_statuses(csms, dict.fromkeys(numbers, "Available"), after=boot)
        with step("13-14. FirmwareStatusNotification Installed"):
            # Steps 9 and 13 may come in either order (TC_044_1_CS): the first status after
            # Installing, before or after the boot, must be Installed.
            await expect_firmware_status(
                csms, "Installed", after=installing, rule="TC_044_1_CS step 13"
            )


@testcase(
    "TC_044_2_CS",
    requires=_FIRMWARE,
    proof=[
        Mutant(
            "skip_firmware_status:DownloadFailed",
            step="5-6. FirmwareStatusNotification DownloadFailed",
            says="did not arrive",
        ),
    ],
)
async def test_TC_044_2_CS_firmware_download_failed(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """A firmware the charge point cannot download is reported DownloadFailed."""
    location = transfer.get("firmware_failing_location")
    await booted(csms, dut)
    mark = csms.mark()
    with step("1-2. UpdateFirmware with a location that fails, retries 0"):
        await update_firmware(csms, location, retries=0)
    with step("3-4. FirmwareStatusNotification Downloading (optional: it may fail at once)"):
        first = await expect_firmware_status(
            csms,
            one_of("Downloading", "DownloadFailed"),
            after=mark,
            rule="TC_044_2_CS step 3, or step 5 at once",
        )
    if first.payload.get("status") == "Downloading":
        with step("5-6. FirmwareStatusNotification DownloadFailed"):
            await expect_firmware_status(
                csms, "DownloadFailed", after=first, rule="TC_044_2_CS step 5"
            )


@testcase(
    "TC_044_3_CS",
    requires=_FIRMWARE,
    proof=[
        Mutant(
            "skip_firmware_status:InstallationFailed",
            step="11-12. FirmwareStatusNotification InstallationFailed",
            says="did not arrive",
        ),
        Mutant(
            "skip_firmware_status:Downloading",
            step="3-4. FirmwareStatusNotification Downloading",
            says="status Downloading",
        ),
    ],
)
async def test_TC_044_3_CS_firmware_installation_failed(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """A downloaded file the charge point cannot install is reported InstallationFailed."""
    location = transfer.get("firmware_invalid_location")
    await booted(csms, dut)
    mark = csms.mark()
    # The charge point may reboot after the failed installation (step 9, optional).
    with csms.disconnect_allowed():
        found = await firmware_downloaded(
            csms, location, what="the location of a NOT supported file", case="TC_044_3_CS"
        )
        with step("7-8. FirmwareStatusNotification Installing (optional: it may fail at once)"):
            found = await expect_firmware_status(
                csms,
                one_of("Installing", "InstallationFailed"),
                after=found,
                rule="TC_044_3_CS step 7, or step 11 at once",
            )
        if found.payload.get("status") == "Installing":
            with step("11-12. FirmwareStatusNotification InstallationFailed"):
                # Steps 9, 11 and 13 may come in any order: a reboot may come first.
                found = await expect_firmware_status(
                    csms,
                    "InstallationFailed",
                    after=found,
                    rule="TC_044_3_CS step 11",
                    timeout=dut.timing.boot_timeout + dut.timing.message_timeout,
                )
        with step("9-10 and 13-14. After a reboot (optional), StatusNotification Available"):
            await available_again(csms, dut, since=mark)


@testcase(
    "TC_045_1_CS",
    requires=_FIRMWARE,
    proof=[
        Mutant(
            "skip_diagnostics_status:Uploading",
            step="3-4. DiagnosticsStatusNotification Uploading",
            says="status Uploading",
        ),
        Mutant(
            "skip_diagnostics_status:Uploaded",
            step="5-6. DiagnosticsStatusNotification Uploaded",
            says="did not arrive",
        ),
    ],
)
async def test_TC_045_1_CS_get_diagnostics(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """The charge point uploads its diagnostics to the location given, and reports it."""
    location = transfer.get("diagnostics_location")
    await booted(csms, dut)
    found = await diagnostics_uploading(
        csms, location, what="the configured log location", case="TC_045_1_CS"
    )
    with step("5-6. DiagnosticsStatusNotification Uploaded"):
        await expect_diagnostics_status(csms, "Uploaded", after=found, rule="TC_045_1_CS step 5")


@testcase(
    "TC_045_2_CS",
    proof=[
        Mutant(
            "skip_diagnostics_status:UploadFailed",
            step="5-6. DiagnosticsStatusNotification UploadFailed",
            says="did not arrive",
        ),
    ],
    requires=_FIRMWARE,
)
async def test_TC_045_2_CS_get_diagnostics_upload_failed(
    csms: Session, dut: DutProfile, transfer: TransferLocations
) -> None:
    """An upload of the diagnostics that fails is reported UploadFailed."""
    location = transfer.get("diagnostics_failing_location")
    await booted(csms, dut)
    found = await diagnostics_uploading(
        csms, location, what="a location that fails, retries 0", case="TC_045_2_CS", retries=0
    )
    with step("5-6. DiagnosticsStatusNotification UploadFailed"):
        await expect_diagnostics_status(
            csms, "UploadFailed", after=found, rule="TC_045_2_CS step 5"
        )
