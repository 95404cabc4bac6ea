"""The CSMS server refusing every handshake for a while (a CSMS "offline" in a test case)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import pytest

from harness.errors import ConnectionRefusedByPeer
from harness.ocppj.versions import OcppVersion
from harness.transport import CsmsServer, connect_station

MakeCsms = Callable[..., Awaitable[CsmsServer]]
WAIT = 5.0  # bound for waits that succeed; never reached in a passing run


async def test_refusing_server_answers_503_with_the_reason(make_csms: MakeCsms) -> None:
    """While refusing, a station's handshake gets HTTP 503 with the reason, and is recorded."""
    server = await make_csms()
    server.refuse_connections("CSMS offline (test case)")
    with pytest.raises(ConnectionRefusedByPeer, match="HTTP 503") as caught:
        await connect_station(server.url, "CP1", [OcppVersion.V201], timeout=WAIT)
    assert caught.value.status == 503
    record = server.handshakes[-1]
    assert not record.accepted
    assert "CSMS offline (test case)" in record.reason


async def test_refusal_ends_by_itself_at_its_deadline(make_csms: MakeCsms) -> None:
    """A refusal with a deadline in the past lets the next handshake through and clears itself."""
    server = await make_csms()
    server.refuse_connections("offline", until=time.monotonic() - 0.1)
    channel = await connect_station(server.url, "CP1", [OcppVersion.V201], timeout=WAIT)
    await channel.close()
    assert server.refusing is None
    assert server.handshakes[-1].accepted
