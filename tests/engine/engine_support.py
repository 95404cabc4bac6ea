"""Helpers shared by the engine tests: time bounds, sample payloads, a raw peer.

Nothing here is a test. The samples are valid payloads per OCPP version that
the tests mutate; :class:`RawPeer` is the far end of an in-memory connection
that a test drives with raw text, to see exactly what the harness answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.ocppj import OcppVersion, Role
from harness.ocppj.channel import MemoryChannel
from harness.session import Session
from harness.trace import Direction, TraceEntry

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21

WAIT = 0.5
"""Bound for waits that succeed in a working harness (never reached when all is well)."""

SHORT = 0.05
"""Bound for waits that are meant to expire."""

QUIET = 0.02
"""Window in which a test shows that nothing happens."""

NOW = "2024-05-01T12:00:00Z"


# -- sample payloads ----------------------------------------------------------


def boot_request(version: OcppVersion) -> dict[str, Any]:
    """A valid BootNotification request."""
    if version is V16:
        return {"chargePointVendor": "Acme", "chargePointModel": "M1"}
    return {"reason": "PowerUp", "chargingStation": {"model": "M1", "vendorName": "Acme"}}


def boot_response(version: OcppVersion, status: str = "Accepted") -> dict[str, Any]:
    """A valid BootNotification response (same shape in every version)."""
    return {"status": status, "currentTime": NOW, "interval": 60}


def status_request(
    version: OcppVersion, status: str = "Available", connector: int = 1
) -> dict[str, Any]:
    """A valid StatusNotification request; ``status`` must exist in 1.6 and 2.x."""
    if version is V16:
        return {
            "connectorId": connector,
            "errorCode": "NoError",
            "status": status,
            "timestamp": NOW,
        }
    return {"timestamp": NOW, "connectorStatus": status, "evseId": 1, "connectorId": connector}


def authorize_request(version: OcppVersion, token: str) -> dict[str, Any]:
    """A valid Authorize request for ``token``."""
    if version is V16:
        return {"idTag": token}
    return {"idToken": {"idToken": token, "type": "ISO14443"}}


#: An action each sender may start with an empty payload, and that every
#: version defines: a harmless way to poke the other side.
BENIGN: dict[Role, str] = {Role.STATION: "Heartbeat", Role.CSMS: "ClearCache"}


@dataclass(frozen=True)
class StatusCall:
    """A CALL a sender may start whose answer carries a ``status``."""

    action: str
    payload: dict[str, Any]
    accepted: dict[str, Any]
    rejected: dict[str, Any]


def status_call(version: OcppVersion, sender: Role) -> StatusCall:
    """BootNotification for a station, ClearCache for a CSMS."""
    if sender is Role.STATION:
        return StatusCall(
            "BootNotification",
            boot_request(version),
            boot_response(version, "Accepted"),
            boot_response(version, "Rejected"),
        )
    return StatusCall("ClearCache", {}, {"status": "Accepted"}, {"status": "Rejected"})


@dataclass(frozen=True)
class SchemaSample:
    """A valid CALL a sender may start, and the fields to break in it.

    Attributes:
        action, payload: the valid CALL.
        required: a required top-level field.
        integer: a top-level integer field.
        date_time: a top-level ``date-time`` field.
        enum_action, enum_payload, enum_field: a valid CALL with a top-level enum.
    """

    action: str
    payload: dict[str, Any]
    required: str
    integer: str
    date_time: str
    enum_action: str
    enum_payload: dict[str, Any]
    enum_field: str


def schema_sample(version: OcppVersion, sender: Role) -> SchemaSample:
    """The sample for what ``sender`` sends in ``version``."""
    if sender is Role.STATION:
        status = status_request(version)
        if version is V16:
            return SchemaSample(
                "StatusNotification", status, "status", "connectorId", "timestamp",
                "StatusNotification", status, "status",
            )  # fmt: skip
        return SchemaSample(
            "StatusNotification", status, "connectorStatus", "evseId", "timestamp",
            "StatusNotification", status, "connectorStatus",
        )  # fmt: skip
    if version is V16:
        return SchemaSample(
            "ReserveNow",
            {"connectorId": 1, "expiryDate": NOW, "idTag": "T1", "reservationId": 7},
            "idTag", "reservationId", "expiryDate",
            "ChangeAvailability", {"connectorId": 1, "type": "Operative"}, "type",
        )  # fmt: skip
    return SchemaSample(
        "ReserveNow",
        {"id": 7, "expiryDateTime": NOW, "idToken": {"idToken": "T1", "type": "ISO14443"}},
        "idToken", "id", "expiryDateTime",
        "ChangeAvailability", {"operationalStatus": "Operative"}, "operationalStatus",
    )  # fmt: skip


# -- the raw far end ------------------------------------------------------------


@dataclass
class RawPeer:
    """The far end of a harness connection, driven by the test with raw text.

    Attributes:
        channel: the bare in-memory channel end.
        role: the role this end plays (the harness plays the other one).
    """

    channel: MemoryChannel
    role: Role
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> str:
        return f"p-{next(self._ids)}"

    async def send(self, frame: str | list[Any]) -> None:
        """Send text as it is, or a list encoded as JSON."""
        await self.channel.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def recv(self, timeout: float = WAIT) -> list[Any]:
        """The next frame the harness sent, decoded."""
        async with asyncio.timeout(timeout):
            return json.loads(await self.channel.recv())  # type: ignore[no-any-return]

    async def call(self, action: str, payload: dict[str, Any], unique_id: str = "") -> list[Any]:
        """Send a CALL and return the harness's answer (which must carry the same id)."""
        unique_id = unique_id or self.next_id()
        await self.send([2, unique_id, action, payload])
        reply = await self.recv()
        assert reply[1] == unique_id, f"answer {reply} is not to CALL {unique_id}"
        return reply

    async def barrier(self) -> None:
        """Show that the harness has handled everything sent before, and answered none of it.

        The harness reads frames in order, so once it answers a harmless CALL
        sent now, every earlier frame has been routed; that this answer is the
        very next frame received shows no earlier frame was answered.
        """
        await self.call(BENIGN[self.role], {})

    async def assert_silent(self, within: float = QUIET) -> None:
        """Nothing arrives from the harness within a short window."""
        try:
            async with asyncio.timeout(within):
                text = await self.channel.recv()
        except TimeoutError:
            return
        pytest.fail(f"the harness sent {text} where it had to stay silent")

    async def close(self) -> None:
        await self.channel.close()


