"""Self-tests of the choices 1.6 leaves a charge point: local list, firmware and trigger cases.

Each run switches the reference station to one allowed alternative (see
``harness/sim/variants.py``), runs the cases that judge it in a pytest
subprocess, and checks that they pass and that the alternative showed on the
wire (read from the attached traces).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _call_errors(traces: list[str], code: str) -> list[str]:
    return [
        frame
        for _t, frame in _frames(traces, "<")
        if frame.startswith("[4,") and f'"{code}"' in frame
    ]


def test_not_supported_as_callerror_passes_TC_042_1_and_TC_043_1(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point without the local list may answer its requests with CALLERROR NotSupported."""
    profile = _profile(tmp_path, "station-1.6-serial-rig", "unsupported_error = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_042_1_CS", "TC_043_1_CS"))
    result.assert_outcomes(passed=2)
    assert len(_call_errors(traces, "NotSupported")) >= 2, "no CALLERROR NotSupported on the wire"


def test_trigger_for_unknown_connector_as_callerror_passes_TC_055(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A TriggerMessage for a connector the charge point lacks may be answered with a CALLERROR."""
    profile = _profile(tmp_path, "station-1.6", "unsupported_error = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_055_CS",))
    result.assert_outcomes(passed=1)
    assert _call_errors(traces, "PropertyConstraintViolation"), "no CALLERROR on the wire"
