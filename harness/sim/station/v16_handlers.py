"""The Central System's requests to the OCPP 1.6 reference station, and its answers.

Each handler decides the answer at once (handlers never wait on the Central
System) and returns the work that follows it: a remote start, a reset, a
triggered message. Knobs that tamper with answers (``ignore_call``,
``reply_late``, ``reject``, ``wrong_enum``, ``schema_violation``,
``unlock_fails``, ``ignore_reset``, ``trigger_ignored``) are wire rules of
the mutation layer: the handlers never see them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from harness.ocppj.connection import IncomingCall
from harness.ocppj.replies import NO_REPLY, ErrorReply
from harness.sim.station.base import Handled
from harness.sim.station.v16_connectors import Connector
from harness.sim.station.v16_core import SendFailed
from harness.sim.station.v16_transactions import Station16Transactions

__all__ = ["Station16Handlers"]

Handler = Callable[[dict[str, Any]], Handled]


def _status(status: str) -> dict[str, Any]:
    return {"status": status}


class Station16Handlers(Station16Transactions):
    """Answers to every Central System request the 1.6 station implements."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rebooting: asyncio.Task[None] | None = None
        self._handlers: dict[str, Handler] = {
            "ChangeAvailability": self.on_change_availability,
            "ChangeConfiguration": self.on_change_configuration,
            "ClearCache": self.on_clear_cache,
            "DataTransfer": lambda _p: Handled(_status(self.variants.data_transfer_status)),
            "GetConfiguration": self.on_get_configuration,
            "RemoteStartTransaction": self.on_remote_start,
            "RemoteStopTransaction": self.on_remote_stop,
            "Reset": self.on_reset,
            "TriggerMessage": self.on_trigger,
            "UnlockConnector": self.on_unlock,
        }

    # -- dispatch and answer knobs -------------------------------------------------

    def handle(self, incoming: IncomingCall) -> Handled:
        action = incoming.action
        if self.registration == "Rejected":
            return Handled(NO_REPLY)  # a rejected station keeps silent until it retries
        handler = self._handlers.get(action)
        if handler is None:
            return Handled(
                ErrorReply("NotSupported", f"the reference station does not implement {action}")
            )
        return handler(incoming.payload)

    def controlled(self, work: Callable[[], Any]) -> Callable[[], Any]:
        """Run ``work`` (a coroutine function) holding the station's control lock."""

        async def run() -> None:
            async with self._control:
                await work()

        return run

    # -- remote start / stop ---------------------------------------------------------

    def _pick_connector(self, number: int | None) -> Connector | None:
        if number is not None:
            return self.connector(number)
        free = [c for c in self.connectors.values() if c.transaction is None]
        for connector in free:
            if connector.plugged and connector.status(self.cp_operative) == "Preparing":
                return connector
        for connector in free:
            if connector.status(self.cp_operative) == "Available":
                return connector
        return None

    def on_remote_start(self, payload: dict[str, Any]) -> Handled:
        if payload.get("connectorId") == 0 and self.variants.connector0_error:
            return Handled(
                ErrorReply("PropertyConstraintViolation", "connectorId 0 is not a connector")
            )
        connector = self._pick_connector(payload.get("connectorId"))
        busy = connector is not None and connector.transaction is not None
        if busy and self.faults.on("accept_busy_remote_start"):
            return Handled(_status("Accepted"))
        id_tag = str(payload["idTag"])
        status = None if connector is None else connector.status(self.cp_operative)
        if (
            not self.accepted
            or connector is None
            or connector.transaction is not None
            or status not in ("Available", "Preparing", "Finishing", "Reserved")
            or (status == "Reserved" and not self.reserved_for(connector, id_tag, None))
        ):
            return Handled(_status("Rejected"))
        return Handled(
            _status("Accepted"), self.controlled(lambda: self.remote_start(connector, id_tag))
        )

    async def remote_start(self, connector: Connector, id_tag: str) -> None:
        """Start (or prepare) the transaction a RemoteStartTransaction asked for."""
        if self.config.boolean("AuthorizeRemoteTxRequests") and not self.faults.on(
            "skip_remote_authorize"
        ):
            info = await self.authorize(id_tag)
            if info is None or info.get("status") != "Accepted":
                return
        if connector.plugged:
            await self.begin_transaction(connector, id_tag)
        else:
            connector.authorized_tag = id_tag
            await self.refresh()
            self.await_cable(connector)

    def on_remote_stop(self, payload: dict[str, Any]) -> Handled:
        wanted = payload.get("transactionId")
        found = [
            c
            for c in self.connectors.values()
            if c.transaction is not None and c.transaction.transaction_id == wanted
        ]
        if not found:
            return Handled(_status("Rejected"))
        connector = found[0]
        return Handled(
            _status("Accepted"), self.controlled(lambda: self.end_transaction(connector, "Remote"))
        )

    # -- reset -------------------------------------------------------------------------

    def on_reset(self, payload: dict[str, Any]) -> Handled:
        kind = str(payload.get("type"))
        return Handled(_status("Accepted"), lambda: self.reset(kind))

    async def reset(self, kind: str) -> None:
        """Soft: stop transactions (SoftReset), then reboot. Hard: reboot; stop them after.

        The variants ``hard_reset_stop_first`` (a hard reset stops them first) and
        ``soft_reset_reboot`` false (a soft reset restarts in place, with no new
        boot) are the other forms the standard allows.
        """
        async with self._control:
            if kind == "Soft" or self.variants.hard_reset_stop_first:
                for connector in self.connectors.values():
                    await self.end_transaction(connector, f"{kind}Reset")
            else:
                self.interrupt_reason = "HardReset"
        if kind == "Soft" and not self.variants.soft_reset_reboot:
            return
        self.start_reboot()

    def start_reboot(self) -> None:
        """Reboot in a task of its own: powering off cancels the station's tasks."""

        async def reboot() -> None:
            try:
                await self.reboot()
            except Exception as error:  # a failed reconnect must surface in the report
                self.errors.append(error)

        self._rebooting = asyncio.get_running_loop().create_task(reboot())

    async def stop(self) -> None:
        if self._rebooting is not None and not self._rebooting.done():
            self._rebooting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rebooting
        await super().stop()

    # -- availability and unlocking --------------------------------------------------

    def on_change_availability(self, payload: dict[str, Any]) -> Handled:
        number = int(payload["connectorId"])
        operative = payload.get("type") == "Operative"
        if number == 0:
            targets = list(self.connectors.values())
            self.cp_operative = operative
        else:
            one = self.connector(number)
            if one is None:
                return Handled(_status("Rejected"))
            targets = [one]
        scheduled = False
        for connector in targets:
            if connector.transaction is not None and not operative:
                connector.scheduled_operative = operative
                scheduled = True
            else:
                connector.operative = operative
                connector.scheduled_operative = None
        return Handled(
            _status("Scheduled" if scheduled else "Accepted"), self.controlled(self.refresh)
        )

    def on_unlock(self, payload: dict[str, Any]) -> Handled:
        connector = self.connector(int(payload["connectorId"]))
        # NotSupported: an unknown connector, or a fixed cable (no connector lock).
        if connector is None or self.dut.supports("fixed_cable"):
            return Handled(_status("NotSupported"))
        if "lock_failure" in connector.faults:
            return Handled(_status("UnlockFailed"))

        async def unlock() -> None:
            connector.locked = False
            await self.end_transaction(connector, "UnlockCommand", unlock=True)

        return Handled(_status("Unlocked"), self.controlled(unlock))

    # -- configuration ----------------------------------------------------------------

    def on_get_configuration(self, payload: dict[str, Any]) -> Handled:
        return Handled(self.config.get(payload.get("key", [])))

    def on_change_configuration(self, payload: dict[str, Any]) -> Handled:
        key, value = str(payload["key"]), str(payload["value"])
        if self.variants.invalid_value_error and self.config.refuses_value(key, value):
            return Handled(ErrorReply("PropertyConstraintViolation", f"{value!r} for {key}"))
        status = self.config.change(key, value)
        if status == "Accepted" and key == "HeartbeatInterval":
            self.restart_heartbeat()
        return Handled(_status(status))

    def on_clear_cache(self, _payload: dict[str, Any]) -> Handled:
        self.cache.clear()
        return Handled(_status("Accepted"))

    # -- trigger ----------------------------------------------------------------------

    def on_trigger(self, payload: dict[str, Any]) -> Handled:
        message = str(payload["requestedMessage"])
        number = payload.get("connectorId")
        if number is not None and number != 0 and number not in self.connectors:
            if self.variants.unsupported_error:  # allowed: TC_055_CS takes a CALLERROR too
                return Handled(
                    ErrorReply("PropertyConstraintViolation", f"there is no connector {number}")
                )
            return Handled(_status("Rejected"))
        return Handled(_status("Accepted"), lambda: self.triggered(message, number))

    async def triggered(self, message: str, number: int | None) -> None:
        """Send the message a TriggerMessage asked for."""
        one = self.connector(number)
        if message == "BootNotification":
            with contextlib.suppress(*SendFailed):
                reply = await self.notify("BootNotification", self.boot_payload())
                if reply.get("status") == "Accepted" and int(reply.get("interval", 0)) > 0:
                    self.config.set("HeartbeatInterval", str(reply["interval"]))
                    self.restart_heartbeat()
        elif message == "Heartbeat":
            await self.send_heartbeat()
        elif message == "StatusNotification":
            current = self.statuses()
            for connector_id in [number] if number is not None else sorted(current):
                await self.send_status(connector_id, *current[connector_id])
        elif message == "MeterValues":
            for connector in [one] if one is not None else list(self.connectors.values()):
                await self.send_meter_values(connector, "Trigger", "MeterValuesSampledData")
        else:
            with contextlib.suppress(*SendFailed):
                await self.notify(message, _status(self.transfer_status(message)))

    def transfer_status(self, message: str) -> str:
        """What a triggered Diagnostics/FirmwareStatusNotification reports: Idle, no transfer."""
        return "Idle"
