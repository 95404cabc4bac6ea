"""OCPP 1.6 Reservation, the Central System under test (harness: charge point)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from harness.expect import ANY
from harness.flows.common import stay_connected
from harness.flows.v16 import csms as flows
from harness.flows.v16.csms_features import (
    Check,
    TestData,
    fresh_id,
    judged_request,
    parse_time,
    utc_in,
)
from harness.flows.v16.csms_requests import stop_transaction
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_NOT_ZERO = Check("a connector (not 0)", lambda value: value != 0)


async def _reserve(
    station: Session,
    dut: DutProfile,
    trigger: CsmsTrigger,
    *,
    answer: str,
    steps: tuple[str, str] = ("1", "2"),
    connector_id: int | None = None,
    expected: dict[str, Any] | None = None,
    what: str = "the configured connectorId and valid idTag",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Steps 1-2: the Central System reserves; the charge point answers ``answer``.

    Returns:
        The ReserveNow request as the Central System sent it.
    """
    data = TestData.of(dut)
    connector = flows.first_connector(dut) if connector_id is None else connector_id
    valid = flows.token(dut, "valid")
    payload = {
        "connectorId": connector,
        "expiryDate": utc_in(data.reservation_expiry),
        "idTag": valid,
        "reservationId": fresh_id(),
        **(extra or {}),
    }
    return await judged_request(
        station,
        trigger,
        "ReserveNow",
        payload,
        description=f"Make the Central System reserve connector {connector} of the charge point "
        f"for idTag {valid}",
        request_step=f"{steps[0]}. The Central System sends ReserveNow",
        what=what,
        expected={"connectorId": connector, "idTag": valid} if expected is None else expected,
        answer_step=f"{steps[1]}. The charge point answers {answer}",
        answer={"status": answer},
    )


async def _reserved(station: Session, dut: DutProfile) -> None:
    with step("3-4. StatusNotification Reserved is acknowledged"):
        await flows.status_notification(station, flows.first_connector(dut), "Reserved")


async def _booted(station: Session, dut: DutProfile) -> None:
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)


_WRONG_CONNECTOR = Mutant(
    "reserve_wrong_connector", step="1. The Central System sends ReserveNow", says="$.connectorId"
)
_WRONG_TAG = Mutant(
    "reserve_wrong_id_tag", step="1. The Central System sends ReserveNow", says="$.idTag"
)


@testcase("TC_046_CSMS", requires=("reservation",), proof=[_WRONG_CONNECTOR, _WRONG_TAG])
async def test_TC_046_CSMS_reserve_connector_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves a connector; the reserved idTag then charges on it."""
    await _booted(station, dut)
    reservation = await _reserve(station, dut, trigger, answer="Accepted")
    await _reserved(station, dut)
    with step("5. Reusable state Charging, using the reservation"):
        await flows.charging(
            station, dut, str(reservation["idTag"]), reservation_id=reservation["reservationId"]
        )


@testcase(
    "TC_047_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "reserve_late_expiry",
            step="1. The Central System sends ReserveNow",
            says="$.expiryDate",
        ),
        _WRONG_CONNECTOR,
    ],
)
async def test_TC_047_CSMS_reserve_connector_expire(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves a connector until the configured offset from now."""
    offset = TestData.of(dut).reservation_expiry
    tolerance = dut.timing.tolerance
    # Judged on arrival: the Central System built the request up to a message timeout before.
    early = tolerance + dut.timing.message_timeout

    def after_offset(value: str) -> bool:
        late_by = parse_time(value).timestamp() - datetime.now(UTC).timestamp() - offset
        return -early <= late_by <= tolerance + 1  # + 1: expiryDate may round up to a second

    expiry = Check(f"the current time plus {offset:g} s", after_offset)
    await _booted(station, dut)
    reservation = await _reserve(
        station,
        dut,
        trigger,
        answer="Accepted",
        what="the configured connectorId and valid idTag, expiring after the configured offset",
        expected={
            "connectorId": flows.first_connector(dut),
            "idTag": flows.token(dut, "valid"),
            "expiryDate": expiry,
        },
    )
    await _reserved(station, dut)
    with step("5-6. StatusNotification Available once the reservation expired is acknowledged"):
        # The harness is the charge point: its reservation timer runs out at expiryDate.
        left = parse_time(str(reservation["expiryDate"])).timestamp()
        seconds = max(0.0, left - datetime.now(UTC).timestamp())
        await stay_connected(station, seconds, "the reservation's expiryDate")
        await flows.status_notification(station, flows.first_connector(dut), "Available")


