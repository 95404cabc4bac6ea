"""Self-tests of the choices 2.0.1 leaves a station in its device model (B05-B07).

Each run switches the reference station to one allowed alternative (see
``harness/sim/variants.py`` and the ``[embedded.options]`` of
docs/station-simulator-2.0.1.md), runs the cases that judge it in a pytest
subprocess, and checks that they pass and that the alternative showed on the wire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The Get/SetVariables cases of block B that judge results.
VARIABLE_CASES = (
    "TC_B_07_CS",
    "TC_B_10_CS",
    "TC_B_11_CS",
    "TC_B_32_CS",
    "TC_B_33_CS",
    "TC_B_34_CS",
    "TC_B_35_CS",
    "TC_B_36_CS",
    "TC_B_37_CS",
    "TC_B_39_CS",
)


def _results(traces: list[str]) -> list[list[dict[str, object]]]:
    """The result lists of every Get/SetVariables answer the station gave."""
    found = []
    for _t, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] != 3:
            continue
        for key in ("getVariableResult", "setVariableResult"):
            if key in message[2]:
                found.append(message[2][key])
    return found


def test_results_reversed_without_actual_attribute_type_pass(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Results in another order than asked, with attributeType Actual left out, pass the cases."""
    options = "results_reversed = true\nattribute_type = false"
    profile = _profile(tmp_path, "station-2.0.1", options)
    result, traces = _run(pytester, profile, "v201/cs", VARIABLE_CASES)
    result.assert_outcomes(passed=len(VARIABLE_CASES))
    answers = _results(traces)
    several = [a for a in answers if len(a) > 1]
    assert several, "no answer with several results on the wire"
    assert any(a[0]["variable"] == {"name": "LocalAuthorizeOffline"} for a in several), several
    assert all(r.get("attributeType") != "Actual" for a in answers for r in a), (
        "attributeType Actual still on the wire"
    )
    assert any(r.get("attributeType") == "Target" for a in answers for r in a), answers


REPORT_CASES = ("TC_B_12_CS", "TC_B_13_CS", "TC_B_53_CS")


def _report_sizes(traces: list[str]) -> list[int]:
    """The number of reportData entries of every NotifyReport the station sent."""
    return [
        len(json.loads(frame)[3]["reportData"])
        for _t, frame in _frames(traces, "<")
        if '"NotifyReport"' in frame and frame.startswith("[2,")
    ]


@pytest.mark.parametrize(
    ("options", "most"),
    [
        pytest.param("items_per_message = 1", 1, id="one-entry-per-message"),
        pytest.param("items_per_message = 500\nbytes_per_message = 1500", 499, id="by-bytes"),
    ],
)
def test_reports_split_otherwise_pass(
    pytester: pytest.Pytester, tmp_path: Path, options: str, most: int
) -> None:
    """A report split one entry a message, or by BytesPerMessage, passes the report cases."""
    profile = _profile(tmp_path, "station-2.0.1", options)
    result, traces = _run(pytester, profile, "v201/cs", REPORT_CASES)
    result.assert_outcomes(passed=len(REPORT_CASES))
    sizes = _report_sizes(traces)
    assert len(sizes) > 3 * 3, sizes
    assert max(sizes) <= most, sizes


def test_boot_trigger_not_implemented_passes_TC_B_02(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Pending station may answer a BootNotification trigger NotImplemented and retry later."""
    options = 'boot_trigger = false\navailability = "event"'
    profile = _profile(tmp_path, "station-2.0.1", options)
    result, traces = _run(pytester, profile, "v201/cs", ("TC_B_02_CS",))
    result.assert_outcomes(passed=1)
    answers = [f for _t, f in _frames(traces, "<") if '"NotImplemented"' in f]
    assert answers, "no TriggerMessage answered NotImplemented on the wire"
    boots = [f for _t, f in _frames(traces, "<") if '"BootNotification"' in f]
    assert not any('"Triggered"' in f for f in boots), boots


def test_offline_reports_by_notify_event_only_pass_TC_B_51_and_TC_B_52(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """After an offline period the connector's state may come as a NotifyEvent alone."""
    profile = _profile(tmp_path, "station-2.0.1", 'availability = "event"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_B_51_CS", "TC_B_52_CS"))
    result.assert_outcomes(passed=2)
    occupied = [f for _t, f in _frames(traces, "<") if '"NotifyEvent"' in f and '"Occupied"' in f]
    assert len(occupied) >= 2, occupied
    assert not [f for _t, f in _frames(traces, "<") if '"StatusNotification"' in f]
