"""OCPP 2.0.1 block B (provisioning), the CSMS under test: a new network connection profile.

The CSMS is asked (trigger) to set a network profile in the harness
station's free configuration slot; TC_B_42 judges the request against the
configured values, TC_B_44 only that the CSMS copes with a station answering
``Failed``.
"""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_network import set_network_profile
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_REQUEST = "1. The CSMS sends SetNetworkProfileRequest"


@testcase(
    "TC_B_42_CSMS",
    proof=[
        Mutant("network_profile_other_slot", step=_REQUEST, says="configurationSlot"),
        Mutant("network_profile_other_url", step=_REQUEST, says="ocppCsmsUrl"),
    ],
)
async def test_TC_B_42_CSMS_set_network_profile_accepted(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS sets the configured network profile in the station's free slot; accepted."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await set_network_profile(
        station, dut, trigger, station_link.url, answer="Accepted", judged=True
    )


@testcase(
    "TC_B_44_CSMS",
    proof=[Mutant("skip_trigger", step=_REQUEST, says="SetNetworkProfile")],
)
async def test_TC_B_44_CSMS_set_network_profile_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS sets a network profile; the station answers Failed and the CSMS copes."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await set_network_profile(
        station, dut, trigger, station_link.url, answer="Failed", judged=False
    )
