"""The 2.0.1 reference station losing its CSMS and coming back (B04, reconnection back-off).

When the CSMS closes the connection of a powered station, the station
reconnects as OCPPCommCtrlr's ``RetryBackOff*`` variables say: the first
attempt after ``RetryBackOffWaitMinimum`` seconds (plus up to
``RetryBackOffRandomRange``), each later wait doubled for
``RetryBackOffRepeatTimes`` attempts, then kept. A station registered before
does not boot again. Once back (B04), it reports the state of every
connector when it was offline longer than ``OfflineThreshold``
(B04.FR.01), else only of the connectors whose state changed meanwhile
(B04.FR.02).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import TYPE_CHECKING

from harness.errors import HarnessError
from harness.ocppj.connection import OcppConnection

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["OfflineLink"]

logger = logging.getLogger(__name__)


class OfflineLink:
    """Watches one station's connection; reconnects it and reports what B04 asks."""

    def __init__(self, station: Station201) -> None:
        self.st = station

    def watch(self, connection: OcppConnection) -> None:
        """Start watching a new connection (the station's life task)."""
        self.st.spawn(self._watch(connection), life=True)

    async def _watch(self, connection: OcppConnection) -> None:
        with contextlib.suppress(Exception):
            await asyncio.shield(connection.closed)
        st = self.st
        if not st.powered or st.connection is not connection or not st.accepted:
            return  # powered off, replaced, or never registered: a boot follows anyway
        lost = asyncio.get_running_loop().time()
        connectors = [c for e in st.evses.values() for c in e.connectors.values()]
        before = [st.reports.status_of(c) for c in connectors]
        await self._reconnect()
        offline = asyncio.get_running_loop().time() - lost
        threshold = st.dm.number("OCPPCommCtrlr", "OfflineThreshold")
        for connector, status in zip(connectors, before, strict=True):
            if offline > threshold or st.reports.status_of(connector) != status:
                await st.reports.connector(connector, force=True)

    async def _reconnect(self) -> None:
        st = self.st
        wait = st.dm.number("OCPPCommCtrlr", "RetryBackOffWaitMinimum")
        spread = st.dm.number("OCPPCommCtrlr", "RetryBackOffRandomRange")
        doublings = int(st.dm.number("OCPPCommCtrlr", "RetryBackOffRepeatTimes"))
        while st.powered:
            # The random part spreads stations' reconnections; not a security use.
            await asyncio.sleep(wait + random.uniform(0, spread))
            try:
                await st.connect()
            except HarnessError as error:
                logger.info("station %s: reconnection failed: %s", st.dut.identity, error)
                if doublings > 0:
                    wait, doublings = wait * 2, doublings - 1
                continue
            return