OpenRaw = Callable[..., tuple[Session, "RawPeer"]]
"""The ``open_raw`` fixture: ``open_raw(version, role, **Session.open options)``."""

OpenPair = Callable[..., "Pair"]
"""The ``open_pair`` fixture: ``open_pair(version, csms={...}, station={...})``."""


@dataclass
class Pair:
    """The harness on both ends of one connection."""

    csms: Session
    station: Session

    def session(self, role: Role) -> Session:
        return self.csms if role is Role.CSMS else self.station


# -- small utilities -------------------------------------------------------------


def received(session: Session, unique_id: str) -> list[TraceEntry]:
    """The received trace entries carrying ``unique_id``."""
    return [
        e for e in session.trace if e.direction is Direction.RECEIVED and e.unique_id == unique_id
    ]


def finding_codes(entry: TraceEntry) -> list[str]:
    return [f.code for f in entry.findings]


async def later(delay: float, action: Awaitable[Any]) -> Any:
    """Run ``action`` after ``delay`` seconds: schedules a peer event in the middle of a wait."""
    await asyncio.sleep(delay)
    return await action


def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) into a JSON value, the root first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*path, index))


def at(value: Any, path: tuple[Any, ...]) -> Any:
    """The part of a JSON value a path from :func:`paths` leads to."""
    for part in path:
        value = value[part]
    return value
