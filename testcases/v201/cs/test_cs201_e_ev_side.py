"""OCPP 2.0.1 the EV disconnecting at its side (E10), charging station under test.

The EV parts at its side first; a detachable cable then stays in the station's
socket (locked for the transaction's idToken when
``OCPPCommCtrlr.UnlockOnEVSideDisconnect`` is false) until it is taken out at
the station, and only then is the connector free again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from harness.flows.v201.cs import StationFlow
from harness.flows.v201.tx_points import AUTH_ON, members
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
#: Each form of the connector's report must be missing for the step to miss it.
_NO_AVAILABLE = ("skip_status:Available", "skip_notify_event:Available")


async def _set(
    flow: StationFlow, stack: contextlib.AsyncExitStack, component: str, name: str, value: str
) -> None:
    """A configuration state the case needs: set, or ReadOnly with that value already."""
    with step(f"Before: {name} is {value}"):
        setting = flow.configured(component, name, value, holds=lambda v: v == value)
        await stack.enter_async_context(setting)


async def _suspended(flow: StationFlow) -> None:
    with step("Before: State is EnergyTransferSuspended"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
        await flow.energy_transfer_suspended()


async def _ev_side_then_station_side(
    flow: StationFlow, what: str, match: Mapping[str, Any], *, unlock: bool
) -> None:
    """EV side disconnect, its TransactionEvent, the cable out at the station, Available."""
    fixed = "fixed_cable" in flow.dut.features
    mark = flow.csms.mark()
    with step("Manual Action: disconnect the EV and the EVSE at the EV side"):
        await flow.rig.ev_state(EvState.A, flow.evse, flow.connector)
    with step("1-2. TransactionEventRequest EVCommunicationLost, chargingState Idle"):
        await flow.expect_tx(what, match)
    if not fixed:
        if unlock:
            with step("Manual Action: present the idToken that started the transaction"):
                token = flow.dut.tokens.valid
                await flow.rig.present_card(token)
        mark = flow.csms.mark()
        with step("Manual Action: disconnect the EV and the EVSE at the charging station side"):
            await flow.rig.plug_out(flow.evse, flow.connector)
    with step("3-4. The connector reports Available (StatusNotification or NotifyEvent)"):
        await flow.expect_availability("Available", mark)


async def _deauthorized_at_ev_side(flow: StationFlow, *, unlock_on_ev_side: bool) -> None:
    """TC_E_24/25: StopTxOnEVSideDisconnect true, the EV leaves at its side, then the cable."""
    unlock = "true" if unlock_on_ev_side else "false"
    async with contextlib.AsyncExitStack() as configuration:
        await _set(flow, configuration, "TxCtrlr", "StopTxOnEVSideDisconnect", "true")
        await _set(flow, configuration, "OCPPCommCtrlr", "UnlockOnEVSideDisconnect", unlock)
        await _suspended(flow)
        await _ev_side_then_station_side(
            flow,
            "the EV left: EVCommunicationLost, chargingState Idle",
            {"triggerReason": "EVCommunicationLost", "transactionInfo": {"chargingState": "Idle"}},
            unlock=not unlock_on_ev_side,
        )


@testcase(
    "TC_E_24_CS",
    excludes=("fixed_cable",),
    rig=_RIG,
    proof=[
        Mutant("stale_charging_state", step="1-2. TransactionEventRequest", says="chargingState"),
        Mutant("cable_gone_with_ev", step="3-4. The connector reports", says="did not arrive"),
    ],
)
async def test_TC_E_24_CS_ev_side_unlock_true(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The EV parting at its side deauthorizes; the unlocked cable frees the connector when out."""
    await _deauthorized_at_ev_side(StationFlow(csms, dut, rig), unlock_on_ev_side=True)


