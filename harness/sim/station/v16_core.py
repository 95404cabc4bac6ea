"""The OCPP 1.6 reference station's core: state, boot, heartbeat and status reporting.

:class:`Station16Core` holds the charge point's state (connectors,
configuration, authorization cache, registration status) and implements the
boot procedure of the Core profile:

* BootNotification with the vendor and model of the DUT profile;
* ``Accepted``: heartbeats at the returned interval, then a StatusNotification
  for connector 0 and for every connector, then StopTransaction for the
  transactions a power loss or hard reset interrupted;
* ``Pending``: the station answers the Central System's requests and tries
  again after the interval, sending nothing else;
* ``Rejected``: the station keeps silent (it does not even answer) until the
  interval has passed, then tries again.

Statuses are derived from the connectors' state; :meth:`refresh` reports
every connector whose status or error code changed since the last report.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from harness.errors import TransportError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.clock import utc_now
from harness.profile import DutProfile
from harness.sim.station.base import CallRejected, StationBase
from harness.sim.station.v16_configuration import Configuration
from harness.sim.station.v16_connectors import Connector, Transaction, status_of_charge_point
from harness.sim.station.v16_mutants import BEHAVIOUR_KNOBS, MUTANTS

__all__ = ["SendFailed", "Station16Core"]

#: What a failed CALL of the station can raise.
SendFailed = (CallRejected, TimeoutError, TransportError, ChannelClosed)


def _limit(text: str | None, size: int) -> str | None:
    return None if text is None else text[:size]


class Station16Core(StationBase):
    """State, boot, heartbeat and status reporting of the 1.6 reference station."""

    KNOWN_FAULTS = frozenset(name.partition(":")[0] for name in BEHAVIOUR_KNOBS)
    WIRE_MUTANTS = MUTANTS

    def __init__(self, dut: DutProfile, *, csms_url: str) -> None:
        super().__init__(dut, csms_url=csms_url)
        ids = [connector for _evse, connector in dut.connectors]
        self.connectors: dict[int, Connector] = {n: Connector(n) for n in ids}
        options = dut.embedded.options if dut.embedded else {}
        initial = options.get("configuration", {})
        self.config = Configuration(
            len(ids),
            self.faults,
            initial if isinstance(initial, Mapping) else None,
            self.variants.readonly_keys,
        )
        self.config.set("HeartbeatInterval", str(dut.timing.heartbeat_interval))
        self.cp_operative = True
        self.cp_faults: set[str] = set()
        self.cache: dict[str, dict[str, Any]] = {}
        self.registration: str | None = None
        self.interrupted: list[tuple[Connector, Transaction, str]] = []
        self.interrupt_reason = "PowerLoss"
        self._reported: dict[int, tuple[str, str]] = {}
        self._status_lock = asyncio.Lock()
        self._control = asyncio.Lock()
        self._heartbeat: asyncio.Task[None] | None = None

    # -- life -----------------------------------------------------------------

    def on_power_on(self) -> None:
        self.registration = None
        self._reported.clear()
        self.interrupt_reason = "PowerLoss"
        if self.faults.on("forget_availability"):
            self.cp_operative = True
            for connector in self.connectors.values():
                connector.operative = True

    def on_power_off(self) -> None:
        """Power is gone: running transactions are interrupted, volatile state lost."""
        self._heartbeat = None
        for connector in self.connectors.values():
            if connector.transaction is not None:
                self.interrupted.append((connector, connector.transaction, self.interrupt_reason))
                connector.transaction = None
            connector.authorized_tag = None
            connector.update_energy()

    # -- sending ----------------------------------------------------------------

    async def notify(self, action: str, payload: dict[str, Any]) -> Any:
        """Send a request to the Central System and return the answer.

        Raises:
            CallRejected, TimeoutError, TransportError, ChannelClosed: the
            Central System did not answer with a CALLRESULT.
        """
        return await self.send(action, payload)

    # -- boot -------------------------------------------------------------------

    def boot_payload(self) -> dict[str, Any]:
        """The BootNotification request, from the DUT profile's identity fields."""
        dut = self.dut
        payload: dict[str, Any] = {
            "chargePointVendor": _limit(dut.vendor or "OCPP Harness", 20),
            "chargePointModel": _limit(dut.model or "Reference Station", 20),
        }
        for key, value, size in (
            ("chargePointSerialNumber", dut.serial, 25),
            ("firmwareVersion", dut.firmware, 50),
        ):
            if value:
                payload[key] = _limit(value, size)
        return payload

    async def boot_sequence(self) -> None:
        if self.faults.on("wrong_order"):
            await self.report_all()
        while self.powered:
            try:
                reply = await self.notify("BootNotification", self.boot_payload())
            except (TransportError, ChannelClosed):
                return
            except (CallRejected, TimeoutError):
                await asyncio.sleep(self.heartbeat_interval)
                continue
            status = str(reply.get("status"))
            interval = int(reply.get("interval", 0))
            self.registration = status
            if status == "Accepted":
                if interval > 0:
                    self.heartbeat_interval = float(interval)
                    self.config.set("HeartbeatInterval", str(interval))
                self.accepted = True
                break
            if self.faults.on("boot_no_retry"):
                return
            wait = interval if interval > 0 else self.heartbeat_interval
            wait = self.variants.timer(wait)
            await asyncio.sleep(0.05 if self.faults.on("boot_ignore_interval") else wait)
        await self.on_accepted()

    async def on_accepted(self) -> None:
        """Registered: start beating, report every status, settle interrupted transactions."""
        self.restart_heartbeat()
        if self.variants.early_heartbeat:  # allowed: only the interval between beats is set
            await self.send_heartbeat()
        async with self._control:
            if not self.faults.on("wrong_order"):
                await self.report_all()
            await self.settle_interrupted()

    async def settle_interrupted(self) -> None:
        """Send StopTransaction for transactions a power loss or hard reset cut short."""

    def restart_heartbeat(self) -> None:
        """(Re)start the heartbeat timer with the current interval."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        interval = self.config.integer("HeartbeatInterval")
        if interval > 0:
            self.heartbeat_interval = float(interval)
        if self.powered and self.accepted and not self.faults.on("no_heartbeat") and interval > 0:
            self._heartbeat = self.spawn(self.heartbeat_loop(), life=True)

    async def heartbeat_loop(self) -> None:
        """Send Heartbeat every ``heartbeat_interval`` seconds while powered."""
        while self.powered:
            await asyncio.sleep(self.variants.timer(self.heartbeat_interval))
            await self.send_heartbeat()

    async def send_heartbeat(self) -> None:
        """One Heartbeat (triggered or periodic); failures are ignored."""
        with contextlib.suppress(*SendFailed):
            await self.notify("Heartbeat", {})

    # -- status -----------------------------------------------------------------

    def statuses(self) -> dict[int, tuple[str, str]]:
        """Status and errorCode of connector 0 and every connector, as now."""
        current = {0: status_of_charge_point(self.cp_operative, self.cp_faults)}
        for number, connector in self.connectors.items():
            connector.update_energy()
            current[number] = (connector.status(self.cp_operative), connector.error_code())
        return current

    async def send_status(self, connector: int, status: str, error_code: str) -> None:
        """One StatusNotification; failures are ignored."""
        payload = {
            "connectorId": connector,
            "errorCode": error_code,
            "status": status,
            "timestamp": utc_now(),
        }
        with contextlib.suppress(*SendFailed):
            await self.notify("StatusNotification", payload)

    async def refresh(self) -> None:
        """Report every connector whose status changed (once registered)."""
        async with self._status_lock:
            if not self.accepted:
                return
            for number, now in self.statuses().items():
                if self._reported.get(number) != now:
                    self._reported[number] = now
                    await self.send_status(number, *now)

    async def report_all(self) -> None:
        """Report connector 0 and every connector, changed or not."""
        async with self._status_lock:
            for number, now in self.statuses().items():
                self._reported[number] = now
                await self.send_status(number, *now)

    def connector(self, number: int | None) -> Connector | None:
        """The connector with that id, or None (also for 0 and None)."""
        return None if number is None else self.connectors.get(number)
