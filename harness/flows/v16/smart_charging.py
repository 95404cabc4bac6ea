"""OCPP 1.6 Smart Charging, charge point under test: charging profiles and composite schedules.

The catalogue's configured values (<Configured ConnectorId>, <Configured
chargingRateUnit>, <Configured duration>, <Configured StackLevel>,
<Configured numberPhases>, <Configured Max Time Deviation>) are gathered in a
:class:`SmartPixit`: the connector and the clock deviation from the DUT
profile, the rate unit from what the charge point declares it allows
(``ChargingScheduleAllowedChargingRateUnit``), the rest are the tool's own
choices below.

A composite schedule is judged by :func:`judge_composite`
(:mod:`harness.flows.v16.composite_judge`, re-exported here).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from harness.flows.v16.composite_judge import Segment, SmartPixit, judge_composite, match_periods
from harness.flows.v16.cs import Charging, answer_fails, charging, configuration, connector_id
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step

__all__ = [
    "CASE_LIMIT",
    "CONFIGURED_DURATION",
    "Segment",
    "SmartPixit",
    "case_profile",
    "charging_profile",
    "charging_with_pixit",
    "expect_case_limit",
    "get_composite",
    "judge_composite",
    "limit_followed",
    "match_periods",
    "refused",
    "set_profile",
    "smart_pixit",
    "wire_time",
]

#: <Configured duration> of the TxDefault/TxProfile cases, in seconds.
CONFIGURED_DURATION = 300
#: <Configured StackLevel>.
CONFIGURED_STACK_LEVEL = 0
#: <Configured numberPhases> (OCPP 1.6's default when absent: 3).
CONFIGURED_PHASES = 3
#: Seconds a whole-second clock may round a composite's start or a period's start by.
_ROUNDING = 1.0
_UNITS = {"Current": "A", "Power": "W"}

_profile_ids = itertools.count(1601)


async def smart_pixit(csms: Session, dut: DutProfile) -> SmartPixit:
    """The configured values, the rate unit as the charge point allows it.

    Raises:
        CallFailed: the charge point does not report
            ChargingScheduleAllowedChargingRateUnit (a required Smart Charging
            key, OCPP 1.6 section 9.4) or names no unit of OCPP in it.
    """
    key = "ChargingScheduleAllowedChargingRateUnit"
    with step(f"Before: <Configured chargingRateUnit>: GetConfiguration {key}"):
        reply = await csms.call("GetConfiguration", {"key": [key]})
        entry = configuration(reply).get(key)
        listed = [u.strip() for u in str((entry or {}).get("value", "")).split(",")]
        units = [_UNITS[u] for u in listed if u in _UNITS]
        if not units:
            raise answer_fails(
                reply, f"gives no Current or Power in {key} (a Smart Charging key, OCPP 1.6 9.4)"
            )
    timing = dut.timing
    return SmartPixit(
        connector_id(dut), units[0], timing.max_time_deviation, _ROUNDING + timing.tolerance
    )


def wire_time(at: float) -> str:
    """A wall-clock time (seconds since the epoch) as OCPP writes it, to the second."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def charging_profile(
    pixit: SmartPixit,
    purpose: str,
    periods: Sequence[tuple[int, float]],
    *,
    duration: int,
    stack_level: int = CONFIGURED_STACK_LEVEL,
    start: float | None = None,
    valid: tuple[float, float] | None = None,
    transaction_id: int | None = None,
) -> dict[str, Any]:
    """An Absolute charging profile with a fresh id, limits given in amperes.

    Args:
        pixit: the configured values (unit, phases).
        purpose: ChargePointMaxProfile, TxDefaultProfile or TxProfile.
        periods: (startPeriod, limit in amperes) pairs.
        duration: the schedule's duration, seconds.
        stack_level: stackLevel.
        start: startSchedule, seconds since the epoch (None: left out).
        valid: (validFrom, validTo), seconds since the epoch.
        transaction_id: the transactionId of a TxProfile.
    """
    schedule: dict[str, Any] = {
        "duration": duration,
        "chargingRateUnit": pixit.unit,
        "chargingSchedulePeriod": [
            {"startPeriod": at, "limit": pixit.limit(amps), "numberPhases": CONFIGURED_PHASES}
            for at, amps in periods
        ],
    }
    if start is not None:
        schedule["startSchedule"] = wire_time(start)
    profile: dict[str, Any] = {
        "chargingProfileId": next(_profile_ids),
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": schedule,
    }
    if transaction_id is not None:
        profile["transactionId"] = transaction_id
    if valid is not None:
        profile["validFrom"], profile["validTo"] = wire_time(valid[0]), wire_time(valid[1])
    return profile


