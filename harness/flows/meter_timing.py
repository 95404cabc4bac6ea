"""Timing of meter values, as their timestamps tell it: intervals and clock alignment.

Version-independent checks on the timestamps a station writes into its meter
values (1.6 ``MeterValue.timestamp``, 2.0.1 ``meterValue[].timestamp``): the
catalogue judges sampled and clock-aligned values by those, not by when the
frames arrived.

* :func:`stamp_interval`: two samples are ``interval`` seconds apart, within
  the profile's ``[timing]`` tolerance either way (a whole-second clock may
  round a stamp by up to a second);
* :func:`clock_aligned`: a clock-aligned sample is stamped on a boundary of
  the interval, counted from midnight of the day as the stamp writes it (OCPP
  1.6 ``ClockAlignedDataInterval``: evenly spaced intervals per day from
  00:00:00).
"""

from __future__ import annotations

from datetime import datetime

from harness.errors import UnexpectedMessage
from harness.ocppj.connection import IncomingCall
from harness.profile.model import Timing

__all__ = ["ALIGNMENT_SLACK", "clock_aligned", "parse_stamp", "stamp_interval"]

#: How far (seconds) a clock-aligned stamp may sit from its boundary: half a
#: second, so a stamp rounded to the whole second of the boundary passes and
#: one a whole second off does not (the catalogue: "the seconds should be of
#: value 0, 20, 40" for a 20 s interval).
ALIGNMENT_SLACK = 0.5


def parse_stamp(found: IncomingCall, stamp: object, *, rule: str) -> datetime:
    """A timestamp of ``found`` as a time-zone-aware datetime.

    Raises:
        UnexpectedMessage: it is not an RFC 3339 date-time with a time zone.
    """
    __tracebackhide__ = True
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise UnexpectedMessage(
            f"{found.action} carries the timestamp {stamp!r}, which is not a date-time with a "
            f"time zone ({rule}).\n  received: {found.entry.raw[:400]}"
        )
    return when


def stamp_interval(
    found: IncomingCall,
    earlier: datetime,
    later: datetime,
    interval: float,
    timing: Timing,
    *,
    what: str,
    rule: str,
) -> None:
    """The samples stamped ``earlier`` and ``later`` are ``interval`` seconds apart.

    The profile's tolerance (``Timing.early_by``) is granted both ways.

    Raises:
        UnexpectedMessage: the stamps are further from the interval than that.
    """
    __tracebackhide__ = True
    gap = (later - earlier).total_seconds()
    slack = timing.early_by(interval)
    if abs(gap - interval) > slack:
        raise UnexpectedMessage(
            f"{found.action} is stamped {gap:.2f} s after the previous one; {what} is "
            f"{interval:g} s ({rule}; tolerance {slack:.2g} s from [timing] tolerance).\n"
            f"  received: {found.entry.raw[:400]}"
        )


def clock_aligned(found: IncomingCall, stamp: datetime, interval: float, *, rule: str) -> None:
    """``stamp`` sits on a boundary of ``interval`` counted from midnight.

    Raises:
        UnexpectedMessage: it is more than :data:`ALIGNMENT_SLACK` off the
            nearest boundary.
    """
    __tracebackhide__ = True
    midnight = stamp.replace(hour=0, minute=0, second=0, microsecond=0)
    into_day = (stamp - midnight).total_seconds()
    off = into_day % interval
    off = min(off, interval - off)
    if off > ALIGNMENT_SLACK:
        raise UnexpectedMessage(
            f"{found.action} is stamped {stamp.isoformat()}, {off:.2f} s off the nearest "
            f"boundary of the {interval:g} s clock-aligned interval; the stamp must be "
            f"clock-aligned ({rule}).\n  received: {found.entry.raw[:400]}"
        )
