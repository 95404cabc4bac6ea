"""OCPP 2.0.1 ChangeAvailability (block G) while a transaction runs; the station is under test.

An Inoperative request for the station, the EVSE or the connector in use is
``Scheduled``: the change waits for the transaction to end, and the
connectors report Unavailable right after the reusable state that ended it.
"""

from __future__ import annotations

from harness.flows.v201.availability import (
    change_availability,
    expect_states,
    places,
    unavailable_after_transaction,
)
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
_ANSWERED = "1-2. ChangeAvailabilityRequest Inoperative"


def _proof(reported: str) -> list[Mutant]:
    return [
        Mutant("accept_scheduled", step=_ANSWERED, says="'Accepted'"),
        Mutant(
            "skip_status:Unavailable",
            "skip_notify_event:Unavailable",
            step=reported,
            says="StatusNotification Unavailable",
        ),
    ]


async def _energy_transfer_started(flow: StationFlow) -> None:
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()


@testcase("TC_G_11_CS", rig=_RIG, proof=_proof("4-5."))
async def test_TC_G_11_CS_evse_inoperative_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The EVSE in use set Inoperative goes Unavailable once its transaction has ended."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    await _energy_transfer_started(flow)
    with step(f"{_ANSWERED} for the EVSE is answered Scheduled"):
        await change_availability(flow, "Inoperative", "Scheduled", evse=flow.evse)
    await unavailable_after_transaction(flow, 3, flow.evse)


@testcase("TC_G_14_CS", rig=_RIG, proof=_proof("6-7."))
async def test_TC_G_14_CS_station_inoperative_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The station set Inoperative: idle EVSEs go Unavailable now, the busy one after its end."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    await _energy_transfer_started(flow)
    mark = csms.mark()
    with step(f"{_ANSWERED} for the station is answered Scheduled"):
        await change_availability(flow, "Inoperative", "Scheduled")
    with step("3-4. The connectors of the EVSEs without a transaction report Unavailable"):
        idle = [place for place in places(dut) if place[0] != flow.evse]
        await expect_states(flow, dict.fromkeys(idle, "Unavailable"), mark)
    await unavailable_after_transaction(flow, 5, flow.evse)


@testcase("TC_G_17_CS", rig=_RIG, proof=_proof("4-5."))
async def test_TC_G_17_CS_connector_inoperative_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The connector in use set Inoperative goes Unavailable once its transaction has ended."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    await _energy_transfer_started(flow)
    with step(f"{_ANSWERED} for the connector is answered Scheduled"):
        await change_availability(
            flow, "Inoperative", "Scheduled", evse=flow.evse, connector=flow.connector
        )
    await unavailable_after_transaction(flow, 3, flow.evse, flow.connector)
