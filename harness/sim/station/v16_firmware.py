"""Firmware updates and diagnostics of the OCPP 1.6 reference station (Firmware Management).

With the PICS flag ``firmware_management`` in the profile's ``[dut].features``:

* UpdateFirmware is answered at once; at ``retrieveDate`` the station
  downloads the file at ``location`` (HTTP, HTTPS or FTP: see
  :mod:`~harness.sim.station.file_transfer`), trying ``retries`` more times
  ``retryInterval`` seconds apart, and reports each stage with
  FirmwareStatusNotification: ``Downloading``, then ``DownloadFailed`` or
  ``Downloaded``; ``Installing``; then for an image it can install (one that
  starts with :data:`FIRMWARE_MAGIC`) it reboots and reports ``Installed``
  after the new boot's StatusNotifications, and for any other file
  ``InstallationFailed`` (no reboot; with ``failed_install_reboot`` it reboots
  and reports it after the new boot's StatusNotifications). A location it cannot transfer from (an
  unknown scheme) fails at once: ``DownloadFailed`` without ``Downloading``.
* GetDiagnostics is answered with the file name; the station uploads the file
  to ``location`` + file name and reports DiagnosticsStatusNotification
  ``Uploading``, then ``Uploaded`` or ``UploadFailed``.
* A triggered FirmwareStatusNotification or DiagnosticsStatusNotification
  reports the transfer going on, ``Idle`` when there is none.

The allowed alternatives (``[embedded.options]``, :mod:`harness.sim.variants`):
``firmware_unavailable`` (connectors Unavailable during the update),
``installed_first`` (Installed before the reboot), ``failed_install_reboot``
and ``no_installing``. Without the flag the station lacks the feature: both
requests are answered with a CALLERROR ``NotSupported``.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from harness.ocppj.clock import utc_now
from harness.sim.station.base import Handled
from harness.sim.station.file_transfer import SCHEMES, TransferFailed, download, upload
from harness.sim.station.v16_configuration import ConfigKey
from harness.sim.station.v16_core import SendFailed
from harness.sim.station.v16_handlers import Station16Handlers

__all__ = ["FIRMWARE_MAGIC", "Station16Firmware", "firmware_image"]

#: How every firmware image the reference station can install begins.
FIRMWARE_MAGIC = b"OCPP-HARNESS-REFERENCE-FIRMWARE\n"
#: The longest wait for a retrieveDate in the future, in seconds.
_MAX_WAIT = 3600.0


def firmware_image(version: str = "sim-1.1") -> bytes:
    """A firmware image the reference station installs (e.g. for a test's file server)."""
    return FIRMWARE_MAGIC + version.encode("ascii")


def _seconds_until(when: object) -> float:
    try:
        moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        return 0.0
    return min(max((moment - datetime.now(UTC)).total_seconds(), 0.0), _MAX_WAIT)


class Station16Firmware(Station16Handlers):
    """The Firmware Management feature profile (when the profile declares it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firmware_status = "Idle"
        self.diagnostics_status = "Idle"
        self._after_boot: str | None = None  # the status to report once rebooted
        self._operative_before_update: dict[int, bool] | None = None
        if self.dut.supports("firmware_management"):
            self.config.add(
                [ConfigKey("SupportedFileTransferProtocols", "FTP,HTTP", readonly=True)]
            )
            self.config.add_profile("FirmwareManagement")
            self._handlers["UpdateFirmware"] = self.on_update_firmware
            self._handlers["GetDiagnostics"] = self.on_get_diagnostics

    def transfer_status(self, message: str) -> str:
        if message == "FirmwareStatusNotification":
            return self.firmware_status
        if message == "DiagnosticsStatusNotification":
            return self.diagnostics_status
        return super().transfer_status(message)

    # -- firmware -----------------------------------------------------------------------

    def on_update_firmware(self, payload: dict[str, Any]) -> Handled:
        location = str(payload["location"])
        retries = int(payload.get("retries", 0))
        interval = float(payload.get("retryInterval", 0))
        wait = _seconds_until(payload.get("retrieveDate"))
        return Handled({}, lambda: self._update(location, wait, retries, interval))

    async def _firmware(self, status: str) -> None:
        self.firmware_status = status
        with contextlib.suppress(*SendFailed):
            await self.notify("FirmwareStatusNotification", {"status": status})

    async def _fetch(self, location: str, retries: int, interval: float) -> bytes | None:
        if urlsplit(location).scheme.lower() not in SCHEMES:
            return None  # nothing to download from: it fails at once
        await self._firmware("Downloading")
        for attempt in range(retries + 1):
            if attempt:
                await asyncio.sleep(interval)
            with contextlib.suppress(TransferFailed):
                return await download(location, timeout=self.dut.timing.message_timeout)
        return None

    async def _update(self, location: str, wait: float, retries: int, interval: float) -> None:
        await asyncio.sleep(wait)
        if self.variants.firmware_unavailable:
            await self._hold_connectors()
        image = await self._fetch(location, retries, interval)
        if image is None:
            await self._firmware("DownloadFailed")
            await self._release_connectors(report=True)
            self.firmware_status = "Idle"
            return
        await self._firmware("Downloaded")
        installable = image.startswith(FIRMWARE_MAGIC)
        if installable or not self.variants.no_installing:
            await self._firmware("Installing")
        if not installable and self.variants.failed_install_reboot:
            self._after_boot = "InstallationFailed"
            await self._release_connectors(report=False)
            self.start_reboot()
            return
        if not installable:
            await self._firmware("InstallationFailed")
            self.firmware_status = "Idle"
            await self._release_connectors(report=True)
            return
        if self.variants.installed_first or self.faults.on("firmware_no_reboot"):
            await self._firmware("Installed")
            self.firmware_status = "Idle"
        else:
            self._after_boot = "Installed"
        if self.faults.on("firmware_no_reboot"):
            await self._release_connectors(report=True)
            return
        await self._release_connectors(report=False)  # the new boot reports every connector
        self.start_reboot()

    async def on_accepted(self) -> None:
        await super().on_accepted()
        if self._after_boot is not None:
            status, self._after_boot = self._after_boot, None
            await self._firmware(status)
            self.firmware_status = "Idle"

    async def _hold_connectors(self) -> None:
        """Every connector Unavailable while the update runs (allowed: OCPP 1.6 5.19)."""
        async with self._control:
            self._operative_before_update = {n: c.operative for n, c in self.connectors.items()}
            for connector in self.connectors.values():
                connector.operative = False
            await self.refresh()

    async def _release_connectors(self, *, report: bool) -> None:
        if self._operative_before_update is None:
            return
        async with self._control:
            for number, operative in self._operative_before_update.items():
                self.connectors[number].operative = operative
            self._operative_before_update = None
            if report:
                await self.refresh()

    # -- diagnostics ----------------------------------------------------------------------

    def on_get_diagnostics(self, payload: dict[str, Any]) -> Handled:
        location = str(payload["location"])
        retries = int(payload.get("retries", 0))
        interval = float(payload.get("retryInterval", 0))
        stamp = utc_now().replace(":", "").replace("-", "").split(".")[0]
        name = f"diagnostics-{self.dut.identity}-{stamp}.log"
        return Handled({"fileName": name}, lambda: self._upload(location, name, retries, interval))

    async def _diagnostics(self, status: str) -> None:
        self.diagnostics_status = status if status == "Uploading" else "Idle"
        with contextlib.suppress(*SendFailed):
            await self.notify("DiagnosticsStatusNotification", {"status": status})

    def _diagnostics_file(self) -> bytes:
        lines = [f"station {self.dut.identity} at {utc_now()}"]
        lines += [f"connector {n}: {s} {e}" for n, (s, e) in sorted(self.statuses().items())]
        return ("\n".join(lines) + "\n").encode("utf-8")

    async def _upload(self, location: str, name: str, retries: int, interval: float) -> None:
        target = location if location.endswith("/") else location + "/"
        await self._diagnostics("Uploading")
        for attempt in range(retries + 1):
            if attempt:
                await asyncio.sleep(interval)
            try:
                await upload(
                    target + name,
                    self._diagnostics_file(),
                    timeout=self.dut.timing.message_timeout,
                )
            except TransferFailed:
                continue
            await self._diagnostics("Uploaded")
            return
        await self._diagnostics("UploadFailed")