@testcase(
    "TC_E_25_CS",
    rig=_RIG,
    proof=[
        Mutant("stale_charging_state", step="1-2. TransactionEventRequest", says="chargingState"),
        Mutant(*_NO_AVAILABLE, step="3-4. The connector reports", says="did not arrive"),
    ],
)
async def test_TC_E_25_CS_ev_side_unlock_false(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The EV parting at its side deauthorizes; the idToken unlocks the cable, then it is free."""
    await _deauthorized_at_ev_side(StationFlow(csms, dut, rig), unlock_on_ev_side=False)


def _authorized_only(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_17 accepts (errata 2025-01): Authorized, none that ends later."""
    points = {p.strip() for p in value.split(",") if p.strip()}
    return "Authorized" in points and not points & {
        "EVConnected",
        "PowerPathClosed",
        "EnergyTransfer",
    }


@testcase(
    "TC_E_17_CS",
    requires=("tx_stop_point:Authorized",),
    rig=_RIG,
    proof=[
        Mutant("wrong_stopped_reason", step="1-2. TransactionEventRequest", says="stoppedReason"),
        Mutant(*_NO_AVAILABLE, step="3-4. The connector reports", says="did not arrive"),
    ],
)
async def test_TC_E_17_CS_deauthorized_by_ev_side_disconnect(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStopPoint Authorized, the EV parting at its side ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStopPoint contains Authorized"):
            setting = flow.configured(
                "TxCtrlr", "TxStopPoint", "Authorized", holds=_authorized_only
            )
            await configuration.enter_async_context(setting)
        await _set(flow, configuration, "TxCtrlr", "StopTxOnEVSideDisconnect", "true")
        await _set(flow, configuration, "OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "false")
        with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
            await flow.prefer(AUTH_ON)
        await _suspended(flow)
        await _ev_side_then_station_side(
            flow,
            "the EV left: Ended, EVCommunicationLost, Idle, stoppedReason EVDisconnected",
            {
                "eventType": "Ended",
                "triggerReason": "EVCommunicationLost",
                "transactionInfo": {"chargingState": "Idle", "stoppedReason": "EVDisconnected"},
            },
            unlock=True,
        )


def _suspends_at_ev_side(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_26 accepts: Authorized (or ParkingBayOccupancy), none later."""
    points = members(value)
    later = {"EnergyTransfer", "PowerPathClosed", "DataSigned", "EVConnected"}
    return bool(points & {"Authorized", "ParkingBayOccupancy"}) and not points & later


@testcase(
    "TC_E_26_CS",
    requires=("tx_stop_point:Authorized",),
    rig=_RIG,
    proof=[
        Mutant("ev_side_disconnect_stops", step="1-2. TransactionEventRequest", says="eventType"),
    ],
)
async def test_TC_E_26_CS_suspended_by_ev_side_disconnect(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With StopTxOnEVSideDisconnect false, the EV parting at its side only suspends the session."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStopPoint contains Authorized"):
            setting = flow.configured(
                "TxCtrlr", "TxStopPoint", "Authorized", holds=_suspends_at_ev_side
            )
            await configuration.enter_async_context(setting)
        await _set(flow, configuration, "OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "false")
        await _set(flow, configuration, "TxCtrlr", "StopTxOnEVSideDisconnect", "false")
        await _suspended(flow)
        mark = csms.mark()
        with step("Manual Action: disconnect the EV and the EVSE at the EV side"):
            await rig.ev_state(EvState.A, flow.evse, flow.connector)
        with step("1-2. TransactionEventRequest Updated, EVCommunicationLost, Idle"):
            await flow.expect_tx(
                "the EV left, the transaction goes on: Updated, EVCommunicationLost, Idle",
                {
                    "eventType": "Updated",
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {"chargingState": "Idle"},
                },
            )
        if "fixed_cable" in dut.features:
            with step("3-4. The connector reports Available (a fixed cable left the EV)"):
                await flow.expect_availability("Available", mark)
        with step("Manual Action: reconnect the EV and the EVSE at the EV side (the EV charges)"):
            await rig.ev_state(EvState.C, flow.evse, flow.connector)
        with step("5-6. TransactionEventRequest Updated, CablePluggedIn, EVConnected"):
            await flow.expect_tx(
                "the EV is back: Updated, CablePluggedIn, EVConnected",
                {
                    "eventType": "Updated",
                    "triggerReason": "CablePluggedIn",
                    "transactionInfo": {"chargingState": "EVConnected"},
                },
            )
        with step("7-8. TransactionEventRequest Updated, ChargingStateChanged, Charging"):
            await flow.expect_tx(
                "energy flows again: Updated, ChargingStateChanged, Charging",
                {
                    "eventType": "Updated",
                    "triggerReason": "ChargingStateChanged",
                    "transactionInfo": {"chargingState": "Charging"},
                },
            )


@testcase(
    "TC_E_27_CS",
    requires=("fixed_cable", "tx_stop_point:Authorized"),
    rig=_RIG,
    proof=[
        Mutant(
            "ignore_ev_connection_timeout",
            step="5-6. TransactionEventRequest",
            says="did not arrive",
            builtin="station-2.0.1-basic-auth",
        ),
        Mutant(
            "wrong_stopped_reason",
            step="5-6. TransactionEventRequest",
            says="stoppedReason",
            builtin="station-2.0.1-basic-auth",
        ),
    ],
)
async def test_TC_E_27_CS_fixed_cable_connection_timeout(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A fixed cable left off the EV past EVConnectionTimeOut deauthorizes the suspended session."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: TxCtrlr.TxStopPoint contains Authorized"):
            setting = flow.configured(
                "TxCtrlr", "TxStopPoint", "Authorized", holds=_suspends_at_ev_side
            )
            await configuration.enter_async_context(setting)
        await _set(flow, configuration, "OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "false")
        await _set(flow, configuration, "TxCtrlr", "StopTxOnEVSideDisconnect", "false")
        timeout = float(await flow.get_variable("TxCtrlr", "EVConnectionTimeOut") or 0)
        await _suspended(flow)
        mark = csms.mark()
        with step("Manual Action: disconnect the EV and the EVSE at the EV side"):
            await rig.ev_state(EvState.A, flow.evse, flow.connector)
        with step("1-2. TransactionEventRequest Updated, EVCommunicationLost, Idle"):
            await flow.expect_tx(
                "the EV left, the transaction goes on: Updated, EVCommunicationLost, Idle",
                {
                    "eventType": "Updated",
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {"chargingState": "Idle"},
                },
            )
        with step("3-4. The connector reports Available (the fixed cable left the EV)"):
            await flow.expect_availability("Available", mark)
        with step("5-6. TransactionEventRequest EVConnectTimeout after EVConnectionTimeOut"):
            stop_points = await flow.points("TxStopPoint")
            if "Authorized" in stop_points:
                what = "TxStopPoint has Authorized: Ended, stoppedReason Timeout"
                match: dict[str, Any] = {
                    "eventType": "Ended",
                    "transactionInfo": {"stoppedReason": "Timeout"},
                }
            else:
                what, match = (
                    "TxStopPoint has ParkingBayOccupancy: Updated",
                    {"eventType": "Updated"},
                )
            timing = dut.timing
            await flow.expect_tx(
                f"the cable did not come back: triggerReason EVConnectTimeout; {what}",
                {**match, "triggerReason": "EVConnectTimeout"},
                timeout=timeout + timing.tolerance + timing.message_timeout,
            )