@testcase("TC_048_1_CSMS", requires=("reservation",), proof=[_WRONG_CONNECTOR, _WRONG_TAG])
async def test_TC_048_1_CSMS_reserve_connector_faulted(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves a connector and takes the answer Faulted."""
    await _booted(station, dut)
    await _reserve(station, dut, trigger, answer="Faulted")


@testcase(
    "TC_048_2_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "reserve_wrong_connector",
            step="3. The Central System sends ReserveNow",
            says="$.connectorId",
        )
    ],
)
async def test_TC_048_2_CSMS_reserve_connector_occupied(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves the connector a cable occupies and takes Occupied."""
    await _booted(station, dut)
    with step("1-2. StatusNotification Preparing (cable plugged in) is acknowledged"):
        await flows.status_notification(station, flows.first_connector(dut), "Preparing")
    await _reserve(station, dut, trigger, answer="Occupied", steps=("3", "4"))


@testcase(
    "TC_048_3_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "reserve_wrong_connector",
            step="5. The Central System sends ReserveNow",
            says="$.connectorId",
        )
    ],
)
async def test_TC_048_3_CSMS_reserve_connector_unavailable(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves a connector it made Inoperative and takes Unavailable."""
    connector_id = flows.first_connector(dut)
    await _booted(station, dut)
    await judged_request(
        station,
        trigger,
        "ChangeAvailability",
        {"connectorId": connector_id, "type": "Inoperative"},
        description=f"Make the Central System set connector {connector_id} Inoperative",
        request_step="1. The Central System sends ChangeAvailability Inoperative",
        what="the configured connectorId, type Inoperative",
        expected={"connectorId": connector_id, "type": "Inoperative"},
        answer_step="2. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
    with step("3-4. StatusNotification Unavailable is acknowledged"):
        await flows.status_notification(station, connector_id, "Unavailable")
    await _reserve(station, dut, trigger, answer="Unavailable", steps=("5", "6"))


@testcase("TC_048_4_CSMS", requires=("reservation",), proof=[_WRONG_CONNECTOR, _WRONG_TAG])
async def test_TC_048_4_CSMS_reserve_connector_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves a connector and takes the answer Rejected."""
    await _booted(station, dut)
    await _reserve(station, dut, trigger, answer="Rejected")


@testcase(
    "TC_049_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "reserve_wrong_connector",
            step="1. The Central System sends ReserveNow",
            says="$.connectorId: expected 0",
        )
    ],
)
async def test_TC_049_CSMS_reserve_charge_point(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reserves the whole charge point (connectorId 0)."""
    await _booted(station, dut)
    await _reserve(
        station,
        dut,
        trigger,
        answer="Accepted",
        connector_id=0,
        what="connectorId 0",
        expected={"connectorId": 0},
    )
    await _reserved(station, dut)


@testcase(
    "TC_051_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "cancel_wrong_reservation",
            step="5. The Central System sends CancelReservation",
            says="$.reservationId",
        ),
        Mutant(
            "reserve_connector_zero",
            step="1. The Central System sends ReserveNow",
            says="a connector (not 0)",
        ),
    ],
)
async def test_TC_051_CSMS_cancel_reservation(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System cancels the reservation it made."""
    await _booted(station, dut)
    reservation = await _reserve(
        station,
        dut,
        trigger,
        answer="Accepted",
        what="a connectorId other than 0",
        expected={"connectorId": _NOT_ZERO},
    )
    await _reserved(station, dut)
    reservation_id = reservation["reservationId"]
    await judged_request(
        station,
        trigger,
        "CancelReservation",
        {"reservationId": reservation_id},
        description=f"Make the Central System cancel reservation {reservation_id}",
        request_step="5. The Central System sends CancelReservation",
        what="the reservationId of step 1",
        expected={"reservationId": reservation_id},
        answer_step="6. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
    with step("7-8. StatusNotification Available is acknowledged"):
        await flows.status_notification(station, flows.first_connector(dut), "Available")


@testcase(
    "TC_052_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "cancel_previous_reservation",
            step="5. The Central System sends CancelReservation",
            says="another reservation than",
        )
    ],
)
async def test_TC_052_CSMS_cancel_reservation_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System cancels an unknown reservation and takes the answer Rejected."""
    await _booted(station, dut)
    reservation = await _reserve(
        station, dut, trigger, answer="Accepted", what="ReserveNow.req", expected={}
    )
    await _reserved(station, dut)
    reserved = reservation["reservationId"]
    unknown = int(reserved) + 1
    await judged_request(
        station,
        trigger,
        "CancelReservation",
        {"reservationId": unknown},
        description=f"Make the Central System cancel reservation {unknown}, which the charge "
        "point does not know",
        request_step="5. The Central System sends CancelReservation",
        what="a reservationId other than step 1's",
        expected={
            "reservationId": Check(
                f"another reservation than {reserved}", lambda value: value != reserved
            )
        },
        answer_step="6. The charge point answers Rejected",
        answer={"status": "Rejected"},
    )


@testcase(
    "TC_053_CSMS",
    requires=("reservation",),
    proof=[
        Mutant(
            "authorize_other_parent",
            step="6-7. Authorize with another idTag of the same parent",
            says="$.idTagInfo.parentIdTag",
        ),
        Mutant(
            "reserve_connector_zero",
            step="1. The Central System sends ReserveNow",
            says="a connector (not 0)",
        ),
    ],
)
async def test_TC_053_CSMS_reserved_connector_parent_id_tag(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A reservation with a parentIdTag: another idTag of that parent is accepted and stops."""
    parent = flows.token(dut, "group_id")
    member = flows.token(dut, "group_member")
    await _booted(station, dut)
    reservation = await _reserve(
        station,
        dut,
        trigger,
        answer="Accepted",
        what="a connectorId other than 0, and a parentIdTag",
        expected={"connectorId": _NOT_ZERO, "parentIdTag": ANY},
        extra={"parentIdTag": parent},
    )
    await _reserved(station, dut)
    with step("5. Reusable state Charging, using the reservation"):
        tx = await flows.charging(
            station, dut, str(reservation["idTag"]), reservation_id=reservation["reservationId"]
        )
    with step("6-7. Authorize with another idTag of the same parent is accepted with it"):
        reply = await flows.authorize(station, member)
        flows.conform_reply(
            reply,
            "idTagInfo Accepted with the reservation's parentIdTag",
            {"idTagInfo": {"status": "Accepted", "parentIdTag": reservation.get("parentIdTag")}},
        )
    with step("8-9. StopTransaction by the other idTag is acknowledged"):
        await stop_transaction(station, tx, "Local", id_tag=member)
    with step("10-11. StatusNotification Finishing is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Finishing")
