"""OCPP 2.0.1 block E, station under test: TransactionEvents queued while offline (E04, E11, E12).

The harness cuts the network for <Configured RetryBackOffWaitMinimum> (the
station's first reconnection attempt comes after it); what the station did
meanwhile must come once it is back, every message flagged ``offline``, in
the order it happened.
"""

from __future__ import annotations

import contextlib

from harness.errors import NotApplicable, NotRun
from harness.expect import ANY
from harness.flows.v16.offline import offline_for
from harness.flows.v201.auth import answer_authorize, answer_transaction_events, group_info
from harness.flows.v201.auth_cache import id_token_cached
from harness.flows.v201.cs import StationFlow, id_token
from harness.flows.v201.offline_queue import (
    backoff_configured,
    offline_period,
    one_of_the_messages,
    queued_events,
    sampled_configured,
    wait_minimum,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
_CUT = (
    "1-2. The CSMS closes the WebSocket connection, refuses reconnects for "
    "RetryBackOffWaitMinimum, then accepts the reconnection"
)
_QUEUE = "3-4. TransactionEventRequest: the station empties its queue"


@testcase(
    "TC_E_40_CS",
    rig=_RIG,
    proof=[
        Mutant("offline_flag_false", step=_QUEUE, says="offline"),
        Mutant("drop_queued:Updated", step=_QUEUE, says="offline"),
    ],
)
async def test_TC_E_40_CS_connection_loss_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Meter values sampled while offline are sent once back, Updated and flagged offline."""
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut)
    async with contextlib.AsyncExitStack() as before:
        await before.enter_async_context(sampled_configured(flow, enabled=True))
        await before.enter_async_context(backoff_configured(flow, wait))
        with step("Before: State is EnergyTransferStarted"):
            await flow.authorized_local()
            await flow.energy_transfer_started()
        async with offline_period(csms, dut, _CUT, wait=wait) as cut:
            pass  # the EV keeps charging: the station samples meter values offline
        with step(_QUEUE):
            await queued_events(
                flow,
                cut,
                "a queued meter value: Updated with meterValue",
                {"eventType": "Updated", "meterValue": ANY},
            )


def _ended(found: IncomingCall) -> bool:
    return found.payload.get("eventType") == "Ended"


_OFFLINE_STOP = (
    "1-2. The CSMS closes the WebSocket connection and refuses reconnects; the driver stops "
    "and leaves; the CSMS accepts the reconnection"
)


async def _stopped_offline(flow: StationFlow, wait: int, presented: str) -> None:
    """Steps 1-4 of TC_E_44/45_CS: offline, ``presented`` stops, the EV leaves; the queue."""
    csms, dut, rig = flow.csms, flow.dut, flow.rig
    async with offline_period(csms, dut, _OFFLINE_STOP, wait=wait) as cut:
        with step(f"Manual Action: present {presented}"):
            await rig.present_card(id_token(dut, presented)["idToken"])
        with step("Manual Action: disconnect the EV and the EVSE"):
            await rig.plug_out(flow.evse, flow.connector)
        # Drive EV out of parking bay: only with a ParkingBayOccupancy stop point.
    with step(_QUEUE):
        queue = await queued_events(flow, cut, "a queued message", {}, until=_ended)
        one_of_the_messages(queue, "the Ended event", {"eventType": "Ended"})


@testcase(
    "TC_E_44_CS",
    rig=_RIG,
    proof=[
        Mutant("drop_queued:Ended", step=_QUEUE, says="kept while offline"),
        Mutant("offline_flag_false", step=_QUEUE, says="offline"),
    ],
)
async def test_TC_E_44_CS_stop_transaction_offline(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A transaction stopped while offline is reported once back: flagged offline, Ended."""
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut)
    async with backoff_configured(flow, wait):
        with step("Before: State is EnergyTransferStarted"):
            await flow.authorized_local()
            await flow.energy_transfer_started()
        await _stopped_offline(flow, wait, "valid")


@testcase(
    "TC_E_45_CS",
    rig=_RIG,
    proof=[
        Mutant("drop_queued:Ended", step=_QUEUE, says="kept while offline"),
        Mutant("offline_flag_false", step=_QUEUE, says="offline"),
    ],
)
async def test_TC_E_45_CS_stop_transaction_offline_same_group(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Offline, another idToken of the group (known from the cache) stops the transaction."""
    if not (dut.supports("auth_cache") or dut.supports("local_auth_list")):
        raise NotApplicable("the station has neither an authorization cache nor a local list")
    if not dut.supports("auth_cache"):
        raise NotRun("the memory state IdTokenLocalAuthList is not implemented for 2.0.1")
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut)
    in_group = group_info(dut, "Accepted")
    async with backoff_configured(flow, wait):
        with step("Before: Memory State IdTokenCached for valid idToken 2 with the GroupIdToken"):
            await id_token_cached(csms, rig, dut, "valid2", info=in_group)
        with step("Before: State is Authorized with the GroupIdToken, then EnergyTransferStarted"):
            answer_authorize(csms, in_group)
            answer_transaction_events(csms, in_group)
            await flow.authorized_local()
            await flow.energy_transfer_started()
        await _stopped_offline(flow, wait, "valid2")


@testcase(
    "TC_E_43_CS",
    rig=(Capability.PLUG, Capability.CARD),
    proof=[
        Mutant("queue_out_of_order", step="1-2. TransactionEventRequest", says="Started"),
        Mutant("offline_flag_false", step="1-2. TransactionEventRequest", says="offline"),
    ],
)
async def test_TC_E_43_CS_transaction_during_offline_period(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A whole transaction while offline is sent once back: Started to Ended, flagged offline."""
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut)
    valid = id_token(dut, "valid")["idToken"]
    with step("Before: TransactionEventsInQueueEnded: OfflineTxForUnknownIdEnabled true"):
        await flow.prefer({("AuthCtrlr", "OfflineTxForUnknownIdEnabled"): "true"})
    if dut.supports("auth_cache"):  # IdTokenCached (if implemented)
        with step("Before: TransactionEventsInQueueEnded: IdTokenCached for the valid idToken"):
            await id_token_cached(csms, rig, dut, "valid")
    title = (
        "Before: TransactionEventsInQueueEnded 1-2. The CSMS closes the WebSocket connection; "
        "a transaction starts and ends; the CSMS accepts the reconnection"
    )
    async with offline_period(csms, dut, title, wait=wait) as cut:
        with step("Manual Action: connect the EV and the EVSE"):
            await rig.plug_in(flow.evse, flow.connector)
        with step("Manual Action: present the idToken"):
            await rig.present_card(valid)
        with step("The transaction runs for the configured transaction duration (offline)"):
            # Offline no frame says the station has started: the driver's pause is a
            # bounded time from the profile, as the 1.6 offline cases give it.
            await offline_for(csms, dut.timing.transaction_duration)
        with step("Manual Action: present the same idToken as used to start the transaction"):
            await rig.present_card(valid)
        with step("Manual Action: disconnect the EV and the EVSE"):
            await rig.plug_out(flow.evse, flow.connector)
    with step("1-2. TransactionEventRequest: the station empties its queue"):
        queue = await queued_events(flow, cut, "a queued message", {}, until=_ended)
        one_of_the_messages(queue, "the Started event", {"eventType": "Started"})
        one_of_the_messages(queue, "the Ended event", {"eventType": "Ended"})
