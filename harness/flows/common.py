"""Building blocks every version's flows share: profile tokens, judging on arrival, settings.

:func:`expect_judged` is how a step awaits a request of the device in every
version: the first frame of the step's scope (its action, and e.g. its
connector) is the step's frame, and it is judged as soon as it arrives, so a
wrong value fails at once with the field, the expected and the received value.
Field checks use one vocabulary (:mod:`harness.expect` values, judged by
:func:`harness.checks.conform` and :func:`harness.checks.conform_reply`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from typing import Any, Protocol

from harness.checks import conform, conform_reply
from harness.errors import CallFailed, ConfigurationError, DutDisconnected, UnexpectedMessage
from harness.expect import Pattern
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.profile.model import Timing
from harness.rig import Rig
from harness.session import Session
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "ConfigurationNotApplied",
    "Setting",
    "answer_or_error",
    "boot_retry",
    "confirm_setting",
    "expect_judged",
    "heartbeats",
    "make_different",
    "not_before",
    "power_cycled_boot",
    "same_value",
    "stay_connected",
    "token",
]


async def expect_judged(
    session: Session,
    scope: Pattern,
    what: str,
    expected: Mapping[str, Any],
    *,
    after: IncomingCall | int | None,
    passing: Mapping[str, Any] | None = None,
    timeout: Timeout = DEFAULT,
) -> IncomingCall:
    """The step's request, judged as soon as it arrives.

    ``scope`` says which frame the step is about: its action and what tells
    it from unrelated traffic (the connector, the EVSE), never the values the
    step validates. The first frame in scope after ``after`` is the step's
    frame; it must carry ``expected`` (see :func:`~harness.checks.conform`),
    so a wrong value fails at once instead of the wait running out.

    Args:
        session: the session the device talks to.
        scope: the step's frames (action, partial payload, predicate, label).
        what: what the step requires, for the failure message (e.g. "status
            Charging (TC_003_CS step 7)").
        expected: the step's tool validations, as a partial payload.
        after: only frames after this call (or trace position) count.
        passing: frames in scope the catalogue allows *before* the step's
            frame (e.g. a status reported on the way to the awaited one); a
            frame matching ``passing`` and not ``expected`` is passed over.
            Every such allowance is written at the call site, with its reason.
        timeout: the bound of the wait (see :meth:`Session.expect`).

    Raises:
        UnexpectedMessage: the step's frame carries another value.
        ExpectationFailed: no frame in scope arrived in time.
    """
    __tracebackhide__ = True
    earlier = None if passing is None else Pattern(scope.action, passing)
    judged = Pattern(scope.action, expected)
    narrower = scope.where

    def step_frame(payload: dict[str, Any]) -> bool:
        if narrower is not None and not narrower(payload):
            return False
        return (
            earlier is None
            or not earlier.matches(scope.action, payload)
            or judged.matches(scope.action, payload)
        )

    label = f"{scope.describe()}: {what}"
    if passing is not None:
        allowed = ", ".join(f"{key} {value!r}" for key, value in passing.items())
        label += f" (frames with {allowed} before it are passed over)"
    awaited = Pattern(scope.action, scope.match, step_frame, label=label)
    found = await session.expect(awaited, after=after, timeout=timeout)
    conform(found, what, expected)
    return found


def token(dut: DutProfile, name: str = "valid") -> str:
    """The profile's ``[tokens].<name>`` value (``valid`` is <Configured Valid IdToken>).

    Raises:
        ConfigurationError: the profile does not configure it (naming the field).
    """
    value = getattr(dut.tokens, name, None)
    if not value:
        raise ConfigurationError(
            f"the test case needs the {name} token; set it in [tokens] of {dut.source}",
            field=f"tokens.{name}",
        )
    return str(value)


class Setting(Protocol):
    """One configuration value of the station under test, as a version reads and writes it.

    1.6: a configuration key (GetConfiguration / ChangeConfiguration); 2.0.1:
    a component variable (GetVariables / SetVariables).
    """

    @property
    def name(self) -> str:
        """How messages name it, e.g. ``MeterValueSampleInterval``."""
        ...

    async def read(self) -> str | None:
        """Its current value, or None when the station does not report it."""
        ...

    async def write(self, value: str) -> bool:
        """Set it; whether the station accepted the change."""
        ...

    def source(self) -> str:
        """The rule that an accepted change holds, cited by a failure."""
        ...


class ConfigurationNotApplied(UnexpectedMessage):
    """The station accepted a configuration change but reports another value."""


def same_value(reported: str, wanted: str) -> bool:
    """Whether a reported configuration value is the wanted one (booleans in any case)."""
    reported, wanted = reported.strip(), wanted.strip()
    if wanted.lower() in ("true", "false"):
        return reported.lower() == wanted.lower()
    return reported == wanted


async def confirm_setting(setting: Setting, value: str, *, why: str = "") -> None:
    """Read ``setting`` back after an accepted change: it must hold ``value``.

    Raises:
        ConfigurationNotApplied: it reports another value, citing
            :meth:`Setting.source`.
    """
    __tracebackhide__ = True
    found = await setting.read()
    if found is None or not same_value(found, value):
        raise ConfigurationNotApplied(
            f"The station accepted {setting.name} = {value!r}{why} but then reports "
            f"{found!r} ({setting.source()})."
        )


async def make_different(setting: Setting, avoid: str, other: str) -> None:
    """Configuration state "``setting`` is NOT ``avoid``": change it away and confirm.

    A case that then sets ``avoid`` can only pass when the station really
    applies the change, whatever the device held before.

    Args:
        setting: the configuration value.
        avoid: the value it must not hold.
        other: a valid value different from ``avoid`` to set when it does.

    Raises:
        ConfigurationNotApplied: the change was accepted but does not hold.
    """
    __tracebackhide__ = True
    current = await setting.read()
    if current is None or not same_value(current, avoid):
        return
    if not await setting.write(other):
        return  # the case's own step that sets ``avoid`` judges a station refusing changes
    await confirm_setting(setting, other, why=" (the configuration state before the case)")


def not_before(
    found: IncomingCall, since: float, interval: float, timing: Timing, *, what: str, rule: str
) -> None:
    """A "not before" check: ``found`` came at least ``interval`` after ``since``.

    The profile's ``[timing]`` tolerance (default max(1 s, 10 %)) is granted,
    since a station with a whole-second clock fires up to a second early. It
    is measured on the harness's monotonic clock between the two frames and
    not stretched by the time factor (stretching would make it stricter).

    Args:
        found: the frame that must not come too soon.
        since: the monotonic time the interval starts at.
        interval: the interval, in seconds.
        timing: the profile's timing values.
        what: what the interval is, for the message (e.g. "the Rejected boot's interval").
        rule: the rule checked, cited in the message (e.g. "TC_B_03_CS step 3").

    Raises:
        UnexpectedMessage: it came sooner than the interval less the tolerance.
    """
    __tracebackhide__ = True
    waited = found.entry.mono - since
    earliest = timing.not_before(interval)
    if waited < earliest:
        raise UnexpectedMessage(
            f"{found.action} came {waited:.2f} s after {what}; it must wait at least the "
            f"interval, {interval:g} s ({rule}; tolerance {timing.early_by(interval):.2g} s "
            f"from [timing] tolerance).\n  received: {found.entry.raw[:400]}"
        )


async def boot_retry(
    csms: Session,
    first: IncomingCall,
    interval: float,
    timing: Timing,
    *,
    rule: str,
    answered: str = "Rejected",
) -> IncomingCall:
    """The BootNotification a station sends again after ``first`` was answered Rejected or Pending.

    The interval is a minimum, not a deadline: the retry is awaited for the
    interval plus the boot timeout, and it may come over a new connection (a
    station may close its connection while rejected). It must not come before
    the interval, less the profile's tolerance.

    Args:
        csms: the session with the station.
        first: the BootNotification answered Rejected.
        interval: the interval sent in that answer, in seconds.
        timing: the profile's timing values.
        rule: the rule checked, cited in a failure (e.g. "TC_B_03_CS step 3").
        answered: the status ``first`` was answered with (``Rejected``, ``Pending``).

    Raises:
        UnexpectedMessage: the retry came before the interval.
    """
    __tracebackhide__ = True
    with csms.disconnect_allowed():
        second = await csms.expect(
            "BootNotification", after=first, timeout=interval + timing.boot_timeout
        )
    since = first.reply_entry.mono if first.reply_entry else first.entry.mono
    not_before(second, since, interval, timing, what=f"the {answered} answer", rule=rule)
    return second


async def heartbeats(
    session: Session, after: IncomingCall, interval: float, timing: Timing, *, rule: str
) -> IncomingCall:
    """A station beats every ``interval`` seconds: two Heartbeats, the second not too soon.

    The first is awaited for the interval plus the message timeout after
    ``after`` (a Heartbeat soon after it is allowed: only the interval between
    beats is set); the second as long after the first, and not before the
    interval, less the profile's tolerance.

    Raises:
        ExpectationFailed: a Heartbeat did not come in time.
        UnexpectedMessage: the second came before the interval.
    """
    __tracebackhide__ = True
    bound = interval + timing.message_timeout
    beat = await session.expect("Heartbeat", after=after, timeout=bound)
    again = await session.expect("Heartbeat", after=beat, timeout=bound)
    not_before(again, beat.entry.mono, interval, timing, what="the previous Heartbeat", rule=rule)
    return again


async def power_cycled_boot(
    session: Session, rig: Rig, dut: DutProfile, *, after: IncomingCall | int
) -> IncomingCall:
    """The station is power-cycled, reconnects and sends its BootNotification.

    Hold the BootNotification around this call to answer it in the case.

    Returns:
        the BootNotification (unanswered when held).
    """
    __tracebackhide__ = True
    async with session.reconnection(timeout=dut.timing.boot_timeout):
        await rig.power_cycle()
    return await session.expect("BootNotification", after=after, timeout=dut.timing.boot_timeout)


async def answer_or_error(
    session: Session,
    action: str,
    payload: dict[str, Any],
    what: str,
    expected: Mapping[str, Any],
    *,
    error_codes: Collection[str] | None,
) -> Reply:
    """Send a CALL whose answer must carry ``expected``, or be a CALLERROR the case allows.

    For the catalogue's "responds with X.conf OR with a CallError" steps.

    Args:
        what: the answer the step requires, for the failure message.
        expected: the answer's required fields (see :func:`~harness.checks.conform_reply`).
        error_codes: the CALLERROR codes allowed instead; None allows any code.

    Raises:
        CallFailed: another answer, or a CALLERROR with another code.
    """
    __tracebackhide__ = True
    reply = await session.call(action, payload, allow_error=True)
    if not reply.is_error:
        conform_reply(reply, what, expected)
        return reply
    code = str(getattr(reply.frame, "error_code", ""))
    if error_codes is not None and code not in error_codes:
        raise CallFailed(
            f"The device answered {action} with CALLERROR {code}; the test case allows "
            f"{what} or CALLERROR {' or '.join(error_codes)}.\n"
            f"  sent:     {reply.call_entry.raw[:400]}\n  received: {reply.entry.raw[:400]}",
            action=action,
            unique_id=reply.call.unique_id,
        )
    return reply


async def stay_connected(station: Session, seconds: float, what: str) -> None:
    """Let ``seconds`` of protocol time pass as the harness station, on an open connection.

    The harness station's own timers (a retry interval, a transaction's
    duration, a reservation running out): requests the CSMS sends meanwhile
    get the default answers. ``what`` names the wait in a failure.

    Raises:
        DutDisconnected: the CSMS closed the connection meanwhile.
    """
    __tracebackhide__ = True
    closed = station.connection.closed
    done, _ = await asyncio.wait({closed}, timeout=seconds)
    if done:
        reason = closed.result()
        raise DutDisconnected(
            f"The CSMS closed the connection (code {reason.code}, reason {reason.reason!r}) "
            f"while the station waited {what} ({seconds:g} s).",
            code=reason.code,
            reason=reason.reason,
        )
