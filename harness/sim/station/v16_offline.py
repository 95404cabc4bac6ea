"""Offline behaviour of the OCPP 1.6 reference station: reconnection and the message queue.

* **Connection loss.** When the connection closes while the station is
  powered (the network, not a reboot), the station tries to connect again
  every :data:`RECONNECT_DELAY` seconds. A reconnection is not a reboot: no
  BootNotification when the station was registered before (else it boots).
* **Queue.** StartTransaction, StopTransaction and transaction-related
  MeterValues (those with a ``transactionId``) that cannot be delivered are
  kept, in order, and sent once the connection is back, before any newer
  transaction message (OCPP 1.6 sections 4.7 and 4.8). A transaction started
  offline gets a local id; the Central System's id replaces it in the
  transaction and in every queued message once the queued StartTransaction is
  answered. A queued message the Central System answers with a CALLERROR (or
  not at all) is tried again, ``TransactionMessageAttempts`` times in all,
  ``TransactionMessageRetryInterval`` times the attempt number apart.
* **Statuses.** A StatusNotification that cannot be delivered is not queued:
  once back online the station reports the current status of each connector
  whose status changed meanwhile, then sends the queue. With the variant
  ``offline_status_history`` every change made offline is sent first, oldest
  first, with the time it happened.
* **Offline authorization.** Offline, an idTag is accepted from the
  authorization cache (``LocalAuthorizeOffline``) as before, or, when the
  station does not know it at all, if ``AllowOfflineTxForUnknownId`` is true.
* **An idTag refused afterwards.** When the answer to a queued
  StartTransaction refuses the idTag, the transaction ends (``DeAuthorized``)
  if ``StopTransactionOnInvalidId`` is true; else the station stops delivering
  energy once ``MaxEnergyOnInvalidId`` Wh were delivered (``SuspendedEVSE``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import dataclass
from typing import Any

from harness.errors import HarnessError, TransportError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.clock import utc_now
from harness.ocppj.connection import OcppConnection
from harness.sim.station.base import CallRejected
from harness.sim.station.v16_connectors import Connector
from harness.sim.station.v16_core import SendFailed
from harness.sim.station.v16_power_failure import Station16PowerFailure

__all__ = ["RECONNECT_DELAY", "Station16Offline"]

#: Seconds between two attempts to reconnect after the connection was lost.
RECONNECT_DELAY = 0.1
#: Seconds between two checks of the energy delivered to a refused idTag.
_ENERGY_POLL = 1.0
#: Failures that mean the connection is gone (the message is kept for later).
_LOST = (TransportError, ChannelClosed)


@dataclass
class Queued:
    """A transaction message waiting for the connection.

    Attributes:
        action: StartTransaction, StopTransaction or MeterValues.
        payload: the request as built when it happened (its local transaction id, if any).
        local_id: for a StartTransaction, the local transaction id it stands for.
        attempts: how many times the Central System failed to confirm it.
    """

    action: str
    payload: dict[str, Any]
    local_id: int | None = None
    attempts: int = 0


def is_transaction_message(action: str, payload: dict[str, Any]) -> bool:
    """Whether OCPP 1.6 counts the request as transaction-related (queued while offline)."""
    if action in ("StartTransaction", "StopTransaction"):
        return True
    return action == "MeterValues" and "transactionId" in payload


class Station16Offline(Station16PowerFailure):
    """Reconnection, the transaction message queue and offline authorization."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue: list[Queued] = []
        self._local_ids = itertools.count(-1, -1)
        self._given_ids: dict[int, int] = {}
        self._draining: asyncio.Task[None] | None = None
        #: Status changes made offline, kept with the variant ``offline_status_history``.
        self._kept_statuses: list[dict[str, Any]] = []

    @property
    def offline(self) -> bool:
        """The station has no connection to the Central System now."""
        return self.connection is None or self.connection.is_closed

    # -- connection ---------------------------------------------------------------

    async def _connect(self) -> None:
        await super()._connect()
        if self.connection is not None:
            self.spawn(self._watch(self.connection), life=True)

    async def _watch(self, connection: OcppConnection) -> None:
        """When ``connection`` closes under a powered station, reconnect."""
        await asyncio.shield(connection.closed)
        if self.powered and connection is self.connection:
            self.spawn(self._reconnect(), life=True)

    async def _reconnect(self) -> None:
        while self.powered:
            await asyncio.sleep(RECONNECT_DELAY)
            try:
                await self._connect()
            except HarnessError:
                continue
            if self.accepted:
                await self.back_online()
            else:
                self.spawn(self.boot_sequence(), life=True)
            return

    async def back_online(self) -> None:
        """Report the statuses that changed meanwhile, then send the queue."""
        while self._kept_statuses and not self.offline:
            with contextlib.suppress(*SendFailed):
                await super().notify("StatusNotification", self._kept_statuses.pop(0))
        await self.refresh()
        self.kick()

    async def on_accepted(self) -> None:
        await super().on_accepted()
        self.kick()

    # -- sending --------------------------------------------------------------------

    async def notify(self, action: str, payload: dict[str, Any]) -> Any:
        if not is_transaction_message(action, payload):
            return await super().notify(action, payload)
        if self.offline or self.queue or self._draining is not None:
            return self._keep(action, payload)
        try:
            return await super().notify(action, payload)
        except _LOST:
            return self._keep(action, payload)

    def _keep(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue a transaction message; answer the caller as the station's own record."""
        item = Queued(action, payload)
        if action == "StartTransaction":
            item.local_id = next(self._local_ids)
        if not self.faults.on("offline_queue_lost"):
            self.queue.append(item)
        self.kick()
        if item.local_id is None:
            return {}
        # Authorized locally (or online just before the loss): the Central System's
        # answer comes with the replay.
        return {"transactionId": item.local_id, "idTagInfo": {"status": "Accepted"}}

    def remember(self, id_tag: str, info: dict[str, Any]) -> None:
        if not self.offline:  # offline answers are the station's own, not the Central System's
            super().remember(id_tag, info)

    async def send_status(self, connector: int, status: str, error_code: str) -> None:
        if self.offline and self.variants.offline_status_history:
            self._kept_statuses.append(
                {
                    "connectorId": connector,
                    "errorCode": error_code,
                    "status": status,
                    "timestamp": utc_now(),
                }
            )
            return
        if self.offline:
            self._reported.pop(connector, None)  # not delivered: reported once back
            return
        await super().send_status(connector, status, error_code)

    def kick(self) -> None:
        """Start sending the queue, if there is one and the station may send."""
        if self.queue and self._draining is None and not self.offline and self.accepted:
            self._draining = self.spawn(self._drain())

    async def _drain(self) -> None:
        try:
            while self.queue and not self.offline:
                index = -1 if self.faults.on("offline_replay_reversed") else 0
                item = self.queue[index]
                payload = dict(item.payload)
                if item.action == "MeterValues" and self.faults.on("offline_stamped_when_sent"):
                    payload["meterValue"] = [
                        {**value, "timestamp": utc_now()} for value in payload["meterValue"]
                    ]
                if "transactionId" in payload:
                    local = int(payload["transactionId"])
                    payload["transactionId"] = self._given_ids.get(local, local)
                try:
                    reply = await super().notify(item.action, payload)
                except _LOST:
                    return  # kept: the reconnection sends it
                except (CallRejected, TimeoutError):
                    item.attempts += 1
                    if item.attempts >= max(1, self.config.integer("TransactionMessageAttempts")):
                        self.queue.remove(item)
                    else:
                        interval = self.config.integer("TransactionMessageRetryInterval")
                        await asyncio.sleep(interval * item.attempts)
                    continue
                self.queue.remove(item)
                await self._confirmed(item, reply)
        finally:
            self._draining = None
        self.kick()  # messages queued while the last one was confirmed

    async def _confirmed(self, item: Queued, reply: dict[str, Any]) -> None:
        """Apply the Central System's answer to a queued message."""
        id_tag = item.payload.get("idTag")
        info = reply.get("idTagInfo")
        if id_tag is not None and isinstance(info, dict):
            self.remember(str(id_tag), dict(info))
        if item.local_id is None or "transactionId" not in reply:
            return
        given = int(reply["transactionId"])
        self._given_ids[item.local_id] = given
        for connector in self.connectors.values():
            running = connector.transaction
            if running is not None and running.transaction_id == item.local_id:
                running.transaction_id = given
                if isinstance(info, dict) and info.get("status") != "Accepted":
                    async with self._control:
                        await self.refused(connector)

    # -- authorization ----------------------------------------------------------------

    async def authorize(self, id_tag: str) -> dict[str, Any] | None:
        info = await super().authorize(id_tag)
        if info is not None or not self.offline:
            return info
        cached = id_tag in self.cache and self.config.boolean("AuthorizationCacheEnabled")
        known = cached or self.local_list_entry(id_tag) is not None
        if not known and self.config.boolean("AllowOfflineTxForUnknownId"):
            return {"status": "Accepted"}
        return None

    async def refused(self, connector: Connector) -> None:
        """The Central System refused the idTag of the connector's running transaction."""
        running = connector.transaction
        if running is None or self.faults.on("keep_charging_on_invalid_id"):
            return
        if self.config.boolean("StopTransactionOnInvalidId"):
            await self.end_transaction(connector, "DeAuthorized")
            return
        limit = self.config.integer("MaxEnergyOnInvalidId")
        if connector.meter.read_wh() - running.meter_start >= limit:
            await self._withhold(connector)
        else:
            self.spawn(self._withhold_after(connector, running.meter_start + limit))

    async def _withhold(self, connector: Connector) -> None:
        running = connector.transaction
        if running is not None:
            running.energy_withheld = True
            connector.update_energy()
            await self.refresh()

    async def _withhold_after(self, connector: Connector, register_wh: int) -> None:
        running = connector.transaction
        while connector.transaction is running:
            left_wh = register_wh - connector.meter.read_wh()
            if left_wh <= 0:
                async with self._control:
                    await self._withhold(connector)
                return
            power = connector.meter.power()  # 0 while the EV draws nothing: look again later
            await asyncio.sleep(left_wh * 3600.0 / power if power else _ENERGY_POLL)

    async def power_off(self) -> None:
        await super().power_off()
        self._draining = None  # cancelled with the other tasks, perhaps before it ran
