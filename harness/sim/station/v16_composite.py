"""The composite schedule of OCPP 1.6 charging profiles: a pure function of the installed profiles.

OCPP 1.6 section 3.13 (Smart Charging) says how a charge point combines its
charging profiles into the limit that holds on a connector at each moment:

* Among the profiles of one purpose, the one with the highest ``stackLevel``
  that is valid (``validFrom``/``validTo``) and whose schedule runs at that
  moment prevails; past the end of its schedule (``duration``) the next lower
  one does.
* A TxProfile of the running transaction overrules the TxDefaultProfiles for
  the whole transaction (also after its own schedule ended). Without a
  transaction, the TxDefaultProfiles are what a new transaction would get.
  A TxDefaultProfile of the connector wins over one of connector 0 on the
  same stack level.
* The ChargePointMaxProfile (connector 0) caps the result, and so does the
  charge point's own (local) limit, which alone holds where no profile applies.

:func:`composite_schedule` computes it for a window, in amperes or watts
(``W = A x 230 V x phases``), as periods relative to the window's start.
It knows nothing of messages: the station turns the periods into a
GetCompositeSchedule answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "VOLTAGE",
    "Period",
    "Profile",
    "composite_schedule",
    "epoch",
    "profile_from_wire",
]

#: Line voltage used to convert between amperes and watts.
VOLTAGE = 230.0
_DEFAULT_PHASES = 3
_RECURRENCE = {"Daily": 86400.0, "Weekly": 7 * 86400.0}
_TX = "TxProfile"
_TX_DEFAULT = "TxDefaultProfile"
_CP_MAX = "ChargePointMaxProfile"


def epoch(text: str) -> float:
    """Seconds since the epoch of an RFC 3339 date-time (``Z`` or an offset)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass(frozen=True)
class Period:
    """One ChargingSchedulePeriod: from ``start`` seconds into the schedule, ``limit``."""

    start: float
    limit: float
    phases: int | None = None


@dataclass(frozen=True)
class Profile:
    """An installed charging profile, with times as seconds since the epoch.

    Attributes:
        id: chargingProfileId.
        connector: the connector it was set for (0: the charge point).
        purpose: ChargePointMaxProfile, TxDefaultProfile or TxProfile.
        stack_level: stackLevel.
        kind: Absolute, Recurring or Relative.
        recurrency: Daily or Weekly (Recurring only).
        valid_from: validFrom, or None.
        valid_to: validTo, or None.
        start: startSchedule (for an Absolute one without it: when it was installed).
        duration: the schedule's duration, None for "until further notice".
        unit: "A" or "W".
        periods: the schedule's periods, by start.
        transaction_id: the transaction a TxProfile belongs to.
    """

    id: int
    connector: int
    purpose: str
    stack_level: int
    kind: str
    unit: str
    periods: tuple[Period, ...]
    recurrency: str | None = None
    valid_from: float | None = None
    valid_to: float | None = None
    start: float | None = None
    duration: float | None = None
    transaction_id: int | None = None


def profile_from_wire(
    connector: int, wire: dict[str, Any], *, installed: float, transaction_id: int | None = None
) -> Profile:
    """A :class:`Profile` from a 1.6 ``csChargingProfiles`` / ``chargingProfile`` object.

    Args:
        connector: the connectorId of the request.
        wire: the profile as on the wire.
        installed: when it arrived (the start of an Absolute profile without startSchedule).
        transaction_id: the transaction a TxProfile is bound to, when the wire has none.
    """
    schedule = wire["chargingSchedule"]

    def when(key: str, source: dict[str, Any]) -> float | None:
        return epoch(str(source[key])) if key in source else None

    start = when("startSchedule", schedule)
    if start is None and wire["chargingProfileKind"] == "Absolute":
        start = installed
    periods = sorted(
        (
            Period(float(p["startPeriod"]), float(p["limit"]), p.get("numberPhases"))
            for p in schedule["chargingSchedulePeriod"]
        ),
        key=lambda p: p.start,
    )
    return Profile(
        id=int(wire["chargingProfileId"]),
        connector=connector,
        purpose=str(wire["chargingProfilePurpose"]),
        stack_level=int(wire["stackLevel"]),
        kind=str(wire["chargingProfileKind"]),
        unit=str(schedule["chargingRateUnit"]),
        periods=tuple(periods),
        recurrency=wire.get("recurrencyKind"),
        valid_from=when("validFrom", wire),
        valid_to=when("validTo", wire),
        start=start,
        duration=float(schedule["duration"]) if "duration" in schedule else None,
        transaction_id=wire.get("transactionId", transaction_id),
    )


def _schedule_start(profile: Profile, at: float, tx_start: float | None) -> float | None:
    """Where ``profile``'s schedule (its current recurrence) began, as seen at ``at``."""
    if profile.kind == "Relative":
        return tx_start
    if profile.start is None:
        return None
    if profile.kind == "Recurring" and profile.recurrency in _RECURRENCE:
        every = _RECURRENCE[profile.recurrency]
        if at < profile.start:
            return None
        return profile.start + math.floor((at - profile.start) / every) * every
    return profile.start


