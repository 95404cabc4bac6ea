"""Reservations of the OCPP 1.6 reference station (the Reservation feature profile, section 5.13).

:class:`Station16Reservations` answers ReserveNow and CancelReservation and
keeps the reservations:

* with the PICS flag ``reservation`` the station accepts reservations (and
  lists ``Reservation`` in ``SupportedFeatureProfiles``); without it every
  ReserveNow is ``Rejected`` (the charge point is not configured to accept
  reservations);
* a reservation of one connector is ``Accepted`` on an Available connector;
  ``Faulted``, ``Unavailable`` or ``Occupied`` (a cable, a transaction, an
  idTag waiting, another reservation) otherwise; an unknown connector is
  ``Rejected``;
* a reservation of connector 0 (the whole charge point) needs
  ``ReserveConnectorZeroSupported`` (the PICS flag
  ``reserve_connector_zero``), else it is ``Rejected``; it holds no connector
  as long as more connectors are free than connector-0 reservations exist,
  and the last free ones otherwise (they report ``Reserved``);
* a reserved connector reports ``Reserved`` and starts a transaction only for
  the reservation's idTag, or an idTag whose parentIdTag matches the
  reservation's idTag or parentIdTag (learnt from the Central System's
  idTagInfo); the StartTransaction carries the ``reservationId`` and ends
  the reservation;
* a reservation ends at its ``expiryDate`` (the connector becomes Available),
  on CancelReservation, when its connector (or the charge point) becomes
  Faulted or Unavailable, and on a power loss (reservations are volatile).
  A ReserveNow with the id of a reservation replaces it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.sim.station.base import Handled
from harness.sim.station.v16_configuration import ConfigKey
from harness.sim.station.v16_connectors import Connector
from harness.sim.station.v16_handlers import Station16Handlers

__all__ = ["Reservation", "Station16Reservations"]


@dataclass
class Reservation:
    """One accepted reservation.

    Attributes:
        reservation_id: the Central System's id for it.
        connector_id: the reserved connector; 0 for any connector of the charge point.
        id_tag: the idTag it is for.
        parent_id_tag: its parentIdTag, when the Central System gave one.
        expiry: when it ends unused.
        timer: the task that ends it at ``expiry``.
    """

    reservation_id: int
    connector_id: int
    id_tag: str
    parent_id_tag: str | None
    expiry: datetime
    timer: asyncio.Task[None] | None = field(default=None, repr=False)

    def admits(self, id_tag: str, parent: str | None) -> bool:
        """The idTag, or its parent, matches the reservation's idTag or parentIdTag."""
        mine = {self.id_tag, self.parent_id_tag} - {None}
        return bool(mine & ({id_tag, parent} - {None}))


