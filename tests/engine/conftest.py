"""Fixtures for the engine tests: in-memory connections with the harness on one or both ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from engine_support import WAIT, OpenPair, OpenRaw, Pair, RawPeer

from harness.ocppj import OcppVersion, Role, memory_pair
from harness.session import Session


@pytest.fixture(params=list(OcppVersion), ids=lambda v: f"ocpp{v.value}")
def version(request: pytest.FixtureRequest) -> OcppVersion:
    """Each OCPP version in turn."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=list(Role), ids=lambda r: f"harness-{r.value}")
def role(request: pytest.FixtureRequest) -> Role:
    """Each role the harness can play, in turn."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
async def open_raw() -> AsyncIterator[OpenRaw]:
    """Open a Session in a role facing a :class:`RawPeer`; all closed at teardown.

    Call as ``open_raw(version, role, **Session.open options)``.
    """
    opened: list[Session] = []

    def open_(version: OcppVersion, role: Role, **options: Any) -> tuple[Session, RawPeer]:
        mine, theirs = memory_pair("harness", "peer")
        options.setdefault("message_timeout", WAIT)
        session = Session.open(mine, version, role, identity="CP1", **options)
        opened.append(session)
        return session, RawPeer(theirs, role.peer)

    yield open_
    for session in opened:
        await session.close()


@pytest.fixture
async def open_pair() -> AsyncIterator[OpenPair]:
    """Open the harness as CSMS and as station on the two ends of one connection.

    Call as ``open_pair(version, csms={options}, station={options})``.
    """
    opened: list[Session] = []

    def open_(
        version: OcppVersion,
        *,
        csms: dict[str, Any] | None = None,
        station: dict[str, Any] | None = None,
    ) -> Pair:
        a, b = memory_pair("csms", "station")
        sessions = []
        for channel, role, options in ((a, Role.CSMS, csms), (b, Role.STATION, station)):
            options = {"message_timeout": WAIT, **(options or {})}
            sessions.append(Session.open(channel, version, role, identity="CP1", **options))
        opened.extend(sessions)
        return Pair(*sessions)

    yield open_
    for session in opened:
        await session.close()
