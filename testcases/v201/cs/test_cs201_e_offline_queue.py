"""OCPP 2.0.1 block E, station under test: TransactionEvents queued while offline (E04, E11, E12).

The harness cuts the network for <Configured RetryBackOffWaitMinimum> (the
station's first reconnection attempt comes after it); what the station did
meanwhile must come once it is back, every message flagged ``offline``, in
the order it happened.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from harness.checks import conform, conform_reply
from harness.errors import NotApplicable, NotRun
from harness.expect import ABSENT, ANY
from harness.flows.v16.offline import offline_for
from harness.flows.v201.auth import answer_authorize, answer_transaction_events, group_info
from harness.flows.v201.auth_cache import id_token_cached
from harness.flows.v201.cs import StationFlow, id_token
from harness.flows.v201.offline_queue import (
    accepted,
    backoff_configured,
    held_events,
    offline_period,
    one_of_the_messages,
    queued_events,
    sampled_configured,
    wait_minimum,
)
from harness.flows.v201.parking import drive_out
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


@contextlib.asynccontextmanager
async def _charging(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    *,
    sampled: bool,
    enabled: bool = False,
    extra: float = 0.0,
) -> AsyncIterator[tuple[StationFlow, int]]:
    """Before: the offline configuration states, then State is EnergyTransferStarted.

    ``sampled``: TxUpdatedMeasurands/Interval (``enabled``: SampledDataEnabled too).
    Yields the flow and <Configured RetryBackOffWaitMinimum> (+ ``extra``) as set.
    """
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut, extra)
    async with contextlib.AsyncExitStack() as before:
        if sampled:
            await before.enter_async_context(sampled_configured(flow, enabled=enabled))
        await before.enter_async_context(backoff_configured(flow, wait))
        with step("Before: State is EnergyTransferStarted"):
            await flow.authorized_local()
            await flow.energy_transfer_started()
        yield flow, wait


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
    async with _charging(csms, rig, dut, sampled=True, enabled=True) as (flow, wait):
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


async def _stop_and_leave(flow: StationFlow, presented: str, *, parked: bool) -> None:
    """The manual actions offline: ``presented`` stops, the EV leaves (and the bay, if ``parked``).

    ``parked``: TxStopPoint has ParkingBayOccupancy (read before the network was cut).
    """
    dut, rig = flow.dut, flow.rig
    with step(f"Manual Action: present {presented}"):
        await rig.present_card(id_token(dut, presented)["idToken"])
    with step("Manual Action: disconnect the EV and the EVSE"):
        await rig.plug_out(flow.evse, flow.connector)
    if parked:  # "Only needed if TxStopPoint is ParkingBayOccupancy"
        await drive_out(flow, "Manual Action: drive the EV out of the parking bay")


async def _parked(flow: StationFlow) -> bool:
    return "ParkingBayOccupancy" in await flow.points("TxStopPoint")


async def _stopped_offline(flow: StationFlow, wait: int, presented: str) -> None:
    """Steps 1-4 of TC_E_44/45_CS: offline, ``presented`` stops, the EV leaves; the queue."""
    csms, dut = flow.csms, flow.dut
    parked = await _parked(flow)
    async with offline_period(csms, dut, _OFFLINE_STOP, wait=wait) as cut:
        await _stop_and_leave(flow, presented, parked=parked)
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
    async with _charging(csms, rig, dut, sampled=False) as (flow, wait):
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


async def _status_with_queue(csms: Session, rig: Rig, dut: DutProfile, *, with_id: bool) -> None:
    """TC_E_29/33_CS: offline while charging; GetTransactionStatus at once; then the queue."""
    # The CSMS answers the queued messages (step 6) only after step 4.
    async with _charging(csms, rig, dut, sampled=True) as (flow, wait), held_events(csms):
        async with offline_period(csms, dut, _CUT, wait=wait) as cut:
            pass  # the EV keeps charging: the station samples meter values offline
        asked = {"transactionId": flow.transaction_id} if with_id else {}
        named = "with the transactionId" if with_id else "without a transactionId"
        with step(f"3-4. GetTransactionStatusRequest {named}, as the connection is back"):
            reply = await csms.call("GetTransactionStatus", asked)
            ongoing = True if with_id else ABSENT
            conform_reply(
                reply,
                f"messagesInQueue true, ongoingIndicator {ongoing!r} (E14)",
                {"ongoingIndicator": ongoing, "messagesInQueue": True},
            )
        with step(_QUEUE_5):
            await queued_events(
                flow,
                cut,
                "a queued meter value: Updated with meterValue",
                {"eventType": "Updated", "meterValue": ANY},
                answer=accepted,
            )


_QUEUE_5 = "5-6. TransactionEventRequest: the station empties its queue"


@testcase(
    "TC_E_29_CS",
    rig=_RIG,
    proof=[
        Mutant("tx_status_not_queued", step="3-4. GetTransactionStatus", says="messagesInQueue"),
        Mutant("offline_flag_false", step=_QUEUE_5, says="offline"),
    ],
)
async def test_TC_E_29_CS_status_ongoing_with_queue(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Back online with meter values queued, the running transaction is ongoing, messages queued."""
    await _status_with_queue(csms, rig, dut, with_id=True)


