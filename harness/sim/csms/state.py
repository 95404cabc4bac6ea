"""What the reference CSMS remembers: stations, tokens and transactions.

State is kept per station identity and survives reconnections, as a real
CSMS keeps its records when a station reboots. Transaction ids of OCPP 1.6
are allocated by the CSMS from one counter shared by all stations, so an id
never names two transactions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.connection import OcppConnection
from harness.profile import DutProfile, Tokens

__all__ = ["Authorizer", "CsmsState", "StationState", "Transaction"]


@dataclass
class Transaction:
    """One transaction as the CSMS saw it.

    Attributes:
        id: the transaction id (1.6: allocated by the CSMS; 2.0.1: the station's).
        connector: 1.6 connector id, or 2.0.1 EVSE id (0 when not reported).
        token: the idTag / idToken that started it, if any.
        seq_no: the last 2.0.1 ``seqNo`` received (-1 before the first event).
        remote_start_id: the 2.0.1 remoteStartId reported for it, if any.
        ended: whether StopTransaction / an ``Ended`` event arrived.
    """

    id: str
    connector: int = 0
    token: str | None = None
    seq_no: int = -1
    remote_start_id: int | None = None
    ended: bool = False


@dataclass
class StationState:
    """What the CSMS knows about one station identity.

    Attributes:
        identity: the station identity from the websocket URL.
        connection: its live connection, or None while it is disconnected.
        boots: how many BootNotifications it sent.
        registration: the last boot status given (``Accepted``, ``Pending``, ...).
        next_boot_status: a one-shot status for its next boot (set by configuration).
        connectors: last reported status per connector key (``evse/connector``).
        transactions: every transaction by id.
        last_heartbeat: the ``currentTime`` of the last Heartbeat answer.
        solicited: 2.0.1 requests the CSMS asked for (TriggerMessage, reports),
            which a Pending station may send.
    """

    identity: str
    connection: OcppConnection | None = None
    boots: int = 0
    registration: str | None = None
    next_boot_status: str | None = None
    connectors: dict[str, str] = field(default_factory=dict)
    transactions: dict[str, Transaction] = field(default_factory=dict)
    last_heartbeat: str | None = None
    solicited: set[str] = field(default_factory=set)

    def active_transaction(self) -> Transaction | None:
        """The most recent transaction that has not ended."""
        for transaction in reversed(self.transactions.values()):
            if not transaction.ended:
                return transaction
        return None


class Authorizer:
    """Token statuses as the CSMS of the profile's ``[tokens]`` knows them.

    The reference reads the profile itself rather than borrowing the judge's
    token book, so a wrong reading of ``[tokens]`` cannot pass on both sides
    of a self-test. Valid, second valid, group member and master-pass tokens
    are ``Accepted``; the blocked and expired ones are ``Blocked`` and
    ``Expired``; every other token (the invalid one included) is unknown to
    the CSMS: ``Invalid``. The group member and the valid token belong to
    ``group_id``, the master-pass token to ``master_pass_group`` (the CSMS's
    MasterPassGroupId).

    Args:
        tokens: the profile's ``[tokens]``.
        accept_all: the ``authorize_all`` fault: every token is ``Accepted``.
    """

    def __init__(self, tokens: Tokens, *, accept_all: bool = False) -> None:
        known = {
            tokens.valid: "Accepted",
            tokens.valid2: "Accepted",
            tokens.group_member: "Accepted",
            tokens.master_pass: "Accepted",
            tokens.blocked: "Blocked",
            tokens.expired: "Expired",
        }
        self.statuses = {token: status for token, status in known.items() if token}
        members = (tokens.group_member, tokens.valid) if tokens.group_id else ()
        self.groups = {token: str(tokens.group_id) for token in members if token}
        if tokens.master_pass and tokens.master_pass_group:
            self.groups[tokens.master_pass] = tokens.master_pass_group
        self.accept_all = accept_all

    def status(self, token: str) -> str:
        if self.accept_all:
            return "Accepted"
        return self.statuses.get(token, "Invalid")

    def id_tag_info(self, token: str) -> dict[str, Any]:
        """OCPP 1.6 ``idTagInfo``: status, and ``parentIdTag`` for group members."""
        info: dict[str, Any] = {"status": self.status(token)}
        if token in self.groups:
            info["parentIdTag"] = self.groups[token]
        return info

    def id_token_info(self, token: str) -> dict[str, Any]:
        """OCPP 2.0.1 ``idTokenInfo``: status, and ``groupIdToken`` for group members."""
        info: dict[str, Any] = {"status": self.status(token)}
        if token in self.groups:
            info["groupIdToken"] = {"idToken": self.groups[token], "type": "Central"}
        return info


class CsmsState:
    """Every station the CSMS has seen, the token list and the id counters."""

    def __init__(self, dut: DutProfile, *, accept_all: bool = False) -> None:
        self.authorizer = Authorizer(dut.tokens, accept_all=accept_all)
        self.stations: dict[str, StationState] = {}
        self._transaction_ids = itertools.count(1)
        self._remote_start_ids = itertools.count(1)

    def station(self, identity: str) -> StationState:
        """The record of ``identity``, created on first sight."""
        state = self.stations.get(identity)
        if state is None:
            state = self.stations[identity] = StationState(identity)
        return state

    def connected(self) -> list[StationState]:
        """Stations with an open connection, in the order they first connected."""
        return [
            s
            for s in self.stations.values()
            if s.connection is not None and not s.connection.is_closed
        ]

    def new_transaction_id(self) -> int:
        """A fresh OCPP 1.6 transaction id."""
        return next(self._transaction_ids)

    def new_remote_start_id(self) -> int:
        """A fresh 2.0.1 ``remoteStartId``."""
        return next(self._remote_start_ids)
