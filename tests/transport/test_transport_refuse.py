"""The CSMS server refuses a counted number of connection attempts and records when each came."""

from __future__ import annotations

import pytest

from harness.errors import ConnectionRefusedByPeer
from harness.ocppj.versions import OcppVersion
from harness.transport import CsmsServer, connect_station

V201 = [OcppVersion.V201]


async def test_refused_attempts_are_counted_recorded_and_then_accepted() -> None:
    """refuse(1) turns the next handshake into a 503; the one after it is accepted again."""
    async with CsmsServer(versions=V201) as server:
        server.refuse(1)
        with pytest.raises(ConnectionRefusedByPeer):
            await connect_station(server.url, "CP1", V201, timeout=5)
        channel = await connect_station(server.url, "CP1", V201, timeout=5)
        first, second = await server.handshake(0, timeout=1), await server.handshake(1, timeout=1)
        assert (first.accepted, first.status, second.accepted) == (False, 503, True)
        assert "refuses" in first.reason
        assert first.mono <= second.mono
        await channel.close()


async def test_waiting_for_a_handshake_that_never_comes_times_out() -> None:
    """handshake(i) is bounded: no attempt, a TimeoutError."""
    async with CsmsServer(versions=V201) as server:
        with pytest.raises(TimeoutError):
            await server.handshake(0, timeout=0.1)
