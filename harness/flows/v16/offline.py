"""OCPP 1.6 offline behaviour, charge point under test: what the offline cases share.

The harness takes the charge point offline itself (:meth:`Session.offline
<harness.session.Session.offline>`: the connection is closed and new ones are
refused for the block, as a lab pulls the network cable). Offline nothing the
charge point does can be seen, so the manual actions of the catalogue get a
bounded time from the profile (:func:`offline_for`); what the charge point kept
is judged when it is back.

* :func:`offline_authorization` — the Configuration States of TC_037 and
  TC_039 (LocalAuthorizeOffline, and the keys marked "if implemented").
* :func:`id_tag_local_listed` and :func:`id_tag_cached` — the Memory States
  IdTagLocalAuthList and IdTagCached for any idTag (listed, or answered,
  Accepted, as the catalogue's tool does), each "if implemented".
* :func:`expect_queued_meter_values` — TC_036's validation of the meter values
  kept while offline: chronological, spaced by the sample interval, first.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from harness.errors import ExpectationFailed, NotApplicable, UnexpectedMessage
from harness.expect import Pattern
from harness.flows.v16.cs import available, charging, read_key, require_setting, stopped
from harness.flows.v16.local_list import list_entry, send_local_list
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile, Timing
from harness.rig import Rig
from harness.session import Session
from harness.steps import step

__all__ = [
    "expect_queued_meter_values",
    "id_tag_cached",
    "id_tag_local_listed",
    "if_implemented",
    "next_transaction_id",
    "offline_authorization",
    "offline_for",
    "station_clock",
]

_ACCEPTED = {"idTagInfo": {"status": "Accepted"}}
_transaction_ids = itertools.count(70001)


def next_transaction_id() -> int:
    """A transactionId for the harness to hand out in a StartTransaction.conf it writes."""
    return next(_transaction_ids)


async def offline_for(csms: Session, seconds: float) -> None:
    """Keep the network cut for ``seconds`` (times the time factor).

    Offline, no frame tells the harness that the charge point has acted, so
    the catalogue's "[EV driver starts a transaction]" or "[Wait till ...]" is
    given a bounded time from the profile's ``[timing]`` instead of an event.
    """
    await asyncio.sleep(csms.seconds(seconds) or 0.0)


async def if_implemented(csms: Session, key: str, value: str) -> None:
    """A Configuration State marked "(If implemented)": set it when the key can be set.

    A key the charge point does not report, or reports read-only with another
    value, is not implemented in the sense of the catalogue: nothing to do.
    """
    try:
        await require_setting(csms, key, value, optional=True)
    except NotApplicable:
        return


async def offline_authorization(csms: Session) -> None:
    """Configuration State of TC_037_x and TC_039: the charge point may authorize offline."""
    with step(
        "Before: LocalAuthorizeOffline true; LocalAuthListEnabled, AuthorizationCacheEnabled "
        "and AllowOfflineTxForUnknownId true (if implemented)"
    ):
        await require_setting(csms, "LocalAuthorizeOffline", "true")
        for key in ("LocalAuthListEnabled", "AuthorizationCacheEnabled"):
            await if_implemented(csms, key, "true")
        await if_implemented(csms, "AllowOfflineTxForUnknownId", "true")


async def id_tag_local_listed(csms: Session, dut: DutProfile, id_tag: str) -> None:
    """Memory State IdTagLocalAuthList for ``id_tag`` (if the charge point has a local list).

    As the catalogue's state: SendLocalList version 1 (Full) with the idTag,
    Accepted. The harness empties the list again when it restores idle.
    """
    if not dut.supports("local_auth_list"):
        return
    if await read_key(csms, "LocalAuthListEnabled") != "true":
        return  # no local list (or not enabled): the memory state is "if implemented"
    with step("Memory state IdTagLocalAuthList: SendLocalList with the idTag, Accepted"):
        await send_local_list(csms, 1, "Full", [list_entry(id_tag)])


async def id_tag_cached(csms: Session, rig: Rig, dut: DutProfile, id_tag: str) -> None:
    """Memory State IdTagCached for ``id_tag`` (if the charge point has a cache).

    As the catalogue's state: a transaction with the idTag (Charging), stopped
    by presenting it again, the Central System answering Accepted for it
    (also to Authorize), then the cable unplugged.
    """
    if await read_key(csms, "AuthorizationCacheEnabled") != "true":
        return  # no authorization cache: the memory state is "if implemented"
    with csms.responding("Authorize", _ACCEPTED), csms.responding("StopTransaction", _ACCEPTED):
        with step("Memory state IdTagCached: a transaction with the idTag"):
            running = await charging(
                csms, rig, dut, id_tag=id_tag, start_info=_ACCEPTED["idTagInfo"]
            )
        with step("Memory state IdTagCached: the idTag stops it, answered Accepted"):
            await stopped(csms, rig, running)
        with step("Memory state IdTagCached: the cable is unplugged"):
            await available(csms, rig, running.connector_id)


def station_clock(found: IncomingCall) -> timedelta:
    """How far the charge point's clock is ahead of the harness's, from a request's timestamp.

    ``found`` carries the time it was sent at (e.g. StartTransaction), so the
    difference to its arrival is the clock offset plus the (small) latency.
    """
    stamp = datetime.fromisoformat(str(found.payload["timestamp"]).replace("Z", "+00:00"))
    return stamp - datetime.fromtimestamp(found.entry.wall, UTC)


def _periodic_stamps(found: IncomingCall) -> Iterator[tuple[str, datetime]]:
    """The timestamps of the periodic samples (``Sample.Periodic``, the default) in a frame."""
    for value in found.payload.get("meterValue", []):
        contexts = {s.get("context", "Sample.Periodic") for s in value.get("sampledValue", [])}
        if "Sample.Periodic" not in contexts:
            continue
        text = str(value.get("timestamp", ""))
        try:
            yield text, datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise UnexpectedMessage(
                f"MeterValues carries a timestamp that is not a date-time: {text!r}.\n"
                f"  received: {found.entry.raw[:400]}"
            ) from None


async def expect_queued_meter_values(
    csms: Session,
    connector: int,
    *,
    count: int,
    interval: int,
    timing: Timing,
    after: IncomingCall | int,
    back_online: datetime,
) -> list[datetime]:
    """The first ``count`` periodic samples sent after a connection loss, judged on arrival.

    TC_036_CS step 1: the meter values kept while offline are sent in
    chronological order, before any new one, and their timestamps are
    ``interval`` seconds apart (within the profile's tolerance). A sample
    taken after ``back_online`` (on the charge point's clock) among the first
    ``count`` means the kept ones were lost or come later than new ones, except
    the last: a sample due (within the tolerance) just as the charge point came
    back is a new one, and ``count - 1`` were kept.
    Each is awaited for the message timeout: kept messages are sent once the
    connection is back, one after the other.

    Returns:
        the timestamps of the samples judged.

    Raises:
        UnexpectedMessage: a sample out of order, off the interval, or new.
        ExpectationFailed: fewer samples arrived in time.
    """
    __tracebackhide__ = True
    scope = Pattern(
        "MeterValues",
        {"connectorId": connector},
        label=f"MeterValues for connector {connector}",
    )
    slack = timedelta(seconds=timing.early_by(interval))
    stamps: list[datetime] = []
    last: IncomingCall | int = after
    while len(stamps) < count:
        try:
            found = await csms.expect(scope, after=last, timeout=timing.message_timeout)
        except ExpectationFailed as missing:
            raise ExpectationFailed(
                f"{missing}\n\nThe meter values kept while offline were lost: they must be sent "
                "once the connection is back (TC_036_CS step 1).",
                awaited=missing.awaited,
                timeout=missing.timeout,
            ) from None
        last = found
        for text, stamp in _periodic_stamps(found):
            if len(stamps) == count - 1 and _due_on_return(
                stamps, stamp, interval, slack, back_online
            ):
                # The last sample fell due just as the charge point came back: it is a new one,
                # sent after the kept ones as it should be. The offline span held one fewer.
                return stamps
            problem = _queued_problem(stamps, stamp, interval, slack, back_online)
            if problem:
                raise UnexpectedMessage(
                    f"MeterValues sample {len(stamps) + 1} after the connection came back "
                    f"({text}) {problem} (TC_036_CS step 1: all queued meter values in "
                    f"chronological order, before any new one, {interval} s apart).\n"
                    f"  received: {found.entry.raw[:400]}"
                )
            stamps.append(stamp)
            if len(stamps) == count:
                break
    return stamps


def _due_on_return(
    stamps: list[datetime],
    stamp: datetime,
    interval: int,
    slack: timedelta,
    back_online: datetime,
) -> bool:
    """A sample an interval after the last kept one, taken within the tolerance of the return."""
    if not stamps or stamp <= back_online or stamp - back_online > slack:
        return False
    return abs((stamp - stamps[-1]).total_seconds() - interval) <= slack.total_seconds()


def _queued_problem(
    stamps: list[datetime],
    stamp: datetime,
    interval: int,
    slack: timedelta,
    back_online: datetime,
) -> str:
    """What is wrong with the next sample after ``stamps``, or an empty string."""
    if stamp > back_online:
        return (
            f"was taken after the connection was restored ({back_online.isoformat()}): "
            "the meter values kept while offline were lost or come after new ones"
        )
    if not stamps:
        return ""
    if stamp <= stamps[-1]:
        return f"is not later than the one before ({stamps[-1].isoformat()})"
    gap = (stamp - stamps[-1]).total_seconds()
    if abs(gap - interval) > slack.total_seconds():
        return f"is {gap:.1f} s after the one before, not the MeterValueSampleInterval"
    return ""
