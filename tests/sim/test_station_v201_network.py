"""The 2.0.1 reference station's network connection: profiles, priority, reconnection."""

from __future__ import annotations

import time
from typing import Any

from harness.network_link import unreachable_url
from harness.sim.station.v201_network import FIRST_SLOT
from tests.sim.test_station_v201 import running

COMM = {"name": "OCPPCommCtrlr"}


def _profile(url: str, security: int = 0) -> dict[str, Any]:
    return {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": url,
        "messageTimeout": 3,
        "securityProfile": security,
        "ocppInterface": "Wired0",
    }


def _set(name: str, value: str) -> dict[str, Any]:
    return {"component": COMM, "variable": {"name": name}, "attributeValue": value}


async def test_a_profile_in_an_unknown_slot_is_rejected() -> None:
    """SetNetworkProfile is refused for a slot the priority cannot name, kept for a known one."""
    async with running() as (csms, station):
        url = station.csms_url
        reply = await csms.call(
            "SetNetworkProfile", {"configurationSlot": 999, "connectionData": _profile(url)}
        )
        assert reply.payload["status"] == "Rejected"
        assert reply.payload["statusInfo"]["reasonCode"] == "InvalidConfSlot"
        reply = await csms.call(
            "SetNetworkProfile", {"configurationSlot": 2, "connectionData": _profile(url)}
        )
        assert reply.payload["status"] == "Accepted"
        assert station.network.profiles[2]["ocppCsmsUrl"] == url


async def test_backoff_doubles_up_to_the_repeat_times() -> None:
    """The back-off is the minimum, doubled per failed attempt at most RepeatTimes times."""
    async with running() as (csms, station):
        await csms.call(
            "SetVariables",
            {
                "setVariableData": [
                    _set("RetryBackOffWaitMinimum", "3"),
                    _set("RetryBackOffRepeatTimes", "2"),
                ]
            },
        )
        assert [station.network.backoff(n) for n in range(4)] == [3.0, 6.0, 12.0, 12.0]


async def test_the_station_reconnects_after_the_backoff_without_booting_again() -> None:
    """A connection the CSMS closes comes back after RetryBackOffWaitMinimum, with no boot."""
    async with running(timing={"retry_backoff_wait_minimum": 1}) as (csms, _station):
        generation, boots = (
            csms.generation,
            len([c for c in csms.inbound if c.action == "BootNotification"]),
        )
        closed = time.monotonic()
        async with csms.reconnection(timeout=5):
            await csms.close(1000, "test")
        assert csms.generation == generation + 1
        assert time.monotonic() - closed >= 0.9
        reply = await csms.call(
            "GetVariables",
            {
                "getVariableData": [
                    {"component": COMM, "variable": {"name": "ActiveNetworkProfile"}}
                ]
            },
        )
        assert reply.payload["getVariableResult"][0]["attributeValue"] == str(FIRST_SLOT)
        assert len([c for c in csms.inbound if c.action == "BootNotification"]) == boots


async def test_after_a_reset_the_station_falls_back_from_an_unreachable_slot() -> None:
    """B10: a first-priority slot nobody listens on is given up for the last slot that worked."""
    async with running() as (csms, station):
        dead = unreachable_url()
        await csms.call(
            "SetNetworkProfile", {"configurationSlot": 2, "connectionData": _profile(dead)}
        )
        await csms.call(
            "SetVariables",
            {
                "setVariableData": [
                    _set("NetworkProfileConnectionAttempts", "1"),
                    _set("RetryBackOffWaitMinimum", "1"),
                    _set("NetworkConfigurationPriority", f"2,{FIRST_SLOT}"),
                ]
            },
        )
        async with csms.reconnection(timeout=8):
            await csms.call("Reset", {"type": "OnIdle"}, status="Accepted")
        assert [slot for slot, _url in station.network.attempts[-2:]] == [2, FIRST_SLOT]
        assert station.network.active == FIRST_SLOT
