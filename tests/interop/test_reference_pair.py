"""The reference station and the reference CSMS talk to each other, without the harness between.

Two independent implementations on the project's engine completing a charging
session shows that neither simulator merely mirrors what the harness expects.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable

import pytest

from harness.profile import resolve_profile
from harness.profile.model import Embedded
from harness.sim.csms import CsmsSimulator, StationState, start_csms
from harness.sim.station import start_station

DEADLINE = 10.0


async def until(what: str, condition: Callable[[], bool]) -> None:
    """Wait (bounded) for a condition on the simulators' state, polling their memory."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {DEADLINE} s waiting until {what}")
        await asyncio.sleep(0.01)  # polling simulator memory, not waiting on a device


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_station_and_csms_complete_a_transaction(version: str) -> None:
    """Boot, then two local sessions (authorize, charge, stop) on one running station."""
    csms_profile = resolve_profile(f"builtin:csms-{version}")
    station_profile = resolve_profile(f"builtin:station-{version}")
    # The station presents a card the CSMS knows; everything else is each side's own profile.
    station_profile = dataclasses.replace(
        station_profile,
        identity="INTEROP-1",
        tokens=csms_profile.tokens,
        embedded=Embedded("station"),
    )
    token = csms_profile.tokens.valid
    assert token is not None
    async with start_csms(csms_profile) as csms:
        async with start_station(station_profile, csms_url=csms.url) as station:
            state = await _booted(csms, "INTEROP-1")
            # The CSMS counts the station registered when it answers; the station, once it
            # has read that answer: a card presented in between is ignored, as on a charger
            # still booting.
            await until("the station has read its acceptance", lambda: station.accepted)
            evse, connector = station_profile.connectors[0]
            # Two sessions in a row on the station left running, as on a bench.
            for _session in range(2):
                await station.plug_in(evse, connector)
                await station.present_card(token, evse)
                await station.set_ev_state(evse, connector, "C")
                await until(
                    "the CSMS sees an active transaction",
                    lambda: bool(state.active_transaction()),
                )
                active = state.active_transaction()
                assert active is not None
                assert active.token == token
                await station.set_ev_state(evse, connector, "B")
                await station.plug_out(evse, connector)
                await until("the transaction has ended", lambda: active.ended)  # noqa: B023
            findings = station.trace.findings()
            assert findings == [], [str(f) for _e, f in findings]
            assert station.errors == []
        assert state.connection is None or state.connection.trace.findings() == []


async def _booted(csms: CsmsSimulator, identity: str) -> StationState:
    holder: list[StationState] = []

    def accepted() -> bool:
        try:
            station = csms.station(identity)
        except Exception:
            return False
        holder[:] = [station]
        return station.registration == "Accepted"

    await until(f"{identity} is registered Accepted", accepted)
    return holder[0]
