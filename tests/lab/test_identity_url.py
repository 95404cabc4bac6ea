"""A CSMS URL may hold ``{identity}``: the harness station puts its identity there."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from harness.errors import ConfigurationError
from harness.ocppj.versions import OcppVersion
from harness.profile import parse_profile
from harness.roles import new_trace, open_station

PROFILE = """
[dut]
role = "csms"
ocpp_version = "2.0.1"
identity = "LAB+CS#1"

[connection]
url = "{url}"

[timing]
connect_timeout = 5
"""


@pytest.fixture
async def csms_paths() -> AsyncIterator[tuple[int, list[str]]]:
    """A loopback websocket server speaking ocpp2.0.1 that records each request path."""
    paths: list[str] = []

    async def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        paths.append(connection.request.path)
        await connection.wait_closed()

    async with serve(
        handler, "127.0.0.1", 0, subprotocols=[Subprotocol(OcppVersion.V201.subprotocol)]
    ) as server:
        port = server.sockets[0].getsockname()[1]
        yield port, paths


async def test_the_identity_replaces_the_placeholder_in_a_csms_url(
    csms_paths: tuple[int, list[str]],
) -> None:
    """``ws://host/ocpp/{identity}/`` connects to /ocpp/<encoded identity>/, trailing '/' kept."""
    port, paths = csms_paths
    url = f"ws://127.0.0.1:{port}/ocpp/{{identity}}/"
    dut = parse_profile(PROFILE.replace("{url}", url), source="lab.toml")
    assert dut.connection.url == url
    session = await open_station(dut, url, new_trace("lab"), time_factor=1.0)
    await session.close(1000, "done")
    assert paths == ["/ocpp/LAB%2BCS%231/"]


async def test_a_url_without_the_placeholder_still_gets_the_identity_appended(
    csms_paths: tuple[int, list[str]],
) -> None:
    """The usual form ``ws://host/ocpp`` is unchanged: the identity is the last segment."""
    port, paths = csms_paths
    url = f"ws://127.0.0.1:{port}/ocpp"
    dut = parse_profile(PROFILE.replace("{url}", url), source="lab.toml")
    session = await open_station(dut, url, new_trace("lab"), time_factor=1.0)
    await session.close(1000, "done")
    assert paths == ["/ocpp/LAB%2BCS%231"]


def test_another_placeholder_in_a_csms_url_names_the_field() -> None:
    """Only ``{identity}`` may stand in braces in a CSMS URL."""
    with pytest.raises(ConfigurationError, match=r"only placeholder is \{identity\}") as raised:
        parse_profile(PROFILE.replace("{url}", "ws://127.0.0.1:9/ocpp/{id}"), source="lab.toml")
    assert raised.value.field == "connection.url"
