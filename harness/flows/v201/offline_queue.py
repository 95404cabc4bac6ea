"""OCPP 2.0.1 offline TransactionEvent queue (E04, E11, E12, E14), charging station under test.

The harness takes the station offline itself (:meth:`Session.offline
<harness.session.Session.offline>`: the connection is closed and new ones are
refused), for a fixed time from the profile's ``[timing]``, as the
catalogue's "The OCTT waits ... before accepting a reconnection attempt".
What the station kept is judged once it is back:

* :func:`backoff_configured` — the Configuration State the offline cases
  share: ``OfflineThreshold`` <RetryBackOffWaitMinimum> + 60,
  ``RetryBackOffWaitMinimum``, ``RetryBackOffRandomRange`` 0.
* :func:`sampled_configured` — TxUpdatedMeasurands and TxUpdatedInterval
  (``[timing].meter_value_interval``), so meter values are sampled offline.
* :func:`offline_period` — the step in which the network is cut and given
  back; what happens offline (the manual actions) is the block's body.
* :func:`queued_events` — the TransactionEventRequests the station kept,
  judged on arrival: each with ``offline`` true (the catalogue's "All
  messages"), in the order they happened (``seqNo`` one more than the
  message before, E01.FR.07), until the queue is empty.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.checks import conform
from harness.errors import ConfigurationError, ExpectationFailed, UnexpectedMessage
from harness.expect import Pattern
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.network import comm_configured
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = [
    "MEASURAND",
    "Cut",
    "Queue",
    "accepted",
    "backoff_configured",
    "held_events",
    "offline_period",
    "one_of_the_messages",
    "queued_events",
    "sampled_configured",
    "wait_minimum",
]

#: <Configured transaction_updated_metervalues_measurands>: the energy register.
MEASURAND = "Energy.Active.Import.Register"
#: What an answer to a held TransactionEventRequest carries (a function of the request).
Answer = Callable[[IncomingCall], dict[str, Any]]


def wait_minimum(dut: DutProfile, extra: float = 0.0) -> int:
    """<Configured RetryBackOffWaitMinimum_duration>, plus ``extra`` (a transaction duration)."""
    return round(dut.timing.retry_backoff_wait_minimum + extra)


@contextlib.asynccontextmanager
async def backoff_configured(flow: StationFlow, wait: int) -> AsyncIterator[None]:
    """Configuration State: OfflineThreshold ``wait`` + 60, RetryBackOffWaitMinimum ``wait``."""
    values = {
        "OfflineThreshold": str(wait + 60),
        "RetryBackOffWaitMinimum": str(wait),
        "RetryBackOffRandomRange": "0",
    }
    title = f"Before: OfflineThreshold {wait + 60}, RetryBackOffWaitMinimum {wait}, random range 0"
    async with contextlib.AsyncExitStack() as stack:
        with step(title):
            await stack.enter_async_context(comm_configured(flow, values))
        yield


def _equal(wanted: str) -> Callable[[str], bool]:
    def holds(value: str) -> bool:
        return value == wanted

    return holds


@contextlib.asynccontextmanager
async def sampled_configured(flow: StationFlow, *, enabled: bool = False) -> AsyncIterator[None]:
    """Configuration State: TxUpdatedMeasurands and TxUpdatedInterval as configured.

    The interval is ``[timing].meter_value_interval``; the measurand is the
    energy register every station samples. With ``enabled``, also
    ``SampledDataCtrlr.Enabled`` true (TC_E_40_CS).
    """
    timing = flow.dut.timing
    if timing.meter_value_interval >= timing.retry_backoff_wait_minimum:
        # The catalogue's note: meter values must be sampled within the offline period.
        raise ConfigurationError(
            "[timing] meter_value_interval must be less than retry_backoff_wait_minimum for "
            "the offline-queue cases (<Configured RetryBackOffWaitMinimum_duration> must be "
            "greater than <Configured Transaction MeterValues interval>)",
            field="timing.meter_value_interval",
        )
    interval = str(timing.meter_value_interval)
    values = {"TxUpdatedMeasurands": MEASURAND, "TxUpdatedInterval": interval}
    if enabled:
        values["Enabled"] = "true"
    async with contextlib.AsyncExitStack() as stack:
        with step(f"Before: SampledDataCtrlr TxUpdatedMeasurands {MEASURAND}, interval {interval}"):
            for name, value in values.items():
                state = flow.configured("SampledDataCtrlr", name, value, holds=_equal(value))
                await stack.enter_async_context(state)
        yield


@dataclass
class Cut:
    """What the harness knew when it cut the network, and when the station was back.

    Attributes:
        mark: the trace position of the cut.
        last_seq: per transactionId, the highest seqNo received before the cut.
        clock: how far the station's clock is ahead of the harness's (its last
            TransactionEvent before the cut), in seconds; 0 when unknown.
        back: the harness's wall time when the station was connected again.
    """

    mark: int
    last_seq: dict[str, int] = field(default_factory=dict)
    clock: float = 0.0
    back: float = 0.0


def _stamp(found: IncomingCall) -> float | None:
    try:
        text = str(found.payload.get("timestamp", "")).replace("Z", "+00:00")
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def _cut(csms: Session) -> Cut:
    cut = Cut(csms.mark())
    for incoming in csms.inbound:
        if incoming.action != "TransactionEvent":
            continue
        tx = str(incoming.payload.get("transactionInfo", {}).get("transactionId"))
        seq = incoming.payload.get("seqNo")
        if isinstance(seq, int):
            cut.last_seq[tx] = max(cut.last_seq.get(tx, seq), seq)
        stamp = _stamp(incoming)
        if stamp is not None:
            cut.clock = stamp - incoming.entry.wall
    return cut


@contextlib.asynccontextmanager
async def offline_period(
    csms: Session, dut: DutProfile, title: str, *, wait: float
) -> AsyncIterator[Cut]:
    """The step ``title``: the network is cut, the body runs, the station is let back.

    New connections are refused for at least ``wait`` seconds after the cut
    (times the time factor); then the session waits for the station's
    reconnection, bounded by its back-off (a first attempt refused just
    before the gate opened is followed by one after twice the wait) and the
    connect timeout.
    """
    cut = _cut(csms)
    back = 3 * wait + dut.timing.connect_timeout
    with step(title):
        async with csms.offline(timeout=back, at_least=wait):
            yield cut
        cut.back = time.time()


@dataclass
class Queue:
    """The TransactionEventRequests the station kept while offline, in arrival order.

    Attributes:
        kept: the kept messages (retransmissions of messages received before the
            cut are not counted).
        after: the first message after the queue (a new one), if one came in time.
    """

    kept: list[IncomingCall]
    after: IncomingCall | None = None


def _continues(found: IncomingCall, previous: int | None) -> None:
    """E01.FR.07 and E04/E12: a kept message follows the one before it, without a gap."""
    seq = found.payload.get("seqNo")
    if previous is None or seq == previous + 1:
        return
    raise UnexpectedMessage(
        f"A TransactionEventRequest kept while offline has seqNo {seq}, expected "
        f"{previous + 1}: the queue is sent in the order the events happened, each seqNo one "
        "more than the one before (OCPP 2.0.1 E01.FR.07, E04: a message must not be lost or "
        f"sent out of order).\n  received: {found.entry.raw[:400]}"
    )


def _new_since_reconnection(found: IncomingCall, cut: Cut, dut: DutProfile) -> bool:
    """Whether a message without ``offline`` true happened once the station was back."""
    stamp = _stamp(found)
    if stamp is None:
        return False
    return stamp - cut.clock >= cut.back - dut.timing.tolerance


async def queued_events(
    flow: StationFlow,
    cut: Cut,
    what: str,
    expected: Mapping[str, Any],
    *,
    until: Callable[[IncomingCall], bool] | None = None,
    answer: Answer | None = None,
) -> Queue:
    """The TransactionEventRequests the station kept while offline, judged on arrival.

    The first TransactionEventRequest after the reconnection must be a kept
    one (the station had one to send); each kept one carries ``offline`` true
    and ``expected``, and continues the seqNo of its transaction. The queue
    ends with ``until`` (e.g. the transaction's Ended event), with the first
    message that happened after the reconnection, or when nothing more comes
    within the message timeout. A message received before the cut and sent
    again after it is a retransmission, passed over.

    Args:
        answer: the TransactionEvents are held by the case: answer each with this.
    """
    csms, dut = flow.csms, flow.dut
    queue = Queue([])
    last: IncomingCall | int = cut.mark
    seqs = dict(cut.last_seq)
    while True:
        try:
            found = await csms.expect("TransactionEvent", after=last)
        except ExpectationFailed as missing:
            if queue.kept:
                return queue
            raise ExpectationFailed(
                f"{missing}\n\nNo TransactionEventRequest kept while offline was sent once the "
                "station was back (E04/E12: transaction messages are queued while offline).",
                awaited=missing.awaited,
                timeout=missing.timeout,
            ) from None
        last = found
        if answer is not None and not found.replied:
            await found.reply(answer(found))
        tx = str(found.payload.get("transactionInfo", {}).get("transactionId"))
        seq = found.payload.get("seqNo")
        if tx in cut.last_seq and isinstance(seq, int) and seq <= cut.last_seq[tx]:
            continue  # on the wire when the network went: sent again, not kept
        live = found.payload.get("offline") is not True and queue.kept
        if live and _new_since_reconnection(found, cut, dut):
            queue.after = found
            return queue
        conform(found, f"{what}: kept while offline, offline true", {**expected, "offline": True})
        _continues(found, seqs.get(tx))
        if isinstance(seq, int):
            seqs[tx] = seq
        queue.kept.append(found)
        if until is not None and until(found):
            return queue


def accepted(_found: IncomingCall) -> dict[str, Any]:
    """The answer to a held TransactionEventRequest that asks nothing of the station."""
    return {}


@contextlib.asynccontextmanager
async def held_events(csms: Session, answer: Answer = accepted) -> AsyncIterator[None]:
    """TransactionEventRequests wait for the case's answer (so the queue is not empty yet).

    On leaving, every one still unanswered on the current connection gets ``answer``
    (``queued_events`` answers those it judged).
    """
    mark = csms.mark()
    with csms.hold("TransactionEvent"):
        yield
    for incoming in csms.inbound:
        if (
            incoming.action == "TransactionEvent"
            and incoming.entry.seq >= mark
            and not incoming.replied
            and incoming.connection is csms.connection
            and not incoming.connection.is_closed
        ):
            await incoming.reply(answer(incoming))


def one_of_the_messages(queue: Queue, what: str, match: Mapping[str, Any]) -> IncomingCall:
    """The catalogue's "One of the messages": a kept message carries ``match``."""
    pattern = Pattern("TransactionEvent", match)
    for found in queue.kept:
        if pattern.matches(found.action, found.payload):
            return found
    sent = "\n".join(f"  received: {f.entry.raw[:300]}" for f in queue.kept)
    raise UnexpectedMessage(
        f"None of the {len(queue.kept)} TransactionEventRequests kept while offline is {what} "
        f"({pattern.describe()}); the catalogue requires one of the messages to be.\n{sent}"
    )
