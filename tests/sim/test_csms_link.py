"""The harness CSMS's end of a station's connection: two endpoints, refusals, timed attempts."""

from __future__ import annotations

from harness.network_link import CsmsLink, unreachable_url
from harness.profile import resolve_profile
from harness.roles import CsmsRole
from harness.sim.station import start_station


async def test_the_link_names_endpoints_refuses_and_withdraws_refusals() -> None:
    """The station's endpoint is the first one; refusals are per endpoint and 0 clears both."""
    dut = resolve_profile("builtin:station-2.0.1")
    role = CsmsRole(dut)
    await role.start()
    try:
        async with start_station(dut, csms_url=role.url):
            session = await role.session()
            link = CsmsLink(role, session)
            first, second = link.endpoints
            assert first != second
            assert (link.endpoint(), link.other_endpoint()) == (first, second)
            link.refuse(2)
            link.refuse_at(second, 1)
            link.refuse(0)
            mark = link.mark(first)
            async with session.reconnection(timeout=10):
                await link.drop()
            attempt = await link.attempt(mark, timeout=1, what="the reconnection", url=first)
            assert attempt.accepted, "no refusal was left after refuse(0)"
            assert link.accepted_since(mark, first) == attempt
    finally:
        await role.stop()


def test_an_unreachable_url_is_on_loopback() -> None:
    """A failing profile's URL names only 127.0.0.1."""
    assert unreachable_url().startswith("ws://127.0.0.1:")
