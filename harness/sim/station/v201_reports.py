"""What the 2.0.1 reference station reports: boot, availability, problems, reports.

* BootNotification's payload (B01).
* Connector availability (G01-G04): a StatusNotification and/or a NotifyEvent
  (``AvailabilityState``, trigger ``Delta``; the ``availability`` variant
  chooses) whenever the status a connector would report changes;
  ``Connector.AvailabilityState`` follows in the device model.
* Problems (N07): NotifyEvent ``Problem`` true/false for an injected fault.
* Base reports (B07): NotifyReport pages of at most ``DeviceDataCtrlr.ItemsPerMessage``
  entries and ``BytesPerMessage`` bytes (both of instance ``GetReport``).
* Triggered messages (F06).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_state import Connector201

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["Reports"]

Work = Callable[[], Awaitable[None]]

#: Room for a NotifyReport's other fields (requestId, generatedAt, tbc, seqNo) and framing.
_ENVELOPE = 200


def _pages(entries: list[dict[str, Any]], items: int, limit: int) -> list[list[dict[str, Any]]]:
    """The entries in pages of at most ``items`` entries and about ``limit`` bytes each."""
    pages: list[list[dict[str, Any]]] = []
    page: list[dict[str, Any]] = []
    used = _ENVELOPE
    for entry in entries:
        size = len(json.dumps(entry, separators=(",", ":"))) + 1
        if page and (len(page) >= items or used + size > limit):
            pages.append(page)
            page, used = [], _ENVELOPE
        page.append(entry)
        used += size
    return [*pages, page] if page else pages


class Reports:
    """The station's reporting, per the use cases in the module docstring."""

    def __init__(self, station: Station201) -> None:
        self.st = station

    def boot_payload(self, reason: str) -> dict[str, Any]:
        dut = self.st.dut
        station: dict[str, Any] = {
            "model": (dut.model or "Reference Station")[:20],
            "vendorName": (dut.vendor or "OCPP Harness")[:50],
        }
        if dut.serial:
            station["serialNumber"] = dut.serial[:25]
        if dut.firmware:
            station["firmwareVersion"] = dut.firmware[:50]
        return {"reason": reason, "chargingStation": station}

    def status_of(self, connector: Connector201) -> str:
        """The connectorStatus the connector has now."""
        evse = self.st.evses[connector.evse]
        if connector.faulted:
            return "Faulted"
        if not (self.st.operative(evse) and connector.operative):
            return "Unavailable"
        return "Occupied" if connector.plugged or connector.cable_left else "Available"

    async def notify(
        self, component: dict[str, Any], variable: str, value: str, *, cleared: bool | None = None
    ) -> None:
        """One NotifyEvent for one variable of one component."""
        event: dict[str, Any] = {
            "eventId": next(self.st.event_ids),
            "timestamp": self.st.timestamp(),
            "trigger": "Delta",
            "actualValue": value,
            "eventNotificationType": "HardWiredNotification",
            "component": component,
            "variable": {"name": variable},
        }
        if cleared is not None:
            event["cleared"] = cleared
        await self.st.call(
            "NotifyEvent", {"generatedAt": self.st.timestamp(), "seqNo": 0, "eventData": [event]}
        )

    async def status_notification(self, connector: Connector201, status: str) -> None:
        await self.st.call(
            "StatusNotification",
            {
                "timestamp": self.st.timestamp(),
                "connectorStatus": status,
                "evseId": connector.evse,
                "connectorId": connector.id,
            },
        )

    async def connector(self, connector: Connector201, *, force: bool = False) -> None:
        """Report the connector's availability when it changed (or always, ``force``)."""
        status = self.status_of(connector)
        if status == connector.reported and not force:
            return
        connector.reported = status
        where = {"evse": connector.evse, "connector": connector.id}
        self.st.dm.update("Connector", "AvailabilityState", status, **where)
        available = "true" if status in ("Available", "Occupied") else "false"
        self.st.dm.update("Connector", "Available", available, **where)
        # OCPP 2.0.1 allows either report, or both (the ``availability`` variant).
        if self.st.variants.availability in ("both", "status"):
            await self.status_notification(connector, status)
        if self.st.variants.availability in ("both", "event"):
            component = {
                "name": "Connector",
                "evse": {"id": connector.evse, "connectorId": connector.id},
            }
            await self.notify(component, "AvailabilityState", status)

    async def all_connectors(self) -> None:
        """After boot: the availability of every connector (B01.FR.05)."""
        for evse in self.st.evses.values():
            for connector in evse.connectors.values():
                await self.connector(connector, force=True)

    async def component_state(self, component: dict[str, Any], value: str) -> None:
        """The AvailabilityState of the station or an EVSE changed."""
        evse = component.get("evse", {}).get("id")
        self.st.dm.update(component["name"], "AvailabilityState", value, evse=evse)
        self.st.dm.update(
            component["name"], "Available", "true" if value == "Available" else "false", evse=evse
        )
        await self.notify(component, "AvailabilityState", value)

    async def problem(self, connector: Connector201, component_name: str, present: bool) -> None:
        """An injected fault appeared (``present``) or cleared."""
        component: dict[str, Any] = {"name": component_name}
        if component_name == "Connector":
            component["evse"] = {"id": connector.evse, "connectorId": connector.id}
            where = {"evse": connector.evse, "connector": connector.id}
            self.st.dm.update("Connector", "Problem", "true" if present else "false", **where)
        await self.notify(
            component, "Problem", "true" if present else "false", cleared=None if present else True
        )

    async def send_report(self, request_id: int, entries: list[dict[str, Any]]) -> None:
        """B07: the report in pages; ``tbc`` on every page but the last."""
        size = max(
            1,
            int(
                self.st.dm.number(
                    "DeviceDataCtrlr", "ItemsPerMessage", variable_instance="GetReport"
                )
            ),
        )
        limit = int(
            self.st.dm.number("DeviceDataCtrlr", "BytesPerMessage", variable_instance="GetReport")
        )
        pages = _pages(entries, size, limit)
        for number, page in enumerate(pages):
            await self.st.call(
                "NotifyReport",
                {
                    "requestId": request_id,
                    "generatedAt": self.st.timestamp(),
                    "reportData": page,
                    "tbc": number < len(pages) - 1,
                    "seqNo": number,
                },
            )

    def triggered(
        self, requested: str, evse_id: int | None, connector_id: int | None
    ) -> Work | str | None:
        """F06: the work a TriggerMessage asks for, a reason to refuse, or None (unsupported)."""
        st = self.st
        evses = [e for e in st.evses.values() if evse_id in (None, e.id)]
        if requested == "BootNotification":
            if not st.variants.boot_trigger:
                return None  # the variant: this trigger is not implemented
            if st.registration == "Accepted":
                return "AlreadyAccepted"

            async def boot() -> None:
                st.wake_boot()

            return boot
        if requested == "Heartbeat":

            async def heartbeat() -> None:
                await st.call("Heartbeat", {})

            return heartbeat
        if requested == "StatusNotification":
            connectors = [
                c for e in evses for c in e.connectors.values() if connector_id in (None, c.id)
            ]
            if not connectors:
                return "UnknownConnector"

            async def status() -> None:
                # In the form(s) the station reports its connectors (the ``availability`` variant).
                for connector in connectors:
                    await self.connector(connector, force=True)

            return status
        if requested == "MeterValues":

            async def meter() -> None:
                for evse in evses:
                    value = st.tx.meter_value(evse.tx, "Trigger")
                    await st.call("MeterValues", {"evseId": evse.id, "meterValue": [value]})

            return meter
        if requested == "TransactionEvent":
            running = [e for e in evses if e.tx is not None]
            if not running:
                return "NoTransaction"

            async def transaction() -> None:
                for evse in running:
                    await st.tx.event(evse, "Updated", "Trigger", context="Trigger")

            return transaction
        if requested in ("LogStatusNotification", "FirmwareStatusNotification"):
            # Where the log upload or the firmware update stands (Idle when none runs).
            transfers = st.transfers
            is_log = requested == "LogStatusNotification"

            async def idle() -> None:
                status = transfers.log_status() if is_log else transfers.firmware_status()
                await st.call(requested, status)

            return idle
        return None
