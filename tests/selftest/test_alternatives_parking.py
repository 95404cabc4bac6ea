"""Self-tests of the 2.0.1 choices of a station with a parking bay sensor or an HLC EV (block E).

Each run configures the reference station with one allowed behaviour
(``[embedded.options]``, or the rig the profile drives it with), runs the
cases that judge it in a pytest subprocess, and checks that they pass and
that the choice showed on the wire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir
from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The PICS flags the parking and HLC cases need, added to a profile that lacks them.
_FLAGS = (
    '"high_level_communication", "tx_start_point:ParkingBayOccupancy", '
    '"tx_stop_point:ParkingBayOccupancy",'
)


def _ended(traces: list[str]) -> list[dict[str, object]]:
    """The payload of every TransactionEvent Ended the station sent."""
    found = []
    for _at, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] == 2 and message[2] == "TransactionEvent":
            found.append(message[3])
    return [p for p in found if p.get("eventType") == "Ended"]


@pytest.mark.parametrize("reason", ["StoppedByEV", "EVDisconnected"])
def test_an_ev_side_disconnect_with_either_stopped_reason_passes_TC_E_54_CS(
    pytester: pytest.Pytester, tmp_path: Path, reason: str
) -> None:
    """A station ending the EV side disconnect with StoppedByEV, or EVDisconnected, passes TC_E_54_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", f'ev_side_stopped_reason = "{reason}"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_54_CS",))
    result.assert_outcomes(passed=1)
    lost = [e for e in _ended(traces) if e.get("triggerReason") == "EVCommunicationLost"]
    assert lost, "no Ended EVCommunicationLost on the wire"
    assert lost[0]["transactionInfo"]["stoppedReason"] == reason  # type: ignore[index]


def test_a_transaction_started_at_the_parking_bay_passes_TC_E_19_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station starting at ParkingBayOccupancy (EVDetected) runs the whole session, and passes TC_E_19_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'tx_start_point = "ParkingBayOccupancy"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_19_CS",))
    result.assert_outcomes(passed=1)
    started = [f for _t, f in _frames(traces, "<") if '"eventType":"Started"' in f]
    assert started, "no TransactionEvent Started on the wire"
    assert '"EVDetected"' in started[0], started[0]


def test_the_parking_cases_pass_through_the_serial_rig(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Through the RIGP/1 emulator (BAY on the second CAPS? page) the bay cases and TC_E_54 pass."""
    text = _builtin_dir().joinpath("station-2.0.1-serial-rig.toml").read_text(encoding="utf-8")
    assert text.count("features = [\n") == 1, "builtin profile changed shape"
    path = tmp_path / "station-2.0.1-serial-rig-parking.toml"
    path.write_text(text.replace("features = [\n", f"features = [\n    {_FLAGS}\n"), "utf-8")
    cases = ("TC_E_12_CS", "TC_E_19_CS", "TC_E_54_CS")
    result, traces = _run(pytester, path, "v201/cs", cases)
    result.assert_outcomes(passed=len(cases))
    reasons = {e.get("triggerReason") for e in _ended(traces)}
    assert "EVDeparted" in reasons, reasons
