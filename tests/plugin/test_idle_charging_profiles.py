"""Restore idle: the charging profiles a case installed are cleared by id, in both versions."""

from __future__ import annotations

from typing import Any

import pytest

from harness.idle import IdleTracker
from harness.ocppj import frames as fr
from harness.ocppj.connection import Reply
from harness.ocppj.versions import OcppVersion
from harness.trace import Direction, TraceEntry


def _reply(action: str, payload: dict[str, Any], answer: dict[str, Any]) -> Reply:
    sent = TraceEntry(1, Direction.SENT, "", 0.0, 0.0)
    received = TraceEntry(2, Direction.RECEIVED, "", 0.0, 0.0)
    return Reply(fr.Call("1", action, payload), sent, fr.CallResult("1", answer), received, [])


@pytest.mark.parametrize(
    ("version", "payload", "clear"),
    [
        (
            OcppVersion.V16,
            {"connectorId": 1, "csChargingProfiles": {"chargingProfileId": 7}},
            {"id": 7},
        ),
        (OcppVersion.V201, {"evseId": 1, "chargingProfile": {"id": 7}}, {"chargingProfileId": 7}),
    ],
)
def test_accepted_profile_is_cleared_rejected_one_is_not(
    version: OcppVersion, payload: dict[str, Any], clear: dict[str, Any]
) -> None:
    """An Accepted SetChargingProfile is undone with ClearChargingProfile by its id; a Rejected one is not."""  # noqa: E501
    tracker = IdleTracker(version)
    rejected = _reply("SetChargingProfile", payload, {"status": "Rejected"})
    tracker.called("SetChargingProfile", payload, rejected)
    assert not tracker.restores
    accepted = _reply("SetChargingProfile", payload, {"status": "Accepted"})
    tracker.called("SetChargingProfile", payload, accepted)
    [change] = tracker.restores.values()
    assert (change.action, change.payload) == ("ClearChargingProfile", clear)
