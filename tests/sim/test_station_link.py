"""The harness station's link to a CSMS under test: cut and restored on one session."""

from __future__ import annotations

from harness.profile import resolve_profile
from harness.roles import StationLink, new_trace, open_station
from harness.sim.csms import start_csms


async def test_a_cut_link_is_restored_on_the_same_session() -> None:
    """Cutting closes the connection the CSMS sees; restoring carries the session on a new one."""
    dut = resolve_profile("builtin:csms-1.6")
    async with start_csms(dut) as csms:
        station = await open_station(dut, csms.url, new_trace("link"), time_factor=1.0)
        link = StationLink(station, dut, csms.url, time_factor=1.0)
        try:
            await station.call("Heartbeat", {})
            await link.cut()
            assert not link.online
            await link.cut()  # idempotent
            await link.restore()
            assert link.online
            assert station.generation == 2
            reply = await station.call("Heartbeat", {})
            assert "currentTime" in reply.payload
            assert [s.identity for s in csms.state.connected()] == [dut.identity]
        finally:
            await station.close()
