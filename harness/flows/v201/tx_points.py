"""OCPP 2.0.1 configuration states of the transaction cases (block E), station under test.

``TxCtrlr.TxStartPoint`` / ``TxStopPoint`` set for a block where the station
lets them be written, or accepted as they are when ReadOnly with a value the
case's prerequisite allows; and the authorization settings most block E cases
start from.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from harness.flows.v201.cs import StationFlow
from harness.steps import step

__all__ = ["AUTH_ON", "members", "tx_point"]

#: AuthCtrlr.AuthEnabled true (if ReadWrite), DisableRemoteAuthorization false (if implemented).
AUTH_ON = {
    ("AuthCtrlr", "AuthEnabled"): "true",
    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
}


def members(value: str) -> set[str]:
    """The members of a MemberList value such as ``"EVConnected,Authorized"``."""
    return {p.strip() for p in value.split(",") if p.strip()}


@contextlib.asynccontextmanager
async def tx_point(
    flow: StationFlow, name: str, value: str, holds: Callable[[str], bool]
) -> AsyncIterator[None]:
    """Configuration state: ``TxCtrlr.<name>`` contains ``value`` for the block.

    Args:
        flow: the station.
        name: ``TxStartPoint`` or ``TxStopPoint``.
        value: the value written when the variable is ReadWrite.
        holds: whether a ReadOnly value is one the case accepts (else not applicable).
    """
    async with contextlib.AsyncExitStack() as stack:
        with step(f"Before: TxCtrlr.{name} contains {value}"):
            await stack.enter_async_context(flow.configured("TxCtrlr", name, value, holds=holds))
        yield
