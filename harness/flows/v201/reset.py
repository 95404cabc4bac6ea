"""Reset for OCPP 2.0.1 ``_CS`` cases (use cases B11 and B12).

A ResetRequest names no EVSE (the whole station) or one EVSE. ``OnIdle``
while a transaction runs is ``Scheduled``: the station resets once the
transaction has ended, which happens at the reusable state its TxStopPoint
names (StopAuthorized, EVConnectedPostSession, EVDisconnected or, last,
ParkingBayUnoccupied).
"""

from __future__ import annotations

from typing import Any

from harness.errors import NotRun
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import Reply
from harness.steps import step

__all__ = ["reset", "until_transaction_ends"]


async def reset(flow: StationFlow, kind: str, status: str, evse: int | None = None) -> Reply:
    """ResetRequest of ``kind`` (for ``evse`` when given), answered ``status``."""
    request: dict[str, Any] = {"type": kind}
    if evse is not None:
        request["evseId"] = evse
    return await flow.csms.call("Reset", request, status=status)


async def until_transaction_ends(flow: StationFlow, first: int, *, every: bool = False) -> int:
    """Walk the reusable states that end the transaction, from step ``first``; its step number.

    The states after the one that ended the transaction are skipped, unless
    ``every`` (the catalogue then lists them without condition).
    """
    states = (
        ("StopAuthorized", flow.stop_authorized_remote),
        ("EVConnectedPostSession", flow.ev_connected_post_session),
        ("EVDisconnected", flow.ev_disconnected),
    )
    ended_at = 0
    for number, (name, state) in enumerate(states, start=first):
        if ended_at and not every:
            break
        with step(f"{number}. Execute Reusable State {name}"):
            await state()
        if flow.ended and not ended_at:
            ended_at = number
    if not ended_at:
        raise NotRun(
            f"{first + len(states)}. ParkingBayUnoccupied: the transaction ends only when the EV "
            "leaves the parking bay (TxStopPoint ParkingBayOccupancy), which the rig cannot do"
        )
    return ended_at
