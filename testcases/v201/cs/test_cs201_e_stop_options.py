"""OCPP 2.0.1 TxStopPoint options (E06), charging station under test.

Each case sets ``TxCtrlr.TxStopPoint`` as its Before says where the station lets
it (ReadWrite), or accepts a ReadOnly value the catalogue's prerequisite allows;
a station that can do neither is not applicable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from harness.expect import one_of
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.tx_points import AUTH_ON, members, tx_point
from harness.flows.v201.tx_timeout import (
    connection_timeout_configured,
    connection_timeout_lapses,
    evse_of,
)
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


def _with_authorized_not_power_path(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_15/21 accept: Authorized, and not PowerPathClosed."""
    points = members(value)
    return "Authorized" in points and "PowerPathClosed" not in points


def _with_authorized(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_39 accepts: it contains Authorized."""
    return "Authorized" in members(value)


def _stop_point(
    flow: StationFlow, value: str, holds: Callable[[str], bool]
) -> contextlib.AbstractAsyncContextManager[None]:
    """Configuration state: TxStopPoint is ``value`` for the block (if ReadWrite)."""
    return tx_point(flow, "TxStopPoint", value, holds)


async def _started_then(
    flow: StationFlow, point: str, holds: Callable[[str], bool], title: str, remote: bool
) -> None:
    """TxStopPoint ``point``, EnergyTransferStarted, then StopAuthorized (local or remote)."""
    async with _stop_point(flow, point, holds):
        with step("Before: State is EnergyTransferStarted"):
            await flow.authorized_local()
            await flow.energy_transfer_started()
        with step(title):
            # The flow waits the configured transaction duration, then stops.
            if remote:
                await flow.stop_authorized_remote()
            else:
                await flow.stop_authorized_local()


@testcase(
    "TC_E_15_CS",
    requires=("tx_stop_point:Authorized",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stopped_reason", step="StopAuthorized 1-4.", says="stoppedReason"),
        Mutant("tx_not_ended", step="StopAuthorized 1-4.", says="did not arrive"),
    ],
)
async def test_TC_E_15_CS_stop_on_local_stop_authorization(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStopPoint Authorized, the idToken presented again ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    title = "1-2. TransactionEventRequest Ended, StopAuthorized, stoppedReason Local"
    await _started_then(flow, "Authorized", _with_authorized_not_power_path, title, False)


@testcase(
    "TC_E_21_CS",
    requires=("tx_stop_point:Authorized",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stopped_reason", step="StopAuthorized 3-4.", says="stoppedReason"),
        Mutant("reject:RequestStopTransaction", step="StopAuthorized 1-2.", says="status"),
    ],
)
async def test_TC_E_21_CS_stop_on_remote_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With TxStopPoint Authorized, RequestStopTransaction ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    title = "1-4. RequestStopTransaction; TransactionEventRequest Ended, RemoteStop, Remote"
    await _started_then(flow, "Authorized", _with_authorized_not_power_path, title, True)


@testcase(
    "TC_E_39_CS",
    requires=("tx_stop_point:Authorized",),
    rig=(Capability.PLUG, Capability.CARD),
    proof=[
        Mutant(
            "ignore_ev_connection_timeout",
            step="3-4. Connecting the EV starts no charging",
            says="TransactionEvent",
        ),
    ],
)
async def test_TC_E_39_CS_deauthorized_by_timeout(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An authorization lapsed by EVConnectionTimeOut does not let a later connected EV charge."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        await configuration.enter_async_context(_stop_point(flow, "Authorized", _with_authorized))
        await configuration.enter_async_context(connection_timeout_configured(flow))
        with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
            await flow.prefer(AUTH_ON)
        with step("Before: State is Authorized"):
            await flow.authorized_local()
            authorized_at = csms.mark()
        parking = "ParkingBayOccupancy" in await flow.points("TxStartPoint")
        event_type = "Updated" if parking else "Ended"
        match: dict[str, Any] = {
            "eventType": event_type,
            "transactionInfo": {"stoppedReason": "Timeout"},
        }
        what = f"{event_type} (TxStartPoint {'has' if parking else 'lacks'} ParkingBayOccupancy)"
        await connection_timeout_lapses(flow, authorized_at, "1-2.", what, match)
        mark = csms.mark()
        with step("Manual Action: connect the EV and the EVSE (EV side, then EVSE side)"):
            await rig.plug_in(flow.evse, flow.connector)
        with step("3-4. Connecting the EV starts no charging"):
            # The station may report the cable (triggerReason CablePluggedIn), never anything
            # else, and never Charging: the authorization lapsed.

            def charges(payload: dict[str, Any]) -> bool:
                if evse_of(payload) not in (None, flow.evse):
                    return False
                info = payload.get("transactionInfo", {})
                allowed = ("CablePluggedIn", "MeterValuePeriodic", "MeterValueClock")
                return bool(
                    payload.get("triggerReason") not in allowed
                    or info.get("chargingState") == "Charging"
                )

            await csms.expect_none(
                "TransactionEvent", where=charges, during=dut.timing.message_timeout, after=mark
            )


def _power_path_not_authorized(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_07/35 accept: PowerPathClosed, and not Authorized."""
    points = members(value)
    return "PowerPathClosed" in points and "Authorized" not in points


def _power_path_outlives_suspension(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_37 accepts: PowerPathClosed, nothing ending later or earlier."""
    points = members(value)
    later = {"EnergyTransfer", "EVConnected", "DataSigned"}
    return "PowerPathClosed" in points and not points & later


def _energy_not_authorized(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_08 accepts: EnergyTransfer, neither Authorized nor the path."""
    points = members(value)
    return "EnergyTransfer" in points and not points & {"Authorized", "PowerPathClosed"}


@testcase(
    "TC_E_07_CS",
    requires=("tx_stop_point:PowerPathClosed",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[Mutant("wrong_stopped_reason", step="StopAuthorized 1-4.", says="stoppedReason")],
)
async def test_TC_E_07_CS_power_path_local_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With TxStopPoint PowerPathClosed, the idToken presented again ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    title = "1. Execute Reusable State StopAuthorized (present the idToken)"
    await _started_then(flow, "PowerPathClosed", _power_path_not_authorized, title, False)


@testcase(
    "TC_E_35_CS",
    requires=("tx_stop_point:PowerPathClosed",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stopped_reason", step="StopAuthorized 3-4.", says="stoppedReason"),
        Mutant("reject:RequestStopTransaction", step="StopAuthorized 1-2.", says="status"),
    ],
)
async def test_TC_E_35_CS_power_path_remote_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With TxStopPoint PowerPathClosed, RequestStopTransaction ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    title = "1-4. RequestStopTransaction; TransactionEventRequest Ended, RemoteStop, Remote"
    await _started_then(flow, "PowerPathClosed", _power_path_not_authorized, title, True)


@testcase(
    "TC_E_37_CS",
    requires=("tx_stop_point:PowerPathClosed",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stopped_reason", step="1-2. TransactionEventRequest", says="stoppedReason"),
        Mutant("stale_charging_state", step="1-2. TransactionEventRequest", says="chargingState"),
    ],
)
async def test_TC_E_37_CS_power_path_ev_side_disconnect(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStopPoint PowerPathClosed, the EV parting at its side ends the suspended session."""
    flow = StationFlow(csms, dut, rig)
    async with _stop_point(flow, "PowerPathClosed", _power_path_outlives_suspension):
        with step("Before: TxCtrlr.StopTxOnEVSideDisconnect is false (if ReadWrite)"):
            await flow.prefer({("TxCtrlr", "StopTxOnEVSideDisconnect"): "false"})
        with step("Before: State is EnergyTransferSuspended"):
            await flow.authorized_local()
            await flow.energy_transfer_started()
            await flow.energy_transfer_suspended()
        with step("Manual Action: disconnect the EV and the EVSE at the EV side"):
            await rig.ev_state(EvState.A, flow.evse, flow.connector)
        with step("1-2. TransactionEventRequest Ended, EVCommunicationLost, Idle"):
            await flow.expect_tx(
                "the EV left: Ended, EVCommunicationLost, Idle, EVDisconnected or StoppedByEV",
                {
                    "eventType": "Ended",
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {
                        "chargingState": "Idle",
                        "stoppedReason": one_of("EVDisconnected", "StoppedByEV"),
                    },
                },
            )


@testcase(
    "TC_E_08_CS",
    requires=("tx_stop_point:EnergyTransfer",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[Mutant("tx_not_ended", step="StopAuthorized 1-4.", says="did not arrive")],
)
async def test_TC_E_08_CS_energy_transfer_stop_authorized(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStopPoint EnergyTransfer, ending the authorization ends the transaction."""
    flow = StationFlow(csms, dut, rig)
    title = "1. State is StopAuthorized (present the idToken)"
    await _started_then(flow, "EnergyTransfer", _energy_not_authorized, title, False)
