"""OCPP 2.0.1 the parking bay and the EV leaving at its side (E01.S1, E06), station under test.

TC_E_12_CS and TC_E_19_CS start and end a transaction by the parking bay
occupancy sensor (``TxStartPoint`` / ``TxStopPoint`` ``ParkingBayOccupancy``);
the rig drives the EV in and out (:attr:`~harness.rig.Capability.PARKING`).
TC_E_54_CS is TC_E_20_CS for an EV with high level communication.
"""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.ev_side import ev_side_disconnect_ends
from harness.flows.v201.parking import departed, drive_in, drive_out, parking_bay_occupied
from harness.flows.v201.rig_ways import authorize, stop_authorization
from harness.flows.v201.tx_points import members, tx_point
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The stop points that end a transaction before the EV leaves the bay (TC_E_19_CS prerequisite).
_EARLIER_STOPS = frozenset(
    {"EnergyTransfer", "PowerPathClosed", "DataSigned", "Authorized", "EVConnected"}
)


def _has_parking_bay(value: str) -> bool:
    """A ReadOnly TxStartPoint TC_E_12 accepts: it contains ParkingBayOccupancy."""
    return "ParkingBayOccupancy" in members(value)


def _ends_only_at_departure(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_19 accepts: ParkingBayOccupancy, nothing that ends earlier."""
    points = members(value)
    return "ParkingBayOccupancy" in points and not points & _EARLIER_STOPS


@testcase(
    "TC_E_12_CS",
    requires=("tx_start_point:ParkingBayOccupancy",),
    rig=(Capability.PARKING,),
    proof=[
        Mutant(
            "trigger_misnamed:EVDetected", step="1-2. TransactionEventRequest", says="triggerReason"
        ),
        Mutant("updated_instead:EVDetected", step="1-2. TransactionEventRequest", says="eventType"),
        Mutant("ignore_parking_bay", step="1-2. TransactionEventRequest", says="did not arrive"),
    ],
)
async def test_TC_E_12_CS_start_on_parking_bay_occupied(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStartPoint ParkingBayOccupancy, an EV driving into the bay starts the transaction."""
    flow = StationFlow(csms, dut, rig)
    async with tx_point(flow, "TxStartPoint", "ParkingBayOccupancy", _has_parking_bay):
        await drive_in(flow, "Manual Action: drive the EV into the parking bay")
        with step("1-2. TransactionEventRequest Started, triggerReason EVDetected"):
            await flow.expect_tx(
                "the EV entered the parking bay: Started, EVDetected",
                {"eventType": "Started", "triggerReason": "EVDetected"},
            )


@testcase(
    "TC_E_19_CS",
    requires=("tx_stop_point:ParkingBayOccupancy",),
    rig=(Capability.PARKING, Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "trigger_misnamed:EVDeparted", step="1-2. TransactionEventRequest", says="triggerReason"
        ),
        Mutant("wrong_stopped_reason", step="1-2. TransactionEventRequest", says="stoppedReason"),
        Mutant("updated_instead:EVDeparted", step="1-2. TransactionEventRequest", says="eventType"),
    ],
)
async def test_TC_E_19_CS_stop_on_parking_bay_unoccupied(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStopPoint ParkingBayOccupancy, the EV leaving the bay ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    async with tx_point(flow, "TxStopPoint", "ParkingBayOccupancy", _ends_only_at_departure):
        with step("Before: State is EVDisconnected"):
            await parking_bay_occupied(flow)
            await authorize(flow)
            await flow.energy_transfer_started()
            await stop_authorization(flow)
            await flow.ev_connected_post_session()
            await flow.ev_disconnected()
        await drive_out(flow, "Manual Action: drive the EV out of the parking bay")
        with step("1-2. TransactionEventRequest Ended, EVDeparted, stoppedReason Local or Remote"):
            await flow.expect_tx(*departed(flow))


@testcase(
    "TC_E_54_CS",
    requires=("high_level_communication",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "trigger_misnamed:EVCommunicationLost",
            step="1-2. TransactionEventRequest",
            says="triggerReason",
        ),
        Mutant("wrong_stopped_reason", step="1-2. TransactionEventRequest", says="stoppedReason"),
        Mutant(
            "updated_instead:EVCommunicationLost",
            step="1-2. TransactionEventRequest",
            says="eventType",
        ),
        Mutant("stale_charging_state", step="1-2. TransactionEventRequest", says="chargingState"),
    ],
)
async def test_TC_E_54_CS_ev_side_disconnect_with_hlc(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With EVConnected as stop point, an HLC EV parting at its side ends the suspended session."""
    flow = StationFlow(csms, dut, rig)
    reasons = "StoppedByEV or EVDisconnected"
    await ev_side_disconnect_ends(flow, reasons, one_of("StoppedByEV", "EVDisconnected"))
