"""What a test case left behind on a station that stays: observed, not declared.

A real charger stays connected between test cases, so whatever a case changed
(a transaction, a cable, an inoperative connector, a reservation, a
configuration value, a Rejected registration) carries into the next one unless
it is undone. :class:`IdleTracker` learns it from the session's traffic — it
is a :class:`~harness.session.SessionObserver` — and from the rig
(:class:`TrackedRig` records the physical inputs a case changed), so no case
cleans up by hand. :mod:`harness.restore` undoes it after each case.

Run-long knowledge (the station as it last reported itself): connector
statuses, open transactions. Per-case knowledge (reset by :meth:`begin_case`):
configuration values changed and their value before the change, availability
changes, reservations, physical inputs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.connection import IncomingCall, Reply
from harness.ocppj.versions import OcppVersion
from harness.rig import Capability, EvState, Fault, Rig
from harness.rig.log import LogEntry
from harness.session import Session

__all__ = ["Change", "IdleTracker", "Place", "TrackedRig"]

#: A connector: (evseId, connectorId); in OCPP 1.6 (connectorId, connectorId).
Place = tuple[int, int]


@dataclass
class Change:
    """A setting a case changed, and how to put it back.

    Attributes:
        label: what changed, for the report.
        action: the CALL that puts it back (ChangeConfiguration, SetVariables, ...).
        payload: its payload.
    """

    label: str
    action: str
    payload: dict[str, Any]


@dataclass
class _Transaction:
    place: Place
    start: IncomingCall | None = None  # 1.6: the id is in our answer to StartTransaction
    transaction_id: str | int | None = None

    def ident(self) -> str | int | None:
        if self.transaction_id is not None:
            return self.transaction_id
        reply = self.start.reply_payload if self.start is not None else None
        return None if reply is None else reply.get("transactionId")


@dataclass
class IdleTracker:
    """The station under test as the harness saw it, and what the current case changed.

    Attributes:
        version: the OCPP version spoken.
        statuses: each connector's status as last reported (run-long).
        reported_since_boot: connectors that reported a status since the last boot.
        restores: settings the current case changed, keyed by what they restore.
        not_idle: why the last restore failed; the next case errors with it.
    """

    version: OcppVersion
    statuses: dict[Place, str] = field(default_factory=dict)
    reported_since_boot: set[Place] = field(default_factory=set)
    restores: dict[str, Change] = field(default_factory=dict)
    not_idle: str | None = None
    _transactions: list[_Transaction] = field(default_factory=list)
    _reading: bool = False

    def begin_case(self) -> None:
        """A new case starts: forget what the last one changed (it was restored)."""
        self.restores.clear()

    @property
    def v16(self) -> bool:
        return self.version is OcppVersion.V16

    # -- inbound --------------------------------------------------------------------

    def seen(self, incoming: IncomingCall) -> None:
        """Learn from a CALL of the station (SessionObserver)."""
        payload, action = incoming.payload, incoming.action
        if action in ("Authorize", "StartTransaction") or "idToken" in payload:
            # The answer may land in the station's authorization cache (a memory state).
            self.restores["cache"] = Change("authorization cache cleared", "ClearCache", {})
        if action == "BootNotification":
            self.reported_since_boot.clear()
            self._transactions.clear()  # a reboot ends what ran (or resumes it under new ids)
        elif action == "StatusNotification":
            self._status(payload)
        elif action == "NotifyEvent":
            self._availability_events(payload)
        elif action == "StartTransaction":
            number = int(payload.get("connectorId", 0))
            self._transactions.append(_Transaction((number, number), start=incoming))
        elif action == "StopTransaction":
            ended = payload.get("transactionId")
            self._transactions = [t for t in self._transactions if t.ident() != ended]
        elif action == "TransactionEvent":
            self._transaction_event(payload)

    def _status(self, payload: dict[str, Any]) -> None:
        if self.v16:
            number = int(payload.get("connectorId", 0))
            place = (number, number)
            status = payload.get("status")
        else:
            place = (int(payload.get("evseId", 0)), int(payload.get("connectorId", 0)))
            status = payload.get("connectorStatus")
        if isinstance(status, str):
            self.statuses[place] = status
            self.reported_since_boot.add(place)

    def _availability_events(self, payload: dict[str, Any]) -> None:
        for event in payload.get("eventData") or []:
            component = event.get("component", {})
            evse = component.get("evse")
            if (
                event.get("variable", {}).get("name") != "AvailabilityState"
                or component.get("name") != "Connector"
                or not isinstance(evse, dict)
            ):
                continue
            place = (int(evse.get("id", 0)), int(evse.get("connectorId", 1)))
            value = event.get("actualValue")
            if isinstance(value, str):
                self.statuses[place] = value
                self.reported_since_boot.add(place)

    def _transaction_event(self, payload: dict[str, Any]) -> None:
        ident = payload.get("transactionInfo", {}).get("transactionId")
        if ident is None:
            return
        known = [t for t in self._transactions if t.transaction_id == ident]
        if payload.get("eventType") == "Ended":
            self._transactions = [t for t in self._transactions if t.transaction_id != ident]
        elif not known:
            evse = payload.get("evse") or {}
            place = (int(evse.get("id", 0)), int(evse.get("connectorId", 1)))
            self._transactions.append(_Transaction(place, transaction_id=ident))

    def open_transactions(self) -> list[tuple[Place, str | int | None]]:
        """The transactions the station started and has not ended, with their ids."""
        return [(t.place, t.ident()) for t in self._transactions]

    # -- outbound -------------------------------------------------------------------

    async def before_call(self, session: Session, action: str, payload: dict[str, Any]) -> None:
        """Read a setting's value before the case's first change of it (SessionObserver)."""
        if self._reading:
            return
        if action == "ChangeConfiguration":
            key = str(payload.get("key"))
            if f"config:{key}" not in self.restores:
                with self._read():
                    value = await _read_key(session, key)
                if value is not None:
                    self.restores[f"config:{key}"] = Change(
                        f"configuration key {key} back to {value!r}",
                        "ChangeConfiguration",
                        {"key": key, "value": value},
                    )
        elif action == "SetVariables":
            for data in payload.get("setVariableData") or []:
                place = {k: data[k] for k in ("component", "variable") if k in data}
                kind = data.get("attributeType", "Actual")
                name = f"variable:{json.dumps(place, sort_keys=True)}:{kind}"
                if name in self.restores:
                    continue
                with self._read():
                    value = await _read_variable(session, place, kind)
                if value is not None:
                    label = (
                        f"{place['component'].get('name')}.{place['variable'].get('name')} "
                        f"({kind}) back to {value!r}"
                    )
                    item = {**place, "attributeType": kind, "attributeValue": value}
                    self.restores[name] = Change(label, "SetVariables", {"setVariableData": [item]})

    @contextlib.contextmanager
    def _read(self) -> Iterator[None]:
        self._reading = True
        try:
            yield
        finally:
            self._reading = False

    def called(self, action: str, payload: dict[str, Any], reply: Reply) -> None:
        """Learn from the station's answer to a CALL of the harness (SessionObserver)."""
        if self._reading or reply.is_error:
            return
        status = reply.payload.get("status")
        if action == "ChangeAvailability" and status in ("Accepted", "Scheduled"):
            operative = {"type": "Operative"} if self.v16 else {"operationalStatus": "Operative"}
            target = {k: v for k, v in payload.items() if k in ("connectorId", "evse")}
            name = f"availability:{json.dumps(target, sort_keys=True)}"
            inoperative = payload.get("type", payload.get("operationalStatus")) == "Inoperative"
            if inoperative:
                self.restores[name] = Change(
                    f"{target or 'the station'} Operative again",
                    "ChangeAvailability",
                    {**target, **operative},
                )
            else:
                self.restores.pop(name, None)
        elif action == "ReserveNow" and status == "Accepted":
            number = payload.get("reservationId", payload.get("id"))
            self.restores[f"reservation:{number}"] = Change(
                f"reservation {number} cancelled", "CancelReservation", {"reservationId": number}
            )
        elif action == "SendLocalList" and status == "Accepted":
            # The list is a memory state: an empty one (version 0) is the idle station's.
            self.restores["local_list"] = Change(
                "local authorization list emptied",
                "SendLocalList",
                {"listVersion": 1, "updateType": "Full"},
            )
        elif action == "CancelReservation" and status == "Accepted":
            self.restores.pop(f"reservation:{payload.get('reservationId')}", None)
        elif action == "SetChargingProfile" and status == "Accepted":
            # Only the profiles the case installed are cleared, by id: others on the
            # bench station (a lab's own) stay.
            if self.v16:
                number = payload.get("csChargingProfiles", {}).get("chargingProfileId")
                clear = {"id": number}
            else:
                number = payload.get("chargingProfile", {}).get("id")
                clear = {"chargingProfileId": number}
            self.restores[f"charging_profile:{number}"] = Change(
                f"charging profile {number} cleared", "ClearChargingProfile", clear
            )


