"""Helpers for the OCPP 1.6 station simulator tests (this module holds no tests).

:func:`running` starts the reference charge point (or a mutant) against the
harness playing the Central System over a real websocket, with short timers,
and hands the test both ends.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from harness.expect import Pattern
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile, resolve_profile
from harness.profile.model import FrozenMapping
from harness.responders import utc_now
from harness.roles import CsmsRole
from harness.session import Session
from harness.sim.station.v16 import Station16

#: Bound for waits that succeed when the simulator works.
WAIT = 3.0
#: A window in which nothing may happen.
QUIET = 0.3


def profile(
    faults: Sequence[str] = (),
    config: Mapping[str, str] | None = None,
    **timing: Any,
) -> DutProfile:
    """The builtin 1.6 station profile with short timers, knobs and initial keys."""
    dut = resolve_profile("builtin:station-1.6")
    times = {
        "message_timeout": 1.0,
        "boot_timeout": 3.0,
        "connect_timeout": 3.0,
        "heartbeat_interval": 1,
        **timing,
    }
    assert dut.embedded is not None
    options = FrozenMapping({"configuration": dict(config or {})})
    return dataclasses.replace(
        dut,
        timing=dataclasses.replace(dut.timing, **times),
        embedded=dataclasses.replace(dut.embedded, faults=tuple(faults), options=options),
    )


def boot_reply(status: str, interval: int) -> dict[str, Any]:
    """A BootNotification answer."""
    return {"status": status, "currentTime": utc_now(), "interval": interval}


@contextlib.asynccontextmanager
async def running(
    faults: Sequence[str] = (),
    config: Mapping[str, str] | None = None,
    *,
    boot: dict[str, Any] | None = None,
    settle: bool = True,
    **timing: Any,
) -> AsyncIterator[tuple[Station16, Session]]:
    """Run the station against a harness Central System for the block.

    Args:
        faults: knobs that make the station a mutant.
        config: initial configuration key values.
        boot: how to answer BootNotification (default: Accepted).
        settle: wait until the boot is done and every connector reported.
        timing: overrides of the short test timings.
    """
    dut = profile(faults, config, **timing)
    role = CsmsRole(dut)
    await role.start()
    station = Station16(dut, csms_url=role.url)
    try:
        await station.start()
        csms = await role.session()
        if boot is not None:
            csms.respond("BootNotification", boot)
        if settle:
            first = await csms.expect("BootNotification", timeout=WAIT)
            numbers = [0, *station.connectors]
            await csms.expect_all(
                *(Pattern("StatusNotification", {"connectorId": n}) for n in numbers),
                after=first,
                timeout=WAIT,
            )
        yield station, csms
    finally:
        await station.stop()
        await role.stop()
    assert station.errors == []


async def status(csms: Session, connector: int, value: str, **match: Any) -> IncomingCall:
    """The next StatusNotification of ``connector`` with status ``value``."""
    return await csms.expect(
        "StatusNotification",
        match={"connectorId": connector, "status": value, **match},
        timeout=WAIT,
    )


async def start_charging(station: Station16, csms: Session, token: str) -> IncomingCall:
    """Plug in connector 1, make the EV ready, present ``token``: the StartTransaction."""
    await station.plug_in(1, 1)
    await station.set_ev_state(1, 1, "C")
    await station.present_card(token, 1)
    start = await csms.expect("StartTransaction", timeout=WAIT)
    await status(csms, 1, "Charging")
    return start