def _expiry(text: object) -> datetime:
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class Station16Reservations(Station16Handlers):
    """ReserveNow, CancelReservation and the reservations they make."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reservations: dict[int, Reservation] = {}
        self._handlers["ReserveNow"] = self.on_reserve_now
        self._handlers["CancelReservation"] = self.on_cancel_reservation
        if self.supports_reservation:
            self.config.add_profile("Reservation")
            zero = "true" if self.dut.supports("reserve_connector_zero") else "false"
            self.config.add([ConfigKey("ReserveConnectorZeroSupported", zero, readonly=True)])

    @property
    def supports_reservation(self) -> bool:
        """The PICS flag ``reservation``: the charge point accepts reservations."""
        return self.dut.supports("reservation")

    # -- life -----------------------------------------------------------------------

    def on_power_off(self) -> None:
        super().on_power_off()
        self.reservations.clear()  # volatile; their timers die with the station's tasks
        for connector in self.connectors.values():
            connector.reserved = False

    # -- which connectors the reservations hold ----------------------------------------

    def _free(self, connector: Connector) -> bool:
        """Available, as far as the connector's own state goes (reservations aside)."""
        return (
            connector.transaction is None
            and not connector.faults
            and connector.operative
            and self.cp_operative
            and not connector.plugged
            and connector.authorized_tag is None
        )

    def _held(self) -> dict[int, Reservation]:
        """The reservation holding each connector (connector-0 ones hold the last free)."""
        held = {r.connector_id: r for r in self.reservations.values() if r.connector_id != 0}
        anywhere = [r for r in self.reservations.values() if r.connector_id == 0]
        if anywhere:
            free = [c for c in self.connectors.values() if c.id not in held and self._free(c)]
            if len(free) <= len(anywhere):
                held.update({c.id: r for c, r in zip(free, anywhere, strict=False)})
        return held

    def _ended(self, reservation: Reservation) -> bool:
        """Its connector (or the charge point) became Faulted or Unavailable: it ends."""
        if not self.cp_operative or self.cp_faults:
            return True
        connector = self.connector(reservation.connector_id)
        return connector is not None and (bool(connector.faults) or not connector.operative)

    def statuses(self) -> dict[int, tuple[str, str]]:
        for reservation in [r for r in self.reservations.values() if self._ended(r)]:
            self._drop(reservation)
        held = self._held()
        for connector in self.connectors.values():
            connector.reserved = connector.id in held
        return super().statuses()

    def _drop(self, reservation: Reservation) -> None:
        self.reservations.pop(reservation.reservation_id, None)
        if reservation.timer is not None and reservation.timer is not asyncio.current_task():
            reservation.timer.cancel()

    # -- using a reservation ---------------------------------------------------------------

    def _admitted(
        self, connector: Connector, id_tag: str, parent: str | None
    ) -> Reservation | None:
        held = self._held().get(connector.id)
        if held is not None:
            return held if self._admits(held, id_tag, parent) else None
        return next(
            (
                r
                for r in self.reservations.values()
                if r.connector_id == 0 and self._admits(r, id_tag, parent)
            ),
            None,
        )

    def _admits(self, reservation: Reservation, id_tag: str, parent: str | None) -> bool:
        if self.faults.on("reservation_ignores_parent"):
            return reservation.id_tag == id_tag
        return reservation.admits(id_tag, parent)

    def granted(self, connector: Connector | None, id_tag: str) -> dict[str, Any] | None:
        """The reservation's own idTag at its connector, with ``authorize_reserved`` off."""
        held = None if connector is None else self._held().get(connector.id)
        if self.variants.authorize_reserved or held is None or held.id_tag != id_tag:
            return None
        return {"status": "Accepted"}  # the Central System named it in the ReserveNow

    def reserved_for(self, connector: Connector, id_tag: str, info: dict[str, Any] | None) -> bool:
        parent = info.get("parentIdTag") if info is not None else self.parents.get(id_tag)
        held = self._held().get(connector.id)
        return held is not None and self._admits(held, id_tag, parent)

    async def start_fields(self, connector: Connector, id_tag: str) -> dict[str, Any]:
        """The reservationId of the reservation this transaction uses, which ends it.

        A connector still Reserved (the cable came first) reports Preparing
        first: the reservation's idTag is being used.
        """
        reservation = self._admitted(connector, id_tag, self.parents.get(id_tag))
        if reservation is None:
            return {}
        if connector.status(self.cp_operative) == "Reserved":
            connector.authorized_tag = id_tag
            await self.refresh()
        self._drop(reservation)
        return {"reservationId": reservation.reservation_id}

    # -- ReserveNow / CancelReservation ----------------------------------------------------

    def _reserve_status(self, number: int) -> str:
        """The ReserveNow status for connector ``number`` as the station is now."""
        if number == 0:
            if not self.dut.supports("reserve_connector_zero"):
                return "Rejected"
            if self.cp_faults:
                return "Faulted"
            if not self.cp_operative:
                return "Unavailable"
            held = self._held()
            free = [c for c in self.connectors.values() if c.id not in held and self._free(c)]
            if len(free) > sum(1 for r in self.reservations.values() if r.connector_id == 0):
                return "Accepted"
            states = {c.status(self.cp_operative) for c in self.connectors.values()}
            return states.pop() if states in ({"Faulted"}, {"Unavailable"}) else "Occupied"
        connector = self.connector(number)
        if connector is None:
            return "Rejected"
        status = connector.status(self.cp_operative)
        if status in ("Faulted", "Unavailable"):
            return status
        return "Accepted" if status == "Available" else "Occupied"

    def on_reserve_now(self, payload: dict[str, Any]) -> Handled:
        if not self.supports_reservation:
            return Handled({"status": "Rejected"})
        number = int(payload["reservationId"])
        # A reservation with the same id is replaced: judge the request without it.
        replaced = self.reservations.pop(number, None)
        status = self._reserve_status(int(payload["connectorId"]))
        if status != "Accepted":
            if replaced is not None:
                self.reservations[number] = replaced
            return Handled({"status": status})
        if replaced is not None:
            self._drop(replaced)
        reservation = Reservation(
            number,
            int(payload["connectorId"]),
            str(payload["idTag"]),
            payload.get("parentIdTag"),
            _expiry(payload.get("expiryDate")),
        )
        self.reservations[number] = reservation
        if not self.faults.on("reservation_never_expires"):
            reservation.timer = self.spawn(self._expire(reservation))
        return Handled({"status": "Accepted"}, self.controlled(self.refresh))

    async def _expire(self, reservation: Reservation) -> None:
        await asyncio.sleep(max(0.0, (reservation.expiry - datetime.now(UTC)).total_seconds()))
        async with self._control:
            if self.reservations.get(reservation.reservation_id) is reservation:
                self._drop(reservation)
                await self.refresh()

    def on_cancel_reservation(self, payload: dict[str, Any]) -> Handled:
        reservation = self.reservations.get(int(payload["reservationId"]))
        if reservation is None:
            return Handled({"status": "Rejected"})
        self._drop(reservation)
        return Handled({"status": "Accepted"}, self.controlled(self.refresh))
