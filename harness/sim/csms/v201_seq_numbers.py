"""The ``seq_no_per_station`` fault of the reference 2.0.1 CSMS: one seqNo count per station.

OCPP 2.0.1 E01 (and TC_E_53_CSMS): a new transaction starts its
TransactionEvents at ``seqNo`` 0. A CSMS that wrongly counts ``seqNo`` per
station instead refuses the first event of a second transaction; this
module is that fault, for proofs only. It is a behaviour knob: which
events came before, on earlier connections too, is the CSMS's state, not
something a wire rule sees.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.replies import ErrorReply
from harness.sim.csms.state import StationState

__all__ = ["KNOB", "refusal"]

#: The knob's name.
KNOB = "seq_no_per_station"


def refusal(station: StationState, payload: dict[str, Any]) -> ErrorReply | None:
    """A CALLERROR for a new transaction's event whose seqNo does not continue the station's."""
    transaction_id = str(payload["transactionInfo"]["transactionId"])
    if transaction_id in station.transactions:
        return None
    last = max((t.seq_no for t in station.transactions.values()), default=-1)
    if int(payload["seqNo"]) > last:
        return None
    return ErrorReply(
        "PropertyConstraintViolation",
        f"seqNo {payload['seqNo']} does not follow the station's last seqNo {last}",
    )
