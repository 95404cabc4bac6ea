"""Building blocks every version's flows share: profile tokens and field checks.

The checks name the peer as its version does ("Central System" in 1.6,
"CSMS" in 2.x) and quote the frame, so a failed tool validation reads the same
in every test case.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from harness.errors import ConfigurationError, InvalidResponse, UnexpectedMessage, UnexpectedStatus
from harness.ocppj.connection import IncomingCall, Reply
from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile

__all__ = ["csms_name", "require_field", "require_status", "token"]


def csms_name(version: OcppVersion) -> str:
    """What the version calls the central system."""
    return "Central System" if version is OcppVersion.V16 else "CSMS"


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
