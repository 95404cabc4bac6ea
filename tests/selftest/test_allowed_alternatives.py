"""Self-tests of the choices the standard leaves a station: every allowed form passes.

Each run switches the reference station to one allowed alternative (a
variant of ``[embedded.options]``, see ``harness/sim/variants.py``), runs the
cases that judge that behaviour in a pytest subprocess, and checks two
things: the cases pass, and the alternative really showed on the wire (read
from the traces attached to the Allure results), so a variant the simulator
ignored cannot make the proof vacuous.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir
from tests.selftest.conftest import TESTCASES, run_subprocess

#: The 2.0.1 cases that wait for a connector's state (Booted, Occupied, Available, Unavailable).
AVAILABILITY_CASES = (
    *("TC_B_01_CS", "TC_B_03_CS", "TC_B_20_CS", "TC_C_02_CS", "TC_E_09_CS"),
    *("TC_E_14_CS", "TC_G_01_CS", "TC_G_02_CS", "TC_G_03_CS"),
)
_LINE = re.compile(r"^\s*\+(?P<t>[\d.]+)s (?P<dir>[<>]) (?P<frame>.*)$", re.M)


def _profile(tmp_path: Path, builtin: str, options: str, extra: str = "") -> Path:
    """A copy of a builtin station profile with ``[embedded.options]`` (and ``extra`` tables)."""
    text = _builtin_dir().joinpath(f"{builtin}.toml").read_text(encoding="utf-8")
    assert text.count("\nfaults = []\n") == 1, f"builtin profile {builtin} changed shape"
    text = text.replace("\nfaults = []\n", f"\nfaults = []\n\n[embedded.options]\n{options}\n")
    path = tmp_path / f"{builtin}-variant.toml"
    path.write_text(f"{extra}\n{text}\n", encoding="utf-8")
    return path


def _run(
    pytester: pytest.Pytester, profile: Path, folder: str, cases: Sequence[str]
) -> tuple[pytest.RunResult, list[str]]:
    """Run ``cases`` against ``profile``; the result and the text of every attached trace."""
    allure_dir = pytester.path / "allure"
    result = run_subprocess(
        pytester,
        [TESTCASES / folder],
        dut=profile,
        select=" or ".join(cases),
        extra=[f"--alluredir={allure_dir}", "--timeout=90"],
        timeout=240,
    )
    traces = [
        p.read_text(encoding="utf-8")
        for p in sorted(allure_dir.glob("*-attachment.txt"))
        if p.read_text(encoding="utf-8").startswith("trace ")
    ]
    return result, traces


def _frames(traces: Sequence[str], direction: str) -> list[tuple[float, str]]:
    """(time, frame) of every frame in ``direction`` (``<`` from the station, ``>`` to it)."""
    return [
        (float(m["t"]), m["frame"])
        for trace in traces
        for m in _LINE.finditer(trace)
        if m["dir"] == direction
    ]


def _connector_events(traces: Sequence[str]) -> list[str]:
    return [
        frame
        for _t, frame in _frames(traces, "<")
        if '"NotifyEvent"' in frame
        and '"AvailabilityState"' in frame
        and '"name":"Connector"' in frame
    ]


def _statuses(traces: Sequence[str]) -> list[str]:
    return [frame for _t, frame in _frames(traces, "<") if '"StatusNotification"' in frame]


def test_connector_state_by_status_notification_only_passes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A 2.0.1 station reporting connector states by StatusNotification only passes every case that awaits one."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'availability = "status"')
    result, traces = _run(pytester, profile, "v201/cs", AVAILABILITY_CASES)
    result.assert_outcomes(passed=len(AVAILABILITY_CASES))
    assert _statuses(traces), "no StatusNotification on the wire"
    assert not _connector_events(traces), "the station still sent NotifyEvent AvailabilityState"


def test_connector_state_by_notify_event_only_passes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A 2.0.1 station reporting connector states by NotifyEvent AvailabilityState only passes every case that awaits one."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'availability = "event"')
    result, traces = _run(pytester, profile, "v201/cs", AVAILABILITY_CASES)
    result.assert_outcomes(passed=len(AVAILABILITY_CASES))
    assert _connector_events(traces), "no NotifyEvent AvailabilityState on the wire"
    assert not _statuses(traces), "the station still sent StatusNotification"


def test_connector_state_by_both_messages_passes(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A 2.0.1 station reporting connector states in both forms passes every case that awaits one."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", 'availability = "both"')
    result, traces = _run(pytester, profile, "v201/cs", AVAILABILITY_CASES)
    result.assert_outcomes(passed=len(AVAILABILITY_CASES))
    assert _statuses(traces)
    assert _connector_events(traces)


def test_variable_results_without_attribute_type_pass(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """GetVariables/SetVariables results that omit the optional attributeType (default Actual) pass TC_B_06_CS and TC_B_09_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "attribute_type = false")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_B_06_CS", "TC_B_09_CS"))
    result.assert_outcomes(passed=2)
    results = [f for _t, f in _frames(traces, "<") if "VariableResult" in f]
    assert results, "no variable results on the wire"
    assert not [f for f in results if '"attributeType"' in f], "attributeType still sent"