async def _read_key(session: Session, key: str) -> str | None:
    """A 1.6 configuration value, or None when it cannot be read."""
    with contextlib.suppress(Exception):
        # During a Pending registration too: the case's own change goes out then.
        reply = await session.call(
            "GetConfiguration", {"key": [key]}, allow_error=True, while_pending=True
        )
        for entry in reply.payload.get("configurationKey", []):
            if entry.get("key") == key and "value" in entry:
                return str(entry["value"])
    return None


async def _read_variable(session: Session, place: dict[str, Any], kind: str) -> str | None:
    """A 2.0.1 variable's value, or None when it cannot be read."""
    with contextlib.suppress(Exception):
        # During a Pending registration too: the case's own change goes out then.
        reply = await session.call(
            "GetVariables",
            {"getVariableData": [{**place, "attributeType": kind}]},
            allow_error=True,
            while_pending=True,
        )
        result = (reply.payload.get("getVariableResult") or [{}])[0]
        if result.get("attributeStatus") == "Accepted" and "attributeValue" in result:
            return str(result["attributeValue"])
    return None


class TrackedRig(Rig):
    """A rig that remembers the physical inputs a case left changed, to undo them.

    Everything is delegated to the wrapped rig; ``log_text``, ``log_entries``
    and ``close`` too.
    """

    def __init__(self, inner: Rig) -> None:
        self.inner = inner
        self.name = inner.name
        #: Connectors whose cable went in (or whose EV state left A).
        self.plugged: set[Place] = set()
        #: Faults injected and not cleared, with their connector.
        self.faults: set[tuple[Fault, int, int]] = set()
        #: Whether mains power was left off.
        self.power_off = False
        #: Parking bays an EV was driven into and not out of.
        self.parked: set[Place] = set()

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.inner.capabilities

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        await self.inner.plug_in(evse, connector)
        self.plugged.add((evse, connector))

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        await self.inner.plug_out(evse, connector)
        self.plugged.discard((evse, connector))

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        await self.inner.ev_state(state, evse, connector)
        if state is not EvState.A:
            self.plugged.add((evse, connector))

    async def present_card(self, token: str, evse: int | None = None) -> None:
        await self.inner.present_card(token, evse)

    async def ui_stop(self, evse: int | None = None) -> None:
        await self.inner.ui_stop(evse)

    async def power_cycle(self) -> None:
        self.power_off = True
        await self.inner.power_cycle()
        self.power_off = False

    async def power(self, on: bool) -> None:
        self.power_off = not on
        await self.inner.power(on)

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.inner.inject_fault(fault, evse, connector)
        self.faults.add((fault, evse, connector))

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.inner.clear_fault(fault, evse, connector)
        self.faults.discard((fault, evse, connector))

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        await self.inner.drive_in(evse, connector)
        self.parked.add((evse, connector))

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        await self.inner.drive_out(evse, connector)
        self.parked.discard((evse, connector))

    def log_text(self) -> str:
        return self.inner.log_text()

    def log_entries(self) -> list[LogEntry]:
        return self.inner.log_entries()

    async def close(self) -> None:
        await self.inner.close()

    @property
    def changed(self) -> bool:
        """Whether anything physical is left to undo."""
        return bool(self.plugged or self.faults or self.power_off or self.parked)
