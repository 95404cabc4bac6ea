"""OCPP 2.0.1 Availability (block G), charging station under test."""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_G_03_CS",
    proof=[
        Mutant("ignore_availability", step="Unavailable 3-4.", says="did not arrive"),
        Mutant(
            "skip_status", "skip_notify_event", step="Unavailable 3-4.", says="StatusNotification"
        ),
    ],
)
async def test_TC_G_03_CS_evse_inoperative(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An EVSE set Inoperative reports each of its connectors Unavailable."""
    flow = StationFlow(csms, dut, rig)
    with step("1. Execute Reusable State Unavailable for the configured EVSE"):
        await flow.unavailable(flow.evse)
