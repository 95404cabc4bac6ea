"""OCPP 2.0.1 Availability (block G) cases driven by the rig's cable; the station is under test."""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_G_01_CS",
    rig=(Capability.PLUG,),
    proof=[
        Mutant(
            "skip_status:Occupied",
            "skip_notify_event:Occupied",
            step="EVConnectedPreSession 1-2. The connector reports Occupied",
            says="Occupied",
        ),
        Mutant(
            "skip_status:Occupied",
            "skip_notify_event:Occupied",
            step="The connector reports Occupied",
            says="Occupied",
            builtin="station-2.0.1-serial-rig",
        ),
    ],
)
async def test_TC_G_01_CS_available_to_occupied(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Plugging the cable in turns the connector Occupied, as a status and as an event."""
    rig.require(Capability.PLUG)
    flow = StationFlow(csms, dut, rig)
    with step("1. Execute Reusable State EVConnectedPreSession"):
        await flow.ev_connected_pre_session()


@testcase(
    "TC_G_02_CS",
    rig=(Capability.PLUG,),
    proof=[
        Mutant(
            "skip_notify_event:Available",
            "skip_status:Available",
            step="3-4. The connector reports Available",
            says="NotifyEvent",
        )
    ],
)
async def test_TC_G_02_CS_occupied_to_available(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Taking the cable out turns the connector Available again, as a status and as an event."""
    rig.require(Capability.PLUG)
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    mark = csms.mark()
    with step("Disconnect the EV and the EVSE"):
        await rig.plug_out(flow.evse, flow.connector)
    with step("3-4. The connector reports Available (StatusNotification and NotifyEvent)"):
        await flow.expect_availability("Available", mark)
