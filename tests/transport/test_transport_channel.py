"""Connections over loopback: frames, closure, accept(), on_connect, failures to connect."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from harness.errors import TransportError, UsageError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.versions import OcppVersion, Role
from harness.session import Session
from harness.transport import CsmsServer, WebsocketChannel, connect_station

MakeCsms = Callable[..., Awaitable[CsmsServer]]
WAIT = 5.0  # bound for waits that succeed; never reached in a passing run
SHORT = 0.2  # bound for waits that are meant to expire
V201 = OcppVersion.V201


Pair = tuple[CsmsServer, WebsocketChannel, WebsocketChannel]


def _ends(pair: Pair, sender: str) -> tuple[WebsocketChannel, WebsocketChannel]:
    """(sending end, receiving end) of the pair for the given sender role."""
    _, csms_side, station_side = pair
    return (csms_side, station_side) if sender == "csms" else (station_side, csms_side)


@pytest.mark.parametrize("sender", ["csms", "station"])
async def test_text_frames_round_trip(pair: Pair, sender: str) -> None:
    """Text frames, unicode included, arrive intact and in order in both directions."""
    source, sink = _ends(pair, sender)
    frames = ['[2,"1","Heartbeat",{}]', '[3,"1",{"currentTime":"2025-01-01T00:00:00Z"}]', "ünï"]
    for frame in frames:
        await source.send(frame)
    async with asyncio.timeout(WAIT):
        received = [await sink.recv() for _ in frames]
    assert received == frames


@pytest.mark.parametrize("closer", ["csms", "station"])
async def test_peer_close_raises_channel_closed_with_code(pair: Pair, closer: str) -> None:
    """When one side closes, the other's recv raises ChannelClosed with code and reason."""
    closing, other = _ends(pair, closer)
    await closing.close(4000, "test over")
    with pytest.raises(ChannelClosed) as caught:
        async with asyncio.timeout(WAIT):
            await other.recv()
    assert (caught.value.code, caught.value.reason) == (4000, "test over")
    with pytest.raises(ChannelClosed):
        await other.send("[2]")


async def test_close_is_idempotent_and_later_io_raises(pair: Pair) -> None:
    """Closing twice is harmless; send and recv afterwards raise ChannelClosed."""
    _, station_side = _ends(pair, "csms")
    await station_side.close()
    await station_side.close(4001, "ignored")
    assert station_side.closed
    with pytest.raises(ChannelClosed) as caught:
        await station_side.send("[2]")
    assert caught.value.code == 1000
    with pytest.raises(ChannelClosed):
        await station_side.recv()


async def test_channels_describe_their_endpoints(pair: Pair) -> None:
    """Both ends name the URL, identity, version, request and peer."""
    server, csms_side, station_side = pair
    assert server.url == f"ws://127.0.0.1:{server.port}/ocpp"
    assert csms_side.description == station_side.description == f"{server.url}/CP1"
    assert csms_side.identity == station_side.identity == "CP1"
    assert csms_side.request_path == station_side.request_path == "/ocpp/CP1"
    assert csms_side.request_headers["Sec-WebSocket-Protocol"] == "ocpp2.0.1"
    assert re.fullmatch(r"127\.0\.0\.1:\d+", csms_side.remote)
    assert station_side.remote == f"127.0.0.1:{server.port}"
    assert "CP1" in repr(csms_side)


async def test_binary_frames_are_decoded_and_counted(make_csms: MakeCsms) -> None:
    """A binary frame is returned as text (for the engine to judge) and counted."""
    server = await make_csms()
    async with connect(
        f"{server.url}/CP1", subprotocols=[Subprotocol("ocpp2.0.1")], proxy=None
    ) as raw:
        csms_side = await server.accept("CP1", timeout=WAIT)
        await raw.send(b'[2,"1","Heartbeat",{}]\xff')
        async with asyncio.timeout(WAIT):
            text = await csms_side.recv()
        assert text == '[2,"1","Heartbeat",{}]\ufffd'
        assert csms_side.binary_frames == 1
        await csms_side.close()


