"""Transactions of the 2.0.1 reference station (use cases E01-E07, F01-F03, J02).

The station keeps, per EVSE, five conditions: an EV is in the parking bay
(:mod:`~harness.sim.station.v201_parking`), the EV is connected, an idToken
is authorized, the power path is closed (EV connected, authorized, EVSE usable)
and energy flows (power path closed and the EV in state C or D).

* A transaction starts when a condition named in ``TxCtrlr.TxStartPoint``
  becomes true. The Started event's ``triggerReason`` names that condition:
  ``EVDetected``, ``CablePluggedIn``, ``Authorized`` / ``RemoteStart``, or
  ``ChargingStateChanged`` for the power path and energy transfer.
* It ends when a condition named in ``TxCtrlr.TxStopPoint`` becomes false,
  or when something forces it (reset, fault, power loss, the CSMS refusing
  the idToken, EVConnectionTimeOut); the cause gives ``triggerReason`` and
  ``stoppedReason``.
* In between, an Updated event reports each change of ``chargingState`` and
  each (de)authorization (a (de)authorization that also switches the energy
  is reported first, followed by the ChargingStateChanged it causes); every
  ``TxUpdatedInterval`` seconds one carries a periodic meter value.
* With ``SampledDataCtrlr.SignReadings`` true every sampled value carries a
  ``signedMeterValue``, and ``DataSigned`` (the signed reading at the start
  of the session, when the power path closes) is a start point of its own,
  reported with ``SignedDataReceived``.
* ``seqNo`` starts at 0 per transaction; the first event after an
  authorization carries the idToken (and the ``remoteStartId`` of a remote start).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_retry import send_transaction_message
from harness.sim.station.v201_signing import signed_reading, signing
from harness.sim.station.v201_state import Evse201, Transaction

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["TxEngine"]

CONDITIONS = (
    "ParkingBayOccupancy",
    "EVConnected",
    "Authorized",
    "PowerPathClosed",
    "DataSigned",
    "EnergyTransfer",
)
#: Causes that are reported even when the charging state stays the same.
EXPLICIT = frozenset(
    {
        "Authorized",
        "RemoteStart",
        "StopAuthorized",
        "RemoteStop",
        "Deauthorized",
        "CablePluggedIn",
        "EVCommunicationLost",
        "AbnormalCondition",
        "ResetCommand",
        "EVConnectTimeout",
        "Trigger",
        "EVDetected",
        "EVDeparted",
    }
)
CHARGING_POWER_W = 11000.0


class TxEngine:
    """Turns changes of an EVSE's state into TransactionEvent messages."""

    def __init__(self, station: Station201) -> None:
        self.station = station
        self._last: dict[int, dict[str, bool]] = {}
        self._meter_tasks: dict[str, asyncio.Task[None]] = {}
        self._initial_start_point = station.dm.value("TxCtrlr", "TxStartPoint")

    # -- the rules ---------------------------------------------------------------

    def start_points(self) -> frozenset[str]:
        if self.station.faults.on("ignore_tx_start_point"):
            text = self._initial_start_point
            return frozenset(p.strip() for p in text.split(",") if p.strip())
        return self.station.dm.members("TxCtrlr", "TxStartPoint")

    def stop_points(self) -> frozenset[str]:
        return self.station.dm.members("TxCtrlr", "TxStopPoint")

    def usable(self, evse: Evse201) -> bool:
        return self.station.operative(evse) and not evse.connector.faulted

    def conditions(self, evse: Evse201) -> dict[str, bool]:
        plugged = evse.plugged
        authorized = evse.auth is not None
        power_path = plugged and authorized and self.usable(evse)
        energy = power_path and evse.connector.ev_state in ("C", "D")
        return {
            "ParkingBayOccupancy": evse.bay_occupied,
            "EVConnected": plugged,
            "Authorized": authorized,
            "PowerPathClosed": power_path,
            # The meter signs its reading for the session once the power path closes.
            "DataSigned": power_path and signing(self.station),
            "EnergyTransfer": energy,
        }

    def charging_state(self, evse: Evse201) -> str:
        if not evse.plugged:
            return "Idle"
        if evse.auth is None:
            return "EVConnected"
        if not self.usable(evse):
            return "SuspendedEVSE"
        return "Charging" if evse.connector.ev_state in ("C", "D") else "SuspendedEV"

    def _start_trigger(self, evse: Evse201, risen: list[str]) -> str:
        first = risen[0]
        if first == "ParkingBayOccupancy":
            return "EVDetected"
        if first == "EVConnected":
            return "CablePluggedIn"
        if first == "Authorized":
            remote = evse.auth is not None and evse.auth.remote_start_id is not None
            return "RemoteStart" if remote else "Authorized"
        if first == "DataSigned":
            return "SignedDataReceived"
        return "ChargingStateChanged"

    def forget(self, evse: Evse201) -> None:
        """Power is cut: remember the conditions as they are without authorization."""
        self._last[evse.id] = self.conditions(evse)

    # -- reacting to changes -------------------------------------------------------

    async def changed(self, evse: Evse201, trigger: str, stopped_reason: str | None = None) -> None:
        """Report what a change of ``evse`` means for its transaction.

        Args:
            evse: the EVSE whose state just changed.
            trigger: the cause as a ``triggerReason``.
            stopped_reason: the ``stoppedReason`` should the change end the transaction.
        """
        before = self._last.get(evse.id, dict.fromkeys(CONDITIONS, False))
        now = self.conditions(evse)
        self._last[evse.id] = now
        tx = evse.tx
        if tx is None:
            risen = [p for p in CONDITIONS if p in self.start_points() and now[p] and not before[p]]
            if risen:
                await self._start(evse, self._start_trigger(evse, risen))
            return
        fallen = [p for p in CONDITIONS if p in self.stop_points() and before[p] and not now[p]]
        if fallen:
            await self.end(evse, trigger, tx.stop_cause or stopped_reason or "Other")
            return
        state = self.charging_state(evse)
        explicit = trigger in EXPLICIT
        if state == tx.charging_state and not explicit and not tx.id_token_due:
            return
        if explicit and state not in (tx.charging_state, "Idle"):
            # The event itself first, then the energy the station switches in reaction.
            was = tx.charging_state if tx.charging_state != "Idle" else "EVConnected"
            await self.event(evse, "Updated", trigger, charging_state=was)
            await self.event(evse, "Updated", "ChargingStateChanged")
        else:
            await self.event(evse, "Updated", trigger if explicit else "ChargingStateChanged")

    async def _start(self, evse: Evse201, trigger: str) -> None:
        connector = evse.connector
        tx = Transaction(str(uuid.uuid4()), evse.id, connector.id)
        tx.id_token_due = evse.auth is not None
        tx.remote_start_id_due = evse.auth is not None and evse.auth.remote_start_id is not None
        evse.tx = tx
        await self.event(evse, "Started", trigger, context="Transaction.Begin")
        interval = self.station.dm.number("SampledDataCtrlr", "TxUpdatedInterval")
        if interval > 0:
            self._meter_tasks[tx.id] = self.station.spawn(self._meter_loop(evse, tx, interval))

    async def authorized(self, evse: Evse201) -> None:
        """An idToken was just authorized on ``evse`` (locally or remotely)."""
        if evse.tx is not None:
            evse.tx.id_token_due = True
            evse.tx.remote_start_id_due = evse.auth is not None and (
                evse.auth.remote_start_id is not None
            )
        remote = evse.auth is not None and evse.auth.remote_start_id is not None
        await self.changed(evse, "RemoteStart" if remote else "Authorized")

    async def end(self, evse: Evse201, trigger: str, stopped_reason: str) -> None:
        """End the transaction of ``evse`` now, whatever the stop points say."""
        tx = evse.tx
        if tx is None:
            return
        evse.auth = None
        meter = self._meter_tasks.pop(tx.id, None)
        if meter is not None and meter is not asyncio.current_task():
            meter.cancel()
        stale = self.station.faults.on("stale_charging_state")
        await self.event(
            evse,
            "Ended",
            trigger,
            stopped_reason=stopped_reason,
            context="Transaction.End",
            # the mutant does not look at the EVSE again before it reports the end
            charging_state=tx.charging_state if stale else None,
        )
        evse.tx = None
        self._last[evse.id] = self.conditions(evse)
        await self.station.after_transaction(evse)

    async def stop_authorization(self, evse: Evse201, trigger: str, stopped_reason: str) -> None:
        """The driver or the CSMS stops: withdraw the authorization of ``evse``.

        The transaction ends when TxStopPoint says so; a transaction that was
        never authorized ends at once.
        """
        tx = evse.tx
        if tx is not None:
            tx.stop_cause = stopped_reason
            if evse.auth is None:
                await self.end(evse, trigger, stopped_reason)
                return
        evse.auth = None
        await self.changed(evse, trigger, stopped_reason)

    # -- messages ---------------------------------------------------------------------

    def meter_value(self, tx: Transaction | None, context: str) -> dict[str, Any]:
        energy = tx.energy_wh if tx is not None else 0.0
        timestamp = self.station.timestamp()
        sample: dict[str, Any] = {
            "value": round(energy, 1),
            "context": context,
            "measurand": "Energy.Active.Import.Register",
            "unitOfMeasure": {"unit": "Wh"},
        }
        if signing(self.station):
            sample["signedMeterValue"] = signed_reading(self.station, sample, timestamp)
        return {"timestamp": timestamp, "sampledValue": [sample]}

    async def event(
        self,
        evse: Evse201,
        event_type: str,
        trigger: str,
        *,
        stopped_reason: str | None = None,
        context: str | None = None,
        charging_state: str | None = None,
    ) -> None:
        """Send one TransactionEvent for the transaction of ``evse`` (state: as it is now)."""
        tx = evse.tx
        if tx is None:
            return
        tx.charging_state = charging_state or self.charging_state(evse)
        info: dict[str, Any] = {"transactionId": tx.id, "chargingState": tx.charging_state}
        if stopped_reason is not None:
            info["stoppedReason"] = stopped_reason
        payload: dict[str, Any] = {
            "eventType": event_type,
            "timestamp": self.station.timestamp(),
            "triggerReason": trigger,
            "seqNo": tx.seq_no,
            "transactionInfo": info,
            "evse": {"id": tx.evse, "connectorId": tx.connector},
        }
        sent_token: dict[str, Any] | None = None
        if tx.id_token_due and evse.auth is not None:
            sent_token = evse.auth.id_token
            payload["idToken"] = sent_token
            tx.id_token_due = False
        elif tx.stop_token is not None:
            sent_token, tx.stop_token = tx.stop_token, None
            payload["idToken"] = sent_token
        if tx.remote_start_id_due and evse.auth is not None:
            if evse.auth.remote_start_id is not None:
                info["remoteStartId"] = evse.auth.remote_start_id
            tx.remote_start_id_due = False
        if context is not None:
            payload["meterValue"] = [self.meter_value(tx, context)]
        tx.seq_no += 1
        reply = await send_transaction_message(self.station, payload)
        if reply is None or sent_token is None:
            return
        token_info = reply.get("idTokenInfo")
        if isinstance(token_info, dict):
            if not self.station.faults.on("cache_ignores_transaction_answers"):
                self.station.cache.store(sent_token, token_info)
            refused = token_info.get("status") != "Accepted"
            if (
                refused
                and event_type != "Ended"
                and self.station.dm.flag("TxCtrlr", "StopTxOnInvalidId")
            ):
                self.station.react(
                    lambda: self.refused(evse, tx.id), label="idToken refused in a transaction"
                )

    async def refused(self, evse: Evse201, transaction_id: str) -> None:
        """The CSMS refused the transaction's idToken: stop (E05, StopTxOnInvalidId)."""
        if evse.tx is not None and evse.tx.id == transaction_id:
            evse.auth = None
            await self.end(evse, "Deauthorized", "DeAuthorized")

    async def _meter_loop(self, evse: Evse201, tx: Transaction, interval: float) -> None:
        last = time.monotonic()
        while evse.tx is tx:
            await asyncio.sleep(interval)
            now = time.monotonic()
            if tx.charging_state == "Charging":
                tx.energy_wh += CHARGING_POWER_W * (now - last) / 3600
            last = now
            if evse.tx is tx:
                await self.event(evse, "Updated", "MeterValuePeriodic", context="Sample.Periodic")