def _limit_at(profile: Profile, at: float, tx_start: float | None) -> Period | None:
    """The period of ``profile`` that holds at ``at``, or None when it does not apply then."""
    if profile.valid_from is not None and at < profile.valid_from:
        return None
    if profile.valid_to is not None and at >= profile.valid_to:
        return None
    began = _schedule_start(profile, at, tx_start)
    if began is None:
        return None
    into = at - began
    if into < 0 or (profile.duration is not None and into >= profile.duration):
        return None
    current = None
    for period in profile.periods:
        if period.start <= into:
            current = period
    return current


def _boundaries(profile: Profile, begin: float, end: float, tx_start: float | None) -> set[float]:
    """Every moment in [begin, end) at which ``profile``'s limit may change."""
    found = {t for t in (profile.valid_from, profile.valid_to) if t is not None}
    starts: list[float] = []
    recurring = profile.kind == "Recurring" and profile.recurrency in _RECURRENCE
    if recurring and profile.recurrency is not None and profile.start is not None:
        every = _RECURRENCE[profile.recurrency]
        first = _schedule_start(profile, max(begin, profile.start), tx_start) or profile.start
        starts = [first + k * every for k in range(int((end - first) // every) + 2)]
    else:
        began = _schedule_start(profile, begin, tx_start)
        starts = [] if began is None else [began]
    for began in starts:
        found.update(began + period.start for period in profile.periods)
        if profile.duration is not None:
            found.add(began + profile.duration)
    return {t for t in found if begin < t < end}


def _convert(period: Period, unit: str, wanted: str) -> float:
    if unit == wanted:
        return period.limit
    phases = period.phases or _DEFAULT_PHASES
    if wanted == "W":
        return period.limit * VOLTAGE * phases
    return period.limit / VOLTAGE / phases


Choose = Callable[[Iterable[int]], int]


def _prevailing(
    profiles: Sequence[Profile], at: float, tx_start: float | None, choose: Choose
) -> tuple[Profile, Period] | None:
    """The profile (and its period) that prevails at ``at`` among ``profiles``."""
    running = [(p, hit) for p in profiles if (hit := _limit_at(p, at, tx_start)) is not None]
    if not running:
        return None
    level = choose(p.stack_level for p, _hit in running)
    # On one stack level a connector's own profile wins over one of connector 0.
    on_level = sorted(
        (item for item in running if item[0].stack_level == level),
        key=lambda item: item[0].connector,
        reverse=True,
    )
    return on_level[0]


def composite_schedule(
    profiles: Iterable[Profile],
    *,
    connector: int,
    begin: float,
    duration: float,
    unit: str,
    local_limit: float,
    transaction: tuple[int, float] | None = None,
    merge: bool = True,
    choose: Choose = max,
) -> list[tuple[int, float]]:
    """The composite schedule of ``connector`` for ``duration`` seconds from ``begin``.

    Args:
        profiles: every installed profile of the charge point.
        connector: the connector (0: the charge point as a whole: its
            ChargePointMaxProfile).
        begin: the schedule's start, seconds since the epoch.
        duration: its length, seconds.
        unit: "A" or "W", the unit of the result.
        local_limit: the charge point's own limit, in ``unit``, where no
            profile applies.
        transaction: (transactionId, start time) of the connector's running
            transaction, or None.
        merge: join consecutive periods with the same limit (False: a period
            at every moment a profile could change the limit).
        choose: picks the prevailing stack level (``max`` in OCPP).

    Returns:
        (startPeriod, limit) pairs, the first at 0, startPeriod in whole seconds.
    """
    installed = list(profiles)
    tx_id, tx_start = transaction if transaction is not None else (None, None)
    cap = [p for p in installed if p.purpose == _CP_MAX]
    tx: list[Profile] = []
    if connector != 0:
        tx = [
            p
            for p in installed
            if p.purpose == _TX and p.connector == connector and tx_id is not None
            if p.transaction_id in (None, tx_id)
        ]
        if not tx:
            tx = [
                p for p in installed if p.purpose == _TX_DEFAULT and p.connector in (0, connector)
            ]
    end = begin + duration
    moments = {begin}
    for profile in (*cap, *tx):
        moments |= _boundaries(profile, begin, end, tx_start)
    periods: list[tuple[int, float]] = []
    for at in sorted(moments):
        limit = local_limit
        for group in (tx, cap):
            found = _prevailing(group, at, tx_start, choose)
            if found is not None:
                limit = min(limit, _convert(found[1], found[0].unit, unit))
        offset, limit = round(at - begin), round(limit, 1)
        if periods and periods[-1][0] == offset:
            periods.pop()  # two moments in one second: the later one holds
        if not (merge and periods and periods[-1][1] == limit):
            periods.append((offset, limit))
    return periods
