"""The OCPP 2.0.1 reference station's parking bay sensor and EV-side stoppedReason variant.

Each test drives a fresh station through :class:`~harness.rig.sim.SimRig` and
checks what it reports when an EV drives into or out of the parking bay
(E01.S1, E06.S1), and how it names an EV side disconnect (E06.S2).
"""

from __future__ import annotations

import pytest
from test_station_v201 import VALID, running, set_variable, tx, variable

from harness import errors
from harness.expect import ANY
from harness.rig import Capability, EvState, SimRig

QUIET = 0.5


async def _start_with(**options: object) -> None:
    async with running(**options):
        pass


async def test_the_bay_starts_a_transaction_when_it_is_a_start_point() -> None:
    """TxStartPoint ParkingBayOccupancy: an EV in the bay starts it (Started, EVDetected, Idle)."""
    async with running(tx_start_point="ParkingBayOccupancy") as (session, station):
        rig = SimRig(station)
        assert Capability.PARKING in rig.capabilities
        await rig.drive_in(1, 1)
        await session.expect(
            tx(
                eventType="Started",
                triggerReason="EVDetected",
                transactionInfo={"transactionId": ANY, "chargingState": "Idle"},
            )
        )


async def test_the_bay_is_not_a_start_point_by_default() -> None:
    """TxStartPoint PowerPathClosed: an EV in the bay alone sends no TransactionEvent."""
    async with running() as (session, station):
        await SimRig(station).drive_in(1, 1)
        await session.expect_none("TransactionEvent", during=QUIET)


async def test_leaving_the_bay_ends_it_with_the_local_stop_reason() -> None:
    """TxStopPoint ParkingBayOccupancy: stopped by the card, unplugged, out: Ended, EVDeparted."""
    async with running(tx_stop_point="ParkingBayOccupancy") as (session, station):
        rig = SimRig(station)
        await rig.drive_in(1, 1)
        await rig.plug_in(1, 1)
        await rig.present_card(VALID)
        await session.expect(tx(eventType="Started"))
        await rig.present_card(VALID)
        await session.expect(tx(eventType="Updated", triggerReason="StopAuthorized"))
        await rig.plug_out(1, 1)
        await session.expect(
            tx(
                eventType="Updated",
                triggerReason="EVCommunicationLost",
                transactionInfo={"transactionId": ANY, "chargingState": "Idle"},
            )
        )
        await rig.drive_out(1, 1)
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="EVDeparted",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": "Idle",
                    "stoppedReason": "Local",
                },
            )
        )


async def test_the_bay_is_a_stop_point_with_the_feature() -> None:
    """With tx_stop_point:ParkingBayOccupancy declared, TxStopPoint takes ParkingBayOccupancy."""
    async with running() as (session, _station):
        status = await set_variable(session, "TxCtrlr", "TxStopPoint", "ParkingBayOccupancy")
        assert status == "Accepted"
        found = await variable(session, "TxCtrlr", "TxStopPoint")
        assert found["attributeValue"] == "ParkingBayOccupancy"


async def test_the_ignore_parking_bay_knob_misses_the_ev() -> None:
    """The ignore_parking_bay mutant does not see the EV arrive: nothing starts."""
    async with running("ignore_parking_bay", tx_start_point="ParkingBayOccupancy") as (
        session,
        station,
    ):
        await SimRig(station).drive_in(1, 1)
        await session.expect_none("TransactionEvent", during=QUIET)


@pytest.mark.parametrize("reason", ["EVDisconnected", "StoppedByEV"])
async def test_the_ev_side_stopped_reason_is_the_variant(reason: str) -> None:
    """TxStopPoint EVConnected: the EV parting at its side ends it with the variant's reason."""
    async with running(tx_stop_point="EVConnected", ev_side_stopped_reason=reason) as (
        session,
        station,
    ):
        assert await set_variable(session, "TxCtrlr", "StopTxOnEVSideDisconnect", "false") == (
            "Accepted"
        )
        rig = SimRig(station)
        await rig.plug_in(1, 1)
        await rig.present_card(VALID)
        await session.expect(tx(eventType="Started"))
        await rig.ev_state(EvState.A, 1, 1)
        await session.expect(
            tx(
                eventType="Ended",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": "Idle",
                    "stoppedReason": reason,
                },
            )
        )


async def test_an_unknown_ev_side_stopped_reason_is_a_configuration_error() -> None:
    """ev_side_stopped_reason outside EVDisconnected/StoppedByEV names the option at start."""
    with pytest.raises(errors.ConfigurationError, match="ev_side_stopped_reason"):
        await _start_with(ev_side_stopped_reason="Other")
