"""A device may drop and come back where the specification allows it, without a false verdict."""

from __future__ import annotations

import asyncio

import pytest

from harness.errors import DutDisconnected
from harness.ocppj.channel import memory_pair
from harness.ocppj.versions import OcppVersion, Role
from harness.session import Session

BOOT = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}


def _pair() -> tuple[Session, Session]:
    a, b = memory_pair("csms", "station")
    csms = Session.open(a, OcppVersion.V201, Role.CSMS, message_timeout=1.0)
    station = Session.open(b, OcppVersion.V201, Role.STATION, message_timeout=1.0)
    return csms, station


async def test_expect_fails_promptly_on_a_disconnect_outside_the_allowance() -> None:
    """Without the allowance, a closed connection ends the wait at once as DutDisconnected."""
    csms, station = _pair()
    await station.close()
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(DutDisconnected):
        await csms.expect("BootNotification", timeout=5)
    assert loop.time() - started < 1.0


async def test_expect_waits_for_a_new_connection_inside_the_allowance() -> None:
    """Inside disconnect_allowed, a frame on the next connection still satisfies the wait."""
    csms, station = _pair()
    await station.close()
    a, b = memory_pair("csms-2", "station-2")
    again = Session.open(b, OcppVersion.V201, Role.STATION, message_timeout=1.0)

    async def come_back() -> None:
        csms.adopt(a)
        await again.call("BootNotification", BOOT, status="Accepted")

    with csms.disconnect_allowed():
        task = asyncio.get_running_loop().create_task(come_back())
        boot = await csms.expect("BootNotification", timeout=2)
    await task
    assert boot.payload == BOOT
    assert csms.generation == 2
    await again.close()
    await csms.close()


async def test_the_allowance_still_honours_the_deadline() -> None:
    """A device that never comes back inside the allowance fails at the deadline, not never."""
    csms, station = _pair()
    await station.close()
    with csms.disconnect_allowed(), pytest.raises(AssertionError):
        await csms.expect("BootNotification", timeout=0.2)
