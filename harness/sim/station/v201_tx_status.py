"""GetTransactionStatus (E14) of the 2.0.1 reference station.

``ongoingIndicator`` says whether the named transaction still runs on one of
the station's EVSEs (it is left out when the CSMS names no transaction);
``messagesInQueue`` whether transaction messages (of that transaction, or any)
are still waiting to be delivered: kept while the station was offline and
not yet answered by the CSMS (:mod:`harness.sim.station.v201_tx_queue`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.ocppj.connection import IncomingCall
from harness.sim.station.base import Handled

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["get_transaction_status"]


def get_transaction_status(st: Station201, call: IncomingCall) -> Handled:
    """E14: whether a transaction is ongoing and whether its messages wait in the queue."""
    wanted = call.payload.get("transactionId")
    reply: dict[str, Any] = {"messagesInQueue": st.txq.holds(wanted)}
    if wanted is not None:
        reply["ongoingIndicator"] = any(
            e.tx is not None and e.tx.id == wanted for e in st.evses.values()
        )
    return Handled(reply)
