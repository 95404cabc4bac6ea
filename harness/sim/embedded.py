"""Start the embedded simulator a DUT profile names, as the device under test."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from harness.errors import ConfigurationError
from harness.profile import DutProfile
from harness.sim.timing import stretch_timers

__all__ = ["EmbeddedDut", "launch_embedded"]


@dataclass
class EmbeddedDut:
    """A running embedded simulator.

    Attributes:
        profile: the DUT profile it was started from.
        station: the station simulator (its physical inputs drive the ``sim``
            rig), when the DUT is a station.
        csms: the CSMS simulator (its trigger API serves ``trigger`` kind
            ``sim``), when the DUT is a CSMS.
        url: the CSMS simulator's endpoint (without station identity).
        faults: the fault knobs switched on (a mutant when not empty).
    """

    profile: DutProfile
    station: Any = None
    csms: Any = None
    url: str | None = None
    faults: tuple[str, ...] = field(default=())


@contextlib.asynccontextmanager
async def launch_embedded(
    dut: DutProfile, *, csms_url: str | None, time_factor: float = 1.0
) -> AsyncIterator[EmbeddedDut]:
    """Run the profile's embedded simulator for the duration of the block.

    Args:
        dut: the profile; its ``[embedded]`` table says which simulator.
        csms_url: where a station simulator connects (the harness's CSMS).
        time_factor: the judge's ``--time-factor``; the simulator's timeouts
            and mutant delays are stretched by it too (see :mod:`harness.sim.timing`).

    Raises:
        ConfigurationError: no ``[embedded]`` table, or a station without a CSMS URL.
    """
    dut = stretch_timers(dut, time_factor)
    embedded = dut.embedded
    if embedded is None:
        raise ConfigurationError("the profile has no [embedded] table", field="embedded")
    if embedded.simulator == "station":
        if csms_url is None:
            raise ConfigurationError("a station simulator needs a CSMS URL", field="embedded")
        from harness.sim.station import start_station

        async with start_station(dut, csms_url=csms_url) as station:
            yield EmbeddedDut(dut, station=station, faults=embedded.faults)
    else:
        from harness.sim.csms import start_csms

        async with start_csms(dut) as csms:
            yield EmbeddedDut(dut, csms=csms, url=csms.url, faults=embedded.faults)
