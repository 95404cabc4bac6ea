"""The harness takes a device offline: the connection is cut, reconnections refused for a block."""

from __future__ import annotations

import asyncio

import pytest

from harness.errors import DutDisconnected, UsageError
from harness.ocppj.channel import memory_pair
from harness.ocppj.versions import OcppVersion, Role
from harness.session import Session


def _pair() -> tuple[Session, Session]:
    a, b = memory_pair("csms", "station")
    csms = Session.open(a, OcppVersion.V16, Role.CSMS, message_timeout=1.0)
    station = Session.open(b, OcppVersion.V16, Role.STATION, message_timeout=1.0)
    return csms, station


async def test_offline_cuts_refuses_and_waits_for_the_device_to_come_back() -> None:
    """Inside the block the connection is closed and the gate refuses; then the new connection."""
    csms, station = _pair()
    gate: list[str | None] = []
    csms.gate = gate.append
    async with csms.offline(timeout=2):
        assert gate[-1]  # refusing, with a reason
        assert csms.is_closed
        await asyncio.wait_for(station.connection.closed, 1)
        a, _b = memory_pair("csms-2", "station-2")
        asyncio.get_running_loop().call_later(0.05, csms.adopt, a)
    assert gate[-1] is None  # connections admitted again
    assert csms.generation == 2
    await csms.close()


async def test_offline_fails_when_the_device_does_not_come_back() -> None:
    """A device that does not reconnect after the block is DutDisconnected, at the bound."""
    csms, _station = _pair()
    gate: list[str | None] = []
    csms.gate = gate.append
    with pytest.raises(DutDisconnected):
        async with csms.offline(timeout=0.2):
            pass
    assert gate[-1] is None


async def test_offline_admits_again_when_the_block_fails() -> None:
    """A failure inside the block still lifts the refusal."""
    csms, _station = _pair()
    gate: list[str | None] = []
    csms.gate = gate.append
    with pytest.raises(RuntimeError):
        async with csms.offline(timeout=0.2):
            raise RuntimeError("the case failed")
    assert gate[-1] is None


async def test_offline_needs_a_gate() -> None:
    """A session that cannot refuse connections (the station role) says so."""
    csms, station = _pair()
    with pytest.raises(UsageError):
        async with station.offline():
            pass
    await csms.close()
    await station.close()
