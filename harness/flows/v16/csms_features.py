"""OCPP 1.6 ``_CSMS`` flows of the optional feature profiles: test data and request checks.

The harness plays the charge point. A case asks the Central System (through
the ``trigger`` fixture) for a complete request, judges the request that
arrives against the catalogue's tool validations, and answers it as the
catalogue step prescribes (:func:`judged_request`, on
:func:`harness.flows.requested.requested`).

:class:`TestData` is the catalogue's "test data" a case asks the Central
System for (a firmware URL, a reservation expiry offset, a charging
schedule's unit and limit): ``[trigger.options]`` of the CSMS profile, with
defaults a reference CSMS accepts.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.errors import ConfigurationError
from harness.flows.requested import requested
from harness.ocppj.clock import parse_time, utc_in
from harness.profile import DutProfile
from harness.session import Session
from harness.trigger import CsmsTrigger

# seeded from the clock: ids proposed by one run differ from those of the run before
_IDS = itertools.count(1_000_000 + int(time.time()) % 1_000_000 * 10)

__all__ = [
    "Check",
    "TestData",
    "every_entry_has",
    "fresh_id",
    "judged_request",
    "parse_time",
    "utc_in",
]


class Check:
    """A named predicate for a field check (its name is what a failure shows)."""

    def __init__(self, name: str, test: Callable[[Any], bool]) -> None:
        self.name = name
        self.test = test

    def __call__(self, value: Any) -> bool:
        try:
            return bool(self.test(value))
        except (TypeError, ValueError, KeyError):
            return False

    def __repr__(self) -> str:
        return self.name


def every_entry_has(key: str) -> Check:
    """Every element of a list (absent: none) carries ``key``."""
    return Check(
        f"every entry with {key}",
        lambda entries: all(isinstance(e, dict) and key in e for e in entries),
    )


def fresh_id() -> int:
    """An id to propose for a reservation or charging profile, unlikely to be in use.

    The Central System may allocate its own: a case reads the id it actually sends.
    """
    return next(_IDS)


def _option(dut: DutProfile, key: str, default: Any, kind: type | tuple[type, ...]) -> Any:
    value = dut.trigger.options.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigurationError(
            f"[trigger.options].{key} must be a {getattr(kind, '__name__', kind)}, not {value!r}",
            field=f"trigger.options.{key}",
        )
    return value


@dataclass(frozen=True)
class TestData:
    """What the cases ask the Central System for (``[trigger.options]``, docs/profile.md).

    Attributes:
        firmware_location: the firmware download URL of UpdateFirmware.
        diagnostics_location: the upload URL of GetDiagnostics.
        reservation_expiry: seconds from now to a reservation's expiryDate.
        stack_level: the stack level of the first charging profile.
        charging_rate_unit: ``A`` or ``W``.
        schedule_duration: seconds a charging schedule lasts.
        start_period: the startPeriod of the schedule's period.
        number_phases: the numberPhases of the schedule's period.
    """

    __test__ = False  # not a pytest test class, despite the name

    firmware_location: str
    diagnostics_location: str
    reservation_expiry: float
    stack_level: int
    charging_rate_unit: str
    schedule_duration: int
    start_period: int
    number_phases: int

    @classmethod
    def of(cls, dut: DutProfile) -> TestData:
        """The profile's test data; a bad value is a ConfigurationError naming its key."""
        unit = _option(dut, "charging_rate_unit", "A", str)
        if unit not in ("A", "W"):
            raise ConfigurationError(
                f"[trigger.options].charging_rate_unit must be 'A' or 'W', not {unit!r}",
                field="trigger.options.charging_rate_unit",
            )
        return cls(
            firmware_location=_option(
                dut, "firmware_location", "http://127.0.0.1/ocpp-harness/firmware.bin", str
            ),
            diagnostics_location=_option(
                dut, "diagnostics_location", "ftp://127.0.0.1/ocpp-harness/diagnostics/", str
            ),
            # short by default: the case waits the reservation out (TC_047_CSMS)
            reservation_expiry=float(
                _option(dut, "reservation_expiry", dut.timing.transaction_duration, (int, float))
            ),
            stack_level=_option(dut, "stack_level", 1, int),
            charging_rate_unit=unit,
            schedule_duration=_option(dut, "schedule_duration", 3600, int),
            start_period=_option(dut, "start_period", 0, int),
            number_phases=_option(dut, "number_phases", 3, int),
        )

    @property
    def limit(self) -> float:
        """The catalogue's 6 A, or 6000 W."""
        return 6.0 if self.charging_rate_unit == "A" else 6000.0


async def judged_request(
    station: Session,
    trigger: CsmsTrigger,
    action: str,
    payload: dict[str, Any],
    *,
    description: str,
    request_step: str,
    what: str,
    expected: Mapping[str, Any],
    answer_step: str,
    answer: dict[str, Any],
) -> dict[str, Any]:
    """Trigger ``action``, judge it on arrival by one tool validation, answer it.

    Args:
        station: the harness charge point's session.
        trigger: makes the Central System send ``action``.
        action: the request the Central System must send.
        payload: the complete request it is asked for.
        description: the instruction an operator reads.
        request_step: the step title of the request's arrival.
        what: the tool validation of the request, for a failure message.
        expected: the partial payload the request must carry.
        answer_step: the step title of the charge point's answer.
        answer: the answer the catalogue step prescribes.

    Returns:
        The request's payload as the Central System sent it.
    """
    call = await requested(
        trigger,
        station,
        action,
        payload,
        description=description,
        request_step=request_step,
        answer_step=answer_step,
        answer=answer,
        checks=[(what, expected)],
    )
    return call.payload
