"""OCPP 2.0.1 network connection steps for ``_CS`` cases (B09, B10, Part 4 section 5.3).

The harness plays the CSMS: it closes the station's websocket connection,
refuses its attempts, and times them (a :class:`~harness.network_link.CsmsLink`),
and it sets the network configuration the cases need.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.checks import conform_reply
from harness.errors import ExpectationFailed, UnexpectedMessage
from harness.expect import one_of
from harness.flows.common import waited_at_least
from harness.flows.v201.cs import StationFlow
from harness.network_link import CsmsLink
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.steps import step
from harness.timeouts import DEFAULT
from harness.transport import HandshakeRecord

__all__ = [
    "Migration",
    "accepted_attempt",
    "booted_after_migration",
    "comm_configured",
    "connection_data",
    "migrate",
    "reconnection_time",
    "slot_in_use",
]

COMM = "OCPPCommCtrlr"


@contextlib.asynccontextmanager
async def comm_configured(flow: StationFlow, values: Mapping[str, str]) -> AsyncIterator[None]:
    """A configuration state of ``OCPPCommCtrlr`` variables (reconnection, profile attempts).

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


def accepted_attempt(link: CsmsLink, since: int, url: str | None = None) -> HandshakeRecord:
    """The accepted connection attempt from handshake ``since`` on (the reconnection).

    Raises:
        ExpectationFailed: the station reconnected but no accepted handshake was recorded.
    """
    found = link.accepted_since(since, url)
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


@dataclass(frozen=True)
class Migration:
    """Where a migration to a new network connection profile stands.

    Attributes:
        old_slot: the configuration slot in use before.
        new_slot: the slot the new profile went into.
        old_url: the endpoint the station used before.
        new_url: the endpoint of the new profile (the harness's other one).
        status: the SetVariables attributeStatus of the new priority.
    """

    old_slot: int
    new_slot: int
    old_url: str
    new_url: str
    status: str


async def slot_in_use(flow: StationFlow) -> int:
    """<Configured configurationSlot> or <Configured configurationSlot2>: the one in use.

    Read from ``OCPPCommCtrlr.ActiveNetworkProfile`` (required by the errata
    2025-01), else the first entry of ``NetworkConfigurationPriority``; a
    value that is neither configured slot means the first one.
    """
    slots = (flow.dut.connection.configuration_slot, flow.dut.connection.configuration_slot2)
    active = await flow.get_variable(COMM, "ActiveNetworkProfile")
    if active is None:
        priority = await flow.get_variable(COMM, "NetworkConfigurationPriority") or ""
        active = priority.split(",")[0].strip()
    return int(active) if active.isdigit() and int(active) in slots else slots[0]


async def migrate(flow: StationFlow, link: CsmsLink, case: str) -> Migration:
    """Steps 1-4 of the migration cases: a new profile, then it goes first in the priority.

    Step 1-2 sends SetNetworkProfile for the slot not in use, pointing at the
    harness's endpoint the station does not use now (Accepted); step 3-4 sets
    ``NetworkConfigurationPriority`` to that slot, then the previous one
    (Accepted or RebootRequired).
    """
    csms, dut = flow.csms, flow.dut
    old_slot = await slot_in_use(flow)
    slots = (dut.connection.configuration_slot, dut.connection.configuration_slot2)
    new_slot = slots[1] if old_slot == slots[0] else slots[0]
    old_url, new_url = link.endpoint(), link.other_endpoint()
    with step(f"1-2. SetNetworkProfileRequest for slot {new_slot} is answered Accepted"):
        payload = {"configurationSlot": new_slot, "connectionData": connection_data(dut, new_url)}
        await csms.call("SetNetworkProfile", payload, status="Accepted")
    with step("3-4. SetVariablesRequest NetworkConfigurationPriority: Accepted or RebootRequired"):
        reply = await flow.set_variable(
            COMM, "NetworkConfigurationPriority", f"{new_slot},{old_slot}"
        )
        allowed = one_of("Accepted", "RebootRequired")
        what = f"the new priority accepted ({case} step 4)"
        conform_reply(reply, what, {"setVariableResult": [{"attributeStatus": allowed}]})
        status = str(reply.payload["setVariableResult"][0]["attributeStatus"])
    return Migration(old_slot, new_slot, old_url, new_url, status)


async def reboots_by_itself(flow: StationFlow, migration: Migration) -> bool:
    """Whether the station, having answered Accepted, drops its connection to reboot by itself.

    Step 5 is sent only after RebootRequired "or if the charging station does
    not automatically reboot": a station that does not close its connection
    within the message timeout does not.
    """
    if migration.status != "Accepted":
        return False
    closed = flow.csms.connection.closed
    seconds = flow.csms.seconds(DEFAULT)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await asyncio.shield(closed)
    return closed.done()


async def booted_after_migration(
    flow: StationFlow,
    link: CsmsLink,
    migration: Migration,
    *,
    refused: Sequence[tuple[str, str]] = (),
    tls_refused: Sequence[tuple[str, str]] = (),
    wait_title: str,
    at: str,
    case: str,
) -> IncomingCall:
    """Steps 5-6 (Reset OnIdle, when due), the connection attempts, and Booted at ``at``.

    Args:
        refused: (step title, endpoint) of each connection attempt the harness
            refuses, in the order the catalogue has the station make them.
        tls_refused: (step title, endpoint) of each TLS handshake the station
            begins and gives up (it refuses the certificate), after ``refused``.
        wait_title: the step of the accepted connection and its BootNotification.
        at: the endpoint the station must finally connect to (the step's note).
        case: the case and step cited when it connects elsewhere.
    """
    csms, timing = flow.csms, flow.dut.timing
    mark = csms.mark()
    for url in {url for _title, url in refused}:
        link.refuse_at(url, sum(1 for _t, u in refused if u == url))
    marks = {url: link.mark(url) for _title, url in refused}
    tls_marks = {url: link.tls_mark(url) for _title, url in tls_refused}
    async with contextlib.AsyncExitStack() as stack:
        with step("5-6. ResetRequest OnIdle is answered Accepted (unless it reboots by itself)"):
            bound = timing.boot_timeout + timing.retry_backoff_wait_minimum
            await stack.enter_async_context(csms.reconnection(timeout=bound))
            if not await reboots_by_itself(flow, migration):
                await csms.call("Reset", {"type": "OnIdle"}, status="Accepted")
        for title, url in refused:
            with step(title):
                await link.attempt(marks[url], timeout=bound, what=title, url=url)
                marks[url] += 1
        for title, url in tls_refused:
            with step(title):
                await link.tls_attempt(tls_marks[url], timeout=bound, what=title, url=url)
                tls_marks[url] += 1
        with step(wait_title):
            await stack.aclose()
            boot = await flow.expect_boot(mark)
    with step(f"{wait_title.split(' ')[0]} Booted: the station connects with the expected profile"):
        described = csms.connection.channel.description
        if not described.startswith(at + "/"):
            raise UnexpectedMessage(
                f"After the migration the station connected to {described}; {case} expects it "
                f"at {at} (the profile of the step's note).\n  boot: {boot.entry.raw[:300]}"
            )
    return await flow.reported_after_boot(boot)
