"""OCPP 2.0.1 ChangeAvailability (block G, use cases G03 and G04) without a transaction.

The station, an EVSE or a connector is set Operative or Inoperative; the
station answers Accepted and reports the state of each connector the change
concerns. A change to the state the target already has is Accepted as well.
"""

from __future__ import annotations

from harness.flows.v201.availability import (
    ALL_LEVELS,
    change_availability,
    expect_states,
    places,
    states,
)
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_ANSWERED = "1-2. ChangeAvailabilityRequest"
_REPORTED = "3-4."
_REFUSE_SAME = Mutant("refuse_same_availability", step=_ANSWERED, says="'Rejected'")
#: Set Operative: refused, or accepted without the connectors reporting Available.
_TO_OPERATIVE = [
    Mutant("refuse_availability:Operative", step=_ANSWERED, says="'Rejected'"),
    Mutant(
        "skip_status:Available",
        "skip_notify_event:Available",
        step=_REPORTED,
        says="StatusNotification Available",
    ),
]
#: Reusable State Unavailable: refused, or accepted without any change or report.
_TO_INOPERATIVE = [
    Mutant("refuse_availability:Inoperative", step="Unavailable 1-2.", says="'Rejected'"),
    Mutant("ignore_availability", step="Unavailable 3-4.", says="did not arrive"),
]
#: Operative again: refused as such, or refused because nothing would change.
_OPERATIVE_AGAIN = [
    Mutant("refuse_availability:Operative", step=_ANSWERED, says="'Rejected'"),
    _REFUSE_SAME,
]


@testcase(
    "TC_G_04_CS",
    proof=_TO_OPERATIVE,
)
async def test_TC_G_04_CS_evse_to_operative(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An inoperative EVSE set Operative reports each of its connectors Available."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: Memory State Unavailable for the configured EVSE"):
        await flow.unavailable(flow.evse)
    mark = csms.mark()
    with step(f"{_ANSWERED} Operative for the EVSE is answered Accepted"):
        await change_availability(flow, "Operative", "Accepted", evse=flow.evse)
    with step(f"{_REPORTED} Every connector of the EVSE reports Available"):
        expected = dict.fromkeys(places(dut, flow.evse), "Available")
        await expect_states(flow, expected, mark, components=("EVSE", "Connector"))


@testcase(
    "TC_G_05_CS",
    proof=_TO_INOPERATIVE,
)
async def test_TC_G_05_CS_station_to_inoperative(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The station set Inoperative reports every connector Unavailable."""
    flow = StationFlow(csms, dut, rig)
    with step("1. Execute Reusable State Unavailable for the charging station"):
        await flow.unavailable(0)


@testcase(
    "TC_G_06_CS",
    proof=_TO_OPERATIVE,
)
async def test_TC_G_06_CS_station_to_operative(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The inoperative station set Operative reports every connector Available."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the charging station"):
        await flow.unavailable(0)
    mark = csms.mark()
    with step(f"{_ANSWERED} Operative for the station is answered Accepted"):
        await change_availability(flow, "Operative", "Accepted")
    with step(f"{_REPORTED} Every connector reports Available"):
        await expect_states(flow, states(dut, "Available"), mark, components=ALL_LEVELS)


@testcase(
    "TC_G_07_CS",
    proof=_TO_INOPERATIVE,
)
async def test_TC_G_07_CS_connector_to_inoperative(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A connector set Inoperative reports Unavailable."""
    flow = StationFlow(csms, dut, rig)
    with step("1. Execute Reusable State Unavailable for the configured connector"):
        await flow.unavailable(flow.evse, flow.connector)


@testcase(
    "TC_G_08_CS",
    proof=_TO_OPERATIVE,
)
async def test_TC_G_08_CS_connector_to_operative(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An inoperative connector set Operative reports Available."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: Memory State Unavailable for the configured connector"):
        await flow.unavailable(flow.evse, flow.connector)
    mark = csms.mark()
    with step(f"{_ANSWERED} Operative for the connector is answered Accepted"):
        await change_availability(
            flow, "Operative", "Accepted", evse=flow.evse, connector=flow.connector
        )
    with step(f"{_REPORTED} The connector reports Available"):
        await flow.expect_availability("Available", mark)


@testcase(
    "TC_G_09_CS",
    proof=_OPERATIVE_AGAIN,
)
async def test_TC_G_09_CS_evse_operative_again(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An operative EVSE set Operative again answers Accepted."""
    flow = StationFlow(csms, dut, rig)
    with step(f"{_ANSWERED} Operative for the operative EVSE is answered Accepted"):
        await change_availability(flow, "Operative", "Accepted", evse=flow.evse)


@testcase("TC_G_10_CS", proof=[_REFUSE_SAME])
async def test_TC_G_10_CS_evse_inoperative_again(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An inoperative EVSE set Inoperative again answers Accepted."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the configured EVSE"):
        await flow.unavailable(flow.evse)
    with step(f"{_ANSWERED} Inoperative for the inoperative EVSE is answered Accepted"):
        await change_availability(flow, "Inoperative", "Accepted", evse=flow.evse)


@testcase(
    "TC_G_12_CS",
    proof=_OPERATIVE_AGAIN,
)
async def test_TC_G_12_CS_station_operative_again(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The operative station set Operative again answers Accepted."""
    flow = StationFlow(csms, dut, rig)
    with step(f"{_ANSWERED} Operative for the operative station is answered Accepted"):
        await change_availability(flow, "Operative", "Accepted")


@testcase(
    "TC_G_13_CS",
    proof=[
        _REFUSE_SAME,
        Mutant(
            "skip_status:Unavailable",
            "skip_notify_event:Unavailable",
            step="Unavailable 3-4.",
            says="StatusNotification Unavailable",
        ),
    ],
)
async def test_TC_G_13_CS_station_inoperative_again(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The inoperative station set Inoperative again answers Accepted and reports again."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the charging station"):
        await flow.unavailable(0)
    mark = csms.mark()
    with step(f"{_ANSWERED} Inoperative for the inoperative station is answered Accepted"):
        await change_availability(flow, "Inoperative", "Accepted")
    with step(f"{_REPORTED} Every connector reports Unavailable"):
        await expect_states(flow, states(dut, "Unavailable"), mark, components=ALL_LEVELS)


@testcase(
    "TC_G_15_CS",
    proof=_OPERATIVE_AGAIN,
)
async def test_TC_G_15_CS_connector_operative_again(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An operative connector set Operative again answers Accepted."""
    flow = StationFlow(csms, dut, rig)
    with step(f"{_ANSWERED} Operative for the operative connector is answered Accepted"):
        await change_availability(
            flow, "Operative", "Accepted", evse=flow.evse, connector=flow.connector
        )


@testcase("TC_G_16_CS", proof=[_REFUSE_SAME])
async def test_TC_G_16_CS_connector_inoperative_again(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An inoperative connector set Inoperative again answers Accepted."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the configured connector"):
        await flow.unavailable(flow.evse, flow.connector)
    with step(f"{_ANSWERED} Inoperative for the inoperative connector is answered Accepted"):
        await change_availability(
            flow, "Inoperative", "Accepted", evse=flow.evse, connector=flow.connector
        )