async def refused(
    csms: Session, action: str, payload: dict[str, Any], *, rule: str, error: str | None
) -> Reply:
    """Send ``action``; the answer must be status Rejected (or, where allowed, CALLERROR ``error``).

    Raises:
        CallFailed: another status, or another CALLERROR (citing ``rule``).
    """
    __tracebackhide__ = True
    reply = await csms.call(action, payload, allow_error=error is not None)
    if reply.is_error:
        code = getattr(reply.frame, "error_code", "")
        if code != error:
            raise answer_fails(
                reply, f"is CALLERROR {code}; {rule} allows only status Rejected or {error}"
            )
        return reply
    if reply.payload.get("status") != "Rejected":
        allowed = "" if error is None else f" (or CALLERROR {error})"
        raise answer_fails(
            reply,
            f"has status {reply.payload.get('status')!r}; {rule} requires Rejected{allowed}",
        )
    return reply


async def get_composite(csms: Session, pixit: SmartPixit, duration: int) -> Reply:
    """GetCompositeSchedule for the configured connector, duration and unit; Accepted."""
    payload = {
        "connectorId": pixit.connector,
        "duration": duration,
        "chargingRateUnit": pixit.unit,
    }
    return await csms.call("GetCompositeSchedule", payload, status="Accepted")


#: The limit the TxDefault/TxProfile cases set: 6 A (6000 W).
CASE_LIMIT = 6.0


async def set_profile(
    csms: Session, connector: int, profile: dict[str, Any], *, status: str = "Accepted"
) -> Reply:
    """SetChargingProfile of ``profile`` for ``connector``, requiring ``status``."""
    payload = {"connectorId": connector, "csChargingProfiles": profile}
    return await csms.call("SetChargingProfile", payload, status=status)


async def expect_case_limit(
    csms: Session, pixit: SmartPixit, *, began: float, sent: float, rule: str
) -> None:
    """GetCompositeSchedule for <Configured duration>: the case's 6 A (6000 W) throughout.

    The profile began <Configured Max Time Deviation> before it was sent and
    lasts <Configured duration>, so the composite may end with the charge
    point's own limit for those last seconds.
    """
    __tracebackhide__ = True
    reply = await get_composite(csms, pixit, CONFIGURED_DURATION)
    judge_composite(
        reply,
        pixit,
        duration=CONFIGURED_DURATION,
        expected=[Segment(0, CASE_LIMIT), Segment(CONFIGURED_DURATION, None)],
        began=began,
        sent=sent,
        rule=rule,
        start_near_now=True,
    )


def case_profile(
    pixit: SmartPixit, purpose: str, *, began: float, transaction_id: int | None = None
) -> dict[str, Any]:
    """The single-limit profile of TC_056-TC_060: 6 A (6000 W) for <Configured duration>."""
    return charging_profile(
        pixit,
        purpose,
        [(0, CASE_LIMIT)],
        duration=CONFIGURED_DURATION,
        start=began,
        transaction_id=transaction_id,
    )


async def limit_followed(
    csms: Session,
    pixit: SmartPixit,
    purpose: str,
    *,
    connector: int,
    case: str,
    transaction_id: int | None = None,
) -> None:
    """Steps 1-4 of TC_056, TC_057, TC_082: the profile is Accepted and rules the composite.

    The profile starts <Configured Max Time Deviation> before it is sent.
    """
    __tracebackhide__ = True
    began = time.time() - pixit.deviation
    profile = case_profile(pixit, purpose, began=began, transaction_id=transaction_id)
    with step(f"1-2. SetChargingProfile with a {purpose} is Accepted"):
        sent = await set_profile(csms, connector, profile)
    with step("3-4. GetCompositeSchedule gives the profile's limit for the duration"):
        await expect_case_limit(
            csms, pixit, began=began, sent=sent.call_entry.wall, rule=f"{case} step 4"
        )


async def charging_with_pixit(
    csms: Session, rig: Rig, dut: DutProfile
) -> tuple[Charging, SmartPixit]:
    """Before: the reusable state Charging; then the configured values."""
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    return running, await smart_pixit(csms, dut)
