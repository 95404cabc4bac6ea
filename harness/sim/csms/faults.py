"""Fault knobs of the reference CSMS: what each one breaks.

The profile's ``[embedded].faults`` switches knobs on; a CSMS with any knob on
is a *mutant*, used to show that a certification case can fail. Knobs with an
argument name the OCPP action they apply to (``ignore_call:Heartbeat``).

================================ ==================================================================
knob                             effect
================================ ==================================================================
``boot_rejected``                every BootNotification is answered ``Rejected``
``boot_wrong_interval``          accepted boots carry a negative heartbeat interval
``bad_timestamp``                ``currentTime`` (BootNotification, Heartbeat) is not RFC 3339
``wrong_enum``                   status enums in replies (boot, idTagInfo, idTokenInfo) get a value
                                 outside the enumeration
``authorize_all``                invalid, blocked, expired and unknown tokens are ``Accepted``
``token_invalid:<Action>``       the ``idTagInfo``/``idTokenInfo`` status of ``<Action>``'s reply
                                 is ``Invalid`` whatever the token (a valid value: the schema holds)
``ignore_call:<Action>``         ``<Action>`` CALLs are never answered
``reply_late:<Action>``          ``<Action>`` CALLs are answered after twice the message timeout
``skip_trigger``                 a trigger returns at once without sending anything
``duplicate_trigger``            a trigger sends its request twice, one after the other
``schema_violation:<Action>``    the reply lacks a required field (or carries an unknown one when
                                 the schema requires none); sent unvalidated
``wrong_transaction_id``         1.6 RemoteStopTransaction / 2.0.1 RequestStopTransaction name a
                                 transaction id the station never had
``remote_start_wrong_token``     RemoteStartTransaction / RequestStartTransaction carry another
                                 token than the trigger asked for
================================ ==================================================================

Unknown knobs, a knob missing its action, or an action the version does not
define are refused with a :class:`~harness.errors.ConfigurationError` naming
``embedded.faults``, so a typo cannot silently test the reference behaviour.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from harness.errors import ConfigurationError
from harness.ocppj.actions import actions
from harness.ocppj.validation import response_schema
from harness.ocppj.versions import OcppVersion
from harness.sim.faults import Faults

__all__ = ["ACTION_KNOBS", "PLAIN_KNOBS", "CsmsFaults", "mutate_reply", "parse_faults"]

#: Knobs that take no argument.
PLAIN_KNOBS = frozenset(
    {
        "boot_rejected",
        "boot_wrong_interval",
        "bad_timestamp",
        "wrong_enum",
        "authorize_all",
        "skip_trigger",
        "duplicate_trigger",
        "wrong_transaction_id",
        "remote_start_wrong_token",
    }
)
#: Knobs that name an action after a colon.
ACTION_KNOBS = frozenset({"ignore_call", "reply_late", "schema_violation", "token_invalid"})

#: What ``bad_timestamp`` puts in ``currentTime``: no ``T``, no time zone.
BAD_TIMESTAMP = "2024-01-01 12:00:00"
#: What ``wrong_enum`` puts in a status field.
WRONG_ENUM = "Approved"
#: How far ``wrong_transaction_id`` moves a 1.6 transaction id.
WRONG_ID_OFFSET = 1000


class CsmsFaults(Faults):
    """The switched-on knobs of one reference CSMS (see the module docstring)."""

    def __init__(self, names: Iterable[str], version: OcppVersion) -> None:
        listed = tuple(names)
        super().__init__(listed, PLAIN_KNOBS | ACTION_KNOBS)
        known_actions = actions(version)
        for name in listed:
            key, _, arg = name.partition(":")
            if key in ACTION_KNOBS and not arg:
                raise ConfigurationError(
                    f"fault knob {key!r} needs an action, e.g. '{key}:Heartbeat'",
                    field="embedded.faults",
                )
            if key in PLAIN_KNOBS and arg:
                raise ConfigurationError(
                    f"fault knob {key!r} takes no argument (got {name!r})",
                    field="embedded.faults",
                )
            if arg and arg not in known_actions:
                raise ConfigurationError(
                    f"fault knob {name!r}: OCPP {version.value} has no action {arg!r}",
                    field="embedded.faults",
                )


def parse_faults(names: Iterable[str], version: OcppVersion) -> CsmsFaults:
    """Read fault knob names for a CSMS speaking ``version``.

    Raises:
        ConfigurationError: an unknown or malformed knob (field ``embedded.faults``).
    """
    return CsmsFaults(names, version)


def mutate_reply(
    faults: CsmsFaults, version: OcppVersion, action: str, payload: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Apply the reply-changing knobs to a correct answer.

    Returns:
        The answer to send, and whether it must be sent without validation
        (it breaks the schema on purpose).
    """
    if not faults:
        return payload, False
    changed = copy.deepcopy(payload)
    unvalidated = False
    if faults.on("bad_timestamp") and "currentTime" in changed:
        changed["currentTime"] = BAD_TIMESTAMP
        unvalidated = True
    if faults.on("wrong_enum"):
        for holder in (changed, changed.get("idTagInfo"), changed.get("idTokenInfo")):
            if isinstance(holder, dict) and "status" in holder:
                holder["status"] = WRONG_ENUM
                unvalidated = True
    if faults.on("token_invalid", action):
        for holder in (changed.get("idTagInfo"), changed.get("idTokenInfo")):
            if isinstance(holder, dict):
                holder["status"] = "Invalid"
    if faults.on("schema_violation", action):
        required = list(response_schema(version, action).get("required", []))
        if required:
            changed.pop(required[0], None)
        else:
            changed["unexpectedField"] = True
        unvalidated = True
    return changed, unvalidated
