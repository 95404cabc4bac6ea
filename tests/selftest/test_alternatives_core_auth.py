"""Self-tests of the choices 1.6 leaves a charge point in Core sessions and authorization.

Each run switches the reference station to one allowed alternative (a
variant of ``[embedded.options]``), runs the cases that judge it in a pytest
subprocess, and checks that they pass and that the alternative really showed
on the wire (from the traces attached to the Allure results).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _received(traces: list[str]) -> list[str]:
    return [frame for _t, frame in _frames(traces, "<")]


def test_remote_start_on_connector_zero_answered_with_a_call_error_passes_TC_027_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point that refuses a remote start on connector 0 with a CALLERROR passes TC_027_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "connector0_error = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_027_CS",))
    result.assert_outcomes(passed=1)
    errors = [f for f in _received(traces) if f.startswith("[4,")]
    assert errors, "the station did not answer with a CALLERROR"


def test_the_idtag_presented_again_keeps_waiting_passes_TC_061_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point that keeps a re-presented idTag waiting until ConnectionTimeOut passes TC_061_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "card_again_keeps = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_061_CS",))
    result.assert_outcomes(passed=1)
    # The idTag lapsed on the timer: the Available came at least ConnectionTimeOut after
    # the card was presented again (the builtin profile's connection timeout, 2 s).
    times = [
        at
        for at, frame in _frames(traces, "<")
        if '"StatusNotification"' in frame and '"connectorId":1' in frame
    ]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps, default=0.0) >= 1.0, f"the idTag was withdrawn at once: {gaps}"


def test_status_before_stop_transaction_passes_the_stop_cases(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point reporting Finishing before its StopTransaction passes the cases that allow either order."""  # noqa: E501
    cases = ("TC_068_CS", "TC_069_CS", "TC_005_2_CS", "TC_005_3_CS")
    profile = _profile(tmp_path, "station-1.6", "status_before_stop = true")
    result, traces = _run(pytester, profile, "v16/cs", cases)
    result.assert_outcomes(passed=len(cases))
    received = _received(traces)
    firsts = [
        i
        for i, frame in enumerate(received)
        if '"StopTransaction"' in frame and i > 0 and '"Finishing"' in received[i - 1]
    ]
    assert firsts, "no Finishing went out before a StopTransaction"


def test_timers_one_second_early_pass_TC_002_CS_and_TC_011_2_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point whose boot-retry and connection timers fire 1 s early passes TC_002_CS and TC_011_2_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "timers_early = 1.0")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_002_CS", "TC_011_2_CS"))
    result.assert_outcomes(passed=2)
    gaps = [gap for trace in traces for gap in _retries_after_pending(trace)]
    assert gaps, "no boot retry after Pending on the wire"
    # The builtin profile's Pending interval is its heartbeat interval, 2 s.
    assert min(gaps) < 2 - 0.5, f"the boot retry after Pending was not early: {gaps}"


def _retries_after_pending(trace: str) -> list[float]:
    """Seconds from each Pending boot answer to the next BootNotification, in one trace."""
    gaps: list[float] = []
    pending: float | None = None
    for at, frame in sorted(_frames([trace], ">") + _frames([trace], "<")):
        if frame.startswith("[3,") and '"status":"Pending"' in frame:
            pending = at
        elif pending is not None and '"BootNotification"' in frame:
            gaps.append(at - pending)
            pending = None
    return gaps
