"""OCPP 2.0.1 network connection steps for ``_CS`` cases (B09, B10, Part 4 section 5.3).

The harness plays the CSMS: it closes the station's websocket connection,
refuses its attempts, and times them (a :class:`~harness.network_link.CsmsLink`),
and it sets the network configuration the cases need.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from harness.errors import ExpectationFailed
from harness.flows.common import waited_at_least
from harness.flows.v201.cs import StationFlow
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.transport import HandshakeRecord

__all__ = ["accepted_attempt", "backoff_configured", "connection_data", "reconnection_time"]

COMM = "OCPPCommCtrlr"


@contextlib.asynccontextmanager
async def backoff_configured(flow: StationFlow, values: Mapping[str, str]) -> AsyncIterator[None]:
    """The configuration state of the reconnection variables of ``OCPPCommCtrlr``.

    Each value is set (and read back) for the block; a station that cannot
    take one makes the case not applicable (``StationFlow.configured``).
    """
    async with contextlib.AsyncExitStack() as stack:
        for name, value in values.items():
            await stack.enter_async_context(
                flow.configured(COMM, name, value, holds=_equal_to(value))
            )
        yield


def connection_data(dut: DutProfile, url: str) -> dict[str, Any]:
    """A NetworkConnectionProfile with the configured values, pointing at ``url``.

    ``messageTimeout``, ``ocppInterface`` and ``securityProfile`` are the
    profile's (<Configured messageTimeout>, <Configured ocppInterface>,
    <Configured securityProfile>); OCPP 2.0.1 over JSON.
    """
    return {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": url,
        "messageTimeout": max(1, round(dut.timing.message_timeout)),
        "securityProfile": dut.connection.security_profile,
        "ocppInterface": dut.connection.ocpp_interface,
    }


def _equal_to(wanted: str) -> Callable[[str], bool]:
    def holds(value: str) -> bool:
        return value == wanted

    return holds


def accepted_attempt(link: CsmsLink, since: int) -> HandshakeRecord:
    """The accepted connection attempt from handshake ``since`` on (the reconnection).

    Raises:
        ExpectationFailed: the station reconnected but no accepted handshake was recorded.
    """
    found = link.accepted_since(since)
    if found is None:
        raise ExpectationFailed(
            "The station is connected again but the harness recorded no accepted "
            "connection attempt since the connection was closed.",
            awaited="an accepted websocket handshake",
            timeout=None,
        )
    return found


def reconnection_time(
    flow: StationFlow,
    attempt: HandshakeRecord,
    since: float,
    interval: float,
    *,
    what: str,
    rule: str,
) -> float:
    """The seconds from ``since`` to ``attempt``, which must be at least ``interval``."""
    __tracebackhide__ = True
    waited = attempt.mono - since
    waited_at_least(
        waited,
        interval,
        flow.dut.timing,
        seen="The station tried to connect again",
        what=what,
        rule=rule,
        received=str(attempt),
    )
    return waited
