"""Default answers to the peer's CALLs, so a device under test stays happy.

A test case cares about a few messages; the device sends many more
(heartbeats, status, meter values, events). Every CALL the test does not hold
or override is answered by a :class:`DefaultPolicy`:

* a few actions get a considered answer (boot accepted with the configured
  interval, heartbeat with the time, authorization from the token book,
  transactions with an id, data transfer with ``UnknownVendorId``);
* any other action gets the smallest answer its response schema allows:
  ``{}`` when nothing is required, or a ``status`` that is safe for the role
  (``Accepted`` when the harness is the CSMS, ``Rejected`` when it is the
  station, since a harness station performs no real operation);
* an action for which no valid answer can be derived is answered with a
  ``NotSupported`` CALLERROR, saying so, rather than with an invented payload.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.clock import utc_now
from harness.ocppj.connection import IncomingCall
from harness.ocppj.replies import NO_REPLY, ErrorReply, ReplySpec
from harness.ocppj.validation import response_schema
from harness.ocppj.versions import OcppVersion, Role
from harness.profile.model import Tokens

# NO_REPLY, ErrorReply, ReplySpec and utc_now belong to the engine, where the
# reference simulators take them without importing the judge; re-exported here.
__all__ = ["NO_REPLY", "DefaultPolicy", "ErrorReply", "ReplySpec", "TokenBook", "utc_now"]

Responder = Callable[[IncomingCall], ReplySpec]


@dataclass(frozen=True)
class TokenBook:
    """How the harness CSMS authorizes idTokens: status per token, group per token.

    The judge's one token book (:meth:`of` reads it from a profile's
    ``[tokens]``). Tokens not in the book are ``Invalid`` (the CSMS does not
    know them). The reference CSMS keeps its own reading of ``[tokens]``
    (``harness.sim.csms.state.Authorizer``) on purpose: it must not import the
    judge, and a self-test compares the two readings.
    """

    statuses: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, tokens: Tokens) -> TokenBook:
        """The book of a DUT profile's ``[tokens]``.

        Valid, second valid, group member and master-pass tokens are
        ``Accepted``; the invalid, blocked and expired ones are ``Invalid``,
        ``Blocked`` and ``Expired``; the group member and the valid token
        belong to ``group_id``, the master-pass token to ``master_pass_group``.
        """
        statuses: dict[str, str] = {}
        for token, status in (
            (tokens.valid, "Accepted"),
            (tokens.valid2, "Accepted"),
            (tokens.group_member, "Accepted"),
            (tokens.master_pass, "Accepted"),
            (tokens.invalid, "Invalid"),
            (tokens.blocked, "Blocked"),
            (tokens.expired, "Expired"),
        ):
            if token:
                statuses[token] = status
        groups: dict[str, str] = {}
        if tokens.group_id:
            for token in (tokens.group_member, tokens.valid):
                if token:
                    groups[token] = tokens.group_id
        if tokens.master_pass and tokens.master_pass_group:
            groups[tokens.master_pass] = tokens.master_pass_group
        return cls(statuses, groups)

    def status(self, token: str) -> str:
        return self.statuses.get(token, "Invalid")

    def info_v16(self, token: str) -> dict[str, Any]:
        info: dict[str, Any] = {"status": self.status(token)}
        if token in self.groups:
            info["parentIdTag"] = self.groups[token]
        return info

    def info_v2(self, token: str, token_type: str) -> dict[str, Any]:
        info: dict[str, Any] = {"status": self.status(token)}
        if token in self.groups:
            info["groupIdToken"] = {"idToken": self.groups[token], "type": "Central"}
        return info


class DefaultPolicy:
    """Answers for unsolicited CALLs, per version and local role."""

    def __init__(
        self,
        version: OcppVersion,
        local_role: Role,
        *,
        heartbeat_interval: int = 300,
        tokens: TokenBook | None = None,
    ) -> None:
        self.version = version
        self.local_role = local_role
        self.heartbeat_interval = heartbeat_interval
        self.tokens = tokens or TokenBook()
        self._transaction_ids = itertools.count(1)
        self._special: dict[str, Responder] = {
            "BootNotification": self._boot,
            "Heartbeat": lambda _c: {"currentTime": utc_now()},
            "Authorize": self._authorize,
            "StartTransaction": self._start_transaction,
            "StopTransaction": self._stop_transaction,
            "TransactionEvent": self._transaction_event,
            "DataTransfer": lambda _c: {"status": "UnknownVendorId"},
            "GetConfiguration": self._get_configuration,
        }

    def __call__(self, incoming: IncomingCall) -> ReplySpec:
        special = self._special.get(incoming.action)
        if special is not None and (
            self.local_role is Role.CSMS or incoming.action in ("DataTransfer", "GetConfiguration")
        ):
            return special(incoming)
        return self._derived(incoming.action)

    # -- considered answers (harness as CSMS) ---------------------------------

    def _boot(self, _call: IncomingCall) -> ReplySpec:
        return {
            "status": "Accepted",
            "currentTime": utc_now(),
            "interval": self.heartbeat_interval,
        }

    def _authorize(self, call: IncomingCall) -> ReplySpec:
        if self.version is OcppVersion.V16:
            return {"idTagInfo": self.tokens.info_v16(str(call.payload.get("idTag", "")))}
        token = call.payload.get("idToken", {})
        return {"idTokenInfo": self.tokens.info_v2(token.get("idToken", ""), token.get("type", ""))}

    def _start_transaction(self, call: IncomingCall) -> ReplySpec:
        return {
            "transactionId": next(self._transaction_ids),
            "idTagInfo": self.tokens.info_v16(str(call.payload.get("idTag", ""))),
        }

    def _stop_transaction(self, call: IncomingCall) -> ReplySpec:
        tag = call.payload.get("idTag")
        return {"idTagInfo": self.tokens.info_v16(str(tag))} if tag else {}

    def _transaction_event(self, call: IncomingCall) -> ReplySpec:
        token = call.payload.get("idToken")
        if not token:
            return {}
        return {"idTokenInfo": self.tokens.info_v2(token.get("idToken", ""), token.get("type", ""))}

    def _get_configuration(self, call: IncomingCall) -> ReplySpec:
        return {"configurationKey": [], "unknownKey": list(call.payload.get("key", []))}

    # -- derived from the response schema ---------------------------------------

    def _derived(self, action: str) -> ReplySpec:
        schema = response_schema(self.version, action)
        required = schema.get("required", [])
        if not required:
            return {}
        if required == ["status"]:
            status = schema["properties"]["status"]
            if "$ref" in status:
                status = schema["definitions"][status["$ref"].rsplit("/", 1)[-1]]
            allowed = status.get("enum", [])
            preferred = "Accepted" if self.local_role is Role.CSMS else "Rejected"
            for choice in (preferred, "Rejected", "Accepted"):
                if choice in allowed:
                    return {"status": choice}
        return ErrorReply(
            "NotSupported",
            f"the harness has no default answer for {action}; the test case must reply",
        )
