"""Judging a 1.6 composite schedule against the catalogue's expected periods.

The catalogue writes the expected periods in the time of the profiles'
schedules: a period boundary ``b`` is expected at ``b - x`` in the composite,
where ``x`` is how long after the profiles began the composite starts (the
catalogue measures ``x`` from the moment the profiles were sent, a station
from their startSchedule, which the cases set <Configured Max Time Deviation>
earlier: both are accepted). Periods with the same limit may be split
differently (OCPP fixes no split): consecutive equal limits are joined before
comparing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness.errors import CallFailed
from harness.flows.v16.cs import answer_fails
from harness.ocppj.connection import Reply

__all__ = ["Segment", "SmartPixit", "judge_composite", "match_periods"]


@dataclass(frozen=True)
class SmartPixit:
    """The configured values of the Smart Charging cases.

    Attributes:
        connector: <Configured ConnectorId>.
        unit: <Configured chargingRateUnit>, ``A`` or ``W``.
        deviation: <Configured Max Time Deviation>, seconds.
        tolerance: seconds a period boundary may be off by (clock rounding
            plus the profile's ``[timing].tolerance``).
    """

    connector: int
    unit: str
    deviation: float
    tolerance: float

    def limit(self, amperes: float) -> float:
        """A catalogue limit in the configured unit (W: the amperes times 1000)."""
        return amperes if self.unit == "A" else amperes * 1000


@dataclass(frozen=True)
class Segment:
    """An expected stretch of a composite schedule, in the profiles' own time.

    Attributes:
        at: seconds into the profiles' schedules where it begins.
        amperes: its limit in amperes (None: the charge point's own limit, any value).
    """

    at: float
    amperes: float | None


def _reported(reply: Reply, problem: str) -> CallFailed:
    return answer_fails(reply, problem)


def _periods(reply: Reply, schedule: dict[str, Any]) -> list[tuple[float, float]]:
    """The reported periods, consecutive equal limits joined."""
    joined: list[tuple[float, float]] = []
    for period in schedule.get("chargingSchedulePeriod", []):
        start, limit = float(period["startPeriod"]), float(period["limit"])
        if joined and start <= joined[-1][0]:
            raise _reported(reply, "lists chargingSchedulePeriod out of startPeriod order")
        if not (joined and abs(joined[-1][1] - limit) < 0.05):
            joined.append((start, limit))
    return joined


def judge_composite(
    reply: Reply,
    pixit: SmartPixit,
    *,
    duration: int,
    expected: Sequence[Segment],
    began: float,
    sent: float,
    rule: str,
    start_near_now: bool = False,
) -> None:
    """Judge a GetCompositeSchedule answer: connector, duration, unit, start and periods.

    Args:
        reply: the Accepted answer.
        pixit: the configured values.
        duration: the duration requested (and required back).
        expected: the catalogue's periods, in the profiles' time.
        began: when the profiles' schedules began (their startSchedule),
            seconds since the epoch.
        sent: when the (last) profile was sent, seconds since the epoch (the
            catalogue's reference for ``x``).
        rule: the case and step, cited by a failure.
        start_near_now: the schedule must start within <Configured Max Time
            Deviation> of now (where the case validates it).

    Raises:
        CallFailed: a value the catalogue validates differs.
    """
    __tracebackhide__ = True
    payload = reply.payload
    if payload.get("connectorId") != pixit.connector:
        raise _reported(
            reply,
            f"has connectorId {payload.get('connectorId')!r}; {rule} requires {pixit.connector}",
        )
    schedule = payload.get("chargingSchedule")
    if not isinstance(schedule, dict):
        raise _reported(reply, f"has no chargingSchedule ({rule})")
    if schedule.get("duration") != duration:
        raise _reported(
            reply, f"has duration {schedule.get('duration')!r}; {rule} requires {duration}"
        )
    if schedule.get("chargingRateUnit") != pixit.unit:
        raise _reported(
            reply,
            f"has chargingRateUnit {schedule.get('chargingRateUnit')!r}; {rule} requires "
            f"{pixit.unit} (the unit requested)",
        )
    stamp = schedule.get("startSchedule", payload.get("scheduleStart"))
    if stamp is None:
        raise _reported(reply, f"says nowhere when the schedule starts ({rule}: startSchedule)")
    start = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    if start_near_now and abs(start - reply.entry.wall) > pixit.deviation:
        raise _reported(
            reply,
            f"starts the schedule {start - reply.entry.wall:+.1f} s from now; {rule} allows "
            f"at most {pixit.deviation:g} s (<Configured Max Time Deviation>)",
        )
    periods = _periods(reply, schedule)
    # x: the catalogue's (from the sending) and a station's (from startSchedule).
    problem = match_periods(periods, pixit, expected, duration, start - began, start - sent)
    if problem:
        wanted = ", ".join(
            f"{s.at:g}-x: "
            + ("local limit" if s.amperes is None else f"{pixit.limit(s.amperes):g}")
            for s in expected
        )
        raise _reported(
            reply,
            f"gives the periods {[(s, v) for s, v in periods]}: {problem}; {rule} expects "
            f"{wanted} with x = {start - sent:.1f} s to {start - began:.1f} s",
        )


def match_periods(
    periods: Sequence[tuple[float, float]],
    pixit: SmartPixit,
    expected: Sequence[Segment],
    duration: int,
    late: float,
    early: float,
) -> str:
    """Why joined ``periods`` are not the ``expected`` ones ("" when they are).

    A boundary ``b`` may come from ``b - late`` to ``b - early`` (the two
    readings of ``x``), give or take the tolerance. A segment that may begin
    after the schedule ends, or whose limit is the charge point's own, may
    be missing.
    """
    if not periods or periods[0][0] != 0:
        return "the first period must start at 0"
    left = list(periods)
    for segment in expected:
        low = 0.0 if segment.at == 0 else segment.at - late - pixit.tolerance
        high = 0.0 if segment.at == 0 else segment.at - early + pixit.tolerance
        if low >= duration:
            continue  # it begins after the requested schedule ends
        optional = segment.amperes is None or high >= duration
        head = left[0] if left else None
        fits = head is not None and low <= head[0] <= high
        if fits and head is not None and segment.amperes is not None:
            fits = abs(head[1] - pixit.limit(segment.amperes)) < 0.05
        if fits:
            left.pop(0)
        elif not optional:
            if head is None:
                return f"no period for the limit {pixit.limit(segment.amperes or 0):g}"
            return (
                f"period {head} is not the limit {pixit.limit(segment.amperes or 0):g} "
                f"from {max(low, 0):.0f} to {high:.0f} s"
            )
    if left:
        return f"the periods {left} are not expected"
    return ""
