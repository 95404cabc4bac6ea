"""OCPP 2.0.1 reusable states of the parking bay, charging station under test.

A station with a parking bay occupancy sensor sees the EV arrive before the
cable and leave after it. ``TxCtrlr.TxStartPoint`` / ``TxStopPoint``
``ParkingBayOccupancy`` make that the start and the end of the transaction
(use cases E01.S1, E06.S1); the catalogue runs the states ParkingBayOccupied
and ParkingBayUnoccupied around every session, optional where there is no
sensor. The rig drives the EV (:attr:`~harness.rig.Capability.PARKING`).
"""

from __future__ import annotations

from typing import Any

from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall
from harness.rig import Capability
from harness.steps import step

__all__ = ["departed", "drive_in", "drive_in_if_sensed", "drive_out", "parking_bay_occupied"]


async def drive_in(flow: StationFlow, title: str) -> None:
    """The manual action "Drive EV into parking bay", as the step ``title``."""
    flow.rig.require(Capability.PARKING)
    with step(title):
        await flow.rig.drive_in(flow.evse, flow.connector)


async def drive_in_if_sensed(flow: StationFlow) -> None:
    """The optional "Drive EV into parking bay": a rig without the bay leaves it out.

    Only a station with a bay sensor notices the EV; on a rig that cannot drive
    one in, the case goes on without it rather than being not run.
    """
    if Capability.PARKING in flow.rig.capabilities:
        await flow.rig.drive_in(flow.evse, flow.connector)


async def drive_out(flow: StationFlow, title: str) -> None:
    """The manual action "Drive EV out of parking bay", as the step ``title``."""
    flow.rig.require(Capability.PARKING)
    with step(title):
        await flow.rig.drive_out(flow.evse, flow.connector)


async def parking_bay_occupied(flow: StationFlow) -> IncomingCall | None:
    """ParkingBayOccupied: the EV drives in; with TxStartPoint ParkingBayOccupancy, EVDetected."""
    await drive_in(flow, "ParkingBayOccupied: drive the EV into the parking bay")
    if "ParkingBayOccupancy" not in await flow.points("TxStartPoint"):
        return None
    with step("ParkingBayOccupied 1-2. TransactionEventRequest with triggerReason EVDetected"):
        return await flow.expect_tx(
            "the EV entered the parking bay: triggerReason EVDetected",
            {"triggerReason": "EVDetected"},
        )


def departed(flow: StationFlow) -> tuple[str, dict[str, Any]]:
    """What ParkingBayUnoccupied 1 says of its Ended event: EVDeparted and how it was stopped.

    The catalogue's stoppedReason is the one of StopAuthorized: ``Remote``
    after a RequestStopTransaction, ``Local`` otherwise.
    """
    reason = "Remote" if flow.stop_reason == "Remote" else "Local"
    how = "by RequestStopTransaction" if reason == "Remote" else "locally"
    return (
        f"the EV left the parking bay: Ended, EVDeparted; stopped {how} before: {reason}",
        {
            "eventType": "Ended",
            "triggerReason": "EVDeparted",
            "transactionInfo": {"stoppedReason": reason},
        },
    )
