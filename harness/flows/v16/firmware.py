"""OCPP 1.6 Firmware Management, the harness as Central System: firmware updates and diagnostics.

:func:`update_firmware` and :func:`get_diagnostics` send the requests;
:func:`firmware_downloaded` and :func:`diagnostics_uploading` are the first
steps the firmware and diagnostics cases share;
:func:`expect_firmware_status` and :func:`expect_diagnostics_status` judge
the station's next notification on arrival (its first one after ``after`` is
the step's); :func:`available_again` checks the connectors' statuses after an
update that did not install.
"""

from __future__ import annotations

from typing import Any

from harness.expect import Pattern
from harness.flows.common import expect_judged
from harness.flows.v16.cs import expect_statuses
from harness.ocppj.clock import utc_now
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "available_again",
    "diagnostics_uploading",
    "expect_diagnostics_status",
    "expect_firmware_status",
    "firmware_downloaded",
    "get_diagnostics",
    "update_firmware",
]


async def update_firmware(csms: Session, location: str, *, retries: int | None = None) -> Reply:
    """UpdateFirmware for ``location``, to be retrieved now (``retries`` when given)."""
    payload: dict[str, Any] = {"location": location, "retrieveDate": utc_now()}
    if retries is not None:
        payload["retries"] = retries
    return await csms.call("UpdateFirmware", payload)


async def get_diagnostics(csms: Session, location: str, *, retries: int | None = None) -> Reply:
    """GetDiagnostics to ``location`` (``retries`` when given)."""
    payload: dict[str, Any] = {"location": location}
    if retries is not None:
        payload["retries"] = retries
    return await csms.call("GetDiagnostics", payload)


async def expect_firmware_status(
    csms: Session,
    status: object,
    *,
    after: IncomingCall | int,
    rule: str,
    timeout: Timeout = DEFAULT,
) -> IncomingCall:
    """The next FirmwareStatusNotification, judged on arrival: it reports ``status``."""
    __tracebackhide__ = True
    return await expect_judged(
        csms,
        Pattern("FirmwareStatusNotification"),
        f"status {status} ({rule})",
        {"status": status},
        after=after,
        timeout=timeout,
    )


async def expect_diagnostics_status(
    csms: Session, status: str, *, after: IncomingCall | int, rule: str
) -> IncomingCall:
    """The next DiagnosticsStatusNotification, judged on arrival: it reports ``status``."""
    __tracebackhide__ = True
    return await expect_judged(
        csms,
        Pattern("DiagnosticsStatusNotification"),
        f"status {status} ({rule})",
        {"status": status},
        after=after,
    )


async def available_again(csms: Session, dut: DutProfile, *, since: int) -> None:
    """After an update that did not install, the connectors report Available.

    After a reboot since ``since`` (the station reports every connector after a
    boot), each connector's first status after the boot must be Available;
    without one, each connector that reported another status since ``since``
    (e.g. Unavailable while the update ran) must report Available next.

    Raises:
        UnexpectedMessage: a connector reports another status.
        ExpectationFailed: a connector does not report in time.
    """
    __tracebackhide__ = True
    later = [c for c in csms.inbound if c.entry.seq >= since]
    boots = [c for c in later if c.action == "BootNotification"]
    numbers = [number for _evse, number in dut.connectors]
    if boots:
        await expect_statuses(
            csms,
            dict.fromkeys(numbers, "Available"),
            after=boots[-1],
            timeout=dut.timing.boot_timeout,
        )
        return
    last: dict[int, IncomingCall] = {}
    for call in later:
        number = call.payload.get("connectorId")
        if call.action == "StatusNotification" and number in numbers:
            last[int(number)] = call
    for number, call in last.items():
        if call.payload.get("status") != "Available":
            await expect_statuses(csms, {number: "Available"}, after=call)


async def firmware_downloaded(
    csms: Session, location: str, *, what: str, case: str, retries: int | None = None
) -> IncomingCall:
    """Steps 1-6: UpdateFirmware for ``location`` (``what`` it is), Downloading, Downloaded.

    Returns:
        the FirmwareStatusNotification Downloaded.
    """
    __tracebackhide__ = True
    mark = csms.mark()
    with step(f"1-2. UpdateFirmware with {what}"):
        await update_firmware(csms, location, retries=retries)
    with step("3-4. FirmwareStatusNotification Downloading"):
        found = await expect_firmware_status(csms, "Downloading", after=mark, rule=f"{case} step 3")
    with step("5-6. FirmwareStatusNotification Downloaded"):
        return await expect_firmware_status(csms, "Downloaded", after=found, rule=f"{case} step 5")


async def diagnostics_uploading(
    csms: Session, location: str, *, what: str, case: str, retries: int | None = None
) -> IncomingCall:
    """Steps 1-4: GetDiagnostics to ``location`` (``what`` it is), then Uploading.

    Returns:
        the DiagnosticsStatusNotification Uploading.
    """
    __tracebackhide__ = True
    mark = csms.mark()
    with step(f"1-2. GetDiagnostics to {what}"):
        await get_diagnostics(csms, location, retries=retries)
    with step("3-4. DiagnosticsStatusNotification Uploading"):
        return await expect_diagnostics_status(csms, "Uploading", after=mark, rule=f"{case} step 3")
