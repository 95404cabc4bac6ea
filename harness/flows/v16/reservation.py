"""OCPP 1.6 Reservation profile, charge point under test: reusable states and steps.

The harness plays the Central System. :func:`reserve` sends the ReserveNow
of a case (expiring after <Configured Reservation Expiry Date Offset>, the
profile's ``[timing].reservation_expiry``) and requires its answer;
:func:`reserved` is the catalogue's reusable state Reserved. The "Before"
states that set connectors up first: :func:`others_unavailable`
(SetConnectorUnavailable for all unused connectors), :func:`occupied`
(SetConnectorOccupied), :func:`charge_point_faulted` (SetChargePointFaulted)
and :func:`charge_point_unavailable` (SetChargePointUnavailable).
:func:`expect_reserved` awaits the status a reservation makes a connector report.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from harness.expect import Pattern
from harness.flows.common import expect_judged
from harness.flows.v16.cs import connector_id, expect_status, expect_statuses, token, unavailable
from harness.ocppj.clock import utc_in
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Fault, Rig
from harness.session import Session
from harness.steps import step

__all__ = [
    "Reservation",
    "charge_point_faulted",
    "charge_point_unavailable",
    "expect_reserved",
    "occupied",
    "others_unavailable",
    "reservation_made",
    "reserve",
    "reserved",
    "unknown_reservation_id",
]

# One run's reservation ids: each ReserveNow a new one, so no case replaces another's.
_reservation_ids = itertools.count(1)


@dataclass(frozen=True)
class Reservation:
    """A reservation a case made.

    Attributes:
        reservation_id: the reservationId of the ReserveNow.
        connector_id: the connector it names (0: the whole charge point).
        id_tag: the idTag it is for.
        request: the ReserveNow payload as sent.
    """

    reservation_id: int
    connector_id: int
    id_tag: str
    request: dict[str, Any]


def unknown_reservation_id() -> int:
    """A reservationId no reservation of this run has (none was made with it)."""
    return next(_reservation_ids)


async def reserve(
    csms: Session,
    dut: DutProfile,
    connector: int,
    *,
    status: str = "Accepted",
    id_tag: str | None = None,
    parent_id_tag: str | None = None,
) -> Reservation:
    """ReserveNow for ``connector``, answered ``status``.

    The reservation is for ``id_tag`` (default <Configured Valid IdTag>) and
    expires <Configured Reservation Expiry Date Offset> from now.

    Raises:
        CallFailed: another status, a CALLERROR or no answer.
    """
    tag = id_tag or token(dut, "valid")
    payload: dict[str, Any] = {
        "connectorId": connector,
        "expiryDate": utc_in(dut.timing.reservation_expiry),
        "idTag": tag,
        "reservationId": next(_reservation_ids),
    }
    if parent_id_tag is not None:
        payload["parentIdTag"] = parent_id_tag
    await csms.call("ReserveNow", payload, status=status)
    return Reservation(payload["reservationId"], connector, tag, payload)


def _any_connector(payload: dict[str, Any]) -> bool:
    """A connector's StatusNotification, not the charge point's (connector 0)."""
    return payload.get("connectorId") != 0


async def expect_reserved(
    csms: Session, reservation: Reservation, *, after: IncomingCall | int
) -> IncomingCall:
    """The StatusNotification Reserved a reservation makes, judged on arrival.

    A reservation of one connector: that connector's next status. Of
    connector 0: the next status of any connector (OCPP 1.6 reports
    connector 0 only Available, Unavailable or Faulted; the charge point keeps
    a connector for the idTag, and that one reports Reserved).
    """
    __tracebackhide__ = True
    if reservation.connector_id != 0:
        return await expect_status(csms, reservation.connector_id, "Reserved", after=after)
    scope = Pattern("StatusNotification", where=_any_connector, label="StatusNotification")
    return await expect_judged(csms, scope, "status Reserved", {"status": "Reserved"}, after=after)


async def reservation_made(
    csms: Session,
    dut: DutProfile,
    connector: int,
    *,
    request: str,
    prefix: str = "",
    parent_id_tag: str | None = None,
) -> Reservation:
    """Steps 1-4 of a reservation: ReserveNow is Accepted, then StatusNotification Reserved.

    Args:
        connector: the connector to reserve (0: the charge point).
        request: what step 1-2's title says of the ReserveNow.
        prefix: the reusable state's name before the step numbers, if any.
        parent_id_tag: the reservation's parentIdTag, when the case gives one.
    """
    mark = csms.mark()
    with step(f"{prefix}1-2. ReserveNow {request} is Accepted"):
        reservation = await reserve(csms, dut, connector, parent_id_tag=parent_id_tag)
    with step(f"{prefix}3-4. StatusNotification Reserved"):
        await expect_reserved(csms, reservation, after=mark)
    return reservation


async def reserved(csms: Session, dut: DutProfile) -> Reservation:
    """Reserved: the configured connector is reserved for the valid idTag and reports Reserved."""
    return await reservation_made(
        csms, dut, connector_id(dut), request="for the configured connector", prefix="Reserved "
    )


async def others_unavailable(csms: Session, dut: DutProfile) -> None:
    """Before: SetConnectorUnavailable for every connector but the configured one."""
    number = connector_id(dut)
    with step("Before: SetConnectorUnavailable for all unused connectors"):
        for _evse, other in dut.connectors:
            if other != number:
                await unavailable(csms, other)


async def occupied(csms: Session, rig: Rig, connectors: list[int]) -> None:
    """SetConnectorOccupied: a cable is plugged into each connector; each reports Preparing."""
    mark = csms.mark()
    with step("SetConnectorOccupied: the EV driver plugs in the cable"):
        for number in connectors:
            await rig.plug_in(number, number)
    with step("SetConnectorOccupied: StatusNotification Preparing"):
        await expect_statuses(csms, dict.fromkeys(connectors, "Preparing"), after=mark)


async def charge_point_faulted(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """SetChargePointFaulted: an emergency stop; connector 0 and every connector report Faulted.

    The restore after the case releases the emergency stop.
    """
    number = connector_id(dut)
    everything = [0, *(n for _evse, n in dut.connectors)]
    mark = csms.mark()
    with step("SetChargePointFaulted: the charge point is put in a Faulted state"):
        await rig.inject_fault(Fault.EMERGENCY_STOP, number, number)
    with step("SetChargePointFaulted: StatusNotification Faulted for connector 0 and each"):
        await expect_statuses(csms, dict.fromkeys(everything, "Faulted"), after=mark)


async def charge_point_unavailable(csms: Session, dut: DutProfile) -> None:
    """SetChargePointUnavailable: ChangeAvailability Inoperative for connector 0."""
    everything = [0, *(n for _evse, n in dut.connectors)]
    mark = csms.mark()
    with step("SetChargePointUnavailable 1-2: ChangeAvailability Inoperative, connector 0"):
        await csms.call(
            "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, status="Accepted"
        )
    with step("SetChargePointUnavailable 3-4: StatusNotification Unavailable, 0 and each"):
        await expect_statuses(csms, dict.fromkeys(everything, "Unavailable"), after=mark)