async def test_accept_times_out_naming_identity_and_refusals(make_csms: MakeCsms) -> None:
    """accept() is bounded and its error lists what did happen meanwhile."""
    server = await make_csms()
    with pytest.raises(TransportError):
        await connect_station(server.url, "CP9", [OcppVersion.V16], timeout=WAIT)
    other = await connect_station(server.url, "CP2", [V201], timeout=WAIT)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TransportError) as caught:
        await server.accept("CP1", timeout=SHORT)
    assert loop.time() - started < SHORT + 1.0
    message = str(caught.value)
    assert f"no connection from station 'CP1' to {server.url} within 0.2 s" in message
    assert "handshakes refused meanwhile" not in message  # CP9 was refused before the call
    assert "connections waiting from other stations: ['CP2']" in message
    csms_side = await server.accept(timeout=WAIT)
    assert csms_side.identity == "CP2"
    await other.close()
    await csms_side.close()


async def test_accept_timeout_lists_handshakes_refused_while_waiting(make_csms: MakeCsms) -> None:
    """A station refused during the wait shows up in the timeout error."""
    server = await make_csms()
    waiter = asyncio.create_task(server.accept(timeout=0.5))
    with pytest.raises(TransportError):
        await connect_station(server.url, "CP1", [OcppVersion.V16], timeout=WAIT)
    with pytest.raises(TransportError, match="handshakes refused meanwhile") as caught:
        await waiter
    assert "GET /ocpp/CP1 [ocpp1.6]" in str(caught.value)
    assert "400 refused: no acceptable OCPP subprotocol" in str(caught.value)


async def test_connections_queue_until_accepted(make_csms: MakeCsms) -> None:
    """Stations that connect before accept() are delivered later, by identity or in order."""
    server = await make_csms()
    stations = [
        await connect_station(server.url, f"CP{n}", [V201], timeout=WAIT) for n in (1, 2, 3)
    ]
    second = await server.accept("CP2", timeout=WAIT)
    first = await server.accept(timeout=WAIT)
    third = await server.accept(timeout=WAIT)
    assert [second.identity, first.identity, third.identity] == ["CP2", "CP1", "CP3"]
    for station, accepted in zip(stations, (first, second, third), strict=True):
        await station.send(f"hello {station.identity}")
        async with asyncio.timeout(WAIT):
            assert await accepted.recv() == f"hello {station.identity}"
        await station.close()
        await accepted.close()


async def test_stop_closes_connections_with_going_away(make_csms: MakeCsms) -> None:
    """Stopping the server closes accepted connections with 1001."""
    server = await make_csms()
    station = await connect_station(server.url, "CP1", [V201], timeout=WAIT)
    await server.accept("CP1", timeout=WAIT)
    await server.stop()
    with pytest.raises(ChannelClosed) as caught:
        async with asyncio.timeout(WAIT):
            await station.recv()
    assert caught.value.code == 1001


async def test_restart_binds_the_same_url(make_csms: MakeCsms) -> None:
    """After stop(), start() listens on the same port so stations reconnect alike."""
    server = await make_csms()
    url = server.url
    await server.stop()
    with pytest.raises(TransportError, match="cannot connect"):
        await connect_station(url, "CP1", [V201], timeout=WAIT)
    await server.start()
    assert server.url == url
    station = await connect_station(url, "CP1", [V201], timeout=WAIT)
    csms_side = await server.accept("CP1", timeout=WAIT)
    await station.close()
    await csms_side.close()


async def test_stop_wakes_a_waiting_accept(make_csms: MakeCsms) -> None:
    """accept() ends with a TransportError when the server stops under it."""
    server = await make_csms()
    waiter = asyncio.create_task(server.accept(timeout=WAIT))
    await asyncio.sleep(0)  # let the waiter start waiting; not a wait on a device
    await server.stop()
    with pytest.raises(TransportError, match="server stopped"):
        await waiter


