"""Self-tests of the choices OCPP 2.0.1 leaves a station in remote control (block F).

Each run switches the reference station to one allowed alternative
(``[embedded.options]`` or the profile's PICS, see ``harness/sim/variants.py``),
runs the cases that judge it, and checks that they pass and that the
alternative really showed on the wire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


@pytest.mark.parametrize(
    ("form", "action"), [("event", "NotifyEvent"), ("status", "StatusNotification")]
)
def test_a_triggered_status_in_either_form_passes_TC_F_23_CS_and_TC_F_24_CS(
    pytester: pytest.Pytester, tmp_path: Path, form: str, action: str
) -> None:
    """A station reporting its connectors only by NotifyEvent, or only by StatusNotification, passes both triggered-status cases."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", f'availability = "{form}"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_F_23_CS", "TC_F_24_CS"))
    result.assert_outcomes(passed=2)
    triggers = [t for t, f in _frames(traces, ">") if '"TriggerMessage"' in f]
    assert triggers, "no TriggerMessage on the wire"
    reports = [t for t, f in _frames(traces, "<") if f'"{action}"' in f and t > min(triggers)]
    assert reports, f"no {action} after the trigger"
    other = "StatusNotification" if action == "NotifyEvent" else '"AvailabilityState"'
    assert not [f for _t, f in _frames(traces, "<") if other in f], f"{other} on the wire"


def test_a_station_starting_no_transaction_at_authorization_passes_TC_F_04_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Without TxStartPoint Authorized (the errata drop that prerequisite), TC_F_04_CS runs without a transaction and passes."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'tx_start_point = "PowerPathClosed"')
    text = profile.read_text(encoding="utf-8")
    assert '    "tx_start_point:Authorized",\n' in text
    profile.write_text(text.replace('    "tx_start_point:Authorized",\n', ""), encoding="utf-8")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_F_04_CS",))
    result.assert_outcomes(passed=1)
    refused = [f for _t, f in _frames(traces, "<") if '"attributeStatus":"Rejected"' in f]
    assert refused, "the station accepted TxStartPoint Authorized"
    assert not [f for _t, f in _frames(traces, "<") if '"TransactionEvent"' in f]
