"""Self-tests of the choices 2.0.1 leaves a station stopping with a master pass (C16).

Each run switches the reference station to one allowed alternative (a variant
of ``[embedded.options]``, or a second EVSE), runs the cases that judge it in a
pytest subprocess, and checks that they pass and that the alternative showed
on the wire (from the traces attached to the Allure results).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

_MASTER_PASS_CASES = ("TC_C_47_CS", "TC_C_48_CS")


def _master_pass_stops(traces: list[str]) -> list[dict[str, object]]:
    """Every TransactionEvent of a stop by the master pass (StopAuthorized) the station sent."""
    found: list[dict[str, object]] = []
    for _at, frame in _frames(traces, "<"):
        message = json.loads(frame)
        stop = message[0] == 2 and message[2] == "TransactionEvent"
        if stop and message[3].get("triggerReason") == "StopAuthorized":
            found.append(message[3])
    return found


def test_a_master_pass_stop_without_id_token_passes_TC_C_47_and_TC_C_48(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station whose stop by a master pass names no idToken passes TC_C_47/48_CS."""
    profile = _profile(tmp_path, "station-2.0.1", "master_pass_no_token = true")
    result, traces = _run(pytester, profile, "v201/cs", _MASTER_PASS_CASES)
    result.assert_outcomes(passed=len(_MASTER_PASS_CASES))
    stops = _master_pass_stops(traces)
    assert stops, "no StopAuthorized TransactionEvent on the wire"
    assert all("idToken" not in stop for stop in stops), f"a stop named an idToken: {stops}"


def _two_evses(tmp_path: Path, *features: str) -> Path:
    """station-2.0.1-basic-auth (two EVSEs) with the master pass and ``features`` declared."""
    path = _profile(tmp_path, "station-2.0.1-basic-auth", "")
    text = path.read_text(encoding="utf-8")
    added = "".join(f'    "{flag}",\n' for flag in ("master_pass", *features))
    path.write_text(text.replace("features = [\n", f"features = [\n{added}", 1), encoding="utf-8")
    return path


def _stopped_evses(traces: list[str]) -> set[int]:
    """The EVSEs whose transaction ended with stoppedReason MasterPass."""
    ended: set[int] = set()
    for _at, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] != 2 or message[2] != "TransactionEvent":
            continue
        info = message[3].get("transactionInfo", {})
        if info.get("stoppedReason") == "MasterPass":
            ended.add(int(message[3]["evse"]["id"]))
    return ended


def test_a_station_without_user_interface_and_two_evses_passes_TC_C_49(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """At a station with two EVSEs and no screen, the master pass stops both: TC_C_49_CS passes."""
    result, traces = _run(pytester, _two_evses(tmp_path), "v201/cs", ("TC_C_49_CS",))
    result.assert_outcomes(passed=1)
    assert _stopped_evses(traces) == {1, 2}


@pytest.mark.parametrize(("case", "stopped"), [("TC_C_47_CS", {1, 2}), ("TC_C_48_CS", {1})])
def test_a_station_with_user_interface_and_two_evses_stops_what_was_selected(
    pytester: pytest.Pytester, tmp_path: Path, case: str, stopped: set[int]
) -> None:
    """With two EVSEs and a screen: "all" stops both (TC_C_47_CS), "EVSE 1" one (TC_C_48_CS)."""
    profile = _two_evses(tmp_path, "user_interface")
    result, traces = _run(pytester, profile, "v201/cs", (case,))
    result.assert_outcomes(passed=1)
    assert _stopped_evses(traces) == stopped


def test_a_station_with_two_evses_ends_both_transactions_in_TC_C_47_and_TC_C_49_CSMS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """With two EVSEs the harness station ends both transactions with the master pass."""
    profile = _profile(tmp_path, "csms-2.0.1", "")
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text + "\n[[evse]]\nid = 2\nconnectors = [1]\n", encoding="utf-8")
    cases = ("TC_C_47_CSMS", "TC_C_49_CSMS")
    result, traces = _run(pytester, profile, "v201/csms", cases)
    result.assert_outcomes(passed=len(cases))
    ended = [
        json.loads(frame)[3]["evse"]["id"]
        for _at, frame in _frames(traces, ">")
        if '"TransactionEvent"' in frame and '"MasterPass"' in frame
    ]
    assert sorted(ended) == [1, 1, 2, 2]
