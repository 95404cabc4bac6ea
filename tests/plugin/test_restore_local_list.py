"""Restore idle empties a local authorization list a case set (a memory state of the station)."""

from __future__ import annotations

import pytest

from tests.plugin.test_station_between_cases import _run, _suite

SETS_A_LIST = """
async def test_sets_a_list(csms, dut):
    entry = {"idTag": dut.tokens.valid, "idTagInfo": {"status": "Accepted"}}
    await csms.call("SendLocalList", {"listVersion": 7, "updateType": "Full",
                                      "localAuthorizationList": [entry]}, status="Accepted")
    reply = await csms.call("GetLocalListVersion", {})
    assert reply.payload["listVersion"] == 7


async def test_finds_the_list_empty(csms):
    reply = await csms.call("GetLocalListVersion", {})
    assert reply.payload["listVersion"] == 0
"""


def test_a_local_list_a_case_set_is_emptied_after_it(pytester: pytest.Pytester) -> None:
    """The next case finds the local authorization list empty (version 0)."""
    _suite(pytester).makepyfile(test_list=SETS_A_LIST)
    _run(pytester, "builtin:station-1.6").assert_outcomes(passed=2)