async def test_accept_is_a_usage_error_before_start_or_with_on_connect() -> None:
    """accept() needs a started server that does not hand connections to a callback."""

    async def ignore(channel: WebsocketChannel) -> None:
        return None

    with pytest.raises(UsageError, match="before accept"):
        await CsmsServer(versions=[V201]).accept(timeout=SHORT)
    async with CsmsServer(versions=[V201], on_connect=ignore) as server:
        with pytest.raises(UsageError, match="on_connect"):
            await server.accept(timeout=SHORT)


async def test_on_connect_serves_many_stations_at_once() -> None:
    """With on_connect, each station is served for its lifetime, concurrently."""

    async def echo(channel: WebsocketChannel) -> None:
        while True:
            await channel.send(f"{channel.identity}: {await channel.recv()}")

    async with CsmsServer(versions=[V201], on_connect=echo) as server:
        stations = await asyncio.gather(
            *(connect_station(server.url, f"CP{n}", [V201], timeout=WAIT) for n in range(10))
        )
        for station in stations:
            await station.send("ping")
        async with asyncio.timeout(WAIT):
            replies = [await station.recv() for station in stations]
        assert replies == [f"CP{n}: ping" for n in range(10)]
        for station in stations:
            await station.close()


async def test_on_connect_failure_closes_with_1011_and_fails_stop() -> None:
    """A failing callback is not swallowed: the station sees 1011 and stop() raises."""

    async def broken(channel: WebsocketChannel) -> None:
        raise RuntimeError("handler bug")

    server = CsmsServer(versions=[V201], on_connect=broken)
    await server.start()
    station = await connect_station(server.url, "CP1", [V201], timeout=WAIT)
    with pytest.raises(ChannelClosed) as closed:
        async with asyncio.timeout(WAIT):
            await station.recv()
    assert closed.value.code == 1011
    with pytest.raises(TransportError, match="1 on_connect handler") as caught:
        await server.stop()
    assert isinstance(caught.value.__cause__, RuntimeError)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_connecting_to_a_closed_port_is_a_transport_error() -> None:
    """Nobody listening: a TransportError naming the URL, not a refusal by a peer."""
    url = f"ws://127.0.0.1:{_free_port()}/ocpp"
    with pytest.raises(TransportError, match="cannot connect") as caught:
        await connect_station(url, "CP1", [V201], timeout=WAIT)
    assert f"{url}/CP1" in str(caught.value)
    assert type(caught.value) is TransportError


async def test_silent_server_times_out_the_handshake() -> None:
    """A TCP peer that never answers the upgrade fails within the timeout."""
    peers: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer)

    listener = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        with pytest.raises(TransportError, match=r"no connection within 0\.2 s"):
            await connect_station(f"ws://127.0.0.1:{port}/ocpp", "CP1", [V201], timeout=SHORT)
    finally:
        for writer in peers:
            writer.close()
        listener.close()
        await listener.wait_closed()


async def test_binary_frame_is_a_remark_and_still_answered(make_csms: MakeCsms) -> None:
    """A CALL in a binary frame is answered as its text and gets a remark, not a failure."""
    server = await make_csms()
    async with connect(
        f"{server.url}/CP1", subprotocols=[Subprotocol("ocpp2.0.1")], proxy=None
    ) as raw:
        session = Session.open(await server.accept("CP1", timeout=WAIT), V201, Role.CSMS)
        await raw.send(b'[2,"b1","Heartbeat",{}]')
        async with asyncio.timeout(WAIT):
            answer = await raw.recv()
        assert str(answer).startswith('[3,"b1",')
        await raw.send('[2,"t1","Heartbeat",{}]')  # a text frame after it: no remark
        await session.expect("Heartbeat", timeout=WAIT)
        await session.expect("Heartbeat", timeout=WAIT)
        session.check_findings()
        assert [(e.unique_id, f.code) for e, f in session.trace.remarks()] == [
            ("b1", "binary-frame")
        ]
        await session.close()
