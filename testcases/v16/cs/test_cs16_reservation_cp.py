"""OCPP 1.6 Reservation, charge point under test: the whole charge point, cancelling, parentIdTag.

TC_049, TC_050_1 to TC_050_4 (connector 0), TC_051 and TC_052 (CancelReservation), TC_053.
"""

from __future__ import annotations

from typing import Any

from harness.expect import ABSENT, Pattern
from harness.flows.common import expect_judged
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    authorized,
    booted,
    charging,
    connector_id,
    expect_status,
    plug_in,
    token,
)
from harness.flows.v16.reservation import (
    charge_point_faulted,
    charge_point_unavailable,
    occupied,
    others_unavailable,
    reservation_made,
    reserve,
    reserved,
    unknown_reservation_id,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_049_CS",
    requires=("reservation", "reserve_connector_zero"),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("reserve_status:Rejected", step="1-2. ReserveNow", says="'Rejected'"),
        Mutant(
            "no_reservation_id", step="Charging 11-12: StartTransaction.req", says="reservationId"
        ),
    ],
)
async def test_TC_049_CS_reserve_charge_point(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A reservation of connector 0 keeps the last free connector for its idTag, to charge."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    await booted(csms, dut)
    await others_unavailable(csms, dut)
    reservation = await reservation_made(
        csms, dut, 0, request="for connector 0 and the valid idTag"
    )
    with step("5. Charging on the reserved connector with the reservation's idTag"):
        await charging(
            csms,
            rig,
            dut,
            reserved=True,
            start_fields={"reservationId": reservation.reservation_id},
        )


@testcase(
    "TC_050_1_CS",
    requires=("reservation", "reserve_connector_zero"),
    rig=(Capability.FAULT,),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_050_1_CS_reserve_charge_point_faulted(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A Faulted charge point cannot be reserved: ReserveNow for connector 0 is answered Faulted."""
    rig.require(Capability.FAULT)
    await booted(csms, dut)
    with step("Before: SetChargePointFaulted"):
        await charge_point_faulted(csms, rig, dut)
    with step("1-2. ReserveNow for connector 0 is answered Faulted"):
        await reserve(csms, dut, 0, status="Faulted")


@testcase(
    "TC_050_2_CS",
    requires=("reservation", "reserve_connector_zero"),
    rig=(Capability.PLUG,),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_050_2_CS_reserve_charge_point_occupied(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A charge point with every connector occupied cannot be reserved: ReserveNow is Occupied."""
    rig.require(Capability.PLUG)
    await booted(csms, dut)
    with step("Before: SetConnectorOccupied for all connectors"):
        await occupied(csms, rig, [number for _evse, number in dut.connectors])
    with step("1-2. ReserveNow for connector 0 is answered Occupied"):
        await reserve(csms, dut, 0, status="Occupied")


@testcase(
    "TC_050_3_CS",
    requires=("reservation", "reserve_connector_zero"),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_050_3_CS_reserve_charge_point_unavailable(csms: Session, dut: DutProfile) -> None:
    """An Unavailable charge point cannot be reserved: ReserveNow for connector 0 is Unavailable."""
    await booted(csms, dut)
    with step("Before: SetChargePointUnavailable"):
        await charge_point_unavailable(csms, dut)
    with step("1-2. ReserveNow for connector 0 is answered Unavailable"):
        await reserve(csms, dut, 0, status="Unavailable")


@testcase(
    "TC_050_4_CS",
    excludes=("reservation",),
    proof=[
        Mutant(
            "reserve_status:Accepted",
            step="1-2. ReserveNow",
            says="'Accepted'",
            builtin="station-1.6-serial-rig",
        )
    ],
)
async def test_TC_050_4_CS_reserve_charge_point_rejected(csms: Session, dut: DutProfile) -> None:
    """A charge point without the Reservation profile answers ReserveNow for connector 0 Rejected.

    The case applies where the catalogue's prerequisite holds: the Reservation
    feature profile is not supported.
    """
    await booted(csms, dut)
    with step("1-2. ReserveNow for connector 0 is answered Rejected"):
        await reserve(csms, dut, 0, status="Rejected")


@testcase(
    "TC_051_CS",
    requires=("reservation",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("cancel_accepts", step="3-4. StatusNotification Available", says="Available"),
        Mutant(
            "stale_reservation_id",
            step="Charging 11-12: StartTransaction.req",
            says="reservationId",
        ),
    ],
)
async def test_TC_051_CS_cancel_reservation(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A cancelled reservation frees its connector: another idTag charges there without it."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    await booted(csms, dut)
    with step("Before: reusable state Reserved with the valid idTag"):
        reservation = await reserved(csms, dut)
    mark = csms.mark()
    with step("1-2. CancelReservation for the reservation's id is Accepted"):
        await csms.call(
            "CancelReservation", {"reservationId": reservation.reservation_id}, status="Accepted"
        )
    with step("3-4. StatusNotification Available for the reserved connector"):
        await expect_status(csms, reservation.connector_id, "Available", after=mark)
    with step("5. Charging with the second valid idTag: StartTransaction without reservationId"):
        await charging(
            csms, rig, dut, id_tag=token(dut, "valid2"), start_fields={"reservationId": ABSENT}
        )


@testcase(
    "TC_052_CS",
    requires=("reservation",),
    proof=[Mutant("cancel_accepts", step="1-2. CancelReservation", says="'Accepted'")],
)
async def test_TC_052_CS_cancel_reservation_rejected(csms: Session, dut: DutProfile) -> None:
    """CancelReservation for an id the charge point does not know is Rejected."""
    await booted(csms, dut)
    with step("Before: reusable state Reserved"):
        await reserved(csms, dut)
    with step("1-2. CancelReservation for another reservationId is Rejected"):
        await csms.call(
            "CancelReservation", {"reservationId": unknown_reservation_id()}, status="Rejected"
        )


@testcase(
    "TC_053_CS",
    requires=("reservation",),
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant(
            "reservation_ignores_parent",
            step="Authorized: StatusNotification Preparing",
            says="did not arrive",
        ),
        Mutant("no_reservation_id", step="7-8. StartTransaction.req", says="reservationId"),
    ],
)
async def test_TC_053_CS_reservation_parent_id_tag(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An idTag whose parent is the reservation's parentIdTag may use the reserved connector."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.CARD)
    number, valid2, parent = connector_id(dut), token(dut, "valid2"), token(dut, "group_id")
    await booted(csms, dut)
    await others_unavailable(csms, dut)
    reservation = await reservation_made(
        csms,
        dut,
        number,
        request="for the valid idTag with the configured parentIdTag",
        parent_id_tag=parent,
    )

    def same_parent(call: IncomingCall) -> dict[str, Any]:
        # <Configured Valid IdTag 2> belongs to <Configured ParentId>: the Central
        # System says so in every idTagInfo for it.
        info: dict[str, Any] = {"status": "Accepted"}
        if call.payload.get("idTag") == valid2:
            info["parentIdTag"] = parent
        return {"idTagInfo": info}

    started = csms.mark()
    with (
        csms.responding("Authorize", same_parent),
        step("5. Execute reusable state Authorized with the second valid idTag"),
    ):
        await authorized(csms, rig, dut, connector=number, id_tag=valid2)
    with step("6. The EV driver plugs in the cable"):
        await plug_in(rig, number)
    # Steps 7 and 9 may come in either order: each is judged on its own scope.
    with step("7-8. StartTransaction.req with the reservationId of step 1"):
        await expect_judged(
            csms,
            Pattern("StartTransaction"),
            "the reservationId of step 1",
            {"reservationId": reservation.reservation_id},
            after=started,
        )
    with step("9-10. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=started, passing=ON_THE_WAY_TO_CHARGING)
