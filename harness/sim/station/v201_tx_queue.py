"""The offline queue of TransactionEvent messages of the 2.0.1 reference station (E04, E12).

Every TransactionEventRequest goes through :class:`TxQueue`:

* **Online, nothing queued**: it is sent at once (with the E13 retries of
  :mod:`harness.sim.station.v201_retry`) and its answer handled.
* **Offline** (no open connection to the CSMS): it is kept, with
  ``offline`` true, as it was built when the event happened; ``seqNo`` was
  given then, so it continues without a gap. Meter values keep being sampled
  (periodic ``Updated`` events with ``meterValue`` are queued too).
* **Back online** (:meth:`TxQueue.drain`, after a reconnection or an
  accepted boot): the kept messages are sent oldest first, each once the one
  before was answered, and every newer transaction message waits behind them.
  A message that was on the wire when the connection went is sent again, first
  and flagged ``offline`` (the CSMS may have it already and knows it by its seqNo).
* :meth:`TxQueue.holds` says whether messages (of one transaction, or any) are
  still waiting: GetTransactionStatus ``messagesInQueue`` (E14). A message is
  in the queue until the CSMS has answered it.

With ``OCPPCommCtrlr.QueueAllMessages`` true (:meth:`TxQueue.keep`; the
embedded option ``queue_all_messages`` sets its starting value) the station
also keeps its other reports made offline (status, events, meter values) in
the same queue, in order.

Whether the B04 status reports or the queue go first after a reconnection is
left open by OCPP; the embedded option ``offline_queue_first`` (default
false: statuses first) selects the order (:func:`queue_first`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.errors import ConfigurationError
from harness.sim.station.v201_retry import send_transaction_message

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["OnReply", "TxQueue", "queue_first"]

#: What to do with the CSMS's answer to a transaction message once it comes.
OnReply = Callable[[dict[str, Any]], Awaitable[None]]


def _flag(options: Mapping[str, Any], key: str) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise ConfigurationError(
            f"[embedded.options] {key} must be true or false, not {value!r}",
            field=f"embedded.options.{key}",
        )
    return value


def queue_first(options: Mapping[str, Any]) -> bool:
    """The ``offline_queue_first`` option: send the queue before the B04 status reports.

    Raises:
        ConfigurationError: a value other than true or false.
    """
    return _flag(options, "offline_queue_first")


#: Requests never kept by QueueAllMessages: they mean something only now.
_NOT_KEPT = frozenset({"BootNotification", "Heartbeat", "Authorize", "TransactionEvent"})


@dataclass
class _Queued:
    payload: dict[str, Any]
    on_reply: OnReply | None
    action: str = "TransactionEvent"


class TxQueue:
    """The station's transaction messages, in the order they happened.

    Args:
        station: the station whose connection carries them.
    """

    def __init__(self, station: Station201) -> None:
        self.st = station
        self._items: deque[_Queued] = deque()
        self._draining = asyncio.Lock()
        self._empty = asyncio.Event()
        self._empty.set()
        if _flag(station.options, "queue_all_messages"):
            station.dm.update("OCPPCommCtrlr", "QueueAllMessages", "true")

    def offline(self) -> bool:
        """The station has no open connection to the CSMS."""
        connection = self.st.connection
        return connection is None or connection.is_closed

    def holds(self, transaction_id: str | None = None) -> bool:
        """Whether messages (of ``transaction_id``, or of any transaction) wait for delivery."""
        return any(
            item.action == "TransactionEvent"
            and transaction_id in (None, item.payload["transactionInfo"]["transactionId"])
            for item in self._items
        )

    async def delivered(self) -> None:
        """Wait until every kept message was answered (at once when none is kept)."""
        await self._empty.wait()

    def _add(self, item: _Queued, *, first: bool = False) -> None:
        if first:
            self._items.appendleft(item)
        else:
            self._items.append(item)
        self._empty.clear()

    def keep(self, action: str, payload: dict[str, Any]) -> bool:
        """``OCPPCommCtrlr.QueueAllMessages``: keep another request made offline; whether kept.

        Status and event reports, security events and meter values go into the
        queue in the order they happened and are sent with it once back.
        """
        if action in _NOT_KEPT or not self.offline():
            return False
        if not self.st.dm.flag("OCPPCommCtrlr", "QueueAllMessages"):
            return False
        self._add(_Queued(payload, None, action))
        return True

    async def send(self, payload: dict[str, Any], on_reply: OnReply) -> None:
        """Deliver a TransactionEventRequest now, or keep it for when the station is back.

        ``on_reply`` gets the CSMS's answer (now, or when the kept message is
        delivered); a message the CSMS never confirmed while online (E13
        attempts exhausted) is given up, as before the queue.
        """
        if not self._items and not self.offline():
            reply = await send_transaction_message(self.st, payload)
            if reply is not None:
                await on_reply(reply)
                return
            if not self.offline():
                return  # E13: every attempt failed on a live connection; given up
            # The connection went as it was sent: the CSMS may never have had it, so it
            # counts as happened offline and goes again, first, once the station is back.
            payload["offline"] = True
            self._add(_Queued(payload, on_reply), first=True)
            return
        if self.offline():
            payload["offline"] = True  # E04: it happened while the station was offline
        self._add(_Queued(payload, on_reply))

    async def drain(self) -> None:
        """Send the kept messages in order while the connection lasts (one drainer at a time)."""
        async with self._draining:
            while self._items and not self.offline():
                item = self._items[0]
                if item.action == "TransactionEvent":
                    reply = await send_transaction_message(self.st, item.payload)
                else:
                    reply = await self.st.call(item.action, item.payload)
                if reply is None and self.offline():
                    return  # lost again: it stays first in the queue
                self._items.popleft()
                if not self._items:
                    self._empty.set()
                if reply is not None and item.on_reply is not None:
                    await item.on_reply(reply)