@testcase(
    "TC_E_33_CS",
    rig=_RIG,
    proof=[
        Mutant("tx_status_not_queued", step="3-4. GetTransactionStatus", says="messagesInQueue"),
        Mutant("tx_status_ongoing:true", step="3-4. GetTransactionStatus", says="ongoing"),
    ],
)
async def test_TC_E_33_CS_status_without_id_with_queue(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Asked without a transactionId while meter values are queued, the station says so only."""
    await _status_with_queue(csms, rig, dut, with_id=False)


@testcase(
    "TC_E_31_CS",
    rig=_RIG,
    proof=[
        Mutant("tx_status_not_queued", step="1-2. GetTransactionStatus", says="messagesInQueue"),
        Mutant("tx_status_ongoing:true", step="1-2. GetTransactionStatus", says="ongoing"),
        Mutant("drop_queued:Ended", step="3-4. TransactionEventRequest", says="kept while offline"),
    ],
)
async def test_TC_E_31_CS_status_ended_with_queue(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A transaction stopped offline is not ongoing while its messages are still queued."""
    duration = dut.timing.transaction_duration
    async with _charging(csms, rig, dut, sampled=True, extra=duration) as (flow, wait):
        title = (
            "The CSMS closes the WebSocket connection, refuses reconnects while the driver "
            "stops and leaves (transaction duration), then accepts the reconnection"
        )
        parked = await _parked(flow)
        async with held_events(csms):
            async with offline_period(csms, dut, title, wait=wait) as cut:
                # The configured scenario is local: the same idToken as started it.
                await _stop_and_leave(flow, "valid", parked=parked)
            with step("1-2. GetTransactionStatusRequest with the transactionId, as it is back"):
                reply = await csms.call(
                    "GetTransactionStatus", {"transactionId": flow.transaction_id}
                )
                conform_reply(
                    reply,
                    "the ended transaction with messages queued: ongoingIndicator false, "
                    "messagesInQueue true (E14)",
                    {"ongoingIndicator": False, "messagesInQueue": True},
                )
            with step("3-4. TransactionEventRequest: the station empties its queue"):
                queue = await queued_events(
                    flow, cut, "a queued message", {}, until=_ended, answer=accepted
                )
                # StopAuthorized through EVDisconnected (and ParkingBayUnoccupied with a sensor).
                one_of_the_messages(
                    queue, "the stop (StopAuthorized)", {"triggerReason": "StopAuthorized"}
                )
                one_of_the_messages(queue, "the Ended event", {"eventType": "Ended"})


def _not_periodic(payload: dict[str, Any]) -> bool:
    return payload.get("triggerReason") != "MeterValuePeriodic"


def _invalid_for_the_token(found: IncomingCall) -> dict[str, Any]:
    """Step 2: the TransactionEventRequest with the idToken is answered Invalid."""
    return {"idTokenInfo": {"status": "Invalid"}} if "idToken" in found.payload else {}


_DEAUTHORIZED = "3-4. TransactionEventRequest: the station deauthorizes the transaction"


@testcase(
    "TC_E_16_CS",
    rig=(Capability.PLUG, Capability.CARD),
    proof=[
        Mutant("offline_flag_false", step="1-2. TransactionEventRequest", says="offline"),
        Mutant("ended_trigger:StopAuthorized", step=_DEAUTHORIZED, says="triggerReason"),
    ],
)
async def test_TC_E_16_CS_deauthorized_after_offline_start(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An offline transaction whose idToken the CSMS then finds Invalid ends Deauthorized."""
    flow = StationFlow(csms, dut, rig)
    wait = wait_minimum(dut)
    valid = id_token(dut, "valid")["idToken"]
    async with contextlib.AsyncExitStack() as before:
        with step("Before: TxStopPoint contains Authorized or PowerPathClosed"):
            stop_points = await flow.points("TxStopPoint")
            if not stop_points & {"Authorized", "PowerPathClosed"}:
                wanted = ",".join(sorted(stop_points | {"Authorized"}))
                await before.enter_async_context(
                    flow.configured("TxCtrlr", "TxStopPoint", wanted, holds=lambda _v: False)
                )
        with step(
            "Before: AuthEnabled true, DisableRemoteAuthorization false, "
            "OfflineTxForUnknownIdEnabled true (if implemented)"
        ):
            await flow.prefer(
                {
                    ("AuthCtrlr", "AuthEnabled"): "true",
                    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
                    ("AuthCtrlr", "OfflineTxForUnknownIdEnabled"): "true",
                }
            )
        with step("Before: StopTxOnInvalidId is true"):
            await before.enter_async_context(
                flow.configured("TxCtrlr", "StopTxOnInvalidId", "true", holds=lambda v: v == "true")
            )
        if dut.supports("auth_cache"):  # IdTokenCached (if implemented)
            with step("Before: Memory State IdTokenCached for the valid idToken"):
                await id_token_cached(csms, rig, dut, "valid")
        title = (
            "Before: StartOfflineTransaction 1-2. The CSMS closes the WebSocket connection; "
            "the driver starts a transaction; the CSMS accepts the reconnection"
        )
        # Step 2's answer is in place before the station can send its queue.
        before.enter_context(csms.responding("TransactionEvent", _invalid_for_the_token))
        async with offline_period(csms, dut, title, wait=wait) as cut:
            with step("Manual Action: present the idToken"):
                await rig.present_card(valid)
            with step("Manual Action: connect the EV and the EVSE"):
                await rig.plug_in(flow.evse, flow.connector)
        with step("1-2. TransactionEventRequest: the station empties its queue"):
            queue = await queued_events(flow, cut, "a queued message", {})
            one_of_the_messages(queue, "the one with the idToken", {"idToken": ANY})
        with step(_DEAUTHORIZED):
            ended = queue.after
            if ended is None or not _not_periodic(ended.payload):
                # A periodic meter value may come first; the step's message is the next.
                ended = await csms.expect(
                    "TransactionEvent", where=_not_periodic, after=ended or queue.kept[-1]
                )
            conform(
                ended,
                "the transaction deauthorized: Ended, Deauthorized, DeAuthorized",
                {
                    "eventType": "Ended",
                    "triggerReason": "Deauthorized",
                    "transactionInfo": {"stoppedReason": "DeAuthorized"},
                },
            )
