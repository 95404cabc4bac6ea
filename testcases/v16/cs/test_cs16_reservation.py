"""OCPP 1.6 Reservation, charge point under test: reserving a connector (TC_046 to TC_048)."""

from __future__ import annotations

from harness.checks import conform
from harness.expect import Pattern, either
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    booted,
    charging,
    connector_id,
    expect_fault_report,
    expect_start,
    expect_status,
    fault_injected,
    fault_report,
    plug_in,
    status_scope,
    token,
    unavailable,
)
from harness.flows.v16.reservation import (
    occupied,
    others_unavailable,
    reservation_made,
    reserve,
)
from harness.profile import DutProfile
from harness.rig import Capability, Fault, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_046_1_CS",
    requires=("reservation",),
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant("skip_status:Reserved", step="3-4. StatusNotification Reserved", says="Reserved"),
        Mutant("no_reservation_id", step="9-10. StartTransaction.req", says="reservationId"),
    ],
)
async def test_TC_046_1_CS_reserve_connector_local_start(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A reserved connector waits for its idTag: another card is not taken, that one charges."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.CARD)
    number, valid, other = connector_id(dut), token(dut, "valid"), token(dut, "valid2")
    await booted(csms, dut)
    await others_unavailable(csms, dut)
    reservation = await reservation_made(
        csms, dut, number, request="for the configured connector and the valid idTag"
    )
    with step("The EV driver presents a card with another idTag than the reservation's"):
        await rig.present_card(other, number)
    presented = csms.mark()
    with step("The EV driver presents the card with the reservation's idTag"):
        await rig.present_card(valid, number)
    with step("5-6. Authorize.req (optional) carries the reservation's idTag"):
        # The other card may be authorized too (the catalogue lets the charge point ask):
        # its Authorize is passed over. Without an Authorize for the reservation's idTag
        # (it may be authorized locally) the next frame in scope is step 7's status.
        scope = either(
            Pattern("Authorize", where=lambda p: p.get("idTag") != other),
            status_scope(number),
            label=f"Authorize, or StatusNotification for connector {number}",
        )
        first = await csms.expect(scope, after=presented)
        if first.action == "Authorize":
            conform(first, "the idTag of the reservation (step 1)", {"idTag": valid})
    with step("7-8. StatusNotification Preparing"):
        if first.action == "StatusNotification":
            conform(first, "status Preparing", {"status": "Preparing"})
        else:
            await expect_status(csms, number, "Preparing", after=presented)
    plugged = csms.mark()
    with step("The EV driver plugs in the cable at the reserved connector"):
        await plug_in(rig, number)
    with step("9-10. StartTransaction.req with the reservation's idTag and reservationId"):
        await expect_start(
            csms,
            number,
            valid,
            after=presented,
            fields={"reservationId": reservation.reservation_id},
        )
    with step("11-12. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=plugged, passing=ON_THE_WAY_TO_CHARGING)


@testcase(
    "TC_046_2_CS",
    requires=("reservation",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("reserve_status:Occupied", step="1-2. ReserveNow", says="'Occupied'"),
        Mutant(
            "no_reservation_id", step="Charging 11-12: StartTransaction.req", says="reservationId"
        ),
    ],
)
async def test_TC_046_2_CS_reserve_connector_remote_start(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A remote start for the reservation's idTag charges on the reserved connector and uses it."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    await booted(csms, dut)
    reservation = await reservation_made(
        csms, dut, connector_id(dut), request="for the configured connector and the valid idTag"
    )
    with step("5. Charging: StartTransaction.req with the reservation's idTag and reservationId"):
        await charging(
            csms,
            rig,
            dut,
            reserved=True,
            start_fields={"reservationId": reservation.reservation_id},
        )


@testcase(
    "TC_047_CS",
    requires=("reservation",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "reservation_never_expires", step="5-6. StatusNotification Available", says="Available"
        ),
        Mutant("skip_status:Reserved", step="3-4. StatusNotification Reserved", says="Reserved"),
    ],
)
async def test_TC_047_CS_reservation_expires(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A reservation nobody uses ends at its expiry date: the connector is Available again."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    number = connector_id(dut)
    await booted(csms, dut)
    await others_unavailable(csms, dut)
    await reservation_made(
        csms, dut, number, request="for the configured connector, expiring at the configured offset"
    )
    reserved_at = csms.mark()
    with step("5-6. StatusNotification Available for the reserved connector, at the expiry date"):
        timing = dut.timing
        await expect_status(
            csms,
            number,
            "Available",
            after=reserved_at,
            timeout=timing.reservation_expiry + timing.message_timeout + timing.tolerance,
        )
    with step("7. Charging with another valid idTag: the reservation has expired"):
        await charging(csms, rig, dut, id_tag=token(dut, "valid2"))


@testcase(
    "TC_048_1_CS",
    requires=("reservation",),
    rig=(Capability.FAULT,),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_048_1_CS_reserve_faulted(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A Faulted connector cannot be reserved: ReserveNow is answered Faulted."""
    rig.require(Capability.FAULT)
    number = connector_id(dut)
    # Over-temperature needs no EV at the connector: any rig can cause it.
    report = fault_report(dut, Fault.OVER_TEMPERATURE)
    await booted(csms, dut)
    mark = csms.mark()
    async with fault_injected(rig, Fault.OVER_TEMPERATURE, number):
        with step("Before: SetConnectorFaulted: StatusNotification Faulted"):
            await expect_fault_report(csms, report, number, after=mark)
        with step("1-2. ReserveNow for the configured connector is answered Faulted"):
            await reserve(csms, dut, number, status="Faulted")


@testcase(
    "TC_048_2_CS",
    requires=("reservation",),
    rig=(Capability.PLUG,),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_048_2_CS_reserve_occupied(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An occupied connector cannot be reserved: ReserveNow is answered Occupied."""
    rig.require(Capability.PLUG)
    number = connector_id(dut)
    await booted(csms, dut)
    with step("Before: SetConnectorOccupied"):
        await occupied(csms, rig, [number])
    with step("1-2. ReserveNow for the configured connector is answered Occupied"):
        await reserve(csms, dut, number, status="Occupied")


@testcase(
    "TC_048_3_CS",
    requires=("reservation",),
    proof=[Mutant("reserve_status:Accepted", step="1-2. ReserveNow", says="'Accepted'")],
)
async def test_TC_048_3_CS_reserve_unavailable(csms: Session, dut: DutProfile) -> None:
    """An Unavailable connector cannot be reserved: ReserveNow is answered Unavailable."""
    number = connector_id(dut)
    await booted(csms, dut)
    with step("Before: SetConnectorUnavailable"):
        await unavailable(csms, number)
    with step("1-2. ReserveNow for the configured connector is answered Unavailable"):
        await reserve(csms, dut, number, status="Unavailable")


@testcase(
    "TC_048_4_CS",
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
async def test_TC_048_4_CS_reserve_rejected(csms: Session, dut: DutProfile) -> None:
    """A charge point without the Reservation profile answers ReserveNow Rejected."""
    number = connector_id(dut)
    await booted(csms, dut)
    with step("1-2. ReserveNow for the configured connector is answered Rejected"):
        await reserve(csms, dut, number, status="Rejected")
