"""Self-tests of the choices 2.0.1 leaves a station around its offline TransactionEvent queue.

Each run configures the reference station with one allowed behaviour
(``[embedded.options]``), runs the offline-queue cases that meet it in a
pytest subprocess, and checks that they pass and that the choice showed on
the wire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _station_frames(traces: list[str]) -> list[str]:
    return [frame for _t, frame in _frames(traces, "<")]


def test_the_queue_before_the_status_reports_passes_TC_E_44_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station sending its queue before the B04 status reports (OCPP orders neither) passes TC_E_44_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "offline_queue_first = true")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_44_CS",))
    result.assert_outcomes(passed=1)
    frames = _station_frames(traces)
    queued = [i for i, f in enumerate(frames) if '"offline":true' in f]
    available = [
        i for i, f in enumerate(frames) if '"StatusNotification"' in f and '"Available"' in f
    ]
    assert queued, "nothing was queued"
    assert available, "the connector's new state was not reported"
    assert queued[0] < available[-1], "the status went before the queue"


@pytest.mark.parametrize(
    ("start_point", "trigger"), [("EVConnected", "CablePluggedIn"), ("Authorized", "Authorized")]
)
def test_other_start_points_offline_pass_TC_E_43_CS(
    pytester: pytest.Pytester, tmp_path: Path, start_point: str, trigger: str
) -> None:
    """A transaction started offline by the cable or by the idToken (its own set of queued events) passes TC_E_43_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", f'tx_start_point = "{start_point}"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_43_CS",))
    result.assert_outcomes(passed=1)
    started = [f for f in _station_frames(traces) if '"offline":true' in f and '"Started"' in f]
    assert started, "no Started event was queued"
    assert f'"triggerReason":"{trigger}"' in started[0], started[0]


def test_a_station_queueing_all_messages_passes_TC_E_43_CS_and_TC_E_44_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station with QueueAllMessages true also sends its offline status reports once back, and passes TC_E_43/44_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "queue_all_messages = true")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_43_CS", "TC_E_44_CS"))
    result.assert_outcomes(passed=2)
    after_cut = [
        t.split("* offline: the harness closes", 1)[-1] for t in traces if "* offline:" in t
    ]
    occupied = [
        f for f in _station_frames(after_cut) if '"StatusNotification"' in f and '"Occupied"' in f
    ]
    assert occupied, "the status reports made offline were not kept"


def test_meter_values_queued_before_the_stop_pass_TC_E_43_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station that keeps periodic Updated events offline before the Ended one passes TC_E_43_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "tx_updated_interval = 1")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_E_43_CS",))
    result.assert_outcomes(passed=1)
    periodic = [
        f for f in _station_frames(traces) if '"offline":true' in f and '"MeterValuePeriodic"' in f
    ]
    assert periodic, "no periodic meter value was kept offline"


def test_the_queue_before_the_status_reports_passes_TC_E_16_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """With the queue first, the kept Started event is answered Invalid as soon as it comes: TC_E_16_CS passes."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "offline_queue_first = true")
    result, _traces = _run(pytester, profile, "v201/cs", ("TC_E_16_CS",))
    result.assert_outcomes(passed=1)
