"""Log uploads (N01, GetLog) and firmware updates (L01, UpdateFirmware) of the 2.0.1 station.

The station keeps the state of its one log upload and its one firmware
update, so a TriggerMessage for LogStatusNotification or
FirmwareStatusNotification (F06) reports where each stands: ``Idle`` when
none runs, else the status last sent with its ``requestId``. A transfer
lasts at least :data:`TRANSFER_SECONDS`, as one over a real network does,
so a CSMS can ask about it while it runs. The firmware is installed without
a reboot (OCPP lets a station install in place).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from harness.ocppj.connection import IncomingCall
from harness.sim.station.base import Handled
from harness.sim.station.file_transfer import TransferFailed, download, upload

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["TRANSFER_SECONDS", "Transfers201", "get_log", "update_firmware"]

#: The shortest time a log upload or firmware download takes.
TRANSFER_SECONDS = 1.0


class Transfers201:
    """The station's log upload and firmware update, and the statuses they report."""

    def __init__(self, st: Station201) -> None:
        self.st = st
        self.log: tuple[str, int] | None = None
        self.firmware: tuple[str, int] | None = None

    def log_status(self) -> dict[str, Any]:
        """F06: the LogStatusNotification a trigger asks for (Idle when no upload runs)."""
        if self.log is None:
            return {"status": "Idle"}
        return {"status": self.log[0], "requestId": self.log[1]}

    def firmware_status(self) -> dict[str, Any]:
        """F06: the FirmwareStatusNotification a trigger asks for (Idle when no update runs)."""
        if self.firmware is None:
            return {"status": "Idle"}
        return {"status": self.firmware[0], "requestId": self.firmware[1]}

    async def _log(self, status: str, request_id: int, *, done: bool = False) -> None:
        self.log = None if done else (status, request_id)
        await self.st.call("LogStatusNotification", {"status": status, "requestId": request_id})

    async def _firmware(self, status: str, request_id: int, *, done: bool = False) -> None:
        self.firmware = None if done else (status, request_id)
        payload = {"status": status, "requestId": request_id}
        await self.st.call("FirmwareStatusNotification", payload)

    async def upload_log(self, location: str, name: str, request_id: int) -> None:
        """N01: Uploading, the upload (at least TRANSFER_SECONDS), Uploaded or UploadFailure."""
        await self._log("Uploading", request_id)
        target = location if location.endswith("/") else location + "/"
        data = f"station {self.st.dut.identity} log at {self.st.timestamp()}\n".encode()
        started = asyncio.get_running_loop().time()
        try:
            await upload(target + name, data, timeout=self.st.dut.timing.message_timeout)
        except TransferFailed:
            await self._log("UploadFailure", request_id, done=True)
            return
        await self._at_least(started)
        await self._log("Uploaded", request_id, done=True)

    async def update_firmware(self, location: str, request_id: int) -> None:
        """L01: Downloading, the download (at least TRANSFER_SECONDS), then installed in place."""
        await self._firmware("Downloading", request_id)
        started = asyncio.get_running_loop().time()
        try:
            await download(location, timeout=self.st.dut.timing.message_timeout)
        except TransferFailed:
            await self._firmware("DownloadFailed", request_id, done=True)
            return
        await self._at_least(started)
        await self._firmware("Downloaded", request_id)
        await self._firmware("Installing", request_id)
        await self._firmware("Installed", request_id, done=True)

    @staticmethod
    async def _at_least(started: float) -> None:
        left = TRANSFER_SECONDS - (asyncio.get_running_loop().time() - started)
        if left > 0:
            await asyncio.sleep(left)


def get_log(st: Station201, call: IncomingCall) -> Handled:
    """N01: accept one log upload at a time (a new request replaces a running one)."""
    payload = call.payload
    name = f"{st.dut.identity}-{payload['requestId']}.log"
    status = "AcceptedCanceled" if st.transfers.log is not None else "Accepted"

    async def start() -> None:
        st.spawn(
            st.transfers.upload_log(payload["log"]["remoteLocation"], name, payload["requestId"])
        )

    return Handled({"status": status, "filename": name}, after=start)


def update_firmware(st: Station201, call: IncomingCall) -> Handled:
    """L01: accept one firmware update at a time (a new request replaces a running one)."""
    payload = call.payload
    status = "AcceptedCanceled" if st.transfers.firmware is not None else "Accepted"

    async def start() -> None:
        st.spawn(
            st.transfers.update_firmware(payload["firmware"]["location"], payload["requestId"])
        )

    return Handled({"status": status}, after=start)
