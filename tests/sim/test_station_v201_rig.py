"""The OCPP 2.0.1 reference station under the ``sim`` rig: the EV, its cable, and their knobs.

Each test drives a fresh station through :class:`~harness.rig.sim.SimRig`, as the
rig cases (TC_G_01/02, TC_E_14/20/22) do, and checks what the station reports
when the EV suspends, parts at its side, or the cable leaves the station.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_station_v201 import VALID, running, tx

from harness import errors
from harness.expect import ANY
from harness.profile import resolve_profile
from harness.rig import EvState, SimRig
from harness.session import Session
from harness.sim.station.v201 import Station201

QUIET = 0.5


def _ended(trigger: str, state: str, reason: str) -> dict[str, object]:
    return {
        "eventType": "Ended",
        "triggerReason": trigger,
        "transactionInfo": {"transactionId": ANY, "chargingState": state, "stoppedReason": reason},
    }


async def _charging(session: Session, station: Station201) -> SimRig:
    """Cable in, card, EV drawing energy: the transaction reports Charging."""
    rig = SimRig(station)
    await rig.plug_in(1, 1)
    await rig.present_card(VALID)
    await session.expect(tx(eventType="Started"))
    await rig.ev_state(EvState.C, 1, 1)
    await session.expect(tx(transactionInfo={"transactionId": ANY, "chargingState": "Charging"}))
    return rig


async def test_ev_suspending_with_default_stop_points_is_an_update() -> None:
    """EV back to B: Updated, ChargingStateChanged, SuspendedEV; the transaction goes on."""
    async with running() as (session, station):
        rig = await _charging(session, station)
        await rig.ev_state(EvState.B, 1, 1)
        await session.expect(
            tx(
                eventType="Updated",
                triggerReason="ChargingStateChanged",
                transactionInfo={"transactionId": ANY, "chargingState": "SuspendedEV"},
            )
        )


async def test_ev_suspending_with_energy_transfer_stop_point_ends_it() -> None:
    """TxStopPoint EnergyTransfer: EV back to B ends it, EVConnected, StoppedByEV (E06)."""
    async with running(tx_stop_point="EnergyTransfer") as (session, station):
        rig = await _charging(session, station)
        await rig.ev_state(EvState.B, 1, 1)
        await session.expect(tx(**_ended("ChargingStateChanged", "EVConnected", "StoppedByEV")))


async def test_ev_side_disconnect_ends_it_with_ev_disconnected() -> None:
    """TxStopPoint EVConnected: the EV parting at its side ends it, Idle, EVDisconnected."""
    async with running(tx_stop_point="EVConnected") as (session, station):
        rig = await _charging(session, station)
        await rig.ev_state(EvState.B, 1, 1)
        await session.expect(tx(transactionInfo={"transactionId": ANY, "chargingState": ANY}))
        await rig.ev_state(EvState.A, 1, 1)
        await session.expect("StatusNotification", match={"connectorStatus": "Available"})
        await session.expect(tx(**_ended("EVCommunicationLost", "Idle", "EVDisconnected")))


async def test_station_side_unplug_keeps_the_local_stop_reason() -> None:
    """TxStopPoint EVConnected: stopped by the card, then unplugged: Ended, Idle, Local."""
    async with running(tx_stop_point="EVConnected") as (session, station):
        rig = await _charging(session, station)
        await rig.present_card(VALID)
        await session.expect(
            tx(
                triggerReason="ChargingStateChanged",
                transactionInfo={"transactionId": ANY, "chargingState": "EVConnected"},
            )
        )
        await rig.plug_out(1, 1)
        await session.expect("StatusNotification", match={"connectorStatus": "Available"})
        await session.expect(tx(**_ended("EVCommunicationLost", "Idle", "Local")))


async def test_ev_side_disconnect_deauthorizes_but_a_station_side_unplug_does_not() -> None:
    """TxStopPoint Authorized: StopTxOnEVSideDisconnect ends it at the EV side only (E10)."""
    async with running(tx_stop_point="Authorized") as (session, station):
        rig = await _charging(session, station)
        await rig.plug_out(1, 1)
        unplugged = await session.expect(
            tx(
                eventType="Updated",
                triggerReason="EVCommunicationLost",
                transactionInfo={"transactionId": ANY, "chargingState": "Idle"},
            )
        )
        await rig.plug_in(1, 1)
        await session.expect(tx(eventType="Updated"), after=unplugged)
        await rig.ev_state(EvState.A, 1, 1)
        await session.expect(tx(**_ended("EVCommunicationLost", "Idle", "EVDisconnected")))


async def test_wrong_stopped_reason_and_stale_charging_state() -> None:
    """wrong_stopped_reason, stale_charging_state: Ended says Other and the state before."""
    async with running(
        "wrong_stopped_reason", "stale_charging_state", tx_stop_point="EVConnected"
    ) as (session, station):
        rig = await _charging(session, station)
        await rig.plug_out(1, 1)
        await session.expect(tx(**_ended("EVCommunicationLost", "Charging", "Other")))


@pytest.mark.parametrize("state", [EvState.B, EvState.A])
async def test_ignore_ev_state(state: EvState) -> None:
    """ignore_ev_state:<CP>: the EV entering that state goes unnoticed."""
    knob = f"ignore_ev_state:{state.value}"
    async with running(knob, tx_stop_point="EVConnected") as (session, station):
        rig = await _charging(session, station)
        mark = session.mark()
        await rig.ev_state(state, 1, 1)
        await session.expect_none("TransactionEvent", during=QUIET, after=mark)
        late = [c for c in session.inbound if c.entry.seq >= mark]
        assert not [c for c in late if c.action == "StatusNotification"]


def test_ignore_ev_state_refuses_a_letter_that_is_no_cp_state() -> None:
    """ignore_ev_state:X is a configuration error, not the reference behaviour."""
    base = resolve_profile("builtin:station-2.0.1")
    assert base.embedded is not None
    dut = replace(base, embedded=replace(base.embedded, faults=("ignore_ev_state:X",)))
    with pytest.raises(errors.ConfigurationError, match="control-pilot"):
        Station201(dut, csms_url="ws://127.0.0.1:1/ocpp")
