"""The 1.6 reference station's Reservation profile: ReserveNow, CancelReservation, their effects."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.sim.station.v16 import Station16
from tests.sim.test_station_v16_support import QUIET, WAIT, running, status

VALID, VALID2 = "SIMVALID0001", "SIMVALID0002"


def _reserve(connector: int, number: int, seconds: float = 30, **extra: Any) -> dict[str, Any]:
    when = datetime.now(UTC) + timedelta(seconds=seconds)
    return {
        "connectorId": connector,
        "expiryDate": when.isoformat().replace("+00:00", "Z"),
        "idTag": VALID,
        "reservationId": number,
        **extra,
    }


async def test_reserve_answers_follow_the_connector_state() -> None:
    """Accepted on an Available connector; Occupied, Unavailable, Rejected as its state says."""
    async with running() as (station, csms):
        await csms.call("ReserveNow", _reserve(1, 1), status="Accepted")
        await status(csms, 1, "Reserved")
        await csms.call("ReserveNow", _reserve(1, 2), status="Occupied")
        await csms.call("ReserveNow", _reserve(9, 3), status="Rejected")
        await station.plug_in(2, 2)
        await status(csms, 2, "Preparing")
        await csms.call("ReserveNow", _reserve(2, 4), status="Occupied")
        await csms.call(
            "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}, status="Accepted"
        )
        await status(csms, 1, "Unavailable")  # the reservation ends with it
        await csms.call("CancelReservation", {"reservationId": 1}, status="Rejected")
        await csms.call("ReserveNow", _reserve(1, 5), status="Unavailable")


async def test_reserved_connector_refuses_other_idtags_and_reports_the_reservation() -> None:
    """Another card starts nothing on a reserved connector; the reserved one sends reservationId."""
    async with running() as (station, csms):
        await csms.call("ReserveNow", _reserve(1, 7), status="Accepted")
        await status(csms, 1, "Reserved")
        await station.plug_in(1, 1)
        await station.present_card(VALID2, 1)
        await csms.expect("Authorize", match={"idTag": VALID2}, timeout=WAIT)
        await csms.expect_none("StartTransaction", during=QUIET)
        await station.present_card(VALID, 1)
        start = await csms.expect("StartTransaction", timeout=WAIT)
        assert start.payload["idTag"] == VALID
        assert start.payload["reservationId"] == 7


async def test_reservation_expires_and_cancel_frees_the_connector() -> None:
    """At its expiryDate the connector is Available again; CancelReservation frees it at once."""
    async with running() as (_station, csms):
        await csms.call("ReserveNow", _reserve(1, 1, seconds=0.5), status="Accepted")
        await status(csms, 1, "Reserved")
        await status(csms, 1, "Available")
        await csms.call("ReserveNow", _reserve(2, 2), status="Accepted")
        await status(csms, 2, "Reserved")
        await csms.call("CancelReservation", {"reservationId": 2}, status="Accepted")
        await status(csms, 2, "Available")


async def test_connector_zero_holds_the_last_free_connector() -> None:
    """A connector-0 reservation leaves connectors free until one is left, which is Reserved."""
    async with running() as (station, csms):
        await csms.call("ReserveNow", _reserve(0, 3), status="Accepted")
        await csms.expect_none("StatusNotification", during=QUIET)
        await station.plug_in(2, 2)
        await status(csms, 1, "Reserved")
        await csms.call("ReserveNow", _reserve(0, 4), status="Occupied")


async def test_parent_idtag_uses_the_reservation_unless_the_mutant_ignores_it() -> None:
    """An idTag with the reservation's parentIdTag may use it; the mutant admits only the idTag."""
    for faults, admitted in (((), True), (("reservation_ignores_parent",), False)):
        async with running(faults) as (station, csms):
            await _parent_card(station, csms, admitted)


async def _parent_card(station: Station16, csms: Any, admitted: bool) -> None:
    csms.respond("Authorize", {"idTagInfo": {"status": "Accepted", "parentIdTag": "SIMGROUP0001"}})
    await csms.call("ReserveNow", _reserve(1, 5, parentIdTag="SIMGROUP0001"), status="Accepted")
    await status(csms, 1, "Reserved")
    await station.present_card(VALID2, 1)
    await csms.expect("Authorize", timeout=WAIT)
    if admitted:
        await status(csms, 1, "Preparing")
    else:
        await csms.expect_none("StatusNotification", during=QUIET)


async def test_without_the_reservation_feature_every_reserve_is_rejected() -> None:
    """A charge point without the PICS flag reservation answers ReserveNow Rejected."""
    async with running() as (station, csms):
        station.dut = dataclasses.replace(station.dut, features=frozenset({"auth_cache"}))
        await csms.call("ReserveNow", _reserve(1, 1), status="Rejected")
