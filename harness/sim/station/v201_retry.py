"""Retrying a failed transaction message (E13: MessageAttempts, MessageAttemptInterval).

A TransactionEvent the CSMS answers with a CALLERROR, or does not answer
within the message timeout, is sent again, up to
``MessageAttempts[TransactionEvent]`` transmissions in all; the n-th retry
waits n times ``MessageAttemptInterval[TransactionEvent]`` after the failure
before it. Transaction messages stay in order: later events wait for it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["send_transaction_message"]

_TX = {"variable_instance": "TransactionEvent"}


async def send_transaction_message(
    st: Station201, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """Send a TransactionEvent, retrying it as configured; the answer, or None when all failed."""
    attempts = max(1, int(st.dm.number("OCPPCommCtrlr", "MessageAttempts", **_TX)))
    interval = st.dm.number("OCPPCommCtrlr", "MessageAttemptInterval", **_TX)
    if st.faults.on("no_tx_retry"):
        attempts = 1
    for sent in range(1, attempts + 1):
        reply = await st.call("TransactionEvent", payload)
        lost = st.connection is None or st.connection.is_closed  # offline: the queue keeps it
        if reply is not None or lost or sent == attempts:
            return reply
        wait = 0.0 if st.faults.on("tx_retry_early") else interval * sent
        await asyncio.sleep(wait)
    return None
