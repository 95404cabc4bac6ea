"""Authorization and transactions of the OCPP 1.6 reference station.

* Authorization: an idTag is authorized by the Central System (Authorize),
  or locally from the Local Authorization List (when the station has one,
  see :mod:`~harness.sim.station.v16_local_list`) or else the authorization
  cache when ``LocalPreAuthorize`` is on
  and the cached entry is Accepted and unexpired, or when the Central System
  cannot be reached and ``LocalAuthorizeOffline`` is on. Every
  idTagInfo the Central System returns updates the cache while
  ``AuthorizationCacheEnabled`` is on.
* A transaction starts when a connector has both a cable and an authorized
  idTag (in either order); an authorization without a cable lapses after
  ``ConnectionTimeOut`` seconds.
* StartTransaction carries meterStart and the idTag; the transactionId comes
  from the Central System. A refused idTag ends the transaction at once
  (reason ``DeAuthorized``) when ``StopTransactionOnInvalidId`` is on.
* StopTransaction carries meterStop, the reason and, when
  ``StopTxnSampledData`` lists measurands, transactionData.
* MeterValues go out every ``MeterValueSampleInterval`` seconds during a
  transaction, and every ``ClockAlignedDataInterval`` seconds on the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Any

from harness.ocppj.clock import utc_now
from harness.sim.station.v16_connectors import Connector, Transaction
from harness.sim.station.v16_core import SendFailed, Station16Core

__all__ = ["Station16Transactions"]

_UNITS = {
    "Energy.Active.Import.Register": "Wh",
    "Power.Active.Import": "W",
    "Current.Import": "A",
    "Voltage": "V",
}
_VOLTAGE = 230.0


def _unexpired(info: dict[str, Any]) -> bool:
    expiry = info.get("expiryDate")
    if not expiry:
        return True
    try:
        when = datetime.fromisoformat(str(expiry).replace("Z", "+00:00"))
    except ValueError:
        return False
    return when.tzinfo is not None and when > datetime.now(UTC)


class Station16Transactions(Station16Core):
    """Authorization cache, transactions and meter values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._samplers: dict[int, asyncio.Task[None]] = {}
        self._timeouts: dict[int, asyncio.Task[None]] = {}
        # The parentIdTag the Central System last gave for an idTag (Authorize.conf), for a
        # StartTransaction.conf that does not repeat it: the transaction's group.
        self.parents: dict[str, str] = {}

    def on_power_off(self) -> None:
        super().on_power_off()
        self._samplers.clear()
        self._timeouts.clear()

    async def on_accepted(self) -> None:
        await super().on_accepted()
        self.spawn(self._clock_aligned_loop(), life=True)

    # -- authorization ----------------------------------------------------------

    async def authorize(self, id_tag: str) -> dict[str, Any] | None:
        """The idTagInfo for ``id_tag`` (locally or from the Central System), or None."""
        cache_on = self.config.boolean("AuthorizationCacheEnabled")
        cached = self.cache.get(id_tag) if cache_on else None
        listed = self.local_list_entry(id_tag)
        if listed is not None:  # the Local Authorization List takes precedence over the cache
            cached = listed
        usable = cached is not None and cached.get("status") == "Accepted" and _unexpired(cached)
        if usable and cached is not None and self.config.boolean("LocalPreAuthorize"):
            return None if self.faults.on("cached_id_refused") else cached
        try:
            reply = await self.notify("Authorize", {"idTag": id_tag})
        except SendFailed:
            if usable and self.config.boolean("LocalAuthorizeOffline"):
                return cached
            return None
        info: dict[str, Any] = dict(reply.get("idTagInfo", {}))
        self.remember(id_tag, info)
        if info.get("parentIdTag"):
            self.parents[id_tag] = str(info["parentIdTag"])
        return info

    def local_list_entry(self, id_tag: str) -> dict[str, Any] | None:
        """The idTagInfo of ``id_tag`` in the Local Authorization List (None: not listed)."""
        return None

    def remember(self, id_tag: str, info: dict[str, Any]) -> None:
        """Keep an idTagInfo from the Central System in the authorization cache."""
        if self.config.boolean("AuthorizationCacheEnabled") and info.get("status"):
            self.cache[id_tag] = dict(info)

    def same_owner(self, transaction: Transaction, id_tag: str, info: dict[str, Any]) -> bool:
        """Whether ``id_tag`` may stop ``transaction`` (same tag or same parent tag)."""
        if id_tag == transaction.id_tag:
            return True
        if self.faults.on("ignore_parent_id_tag"):
            return False
        parent = info.get("parentIdTag")
        return parent is not None and parent == transaction.parent_id_tag

    def granted(self, connector: Connector | None, id_tag: str) -> dict[str, Any] | None:
        """An idTagInfo the station gives a card itself, without Authorize (None: it asks)."""
        return None

    def reserved_for(self, connector: Connector, id_tag: str, info: dict[str, Any] | None) -> bool:
        """Whether ``id_tag`` may use ``connector``'s reservation (none: the Reservation mixin)."""
        return False

    async def start_fields(self, connector: Connector, id_tag: str) -> dict[str, Any]:
        """Optional StartTransaction fields (the Reservation mixin adds reservationId)."""
        return {}

    # -- connection timeout -------------------------------------------------------

    def await_cable(self, connector: Connector) -> None:
        """An idTag waits for the cable; it lapses after ConnectionTimeOut seconds."""
        previous = self._timeouts.pop(connector.id, None)
        if previous is not None:
            previous.cancel()
        if self.faults.on("ignore_connection_timeout"):
            return
        self._timeouts[connector.id] = self.spawn(self._connection_timeout(connector))

    async def withdraw(self, connector: Connector) -> None:
        """The idTag waiting for the cable is withdrawn: the connector is Available again."""
        timer = self._timeouts.pop(connector.id, None)
        if timer is not None:
            timer.cancel()
        connector.authorized_tag = None
        await self.refresh()

    async def _connection_timeout(self, connector: Connector) -> None:
        early = self.faults.on("connection_timeout_early")
        lapse = self.variants.timer(self.config.integer("ConnectionTimeOut"))
        await asyncio.sleep(0 if early else lapse)
        async with self._control:
            if connector.transaction is None and not connector.plugged:
                connector.authorized_tag = None
                await self.refresh()

    # -- transactions ---------------------------------------------------------------

    async def begin_transaction(self, connector: Connector, id_tag: str) -> None:
        """StartTransaction for ``id_tag`` on ``connector`` (cable in, idTag authorized)."""
        timer = self._timeouts.pop(connector.id, None)
        if timer is not None:
            timer.cancel()
        extra = await self.start_fields(connector, id_tag)
        meter_start = connector.meter.read_wh()
        started = utc_now()
        payload = {
            "connectorId": connector.id,
            "idTag": id_tag,
            "meterStart": meter_start,
            "timestamp": started,
            **extra,
        }
        connector.locked = True
        try:
            reply = await self.notify("StartTransaction", payload)
        except SendFailed:
            connector.authorized_tag = None
            await self.refresh()
            return
        info: dict[str, Any] = dict(reply.get("idTagInfo", {}))
        self.remember(id_tag, info)
        connector.authorized_tag = None
        connector.finishing = False
        parent = info.get("parentIdTag") or self.parents.get(id_tag)
        connector.transaction = Transaction(
            int(reply["transactionId"]), id_tag, meter_start, started, parent
        )
        await self.refresh()
        self._samplers[connector.id] = self.spawn(self._sample_loop(connector))
        if info.get("status") != "Accepted" and self.config.boolean("StopTransactionOnInvalidId"):
            await self.end_transaction(connector, "DeAuthorized")

    async def end_transaction(
        self, connector: Connector, reason: str, id_tag: str | None = None, *, unlock: bool = False
    ) -> None:
        """StopTransaction for the connector's transaction, then report the new status.

        Args:
            unlock: release the cable lock whatever UnlockConnectorOnEVSideDisconnect says.
        """
        transaction = connector.transaction
        if transaction is None:
            return
        sampler = self._samplers.pop(connector.id, None)
        if sampler is not None:
            sampler.cancel()
        connector.transaction = None
        connector.update_energy()
        # The catalogue lets StopTransaction and the status after it come in either order.
        status_first = self.variants.status_before_stop
        if not status_first:
            await self.send_stop(connector, transaction, reason, id_tag)
        connector.finishing = connector.plugged
        connector.locked = (
            connector.plugged
            and not unlock
            and not self.config.boolean("UnlockConnectorOnEVSideDisconnect")
        )
        if connector.scheduled_operative is not None:
            connector.operative = connector.scheduled_operative
            connector.scheduled_operative = None
        await self.refresh()
        if status_first:
            await self.send_stop(connector, transaction, reason, id_tag)

    async def send_stop(
        self, connector: Connector, transaction: Transaction, reason: str, id_tag: str | None
    ) -> None:
        """The StopTransaction request itself."""
        meter_stop = connector.meter.read_wh()
        now = utc_now()
        payload: dict[str, Any] = {
            "transactionId": transaction.transaction_id,
            "meterStop": meter_stop,
            "timestamp": now,
            "reason": reason,
        }
        if id_tag is not None:
            payload["idTag"] = id_tag
        measurands = self.config.csl("StopTxnSampledData")
        if measurands:
            begin = [
                self._sample("Energy.Active.Import.Register", connector, "Transaction.Begin")
                | {"value": str(transaction.meter_start)}
            ]
            end = [self._sample(m, connector, "Transaction.End") for m in measurands]
            payload["transactionData"] = [
                {"timestamp": transaction.started, "sampledValue": begin},
                {"timestamp": now, "sampledValue": end},
            ]
        with contextlib.suppress(*SendFailed):
            reply = await self.notify("StopTransaction", payload)
            if id_tag is not None and "idTagInfo" in reply:
                self.remember(id_tag, dict(reply["idTagInfo"]))

    async def settle_interrupted(self) -> None:
        while self.interrupted:
            connector, transaction, reason = self.interrupted.pop(0)
            await self.send_stop(connector, transaction, reason, None)
            connector.finishing = connector.plugged
        await self.refresh()

    # -- meter values ------------------------------------------------------------------

    def _sample(self, measurand: str, connector: Connector, context: str) -> dict[str, Any]:
        power = connector.meter.power()
        value = {
            "Energy.Active.Import.Register": float(connector.meter.read_wh()),
            "Power.Active.Import": power,
            "Current.Import": power / _VOLTAGE / 3 if power else 0.0,
            "Voltage": _VOLTAGE,
        }[measurand]
        return {
            "value": f"{value:.0f}" if measurand.startswith("Energy") else f"{value:.1f}",
            "context": context,
            "measurand": measurand,
            "unit": _UNITS[measurand],
        }

    def meter_values(
        self,
        connector: Connector,
        measurands: list[str],
        context: str,
        timestamp: str | None = None,
    ) -> dict[str, Any]:
        """A MeterValues request for ``connector`` (with its transaction, if any).

        Args:
            timestamp: when the values were taken (now when None).
        """
        names = measurands or ["Energy.Active.Import.Register"]
        payload: dict[str, Any] = {
            "connectorId": connector.id,
            "meterValue": [
                {
                    "timestamp": timestamp or utc_now(),
                    "sampledValue": [self._sample(m, connector, context) for m in names],
                }
            ],
        }
        if connector.transaction is not None:
            payload["transactionId"] = connector.transaction.transaction_id
        return payload

    async def send_meter_values(
        self, connector: Connector, context: str, key: str, timestamp: str | None = None
    ) -> None:
        """Send one MeterValues with the measurands configured in ``key``."""
        payload = self.meter_values(connector, self.config.csl(key), context, timestamp)
        with contextlib.suppress(*SendFailed):
            await self.notify("MeterValues", payload)

    async def _sample_loop(self, connector: Connector) -> None:
        while connector.transaction is not None:
            interval = self.config.integer("MeterValueSampleInterval")
            wait = interval / 3 if self.faults.on("sample_interval_third") else interval
            await asyncio.sleep(wait if interval > 0 else 1.0)
            if interval > 0 and connector.transaction is not None:
                await self.send_meter_values(connector, "Sample.Periodic", "MeterValuesSampledData")

    async def _clock_aligned_loop(self) -> None:
        while self.powered:
            interval = self.config.integer("ClockAlignedDataInterval")
            if interval <= 0:
                await asyncio.sleep(1.0)
                continue
            now = time.time()
            boundary = (now // interval + 1) * interval
            await asyncio.sleep(boundary - now)
            if self.config.integer("ClockAlignedDataInterval") == interval:
                # Stamped with the boundary itself: the values belong to that moment.
                stamp = (
                    datetime.fromtimestamp(boundary, UTC)
                    .isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z")
                )
                for connector in self.connectors.values():
                    await self.send_meter_values(
                        connector, "Sample.Clock", "MeterValuesAlignedData", stamp
                    )
