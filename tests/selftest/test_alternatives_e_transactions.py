"""Self-tests of the choices 2.0.1 leaves a station in starting and stopping transactions (block E).

Each run configures the reference station with one allowed TxStartPoint /
TxStopPoint (``[embedded.options]``), runs the cases that judge it in a pytest
subprocess, and checks that they pass and that the choice showed on the wire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _events(traces: list[str]) -> list[str]:
    return [frame for _t, frame in _frames(traces, "<") if '"TransactionEvent"' in frame]


@pytest.mark.parametrize(
    ("stop_point", "event_type"), [("EVConnected,Authorized", "Ended"), ("EVConnected", "Updated")]
)
def test_a_transaction_started_at_authorization_passes_TC_E_05_CS(
    pytester: pytest.Pytester, tmp_path: Path, stop_point: str, event_type: str
) -> None:
    """A station starting at Authorized reports the cable timeout as Ended or Updated by its TxStopPoint, and passes TC_E_05_CS."""  # noqa: E501
    options = f'tx_start_point = "Authorized"\ntx_stop_point = "{stop_point}"'
    profile = _profile(tmp_path, "station-2.0.1", options)
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_05_CS",))
    result.assert_outcomes(passed=1)
    timeouts = [f for f in _events(traces) if '"EVConnectTimeout"' in f]
    assert timeouts, "the station reported no EVConnectTimeout"
    assert f'"eventType":"{event_type}"' in timeouts[0], timeouts[0]


def test_a_transaction_started_by_the_cable_passes_TC_E_38_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station starting at EVConnected reports the EV not ready in its Started event, and passes TC_E_38_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'tx_start_point = "EVConnected"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_38_CS",))
    result.assert_outcomes(passed=1)
    started = [f for f in _events(traces) if '"Started"' in f]
    assert started, "no transaction started"
    assert '"SuspendedEV"' in started[0], started[0]


def test_a_transaction_started_at_authorization_passes_TC_E_39_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station starting at Authorized ends the lapsed transaction with Timeout, and passes TC_E_39_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'tx_start_point = "Authorized"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_39_CS",))
    result.assert_outcomes(passed=1)
    ended = [f for f in _events(traces) if '"EVConnectTimeout"' in f and '"Ended"' in f]
    assert ended, "the lapsed transaction was not ended with EVConnectTimeout"
    assert '"Timeout"' in ended[0], ended[0]


#: The block E cases of this area that await a connector's state.
_CONNECTOR_CASES = (
    "TC_E_02_CS",
    "TC_E_06_CS",
    "TC_E_11_CS",
    "TC_E_17_CS",
    "TC_E_24_CS",
    "TC_E_25_CS",
)


@pytest.mark.parametrize("form", ["status", "event"])
def test_connector_state_in_one_form_passes_the_ev_side_and_start_cases(
    pytester: pytest.Pytester, tmp_path: Path, form: str
) -> None:
    """A station reporting connector states only by StatusNotification, or only by NotifyEvent, passes these cases."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", f'availability = "{form}"')
    result, traces = _run(pytester, profile, "v201/cs", _CONNECTOR_CASES)
    result.assert_outcomes(passed=len(_CONNECTOR_CASES))
    received = [frame for _t, frame in _frames(traces, "<")]
    action = '"StatusNotification"' if form == "status" else '"NotifyEvent"'
    assert any(action in frame and '"Available"' in frame for frame in received), form
