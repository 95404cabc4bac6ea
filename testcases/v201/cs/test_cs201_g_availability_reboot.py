"""OCPP 2.0.1 availability persists a reboot (block G): the station is under test.

A station, EVSE or connector set Inoperative is still Unavailable after the
station rebooted (power cycle or reset), and says so in the reports that
follow its BootNotification; the other connectors report Available.
"""

from __future__ import annotations

from harness.flows.v201.availability import (
    ALL_LEVELS,
    booting_keeps,
    change_availability,
    expect_states,
    places,
    states,
)
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_FORGETS = "forget_availability"
#: Booting: the setting forgotten over the reboot, or no start-up event after it.
_BOOTING_PROOF = [
    Mutant(_FORGETS, step="4-5.", says="StatusNotification Unavailable"),
    Mutant("skip_security_event", step="6-7.", says="did not arrive"),
]


@testcase(
    "TC_G_18_CS",
    proof=[
        Mutant("refuse_availability:Inoperative", step="1-2.", says="'Rejected'"),
        Mutant(_FORGETS, step="Booted 5-6.", says="StatusNotification Unavailable"),
    ],
)
async def test_TC_G_18_CS_evse_inoperative_persists(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An EVSE set Inoperative is still Unavailable after the station rebooted.

    The Before's "state is Unavailable" is the state steps 1-4 establish.
    """
    flow = StationFlow(csms, dut, rig)
    mark = csms.mark()
    with step("1-2. ChangeAvailabilityRequest Inoperative for the EVSE is answered Accepted"):
        await change_availability(flow, "Inoperative", "Accepted", evse=flow.evse)
    with step("3-4. The connectors of the EVSE report Unavailable"):
        inside = places(dut, flow.evse)
        await expect_states(flow, dict.fromkeys(inside, "Unavailable"), mark)
    with step("5. Execute Reusable State Booted: the EVSE is still Unavailable"):
        # Booted power-cycles the station, or resets it where the rig cannot cut the power.
        reset = None if Capability.POWER in rig.capabilities else "OnIdle"
        await flow.booted(reset=reset, states=states(dut, "Unavailable", flow.evse))


@testcase(
    "TC_G_21_CS",
    proof=_BOOTING_PROOF,
)
async def test_TC_G_21_CS_station_inoperative_persists(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The station set Inoperative reports every connector Unavailable after a reset."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the charging station"):
        await flow.unavailable(0)
    await booting_keeps(flow, states(dut, "Unavailable"), components=ALL_LEVELS)


@testcase(
    "TC_G_19_CS",
    proof=_BOOTING_PROOF,
)
async def test_TC_G_19_CS_connector_inoperative_persists(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A connector set Inoperative is still Unavailable after a reset; the others Available."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is Unavailable for the configured connector"):
        await flow.unavailable(flow.evse, flow.connector)
    expected = states(dut, "Unavailable", flow.evse, flow.connector)
    await booting_keeps(flow, expected, components=("Connector",))
