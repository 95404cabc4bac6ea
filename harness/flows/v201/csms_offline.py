"""OCPP 2.0.1 ``_CSMS`` offline queue: TransactionEvents the harness station kept while offline.

While its link to the CSMS is cut, a station goes on with its transactions
and queues each TransactionEvent with the time it happened and its
``seqNo``; once connected again it delivers them with ``offline`` true (E12,
E14). :class:`OfflineQueue` is that queue: ``async with queue.offline(dut)``
cuts the link for the scenario's offline time, :meth:`~OfflineQueue.record`
queues an event happening in the block, :meth:`~OfflineQueue.deliver` sends one (in whatever order
the case says) and :attr:`~OfflineQueue.pending` tells GetTransactionStatus
whether messages are still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from harness.flows.v201.csms import Transaction, transaction_event
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.roles import StationLink
from harness.session import Session

__all__ = ["OfflineQueue", "Queued", "energy_sample"]


def energy_sample(timestamp: str) -> list[dict[str, Any]]:
    """A periodic ``meterValue`` entry of the transaction's energy register at ``timestamp``."""
    return [
        {
            "timestamp": timestamp,
            "sampledValue": [
                {
                    "value": 1500.0,
                    "context": "Sample.Periodic",
                    "measurand": "Energy.Active.Import.Register",
                }
            ],
        }
    ]


@dataclass
class Queued:
    """A TransactionEvent the station queued while offline.

    Attributes:
        tx: its transaction.
        event_type: ``Started``, ``Updated`` or ``Ended``.
        trigger_reason: its triggerReason.
        seq_no: the ``seqNo`` it got when it happened.
        timestamp: when it happened.
        options: the rest of :func:`~harness.flows.v201.csms.transaction_event`'s
            arguments (charging state, token, transaction info).
        meter_values: whether it carries a periodic meter value.
    """

    tx: Transaction
    event_type: str
    trigger_reason: str
    seq_no: int
    timestamp: str
    options: dict[str, Any] = field(default_factory=dict)
    meter_values: bool = False


class OfflineQueue:
    """The harness station's queue of TransactionEvents while its link is down.

    Args:
        link: the harness station's link to the CSMS under test.
    """

    def __init__(self, link: StationLink) -> None:
        self.link = link
        self.queued: list[Queued] = []

    @property
    def pending(self) -> bool:
        """Whether messages are still queued (GetTransactionStatus ``messagesInQueue``)."""
        return bool(self.queued)

    @contextlib.asynccontextmanager
    async def offline(self, dut: DutProfile) -> AsyncIterator[None]:
        """The link is cut for the block, which records what happens meanwhile.

        Once the block is done the station stays offline the rest of
        <Configured Transaction Duration>, then reconnects. It is offline on
        purpose for the scenario's time: there is no device to wait for,
        only the clock (stretched by the time factor).
        """
        await self.link.cut("station offline")
        seconds = dut.timing.transaction_duration * self.link.time_factor
        back = asyncio.get_running_loop().time() + seconds
        yield
        await asyncio.sleep(max(0.0, back - asyncio.get_running_loop().time()))
        await self.link.restore()

    def record(
        self,
        tx: Transaction,
        event_type: str,
        trigger_reason: str,
        *,
        meter_values: bool = False,
        **options: Any,
    ) -> Queued:
        """Queue an event happening now: it takes the transaction's next ``seqNo``."""
        queued = Queued(
            tx, event_type, trigger_reason, tx.next_seq(), utc_now(), options, meter_values
        )
        self.queued.append(queued)
        return queued

    async def deliver(self, station: Session, queued: Queued) -> Reply:
        """Send ``queued`` with ``offline`` true, its own time and ``seqNo``; the answer."""
        __tracebackhide__ = True
        self.queued.remove(queued)
        fields: dict[str, Any] = {"timestamp": queued.timestamp, "offline": True}
        if queued.meter_values:
            fields["meterValue"] = energy_sample(queued.timestamp)
        return await transaction_event(
            station,
            queued.tx,
            queued.event_type,
            queued.trigger_reason,
            seq_no=queued.seq_no,
            fields=fields,
            **queued.options,
        )
