"""OCPP 2.0.1 EV connection timeout (E03, TxCtrlr.EVConnectionTimeOut), charging station under test.

An idToken authorized while no cable is plugged in lapses after
``EVConnectionTimeOut``. Only a transaction already started (TxStartPoint
Authorized or ParkingBayOccupancy) reports it, with triggerReason
``EVConnectTimeout``; otherwise nothing goes on the wire, and the harness
watches, for the timeout and its tolerance, that no transaction starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from harness.expect import Pattern
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall
from harness.steps import step

__all__ = ["connection_timeout_configured", "connection_timeout_lapses", "evse_of"]


def evse_of(payload: dict[str, Any]) -> int | None:
    """The ``evse.id`` of a TransactionEvent, None when it names no EVSE."""
    evse = payload.get("evse")
    return int(evse["id"]) if isinstance(evse, dict) and "id" in evse else None


@asynccontextmanager
async def connection_timeout_configured(flow: StationFlow) -> AsyncIterator[int]:
    """Configuration state ``TxCtrlr.EVConnectionTimeOut`` is <Configured ev_connection_timeout>.

    Yields the timeout in seconds; the old value is put back after the block.
    """
    timeout = flow.dut.timing.connection_timeout
    async with AsyncExitStack() as stack:
        with step(f"Before: TxCtrlr.EVConnectionTimeOut is {timeout}"):
            setting = flow.configured(
                "TxCtrlr", "EVConnectionTimeOut", str(timeout), holds=lambda v: v == str(timeout)
            )
            await stack.enter_async_context(setting)
        yield timeout


async def connection_timeout_lapses(
    flow: StationFlow,
    authorized_at: int,
    numbers: str,
    what: str,
    match: Mapping[str, Any],
) -> IncomingCall | None:
    """The authorization lapses: the transaction's event if one started, else a quiet wait.

    Args:
        flow: the station, authorized without a cable since ``authorized_at``.
        authorized_at: the trace position of the authorization.
        numbers: the catalogue's step numbers of the event (e.g. ``"1-2."``).
        what: the validations of the event, for the failure message.
        match: the event's tool validations besides ``triggerReason`` EVConnectTimeout.

    Returns:
        The TransactionEvent, or None when no transaction had started.
    """
    timing = flow.dut.timing
    # The lapse comes EVConnectionTimeOut after the authorization, within the tolerance.
    lapse = timing.connection_timeout + timing.tolerance
    if flow.transaction_id is None:
        with step(f"{numbers} (no transaction started) the EV connection timeout runs out"):
            # Without a transaction nothing is reported: no transaction may start meanwhile.
            await flow.csms.expect_none(
                Pattern("TransactionEvent", where=lambda p: evse_of(p) == flow.evse),
                during=lapse,
                after=authorized_at,
            )
        return None
    with step(f"{numbers} TransactionEventRequest EVConnectTimeout after the timeout"):
        event = await flow.expect_tx(
            f"the cable did not come: triggerReason EVConnectTimeout; {what}",
            {**match, "triggerReason": "EVConnectTimeout"},
            timeout=lapse + timing.message_timeout,
        )
    if flow.ended:  # a new authorization starts a new transaction
        flow.transaction_id, flow.ended = None, False
    return event
