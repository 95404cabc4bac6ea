"""Registration first: the harness as CSMS sends nothing before the station's boot is Accepted."""

from __future__ import annotations

import asyncio

import pytest
from engine_support import V16, V201, WAIT, OpenRaw, boot_request

from harness.errors import StationNotRegistered
from harness.ocppj import Role
from harness.ocppj.channel import memory_pair
from harness.responders import utc_now

GET_VARIABLES = {
    "getVariableData": [
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
    ]
}
RESULT = {
    "getVariableResult": [
        {"attributeStatus": "UnknownVariable", **GET_VARIABLES["getVariableData"][0]}
    ]
}


async def test_a_request_waits_for_the_accepted_boot(open_raw: OpenRaw) -> None:
    """A CALL made right after the connection opens goes out only after the BootNotification is answered Accepted."""  # noqa: E501
    csms, peer = open_raw(V201, Role.CSMS)
    csms.registration_timeout = WAIT * 4
    request = asyncio.ensure_future(csms.call("GetVariables", GET_VARIABLES))
    await peer.assert_silent(within=WAIT / 5)
    answer = await peer.call("BootNotification", boot_request(V201))
    assert answer[2]["status"] == "Accepted"
    frame = await peer.recv()
    assert frame[2] == "GetVariables", "the request went out after the accepted boot"
    await peer.send([3, frame[1], RESULT])
    await request


async def test_a_station_that_never_boots_is_an_error_naming_the_boot(open_raw: OpenRaw) -> None:
    """Without a BootNotification the CALL is not sent; the ERROR says what was awaited."""
    csms, peer = open_raw(V201, Role.CSMS)
    csms.registration_timeout = 0.2
    with pytest.raises(StationNotRegistered, match=r"BootNotification answered Accepted"):
        await csms.call("GetVariables", GET_VARIABLES)
    await peer.assert_silent()


async def test_a_rejected_station_gets_no_request(open_raw: OpenRaw) -> None:
    """A station whose boot was answered Rejected is not registered: no request is sent."""
    csms, peer = open_raw(V201, Role.CSMS)
    csms.registration_timeout = 0.2
    csms.respond(
        "BootNotification", {"status": "Rejected", "currentTime": utc_now(), "interval": 9}
    )
    await peer.call("BootNotification", boot_request(V201))
    with pytest.raises(StationNotRegistered, match="answered 'Rejected'"):
        await csms.call("GetVariables", GET_VARIABLES)
    await peer.assert_silent()


async def test_a_case_may_send_during_pending_when_it_says_so(open_raw: OpenRaw) -> None:
    """``while_pending=True`` lets a CALL go out during a Pending registration (B02/B04)."""
    csms, peer = open_raw(V201, Role.CSMS)
    csms.registration_timeout = 0.2
    csms.respond("BootNotification", {"status": "Pending", "currentTime": utc_now(), "interval": 9})
    await peer.call("BootNotification", boot_request(V201))
    with pytest.raises(StationNotRegistered):
        await csms.call("GetVariables", GET_VARIABLES)
    request = asyncio.ensure_future(csms.call("GetVariables", GET_VARIABLES, while_pending=True))
    frame = await peer.recv()
    await peer.send([3, frame[1], RESULT])
    await request


async def test_a_registered_station_that_reconnects_is_not_asked_to_boot(
    open_raw: OpenRaw,
) -> None:
    """After an accepted boot, a new connection without BootNotification is still registered."""
    csms, peer = open_raw(V16, Role.CSMS)
    csms.registration_timeout = 0.2
    await peer.call("BootNotification", boot_request(V16))
    mine, theirs = memory_pair("harness", "peer")
    await peer.close()
    csms.adopt(mine)
    request = asyncio.ensure_future(csms.call("GetConfiguration", {}))
    async with asyncio.timeout(WAIT):
        frame = (await theirs.recv()).split(",", 2)
    assert "GetConfiguration" in frame[2]
    await theirs.send(f"[3,{frame[1]},{{}}]")
    await request
    await csms.close()


async def test_a_reboot_needs_a_new_accepted_boot(open_raw: OpenRaw) -> None:
    """A BootNotification on a new connection makes the station unregistered until it is answered."""  # noqa: E501
    csms, peer = open_raw(V16, Role.CSMS)
    csms.registration_timeout = 0.2
    csms.respond("BootNotification", {"status": "Pending", "currentTime": utc_now(), "interval": 9})
    await peer.call("BootNotification", boot_request(V16))
    with pytest.raises(StationNotRegistered, match="answered 'Pending'"):
        await csms.call("GetConfiguration", {})
