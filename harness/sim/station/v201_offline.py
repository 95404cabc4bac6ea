"""The 2.0.1 reference station back from an offline period: what it reports (B04).

Reconnecting is the network's job (:mod:`harness.sim.station.v201_network`:
the ``RetryBackOff*`` back-off, the active slot first). Around it, this link
remembers each connector's state when the connection was lost and, once
the station is back, reports the state of every connector when it was
offline longer than ``OfflineThreshold`` (B04.FR.01), else only of the
connectors whose state changed meanwhile (B04.FR.02). A station registered
before does not boot again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["OfflineLink", "Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """The station when it lost its connection: when, and each connector's state."""

    lost: float
    connectors: list[Any]
    states: list[str]


class OfflineLink:
    """One station's B04 reporting around a lost connection."""

    def __init__(self, station: Station201) -> None:
        self.st = station

    def lost(self) -> Snapshot | None:
        """The station lost its connection: what it knew (None: not registered, nothing owed)."""
        st = self.st
        if not st.accepted:
            return None
        connectors = [c for e in st.evses.values() for c in e.connectors.values()]
        states = [st.reports.status_of(c) for c in connectors]
        return Snapshot(asyncio.get_running_loop().time(), connectors, states)

    async def back(self, before: Snapshot | None) -> None:
        """The station is connected again: report what B04 asks."""
        if before is None:
            return
        st = self.st
        offline = asyncio.get_running_loop().time() - before.lost
        threshold = st.dm.number("OCPPCommCtrlr", "OfflineThreshold")
        for connector, status in zip(before.connectors, before.states, strict=True):
            if offline > threshold or st.reports.status_of(connector) != status:
                await st.reports.connector(connector, force=True)
