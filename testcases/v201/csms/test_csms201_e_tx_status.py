"""OCPP 2.0.1 block E (transactions), the CSMS under test: GetTransactionStatus (E14).

The CSMS is asked (trigger) for the status of the harness station's
transaction messages, with or without a transactionId; the station answers
from its offline queue (:mod:`harness.flows.v201.csms_offline`): events it
kept while its link was cut are delivered after the answer, with
``offline`` true and the ``seqNo`` they got when they happened.
"""

from __future__ import annotations

from typing import Any

from harness.expect import ABSENT
from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_before import charging
from harness.flows.v201.csms_offline import OfflineQueue
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


async def _transaction_status(
    station: Session,
    trigger: CsmsTrigger,
    numbers: tuple[int, int],
    tx: flows.Transaction | None,
    answer: dict[str, Any],
    *,
    judged: bool = True,
) -> None:
    """Steps N, N+1: the CSMS asks GetTransactionStatus (for ``tx``, or none); the station answers.

    Judged (where the catalogue validates it): transactionId is ``tx``'s id,
    or omitted when the CSMS asks about every transaction.
    """
    request: dict[str, Any] = {} if tx is None else {"transactionId": tx.id}
    if tx is None:
        check = ("transactionId omitted", {"transactionId": ABSENT})
        about = "without transactionId"
    else:
        check = (f"transactionId {tx.id} (from Before)", {"transactionId": tx.id})
        about = f"for transaction {tx.id}"
    words = ", ".join(f"{key} {str(value).lower()}" for key, value in answer.items())
    await requested(
        trigger,
        station,
        "GetTransactionStatus",
        request,
        description=f"Make the CSMS ask the station for its transaction status {about}",
        request_step=f"{numbers[0]}. The CSMS sends GetTransactionStatusRequest {about}",
        answer_step=f"{numbers[1]}. The station responds with GetTransactionStatusResponse "
        f"({words or 'ongoingIndicator omitted'})",
        answer=answer,
        checks=[check] if judged else [],
    )


async def _offline_with_sample(
    station: Session, dut: DutProfile, link: StationLink
) -> tuple[flows.Transaction, OfflineQueue]:
    """Before, steps 1-2: charging, the link is cut for a while; a meter value is queued."""
    tx = await charging(station, dut)
    queue = OfflineQueue(link)
    with step("1-2. The station goes offline for <Configured Transaction Duration>, reconnects"):
        async with queue.offline(dut):
            queue.record(tx, "Updated", "MeterValuePeriodic", meter_values=True)
    return tx, queue


async def _queued_sample_delivered(station: Session, queue: OfflineQueue) -> None:
    with step("5-6. The queued TransactionEvent Updated (meterValue, offline) is answered"):
        await queue.deliver(station, queue.queued[0])


_NO_ID = Mutant(
    "transaction_status_no_id",
    step="The CSMS sends GetTransactionStatusRequest",
    says="transactionId",
)
_WITH_ID = Mutant(
    "transaction_status_with_id",
    step="The CSMS sends GetTransactionStatusRequest",
    says="transactionId",
)


@testcase("TC_E_29_CSMS", proof=[_NO_ID])
async def test_TC_E_29_CSMS_status_ongoing_with_queue(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS asks about a transaction whose offline messages are still queued."""
    tx, queue = await _offline_with_sample(station, dut, station_link)
    answer = {"ongoingIndicator": True, "messagesInQueue": queue.pending}
    await _transaction_status(station, trigger, (3, 4), tx, answer)
    await _queued_sample_delivered(station, queue)


@testcase("TC_E_30_CSMS", proof=[_NO_ID])
async def test_TC_E_30_CSMS_status_ongoing_without_queue(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks about a running transaction with nothing queued."""
    tx = await charging(station, dut)
    answer = {"ongoingIndicator": True, "messagesInQueue": False}
    await _transaction_status(station, trigger, (1, 2), tx, answer)


@testcase(
    "TC_E_31_CSMS",
    proof=[
        Mutant(
            "skip_trigger",
            step="7. The CSMS sends GetTransactionStatusRequest",
            says="GetTransactionStatus",
        )
    ],
)
async def test_TC_E_31_CSMS_status_ended_with_queue(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """A transaction ended offline: its end comes first, the CSMS asks, the rest follows."""
    tx = await charging(station, dut)
    queue = OfflineQueue(station_link)
    with step("1-2. The station goes offline for <Configured Transaction Duration>, reconnects"):
        async with queue.offline(dut):
            # The driver stops, the energy transfer ends, the EV unplugs: the
            # three events take seqNo N, N+1 and N+2 as they happen.
            stop = queue.record(tx, "Updated", "StopAuthorized", token=flows.id_token(dut))
            post = queue.record(tx, "Updated", "ChargingStateChanged", charging_state="EVConnected")
            ended = queue.record(
                tx,
                "Ended",
                "EVCommunicationLost",
                charging_state="Idle",
                extra_info={"stoppedReason": "EVDisconnected"},
            )
    with step("3-4. StatusNotification Available for the configured connector is answered"):
        # only the StatusNotification of the two reports (no NotifyEvent here)
        status, _event = flows.connector_reports(station, tx.evse_id, tx.connector_id, "Available")
        await station.call(*status)
    with step("5-6. TransactionEvent Ended (offline, skipping two seqNo values) is answered"):
        await queue.deliver(station, ended)
    # The catalogue validates nothing here (the request carries the ended
    # transaction's id, as the case's name says).
    answer = {"ongoingIndicator": False, "messagesInQueue": queue.pending}
    await _transaction_status(station, trigger, (7, 8), tx, answer, judged=False)
    with step("9-10. TransactionEvent Updated (StopAuthorized, offline, first skipped seqNo)"):
        await queue.deliver(station, stop)
    with step("11-12. TransactionEvent Updated (EVConnected, offline, second skipped seqNo)"):
        await queue.deliver(station, post)


@testcase("TC_E_33_CSMS", proof=[_WITH_ID])
async def test_TC_E_33_CSMS_status_any_with_queue(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS asks, without a transactionId, while offline messages are queued."""
    _tx, queue = await _offline_with_sample(station, dut, station_link)
    await _transaction_status(station, trigger, (3, 4), None, {"messagesInQueue": queue.pending})
    await _queued_sample_delivered(station, queue)


@testcase("TC_E_34_CSMS", proof=[_WITH_ID])
async def test_TC_E_34_CSMS_status_any_without_queue(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks, without a transactionId, with nothing queued."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await _transaction_status(station, trigger, (1, 2), None, {"messagesInQueue": False})
