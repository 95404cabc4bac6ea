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


def _firmware_statuses(traces: list[str]) -> list[str]:
    """The wire's BootNotifications and FirmwareStatusNotification statuses, in order."""
    found: list[str] = []
    for _t, frame in _frames(traces, "<"):
        if '"BootNotification"' in frame:
            found.append("Boot")
        elif '"FirmwareStatusNotification"' in frame:
            found.append(frame.split('"status":"')[1].split('"')[0])
    return found


def test_unavailable_during_update_and_installed_before_reboot_pass_TC_044(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Connectors may be Unavailable during an update, and Installed may precede the reboot."""
    options = "firmware_unavailable = true\ninstalled_first = true"
    profile = _profile(tmp_path, "station-1.6", options)
    cases = ("TC_044_1_CS", "TC_044_2_CS", "TC_044_3_CS")
    result, traces = _run(pytester, profile, "v16/cs", cases)
    result.assert_outcomes(passed=3)
    statuses = [f for _t, f in _frames(traces, "<") if '"StatusNotification"' in f]
    assert any('"Unavailable"' in f for f in statuses), "no connector Unavailable on the wire"
    runs = [_firmware_statuses([trace]) for trace in traces]
    installed = [seen for seen in runs if "Installed" in seen]
    assert installed, runs
    for seen in installed:
        after = seen[seen.index("Installing") :]
        assert after.index("Installed") < after.index("Boot"), seen


def test_failed_installation_at_once_and_with_reboot_passes_TC_044_3(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """An installation may fail without Installing, and be reported after a reboot."""
    profile = _profile(
        tmp_path, "station-1.6", "no_installing = true\nfailed_install_reboot = true"
    )
    result, traces = _run(pytester, profile, "v16/cs", ("TC_044_3_CS",))
    result.assert_outcomes(passed=1)
    runs = [seen for seen in map(_firmware_statuses, ([t] for t in traces)) if seen]
    failed = [seen for seen in runs if "InstallationFailed" in seen]
    assert failed, runs
    for seen in failed:
        assert "Installing" not in seen, seen
        assert "Boot" in seen[seen.index("Downloaded") :], seen  # the reboot, before the report


def test_failing_locations_of_other_schemes_pass_TC_044_2_and_TC_045_2(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A download that fails at once (no Downloading) and an FTP upload that fails both pass."""
    extra = (
        '[transfer]\nfirmware_failing_location = "ftps://127.0.0.1:1/download_fail.fwi"\n'
        'diagnostics_failing_location = "ftp://127.0.0.1:1/files/failedLocation"\n'
    )
    profile = _profile(tmp_path, "station-1.6", "", extra)
    result, traces = _run(pytester, profile, "v16/cs", ("TC_044_2_CS", "TC_045_2_CS"))
    result.assert_outcomes(passed=2)
    seen = [s for s in _firmware_statuses(traces) if s != "Boot"]
    assert seen == ["DownloadFailed"], seen
    assert any('"UploadFailed"' in f for _t, f in _frames(traces, "<"))