def test_boot_retry_one_second_early_passes_TC_B_03_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A 2.0.1 station whose boot-retry and heartbeat timers fire 1 s early passes TC_B_03_CS and TC_B_01_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", "timers_early = 1.0")
    result, traces = _run(pytester, profile, "v201/cs", ("TC_B_01_CS", "TC_B_03_CS"))
    result.assert_outcomes(passed=2)
    assert _retry_gaps(traces), "no boot retry after Rejected on the wire"
    assert min(_retry_gaps(traces)) < 4 - 0.5, "the retry was not early"


def _retry_gaps(traces: Sequence[str]) -> list[float]:
    """Seconds from each Rejected boot answer to the next BootNotification."""
    gaps = []
    for trace in traces:
        rejected: float | None = None
        for m in _LINE.finditer(trace):
            frame = m["frame"]
            if m["dir"] == ">" and '"status":"Rejected"' in frame and '"interval"' in frame:
                rejected = float(m["t"])
            elif rejected is not None and m["dir"] == "<" and '"BootNotification"' in frame:
                gaps.append(float(m["t"]) - rejected)
                rejected = None
    return gaps


def _heartbeat_gaps(traces: Sequence[str]) -> tuple[list[float], list[float]]:
    """Seconds from each Accepted boot answer to the next Heartbeat, and between heartbeats."""
    after_boot: list[float] = []
    between: list[float] = []
    for trace in traces:
        accepted: float | None = None
        previous: float | None = None
        for m in _LINE.finditer(trace):
            frame, at = m["frame"], float(m["t"])
            if m["dir"] == ">" and '"status":"Accepted"' in frame and '"interval"' in frame:
                accepted, previous = at, None
            elif m["dir"] == "<" and '"Heartbeat"' in frame:
                if accepted is not None:
                    after_boot.append(at - accepted)
                    accepted = None
                if previous is not None:
                    between.append(at - previous)
                previous = at
    return after_boot, between


def test_early_heartbeat_after_the_accepted_boot_passes_TC_001_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A 1.6 charge point that beats at once after its Accepted boot passes TC_001_CS."""
    profile = _profile(tmp_path, "station-1.6", "early_heartbeat = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_001_CS",))
    result.assert_outcomes(passed=1)
    after_boot, _between = _heartbeat_gaps(traces)
    assert min(after_boot, default=99.0) < 0.5, f"no early heartbeat: {after_boot}"


def test_timers_one_second_early_pass_the_1_6_timing_cases(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A 1.6 charge point whose boot-retry, heartbeat and connection timers fire 1 s early passes TC_001_CS and TC_004_2_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "timers_early = 1.0")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_001_CS", "TC_004_2_CS"))
    result.assert_outcomes(passed=2)
    _after_boot, between = _heartbeat_gaps(traces)
    assert min(between, default=99.0) < 2 - 0.5, f"the heartbeats were not early: {between}"


def test_a_read_only_key_already_true_passes_TC_005_1_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """UnlockConnectorOnEVSideDisconnect read-only with value true meets TC_005_1_CS's configuration state: it runs and passes."""  # noqa: E501
    key = "UnlockConnectorOnEVSideDisconnect"
    profile = _profile(tmp_path, "station-1.6", f'readonly_keys = ["{key}"]')
    result, traces = _run(pytester, profile, "v16/cs", ("TC_005_1_CS",))
    result.assert_outcomes(passed=1)
    shown = re.compile(rf'"key":"{key}","readonly":true,"value":"true"')
    assert any(shown.search(trace) for trace in traces), "the key was not reported read-only"
