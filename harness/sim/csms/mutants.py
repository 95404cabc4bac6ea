"""The reference CSMS's fault knobs: wire mutants as data, and behaviour knobs.

:data:`MUTANTS` are the knobs said on the wire: the mutation layer
(:mod:`harness.sim.mutation`) applies them to the answers the CSMS gives and
to the requests it sends when triggered; the reply policy never sees them.
:data:`BEHAVIOUR_KNOBS` are the faults a wire rule cannot say, each with why
(after ``—``). The knob table in ``docs/simulators.md`` is
:func:`~harness.sim.mutants.knob_table` of this data (a test holds it so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.ocppj.versions import OcppVersion
from harness.sim.csms.mutants_core import CORE_MUTANTS
from harness.sim.csms.mutants_feature_profiles import FEATURE_PROFILE_MUTANTS
from harness.sim.csms.mutants_v201_remote import V201_REMOTE_MUTANTS
from harness.sim.csms.mutants_v201_requests import V201_REQUEST_MUTANTS
from harness.sim.mutants import (
    BAD_TIMESTAMP,
    COMMON,
    Side,
    WireMutant,
    first_required,
    replacing,
)
from harness.sim.mutation import (
    CALL,
    REPLY,
    Drop,
    Duplicate,
    Late,
    Omit,
    Rule,
    Set,
    SetEvery,
    Unset,
    Where,
)

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS", "WRONG_ENUM", "WRONG_ID_OFFSET"]

#: What ``wrong_enum`` puts in a status field.
WRONG_ENUM = "Approved"
#: How far ``wrong_transaction_id`` moves a 1.6 transaction id.
WRONG_ID_OFFSET = 1000
_ACCEPTED = (Where(("status",), "Accepted"),)


def _token_status(side: Side) -> tuple[str, str]:
    return ("idTagInfo", "status") if side.version is OcppVersion.V16 else ("idTokenInfo", "status")


def _token_group(side: Side) -> tuple[str, str]:
    if side.version is OcppVersion.V16:
        return ("idTagInfo", "parentIdTag")
    return ("idTokenInfo", "groupIdToken")


def _schema_violation(action: str, side: Side) -> Sequence[Rule]:
    try:
        return [Rule(REPLY, action, Omit(first_required(side.version, action, response=True)))]
    except ValueError:  # nothing is required: an unknown field breaks the schema instead
        return [Rule(REPLY, action, Set(("unexpectedField",), True, valid=False))]


def _other_transaction(version: OcppVersion) -> Any:
    if version is OcppVersion.V16:
        return lambda current: int(current) + WRONG_ID_OFFSET
    return lambda current: ("X" + str(current))[:36]


def _other_tag(current: Any) -> str:
    token = str(current or "")
    return ("X" + token)[:20] if not token.startswith("X") else ("Y" + token[1:])[:20]


def _wrong_transaction_id(_arg: str, side: Side) -> Sequence[Rule]:
    stop = "RemoteStopTransaction" if side.version is OcppVersion.V16 else "RequestStopTransaction"
    return [Rule(CALL, stop, Set(("transactionId",), _other_transaction(side.version)))]


def _remote_start_wrong_token(_arg: str, side: Side) -> Sequence[Rule]:
    if side.version is OcppVersion.V16:
        return [Rule(CALL, "RemoteStartTransaction", Set(("idTag",), _other_tag))]
    return [
        Rule(
            CALL,
            "RequestStartTransaction",
            Set(("idToken", "idToken"), lambda current: ("X" + str(current))[:36]),
        )
    ]


#: The reference CSMS's wire mutants (its own meanings of the shared names first).
MUTANTS: tuple[WireMutant, ...] = replacing(
    [m for m in COMMON if m.name in ("ignore_call",)],
    WireMutant(
        "reply_late",
        "answers `<Action>` after twice the message timeout",
        lambda a, _side: [Rule(REPLY, a, Late(margin=0.0, times=2.0))],
        "<Action>",
    ),
    WireMutant(
        "schema_violation",
        "answers `<Action>` without its first required field (or with an unknown one when the "
        "schema requires none)",
        _schema_violation,
        "<Action>",
    ),
    WireMutant(
        "bad_timestamp",
        f"answers with a `currentTime` that is not RFC 3339 (`{BAD_TIMESTAMP}`)",
        lambda _a, _side: [Rule(REPLY, "*", SetEvery("currentTime", BAD_TIMESTAMP))],
    ),
    WireMutant(
        "wrong_enum",
        f"puts `{WRONG_ENUM}`, outside the enumeration, in every status of its answers "
        "(boot, idTagInfo, idTokenInfo)",
        lambda _a, _side: [Rule(REPLY, "*", SetEvery("status", WRONG_ENUM))],
    ),
    WireMutant(
        "token_invalid",
        "answers `<Action>` with idTagInfo/idTokenInfo status `Invalid` whatever the token "
        "(a valid value: the schema holds)",
        lambda a, side: [Rule(REPLY, a, Set(_token_status(side), "Invalid"))],
        "<Action>",
    ),
    WireMutant(
        "no_group_id",
        "answers `<Action>` without the token's group (idTagInfo.parentIdTag / "
        "idTokenInfo.groupIdToken)",
        lambda a, side: [Rule(REPLY, a, Unset(_token_group(side)))],
        "<Action>",
    ),
    WireMutant(
        "boot_rejected",
        "answers every BootNotification `Rejected` (retry interval 1 s)",
        lambda _a, _side: [
            Rule(REPLY, "BootNotification", Set(("status",), "Rejected")),
            Rule(REPLY, "BootNotification", Set(("interval",), 1), _ACCEPTED),
        ],
    ),
    WireMutant(
        "boot_wrong_interval",
        "gives accepted boots a negative heartbeat interval",
        lambda _a, _side: [
            Rule(REPLY, "BootNotification", Set(("interval",), lambda i: -abs(i)), _ACCEPTED)
        ],
    ),
    WireMutant(
        "skip_trigger",
        "sends nothing when triggered (the trigger returns at once)",
        lambda _a, _side: [Rule(CALL, "*", Drop())],
    ),
    WireMutant(
        "duplicate_trigger",
        "sends a triggered request twice, one after the other (the second with a new id)",
        lambda _a, _side: [Rule(CALL, "*", Duplicate(new_id=True))],
    ),
    WireMutant(
        "wrong_transaction_id",
        "names, in RemoteStopTransaction / RequestStopTransaction, a transaction id the station "
        "never had",
        _wrong_transaction_id,
    ),
    WireMutant(
        "remote_start_wrong_token",
        "puts another token in RemoteStartTransaction / RequestStartTransaction than the "
        "trigger asked for",
        _remote_start_wrong_token,
    ),
    *CORE_MUTANTS,
    *V201_REQUEST_MUTANTS,
    *V201_REMOTE_MUTANTS,
    *FEATURE_PROFILE_MUTANTS,
)

#: Knobs a wire rule cannot say: what each does — why it is not a wire rule.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "authorize_all": "accepts invalid, blocked, expired and unknown tokens "
    "— the token book's answer carries its own fields (expiry, group) for the token",
    "reject_reboot": "answers `Rejected` every BootNotification of a station after its first "
    "— a reboot comes on a new connection, whose mutation layer cannot tell it from a first boot",
    "seq_no_per_station": "refuses (PropertyConstraintViolation) the first TransactionEvent of a "
    "new transaction whose seqNo does not continue the station's last one "
    "— which events came before is the CSMS's state across transactions, not on the wire",
}
