"""The 2.0.1 reusable states (harness.flows.v201.cs) walk the reference station through a session.

Every state runs against the reference station under several TxStartPoint /
TxStopPoint configurations, so each branch of each state is exercised.
"""

from __future__ import annotations

import pytest
from test_station_v201 import running

from harness.errors import NonConformance
from harness.flows.v201.cs import StationFlow
from harness.profile import resolve_profile
from harness.rig import SimRig

FAST = {"transaction_duration": 0.1, "boot_timeout": 5}


@pytest.mark.parametrize(
    ("start", "stop"),
    [
        ("PowerPathClosed", "EVConnected,Authorized"),
        ("EVConnected", "EVConnected"),
        ("Authorized", "EVConnected,Authorized"),
        ("EVConnected,Authorized", "EVConnected"),
    ],
)
async def test_a_local_session_from_boot_to_disconnect(start: str, stop: str) -> None:
    """Booted, cable, card, charging, card again, post-session, cable out: every check holds."""
    async with running(timing=FAST, tx_start_point=start, tx_stop_point=stop) as (session, station):
        dut = resolve_profile("builtin:station-2.0.1")
        flow = StationFlow(session, dut, SimRig(station))
        await flow.booted(reset="Immediate")
        await flow.ev_connected_pre_session()
        await flow.authorized_local()
        await flow.energy_transfer_started()
        await flow.stop_authorized_local()
        await flow.ev_connected_post_session()
        await flow.ev_disconnected()
        assert flow.ended


@pytest.mark.parametrize("start", ["PowerPathClosed", "Authorized", "EVConnected"])
async def test_a_remote_session_card_first_order(start: str) -> None:
    """Remote start before the cable (EnergyTransferStarted part 1), remote stop."""
    async with running(timing=FAST, tx_start_point=start) as (session, station):
        dut = resolve_profile("builtin:station-2.0.1")
        flow = StationFlow(session, dut, SimRig(station))
        await flow.authorized_remote()
        await flow.energy_transfer_started()
        await flow.stop_authorized_remote()
        assert flow.ended
        await flow.ev_disconnected()


async def test_power_cycle_booted_and_unavailable() -> None:
    """Booted by power cycle; a connector set Inoperative reports Unavailable once."""
    async with running(timing=FAST) as (session, station):
        dut = resolve_profile("builtin:station-2.0.1")
        flow = StationFlow(session, dut, SimRig(station))
        await flow.booted()
        found = await flow.unavailable(flow.evse, flow.connector)
        assert [c.action for c in found] in (["StatusNotification"], ["NotifyEvent"])


async def test_a_flow_check_names_the_state_and_the_field() -> None:
    """A mutant's wrong triggerReason fails in the state's step, naming the field."""
    async with running("wrong_trigger_reason", timing=FAST) as (session, station):
        dut = resolve_profile("builtin:station-2.0.1")
        flow = StationFlow(session, dut, SimRig(station))
        await flow.ev_connected_pre_session()
        await flow.authorized_local()
        with pytest.raises(NonConformance, match=r"EnergyTransferStarted 7-8.*triggerReason"):
            await flow.energy_transfer_started()
