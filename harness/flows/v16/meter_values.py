"""OCPP 1.6 meter values, charge point under test: what a MeterValues report must carry.

:func:`configured_measurands` is the reusable state "GetConfiguration for key
MeterValuesSampledData" (or MeterValuesAlignedData): the measurands the
charge point is configured to report. :func:`expect_meter_values` awaits the
connector's next periodic report and judges it on arrival: every sampled
value of the awaited context (an absent context is ``Sample.Periodic``, the
schema's default) and a value for every configured measurand (an absent
measurand is ``Energy.Active.Import.Register``, the schema's default).
:func:`report_stamp` reads the report's timestamp for the interval checks of
:mod:`harness.flows.meter_timing`; :func:`expect_reports` awaits a series of
reports and judges each, its interval and (clock-aligned) its alignment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from harness.errors import UnexpectedMessage
from harness.expect import Pattern
from harness.flows.meter_timing import clock_aligned, parse_stamp, stamp_interval
from harness.flows.v16.cs import Charging, answer_fails, configuration
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "DEFAULT_MEASURAND",
    "configured_measurands",
    "expect_meter_values",
    "expect_reports",
    "report_stamp",
]

#: The measurand of a sampled value that names none, and of an empty configuration.
DEFAULT_MEASURAND = "Energy.Active.Import.Register"
#: The context of a sampled value that names none (the schema's default).
DEFAULT_CONTEXT = "Sample.Periodic"
#: Contexts of reports outside the periodic ones (a transaction's begin or end,
#: a triggered reading): a step awaiting periodic reports passes them over.
_OTHER_REPORTS = frozenset({"Transaction.Begin", "Transaction.End", "Trigger"})


async def configured_measurands(csms: Session, key: str) -> list[str]:
    """GetConfiguration ``key``: its measurands (empty: ``Energy.Active.Import.Register``).

    Raises:
        CallFailed: the answer does not report the (Core) key.
    """
    reply = await csms.call("GetConfiguration", {"key": [key]})
    entry = configuration(reply).get(key)
    if entry is None:
        raise answer_fails(reply, f"does not report the Core key {key}")
    listed = [item.strip() for item in str(entry.get("value", "")).split(",") if item.strip()]
    return listed or [DEFAULT_MEASURAND]


def _sampled(payload: dict[str, Any]) -> list[list[dict[str, Any]]]:
    readings = payload.get("meterValue", [])
    return [
        [value for value in reading.get("sampledValue", []) if isinstance(value, dict)]
        for reading in readings
        if isinstance(reading, dict)
    ]


def _contexts(payload: dict[str, Any]) -> set[str]:
    return {
        str(value.get("context", DEFAULT_CONTEXT))
        for values in _sampled(payload)
        for value in values
    }


def _periodic_report(payload: dict[str, Any]) -> bool:
    """Not a report of a transaction's begin or end, nor a triggered one."""
    contexts = _contexts(payload)
    return not contexts or not contexts <= _OTHER_REPORTS


async def expect_meter_values(
    csms: Session,
    connector: int,
    *,
    context: str,
    measurands: list[str],
    after: IncomingCall | int,
    rule: str,
    timeout: Timeout = DEFAULT,
) -> IncomingCall:
    """The connector's next periodic MeterValues, judged on arrival.

    Args:
        connector: the connector the report is about (its scope).
        context: the context every sampled value must carry.
        measurands: the measurands each reading must hold a value for.
        after: only frames after this call (or trace position) count.
        rule: the rule checked, cited in a failure.
        timeout: the bound of the wait.

    Raises:
        UnexpectedMessage: a sampled value of another context, or a
            configured measurand missing.
        ExpectationFailed: the connector reported nothing in time.
    """
    __tracebackhide__ = True
    scope = Pattern(
        "MeterValues",
        {"connectorId": connector},
        _periodic_report,
        label=f"MeterValues for connector {connector}",
    )
    found = await csms.expect(scope, after=after, timeout=timeout)
    problems: list[str] = []
    wrong = sorted(_contexts(found.payload) - {context})
    if wrong:
        problems.append(f"sampled values with context {', '.join(wrong)}, not {context}")
    for index, values in enumerate(_sampled(found.payload)):
        present = {str(value.get("measurand", DEFAULT_MEASURAND)) for value in values}
        missing = [name for name in measurands if name not in present]
        if missing:
            problems.append(
                f"meterValue[{index}] has no value for the configured measurand(s) "
                f"{', '.join(missing)}"
            )
    if problems:
        raise UnexpectedMessage(
            f"MeterValues for connector {connector} carries {'; '.join(problems)} ({rule}).\n"
            f"  received: {found.entry.raw[:600]}"
        )
    return found


def report_stamp(found: IncomingCall, *, rule: str) -> datetime:
    """The timestamp of the report's first reading.

    Raises:
        UnexpectedMessage: it is not a date-time with a time zone.
    """
    __tracebackhide__ = True
    readings = found.payload.get("meterValue") or [{}]
    return parse_stamp(found, readings[0].get("timestamp"), rule=rule)


async def expect_reports(
    csms: Session,
    dut: DutProfile,
    running: Charging,
    *,
    count: int,
    context: str,
    measurands: list[str],
    interval: int,
    what: str,
    rule: str,
    aligned: bool = False,
) -> list[IncomingCall]:
    """``count`` periodic MeterValues of the transaction's connector, ``interval`` s apart.

    Each report is judged on arrival (:func:`expect_meter_values`), then its
    stamp: ``interval`` seconds after the previous report's (within the
    profile's tolerance) and, when ``aligned``, on a boundary of the interval.

    Args:
        running: the transaction whose connector reports (from its start on).
        what: the configuration key that sets the interval, for a failure.
    """
    __tracebackhide__ = True
    found: list[IncomingCall] = []
    previous: datetime | None = None
    for _ in range(count):
        report = await expect_meter_values(
            csms,
            running.connector_id,
            context=context,
            measurands=measurands,
            after=found[-1] if found else running.start,
            rule=rule,
            timeout=interval + dut.timing.message_timeout,
        )
        stamp = report_stamp(report, rule=rule)
        if aligned:
            clock_aligned(report, stamp, interval, rule=rule)
        if previous is not None:
            stamp_interval(report, previous, stamp, interval, dut.timing, what=what, rule=rule)
        found.append(report)
        previous = stamp
    return found
