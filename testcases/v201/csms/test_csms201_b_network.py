"""OCPP 2.0.1 block B (provisioning), the CSMS under test: network connection profiles (B09)."""

from __future__ import annotations

from typing import Any

from harness.flows.v201 import csms as flows
from harness.flows.v201.network import connection_data
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


def _configured_profile(dut: DutProfile, url: str) -> dict[str, Any]:
    """SetNetworkProfile with <Configured configurationSlot> and the configured connectionData."""
    return {
        "configurationSlot": dut.connection.configuration_slot,
        "connectionData": connection_data(dut, url),
    }


async def _set_network_profile(
    station: Session,
    dut: DutProfile,
    trigger: CsmsTrigger,
    url: str,
    status: str,
    *,
    case: str,
) -> None:
    """Steps 1-2: the CSMS sends the configured profile; the station answers ``status``."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    expected = _configured_profile(dut, url)
    slot = expected["configurationSlot"]
    async with trigger.requesting(
        station,
        "SetNetworkProfile",
        expected,
        description=f"Make the CSMS send SetNetworkProfile for configuration slot {slot} with "
        f"the configured connection data (ocppCsmsUrl {url})",
    ) as request:
        with step("1. The CSMS sends SetNetworkProfileRequest with the configured profile"):
            call = await request.received()
            flows.conform(call, f"the configured network connection profile ({case})", expected)
        with step(f"2. The station answers SetNetworkProfileResponse {status}"):
            await call.reply({"status": status})
            await request.completed()


@testcase(
    "TC_B_42_CSMS",
    proof=[
        Mutant(
            "network_profile_wrong_slot",
            step="1. The CSMS sends SetNetworkProfileRequest",
            says="configurationSlot",
        )
    ],
)
async def test_TC_B_42_CSMS_set_network_profile_accepted(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS sends the configured network connection profile, which the station accepts."""
    await _set_network_profile(
        station, dut, trigger, station_link.url, "Accepted", case="TC_B_42_CSMS step 1"
    )


@testcase(
    "TC_B_44_CSMS",
    proof=[
        Mutant(
            "skip_trigger",
            step="1. The CSMS sends SetNetworkProfileRequest",
            says="SetNetworkProfile",
        )
    ],
)
async def test_TC_B_44_CSMS_set_network_profile_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS handles a station that answers its SetNetworkProfile with status Failed."""
    await _set_network_profile(
        station, dut, trigger, station_link.url, "Failed", case="TC_B_44_CSMS step 1"
    )
