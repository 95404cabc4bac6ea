"""Opening handshakes over loopback: subprotocols, paths, Basic auth, records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from harness.errors import ConfigurationError, ConnectionRefusedByPeer
from harness.ocppj.versions import OcppVersion
from harness.transport import CsmsServer, HandshakeRecord, connect_station
from harness.transport.handshake import basic_auth_header

MakeCsms = Callable[..., Awaitable[CsmsServer]]
WAIT = 5.0  # bound for waits that succeed; never reached in a passing run
V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21
PASSWORD = "0123456789abcdef-pw"


async def _raw_offer(url: str, offered: Sequence[str]) -> InvalidStatus:
    """Offer arbitrary subprotocol tokens with bare websockets; return the refusal."""
    with pytest.raises(InvalidStatus) as caught:
        async with connect(
            url,
            subprotocols=[Subprotocol(token) for token in offered] or None,
            proxy=None,
            open_timeout=WAIT,
        ):
            pass
    return caught.value


@pytest.mark.parametrize("version", list(OcppVersion))
async def test_each_version_is_negotiated(make_csms: MakeCsms, version: OcppVersion) -> None:
    """A station offering one accepted version gets exactly that version."""
    server = await make_csms(versions=list(OcppVersion))
    station = await connect_station(server.url, "CP1", [version], timeout=WAIT)
    csms_side = await server.accept("CP1", timeout=WAIT)
    assert station.version is version
    assert csms_side.version is version
    assert csms_side.subprotocol == version.subprotocol
    assert server.handshakes[-1].accepted
    assert server.handshakes[-1].subprotocol == version.subprotocol
    await station.close()
    await csms_side.close()


@pytest.mark.parametrize(
    ("offered", "accepted", "chosen"),
    [
        ([V21, V201, V16], [V16, V201, V21], V21),
        ([V16, V201], [V201, V16], V16),
        ([V21, V201, V16], [V201, V16], V201),
    ],
)
async def test_server_picks_the_first_accepted_in_client_order(
    make_csms: MakeCsms,
    offered: list[OcppVersion],
    accepted: list[OcppVersion],
    chosen: OcppVersion,
) -> None:
    """Among several offers the client's order decides, not the server's."""
    server = await make_csms(versions=accepted)
    station = await connect_station(server.url, "CP1", offered, timeout=WAIT)
    csms_side = await server.accept(timeout=WAIT)
    assert station.version is chosen
    assert csms_side.version is chosen
    assert server.handshakes[-1].offered_subprotocols == tuple(v.subprotocol for v in offered)
    await station.close()
    await csms_side.close()


async def test_unaccepted_version_is_refused_with_400(make_csms: MakeCsms) -> None:
    """A station offering only versions the CSMS does not accept gets HTTP 400."""
    server = await make_csms(versions=[V201])
    with pytest.raises(ConnectionRefusedByPeer, match="HTTP 400") as caught:
        await connect_station(server.url, "CP1", [V16, V21], timeout=WAIT)
    assert caught.value.status == 400
    assert "no acceptable OCPP subprotocol offered: got [ocpp1.6, ocpp2.1]" in str(caught.value)
    record = server.handshakes[-1]
    assert not record.accepted
    assert record.status == 400
    assert record.identity == "CP1"
    assert record.reason == (
        "no acceptable OCPP subprotocol offered: got [ocpp1.6, ocpp2.1]; accepted: ocpp2.0.1"
    )


@pytest.mark.parametrize("offered", [[], ["foo"], ["ocpp2.0", "OCPP2.0.1"]])
async def test_missing_or_unknown_subprotocols_are_refused(
    make_csms: MakeCsms, offered: list[str]
) -> None:
    """No offer, or only unknown tokens, is refused with 400 and recorded."""
    server = await make_csms(versions=[V201])
    refusal = await _raw_offer(f"{server.url}/CP1", offered)
    assert refusal.response.status_code == 400
    assert b"no acceptable OCPP subprotocol offered" in refusal.response.body
    record = server.handshakes[-1]
    assert (record.accepted, record.status) == (False, 400)
    assert record.offered_subprotocols == tuple(offered)
    assert f"got [{', '.join(offered)}]" in record.reason


async def test_client_refuses_a_server_that_selects_no_subprotocol() -> None:
    """A server answering 101 without a subprotocol is a refusal (status 101)."""

    async def echo(connection: ServerConnection) -> None:
        async for message in connection:
            await connection.send(message)

    async with serve(echo, "127.0.0.1", 0, ping_interval=None) as bare:
        port = bare.sockets[0].getsockname()[1]
        with pytest.raises(
            ConnectionRefusedByPeer, match="without selecting a subprotocol"
        ) as caught:
            await connect_station(f"ws://127.0.0.1:{port}/ocpp", "CP1", [V201], timeout=WAIT)
    assert caught.value.status == 101


@pytest.mark.parametrize(
    ("identity", "path"),
    [("CP 1", "/ocpp/CP%201"), ("Ladesäule-7", "/ocpp/Lades%C3%A4ule-7"), ("x" * 48, None)],
)
async def test_identity_is_percent_encoded_and_decoded(
    make_csms: MakeCsms, identity: str, path: str | None
) -> None:
    """Spaces and non-ASCII identities survive the URL both ways."""
    server = await make_csms()
    station = await connect_station(server.url, identity, [V201], timeout=WAIT)
    csms_side = await server.accept(identity, timeout=WAIT)
    assert csms_side.identity == identity
    if path is not None:
        assert csms_side.request_path == path
        assert csms_side.description == f"{server.url}/{path.rsplit('/', 1)[1]}"
    await station.close()
    await csms_side.close()


async def test_oversize_identity_is_refused_with_400(make_csms: MakeCsms) -> None:
    """An identity of 49 characters is refused before any websocket opens."""
    server = await make_csms()
    with pytest.raises(ConnectionRefusedByPeer, match="at most 48") as caught:
        await connect_station(server.url, "x" * 49, [V201], timeout=WAIT)
    assert caught.value.status == 400
    assert server.handshakes[-1].identity is None


async def test_wrong_path_prefix_is_refused_with_404(make_csms: MakeCsms) -> None:
    """A station pointed at another prefix gets 404, recorded with the path."""
    server = await make_csms(path="/ocpp")
    wrong = server.url.replace("/ocpp", "/csms")
    with pytest.raises(ConnectionRefusedByPeer, match="HTTP 404") as caught:
        await connect_station(wrong, "CP1", [V201], timeout=WAIT)
    assert caught.value.status == 404
    assert server.handshakes[-1].path == "/csms/CP1"


async def test_profile_0_accepts_without_authorization(make_csms: MakeCsms) -> None:
    """Security profile 0 needs no credentials."""
    server = await make_csms(security_profile=0)
    station = await connect_station(server.url, "CP1", [V201], timeout=WAIT)
    csms_side = await server.accept("CP1", timeout=WAIT)
    assert server.handshakes[-1].authorization_present is False
    await station.close()
    await csms_side.close()


async def test_profile_1_accepts_identity_and_password(make_csms: MakeCsms) -> None:
    """The right identity and password open the connection."""
    server = await make_csms(security_profile=1, password=PASSWORD)
    station = await connect_station(server.url, "CP1", [V201], password=PASSWORD, timeout=WAIT)
    csms_side = await server.accept("CP1", timeout=WAIT)
    assert csms_side.request_headers["Authorization"].startswith("Basic ")
    record = server.handshakes[-1]
    assert record.accepted
    assert record.authorization_present
    await station.close()
    await csms_side.close()


@pytest.mark.parametrize(
    ("identity", "password", "extra_headers", "words"),
    [
        ("CP1", "not-the-password", None, "wrong password for station 'CP1'"),
        ("CP1", None, None, "missing Authorization header"),
        (
            "CP1",
            None,
            {"Authorization": basic_auth_header("CP2", PASSWORD)},
            "username 'CP2' does not match station identity 'CP1'",
        ),
        ("CP1", PASSWORD, {"Authorization": "Basic eA=="}, "more than one Authorization"),
    ],
)
async def test_profile_1_refuses_bad_credentials_with_401(
    make_csms: MakeCsms,
    identity: str,
    password: str | None,
    extra_headers: dict[str, str] | None,
    words: str,
) -> None:
    """Wrong password, wrong username or no header: 401 with a Basic challenge."""
    server = await make_csms(security_profile=1, password=PASSWORD)
    with pytest.raises(ConnectionRefusedByPeer, match="HTTP 401") as caught:
        await connect_station(
            server.url,
            identity,
            [V201],
            password=password,
            extra_headers=extra_headers,
            timeout=WAIT,
        )
    assert caught.value.status == 401
    assert isinstance(caught.value.__cause__, InvalidStatus)
    challenge = caught.value.__cause__.response.headers["WWW-Authenticate"]
    assert challenge == 'Basic realm="ocpp"'
    record = server.handshakes[-1]
    assert (record.accepted, record.status) == (False, 401)
    assert words in record.reason
    assert PASSWORD not in str(record)
    assert PASSWORD not in str(caught.value)


def test_server_settings_that_contradict_each_other_are_refused() -> None:
    """Profile, password and TLS context must agree before anything is bound."""
    with pytest.raises(ConfigurationError, match="needs a Basic auth password") as caught:
        CsmsServer(versions=[V201], security_profile=1)
    assert caught.value.field == "password"
    with pytest.raises(ConfigurationError, match="needs a TLS context"):
        CsmsServer(versions=[V201], security_profile=2, password=PASSWORD)
    with pytest.raises(ConfigurationError, match="at least one OCPP version"):
        CsmsServer(versions=[])
    with pytest.raises(ConfigurationError, match="must be 0, 1, 2 or 3"):
        CsmsServer(versions=[V201], security_profile=4)


def test_handshake_records_are_frozen() -> None:
    """Records cannot be edited after the fact."""
    record = HandshakeRecord(
        True, 101, "/ocpp/CP1", "CP1", ("ocpp2.0.1",), "ocpp2.0.1", False, "", ""
    )
    with pytest.raises(AttributeError):
        record.accepted = False  # type: ignore[misc]
