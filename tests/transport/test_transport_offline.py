"""The harness cuts the network on its side: a CSMS server refuses new connections on request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from harness.errors import ConnectionRefusedByPeer, TransportError
from harness.ocppj.versions import OcppVersion
from harness.transport import CsmsServer, connect_station

MakeCsms = Callable[..., Awaitable[CsmsServer]]
WAIT = 5.0  # bound for waits that succeed; never reached in a passing run
V201 = [OcppVersion.V201]


async def test_refused_handshakes_get_503_and_are_recorded(make_csms: MakeCsms) -> None:
    """While refusing, a handshake is answered 503 with the reason, and recorded as refused."""
    server = await make_csms()
    server.refuse_connections("network cut by the test")
    with pytest.raises(ConnectionRefusedByPeer) as refused:
        await connect_station(server.url, "CP1", V201, timeout=WAIT)
    assert refused.value.status == 503
    record = server.handshakes[-1]
    assert (record.accepted, record.status) == (False, 503)
    assert record.reason == "network cut by the test"


async def test_connections_are_admitted_again_after_the_refusal(make_csms: MakeCsms) -> None:
    """Lifting the refusal lets the next handshake through."""
    server = await make_csms()
    server.refuse_connections("cut")
    with pytest.raises(TransportError):
        await connect_station(server.url, "CP1", V201, timeout=WAIT)
    server.refuse_connections(None)
    station = await connect_station(server.url, "CP1", V201, timeout=WAIT)
    accepted = await server.accept("CP1", timeout=WAIT)
    assert server.handshakes[-1].accepted
    await station.close()
    await accepted.close()
