"""Self-tests of the choices a 1.6 charge point has after a power failure or a connection loss.

Each run switches the reference station to one allowed alternative, runs the
cases that judge it in a pytest subprocess, and checks that the cases pass
and that the alternative really showed on the wire (read from the traces).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The offline cases that await statuses once the charge point is back.
OFFLINE_STATUS_CASES = ("TC_037_1_CS", "TC_037_2_CS", "TC_037_3_CS", "TC_038_CS")


def _station_calls(traces: list[str], action: str) -> list[dict[str, object]]:
    """The payloads of the station's ``action`` requests, in trace order."""
    found = []
    for _t, frame in _frames(traces, "<"):
        try:
            message = json.loads(frame)
        except ValueError:
            continue  # a frame cut short in the trace text
        if isinstance(message, list) and len(message) == 4 and message[2] == action:
            found.append(message[3])
    return found


def test_a_transaction_resumed_after_a_power_loss_passes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """TC_032_2_CS passes when the charge point resumes the transaction (stopped by the card)."""
    profile = _profile(tmp_path, "station-1.6", "resume_after_power_loss = true")
    result, traces = _run(pytester, profile, "v16/cs", ["TC_032_2_CS"])
    result.assert_outcomes(passed=1)
    reasons = [stop.get("reason") for stop in _station_calls(traces, "StopTransaction")]
    assert "Local" in reasons, f"the transaction was not resumed and stopped by the card: {reasons}"
    assert "PowerLoss" not in reasons


def test_every_status_change_made_offline_sent_once_back_passes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """The offline cases pass when every status change made offline is sent once back."""
    profile = _profile(tmp_path, "station-1.6", "offline_status_history = true")
    result, traces = _run(pytester, profile, "v16/cs", OFFLINE_STATUS_CASES)
    result.assert_outcomes(passed=len(OFFLINE_STATUS_CASES))
    # Started offline, the connector was Preparing (the cable) before Charging: with the
    # history, that change is the first status the charge point sends once back.
    first_back = [
        _station_calls([trace.rsplit("reconnected:", 1)[1]], "StatusNotification")[0]["status"]
        for trace in traces
        if "reconnected:" in trace
    ]
    assert "Preparing" in first_back, first_back
