"""Self-tests of the choices 2.0.1 leaves a station in offline authorization (C13, C15).

Each run switches the reference station to one allowed alternative (a
variant of ``[embedded.options]``), runs the offline authorization cases in a
pytest subprocess, and checks that they pass and that the alternative really
showed on the wire (from the traces attached to the Allure results).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _events(traces: list[str]) -> list[dict[str, Any]]:
    """Every TransactionEvent request the station sent, in order."""
    found: list[dict[str, Any]] = []
    for _at, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] == 2 and message[2] == "TransactionEvent":
            found.append(message[3])
    return found


def _kind(call: list[Any]) -> str:
    """A station CALL as the order check sees it: a queued event, an Occupied report, else."""
    if call[2] == "TransactionEvent" and call[3].get("offline"):
        return "queued"
    if call[2] == "StatusNotification" and call[3].get("connectorStatus") == "Occupied":
        return "occupied"
    return str(call[2])


def test_a_transaction_started_by_the_authorization_passes_TC_C_15_to_18(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """TxStartPoint Authorized: the queued Started event says Authorized; the cases pass."""
    cases = ("TC_C_15_CS", "TC_C_16_CS", "TC_C_17_CS", "TC_C_18_CS")
    profile = _profile(tmp_path, "station-2.0.1", 'tx_start_point = "Authorized"')
    result, traces = _run(pytester, profile, "v201/cs", cases)
    result.assert_outcomes(passed=len(cases))
    queued = [
        e
        for e in _events(traces)
        if e.get("offline") and e["eventType"] == "Started" and e["triggerReason"] == "Authorized"
    ]
    assert len(queued) >= len(cases), "no queued Started event with triggerReason Authorized"


def test_a_transaction_started_online_and_the_queue_first_pass_TC_C_26_and_TC_C_16(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """TxStartPoint EVConnected and the queue before the status reports: the cases pass.

    TC_C_16_CS's transaction started online (cable first), so its queue holds an
    Updated Authorized event; TC_C_26_CS's station reports the connector after its queue.
    """
    cases = ("TC_C_26_CS", "TC_C_16_CS")
    options = 'tx_start_point = "EVConnected"\noffline_queue_first = true'
    profile = _profile(tmp_path, "station-2.0.1", options)
    result, traces = _run(pytester, profile, "v201/cs", cases)
    result.assert_outcomes(passed=len(cases))
    updated = [
        e
        for e in _events(traces)
        if e.get("offline") and e["eventType"] == "Updated" and e["triggerReason"] == "Authorized"
    ]
    assert updated, "no queued Updated event with triggerReason Authorized"
    # TC_C_26_CS plugs the cable in offline: its first Occupied report follows the queue.
    for trace in traces:
        calls = [json.loads(f) for _t, f in _frames([trace], "<")]
        calls = [m for m in calls if m[0] == 2]
        kinds = [_kind(m) for m in calls]
        if "queued" not in kinds or "occupied" not in kinds:
            continue
        started_offline = any(
            m[2] == "TransactionEvent" and m[3].get("offline") and m[3]["eventType"] == "Started"
            for m in calls
        )
        if started_offline:
            assert kinds.index("queued") < kinds.index("occupied"), kinds
            return
    raise AssertionError("no trace of TC_C_26_CS with its queue and status reports")


def test_a_deauthorized_transaction_going_on_passes_TC_C_16_and_TC_C_18(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """TxStopPoint without Authorized: the refused idToken deauthorizes (Updated), no end."""
    cases = ("TC_C_16_CS", "TC_C_18_CS")
    profile = _profile(tmp_path, "station-2.0.1", 'tx_stop_point = "EVConnected"')
    result, traces = _run(pytester, profile, "v201/cs", cases)
    result.assert_outcomes(passed=len(cases))
    deauthorized = [e["eventType"] for e in _events(traces) if e["triggerReason"] == "Deauthorized"]
    assert deauthorized, "no Deauthorized TransactionEvent on the wire"
    assert set(deauthorized) == {"Updated"}, deauthorized
