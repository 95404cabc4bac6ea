"""OCPP 2.0.1 boot of the station under test answered other than Accepted (B02, B03)."""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.ocppj.clock import utc_now
from harness.ocppj.connection import IncomingCall
from harness.rig import Capability
from harness.steps import step

__all__ = ["power_cycled_boot_answered"]


async def power_cycled_boot_answered(
    flow: StationFlow, status: str, action_title: str
) -> IncomingCall:
    """Steps 1-2: after a power cycle the BootNotification is answered ``status``.

    The answer carries the configured heartbeat interval. The caller holds
    ``BootNotification`` (``csms.hold``) for the whole exchange, so later boots
    are its to answer too.
    """
    flow.rig.require(Capability.POWER)
    boot = await flow.rebooted_by(
        action_title,
        flow.rig.power_cycle,
        "1. The charging station sends a BootNotificationRequest",
    )
    with step(f"2. BootNotificationResponse {status} with the configured heartbeat interval"):
        interval = flow.dut.timing.heartbeat_interval
        await boot.reply({"status": status, "currentTime": utc_now(), "interval": interval})
    return boot
