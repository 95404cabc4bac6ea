"""The reference CSMS's fault knobs for the 1.6 Core ``_CSMS`` cases."""

from __future__ import annotations

import dataclasses

from harness.profile import Embedded, resolve_profile
from harness.profile.model import FrozenMapping
from harness.roles import StationLink, new_trace, open_station
from harness.sim.csms import start_csms

BOOT = {"chargePointVendor": "V", "chargePointModel": "M"}


async def test_reject_reboot_accepts_the_first_boot_and_rejects_the_next() -> None:
    """With reject_reboot a station's first boot is Accepted and its boot after a reconnect Rejected."""  # noqa: E501
    dut = resolve_profile("builtin:csms-1.6")
    dut = dataclasses.replace(dut, embedded=Embedded("csms", ("reject_reboot",), FrozenMapping({})))
    async with start_csms(dut) as csms:
        station = await open_station(dut, csms.url, new_trace("reboot"), time_factor=1.0)
        try:
            first = await station.call("BootNotification", BOOT)
            assert first.payload["status"] == "Accepted"
            await StationLink(station, dut, csms.url, time_factor=1.0).restore()
            again = await station.call("BootNotification", BOOT)
            assert again.payload["status"] == "Rejected"
        finally:
            await station.close()
