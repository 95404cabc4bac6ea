"""OCPP 2.0.1 the EV leaving at its side ends the suspended transaction (E06.S2, E10).

TC_E_20_CS (an IEC 61851-1 EV) and TC_E_54_CS (an EV with high level
communication) share their configuration, their Before and their one step;
they differ only in the stoppedReason the Ended event may give.
"""

from __future__ import annotations

import contextlib

from harness.errors import NotApplicable
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.rig_ways import authorize
from harness.flows.v201.tx_points import members, tx_point
from harness.rig import Capability, EvState
from harness.steps import step

__all__ = ["ev_side_disconnect_ends", "outlives_suspension"]


def outlives_suspension(value: str) -> bool:
    """A ReadOnly TxStopPoint TC_E_20/54 accept: EVConnected, and not ending with the energy."""
    points = members(value)
    return "EVConnected" in points and not points & {"EnergyTransfer", "PowerPathClosed"}


async def ev_side_disconnect_ends(flow: StationFlow, reasons: str, stopped: object) -> None:
    """TxStopPoint EVConnected, EnergyTransferSuspended, the EV leaves at its side: Ended.

    Args:
        flow: the station.
        reasons: the stoppedReason(s) allowed, as the step and the failure say them.
        stopped: the matcher of ``transactionInfo.stoppedReason``.
    """
    flow.rig.require(Capability.PLUG, Capability.EV_STATE)
    async with contextlib.AsyncExitStack() as configuration:
        stop_point = tx_point(flow, "TxStopPoint", "EVConnected", outlives_suspension)
        await configuration.enter_async_context(stop_point)
        with step("Before: TxCtrlr.StopTxOnEVSideDisconnect is false (if ReadWrite)"):
            await flow.prefer({("TxCtrlr", "StopTxOnEVSideDisconnect"): "false"})
            stops = await flow.get_variable("TxCtrlr", "StopTxOnEVSideDisconnect") == "true"
            if stops and "Authorized" in await flow.points("TxStopPoint"):
                raise NotApplicable(
                    "StopTxOnEVSideDisconnect stays true and TxStopPoint keeps Authorized"
                )
        with step("Before: State is EnergyTransferSuspended"):
            await authorize(flow)
            await flow.energy_transfer_started()
            await flow.energy_transfer_suspended()
        with step("Disconnect the EV from the EVSE at the EV side"):
            await flow.rig.ev_state(EvState.A, flow.evse, flow.connector)
        with step(f"1-2. TransactionEventRequest Ended, EVCommunicationLost, Idle, {reasons}"):
            await flow.expect_tx(
                f"the EV left: Ended, EVCommunicationLost, Idle, stoppedReason {reasons}",
                {
                    "eventType": "Ended",
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {"chargingState": "Idle", "stoppedReason": stopped},
                },
            )
