"""Building blocks every version's flows share: profile tokens, judging on arrival, settings.

:func:`expect_judged` is how a step awaits a request of the device in every
version: the first frame of the step's scope (its action, and e.g. its
connector) is the step's frame, and it is judged as soon as it arrives, so a
wrong value fails at once with the field, the expected and the received value.
Field checks use one vocabulary (:mod:`harness.expect` values, judged by
:func:`harness.checks.conform` and :func:`harness.checks.conform_reply`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from harness.checks import conform
from harness.errors import ConfigurationError, InvalidResponse, UnexpectedMessage, UnexpectedStatus
from harness.expect import Pattern
from harness.ocppj.connection import IncomingCall, Reply
from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile
from harness.profile.model import Timing
from harness.session import Session
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "ConfigurationNotApplied",
    "Setting",
    "confirm_setting",
    "csms_name",
    "expect_judged",
    "make_different",
    "not_before",
    "require_field",
    "require_status",
    "same_value",
    "token",
]


def csms_name(version: OcppVersion) -> str:
    """What the version calls the central system."""
    return "Central System" if version is OcppVersion.V16 else "CSMS"


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


def _lookup(payload: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = payload
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return False, None
        value = value[key]
    return True, value


def require_field(call: IncomingCall, path: str, expected: object) -> None:
    """Check a value in a request the central system sent (a tool validation).

    Raises:
        UnexpectedMessage: the field is missing or holds another value.
    """
    __tracebackhide__ = True
    found, value = _lookup(call.payload, path)
    if not found or value != expected:
        shown = repr(value) if found else "no value"
        raise UnexpectedMessage(
            f"The {csms_name(call.connection.version)} sent {call.action} with {path} {shown}; "
            f"the test case requires {expected!r}.\n  received: {call.entry.raw[:400]}"
        )


def require_status(
    reply: Reply, path: str, allowed: str | Collection[str], *, why: str = ""
) -> str:
    """Check a status nested in the central system's answer, e.g. ``idTagInfo.status``.

    Returns:
        The status found.

    Raises:
        InvalidResponse: the field is missing.
        UnexpectedStatus: it holds another value than ``allowed``.
    """
    __tracebackhide__ = True
    accepted = [allowed] if isinstance(allowed, str) else list(allowed)
    action = reply.call.action
    peer = "central system"
    found, value = _lookup(reply.payload, path)
    if not found:
        raise InvalidResponse(
            f"The {peer}'s answer to {action} has no {path}; the test case requires "
            f"{' or '.join(accepted)}{why}.\n  received: {reply.entry.raw[:400]}",
            action=action,
            unique_id=reply.call.unique_id,
        )
    if value not in accepted:
        raise UnexpectedStatus(
            f"The {peer} answered {action} with {path} {value!r}; the test case requires "
            f"{' or '.join(repr(a) for a in accepted)}{why}.\n  received: {reply.entry.raw[:400]}",
            action=action,
            unique_id=reply.call.unique_id,
        )
    return str(value)
