"""The reference charging station, OCPP 1.6 and 2.0.1.

:func:`start_station` runs the station a DUT profile describes: it connects to
the CSMS at ``csms_url``, boots, and offers its physical inputs (plug, EV
state, card, power, faults) as the :class:`~harness.rig.StationInputs` API.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile
from harness.sim.station.base import StationBase

__all__ = ["StationBase", "start_station", "station_class"]


def station_class(version: OcppVersion) -> type[StationBase]:
    """The simulator class for a version."""
    if version is OcppVersion.V16:
        from harness.sim.station.v16 import Station16

        return Station16
    from harness.sim.station.v201 import Station201

    return Station201


@contextlib.asynccontextmanager
async def start_station(dut: DutProfile, *, csms_url: str) -> AsyncIterator[StationBase]:
    """Run the station for the duration of the block, powered on and booting."""
    station = station_class(dut.version)(dut, csms_url=csms_url)
    await station.start()
    try:
        yield station
    finally:
        await station.stop()
