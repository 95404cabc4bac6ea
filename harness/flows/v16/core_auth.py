"""OCPP 1.6 flows for Core sessions and authorization, charge point under test.

* :func:`remote_start_first`: a RemoteStartTransaction before the cable (steps
  1-8 of TC_011_1_CS and TC_011_2_CS): the connector prepares for the idTag.
* :func:`lapsed`: an idTag waiting for the cable lapses after ConnectionTimeOut
  (Available again, not before the timeout).
* :func:`id_tag_cached`: the memory state IdTagCached.
* :func:`occupied`: the reusable state SetConnectorOccupied (cable in: Preparing).
* :func:`charging_before`: the reusable state Charging as a case's Before.
* :func:`ev_side_unplugged`: the EV-side disconnect cases' configuration
  state, Charging, and the cable unplugged at the EV.
* :func:`require_read_write`: a prerequisite "the key is implemented and
  ReadWrite".
* :func:`id_tag_info`: the idTagInfo the harness, as Central System, gives
  an idTag (status and parentIdTag from the profile's ``[tokens]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.errors import NotApplicable
from harness.expect import Pattern
from harness.flows.common import expect_judged, not_before, token
from harness.flows.v16.cs import (
    Charging,
    available,
    change_configuration,
    charging,
    configuration,
    connector_id,
    expect_status,
    plug_in,
    remote_authorize,
    require_setting,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.responders import TokenBook
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "RemoteStart",
    "charging_before",
    "ev_side_unplugged",
    "id_tag_cached",
    "id_tag_info",
    "lapsed",
    "occupied",
    "remote_start_first",
    "require_read_write",
]


@dataclass
class RemoteStart:
    """A remote start waiting for the cable.

    Attributes:
        connector_id: the connector it prepares.
        id_tag: the idTag of the remote start.
        preparing: the StatusNotification Preparing that followed it.
    """

    connector_id: int
    id_tag: str
    preparing: IncomingCall


def id_tag_info(dut: DutProfile, id_tag: str) -> dict[str, Any]:
    """The idTagInfo the harness gives ``id_tag``: its status and, in a group, its parentIdTag."""
    return TokenBook.of(dut.tokens).info_v16(id_tag)


async def remote_start_first(csms: Session, dut: DutProfile) -> RemoteStart:
    """Steps 1-8 of a remote start before the cable: the connector is Preparing for the idTag.

    Raises:
        CallFailed: the answer does not report AuthorizeRemoteTxRequests, or
            the remote start is not Accepted.
        UnexpectedMessage: the Authorize or the status carries another value.
    """
    number, valid = connector_id(dut), token(dut, "valid")
    with step("1-2. GetConfiguration AuthorizeRemoteTxRequests; the answer reports the key"):
        authorize_first = await remote_authorize(csms)
    mark = csms.mark()
    with step("3-4. RemoteStartTransaction is Accepted"):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": number, "idTag": valid}, status="Accepted"
        )
    if authorize_first:
        with step("5-6. Authorize.req with the idTag, answered Accepted"):
            await expect_judged(
                csms,
                Pattern("Authorize"),
                "the idTag of the remote start",
                {"idTag": valid},
                after=mark,
            )
    with step("7-8. StatusNotification Preparing"):
        preparing = await expect_status(csms, number, "Preparing", after=mark)
    return RemoteStart(number, valid, preparing)


async def lapsed(
    csms: Session, dut: DutProfile, connector: int, since: IncomingCall, *, what: str
) -> IncomingCall:
    """The idTag waiting for the cable lapses: StatusNotification Available after ConnectionTimeOut.

    The status is awaited for the profile's connection timeout plus the
    message timeout; it must not come before the timeout (less the profile's
    tolerance) counted from ``since``.

    Args:
        since: the frame the timeout runs from (the authorization, or Preparing).
        what: what ``since`` is, for the failure message.

    Raises:
        UnexpectedMessage: another status, or Available too soon.
        ExpectationFailed: no status in time.
    """
    __tracebackhide__ = True
    timeout = dut.timing.connection_timeout
    found = await expect_status(
        csms, connector, "Available", after=since, timeout=timeout + dut.timing.message_timeout
    )
    not_before(
        found, since.entry.mono, timeout, dut.timing, what=what, rule="OCPP 1.6 ConnectionTimeOut"
    )
    return found


async def id_tag_cached(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Memory state IdTagCached: a transaction of the valid idTag ends with the card again.

    The Central System answers the StopTransaction with idTagInfo Accepted,
    which the charge point keeps in its authorization cache.
    """
    with step("IdTagCached: AuthorizationCacheEnabled is true"):
        await require_setting(csms, "AuthorizationCacheEnabled", "true", optional=True)
    with step("IdTagCached: reusable state Charging"):
        running = await charging(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    with csms.hold("StopTransaction"):
        with step("IdTagCached: the EV driver presents the valid idTag"):
            await rig.present_card(running.id_tag, number)
        with step("IdTagCached 1-2: StopTransaction.req for the transaction, answered Accepted"):
            stop = await expect_judged(
                csms,
                Pattern("StopTransaction"),
                f"transaction {running.transaction_id}",
                {"transactionId": running.transaction_id},
                after=mark,
            )
            await stop.reply({"idTagInfo": id_tag_info(dut, running.id_tag)})
    with step("IdTagCached 3-4: StatusNotification Finishing"):
        await expect_status(csms, number, "Finishing", after=mark)
    with step("IdTagCached 5-6: the cable is unplugged; StatusNotification Available"):
        await available(csms, rig, number)


async def require_read_write(csms: Session, key: str) -> None:
    """Prerequisite: ``key`` is implemented and ReadWrite, else the case is not applicable."""
    reply = await csms.call("GetConfiguration", {"key": [key]})
    entry = configuration(reply).get(key)
    if entry is None:
        raise NotApplicable(f"the charge point does not implement {key}")
    if entry.get("readonly"):
        raise NotApplicable(f"{key} is read-only")


async def occupied(
    csms: Session, rig: Rig, connector: int, *, timeout: Timeout = DEFAULT
) -> IncomingCall:
    """SetConnectorOccupied: the cable is plugged in and the connector reports Preparing.

    Args:
        timeout: the bound of the wait for the status (longer where the
            charge point holds statuses back, MinimumStatusDuration).

    Returns:
        the StatusNotification Preparing.
    """
    mark = csms.mark()
    await plug_in(rig, connector)
    return await expect_status(csms, connector, "Preparing", after=mark, timeout=timeout)


async def charging_before(csms: Session, rig: Rig, dut: DutProfile) -> Charging:
    """A case's Before "reusable state Charging" (the rig plugs the cable in)."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    with step("Before: reusable state Charging"):
        return await charging(csms, rig, dut)


async def ev_side_unplugged(
    csms: Session, rig: Rig, dut: DutProfile, *, stop: str, unlock: str
) -> tuple[Charging, int]:
    """The EV-side disconnect cases up to the disconnect (TC_005_1/2/3_CS).

    Configuration state: MinimumStatusDuration 0 (where the optional key is
    implemented), StopTransactionOnEVSideDisconnect ``stop`` and
    UnlockConnectorOnEVSideDisconnect ``unlock``; then reusable state
    Charging; then the EV driver unplugs the cable at the EV.

    Returns:
        the transaction, and the trace position before the disconnect.
    """
    with step(f"Before: MinimumStatusDuration 0, StopTransactionOnEVSideDisconnect {stop}"):
        await change_configuration(
            csms, "MinimumStatusDuration", "0", status=("Accepted", "NotSupported")
        )
        await require_setting(csms, "StopTransactionOnEVSideDisconnect", stop)
    with step(f"Before: UnlockConnectorOnEVSideDisconnect {unlock}"):
        await require_setting(csms, "UnlockConnectorOnEVSideDisconnect", unlock)
    running = await charging_before(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    with step("The EV driver unplugs the cable on the EV side"):
        await rig.ev_state(EvState.A, number, number)
    return running, mark
