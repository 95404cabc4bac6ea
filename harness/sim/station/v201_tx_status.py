"""GetTransactionStatus (E14) of the 2.0.1 reference station.

``ongoingIndicator`` says whether the named transaction still runs on one of
the station's EVSEs (it is left out when the CSMS names no transaction);
``messagesInQueue`` whether transaction messages (of that transaction, or any)
are still waiting to be delivered. The reference station sends every
transaction message the moment it happens and keeps none back, so its queue is
empty whenever it is connected to answer.
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
    # Nothing is ever held back (see the module docstring): the queue is empty.
    reply: dict[str, Any] = {"messagesInQueue": False}
    if wanted is not None:
        reply["ongoingIndicator"] = any(
            e.tx is not None and e.tx.id == wanted for e in st.evses.values()
        )
    return Handled(reply)
