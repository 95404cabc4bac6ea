"""Self-tests of 1.6 verdict rules: catalogue checks kept, faults caught, applicability up front.

Each test runs real cases in a pytest subprocess against a variant of the
builtin 1.6 station profile and checks the verdict a user would see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir
from tests.selftest.conftest import ROOT, run_subprocess

TESTCASES = ROOT / "testcases" / "v16" / "cs"


def _profile(tmp_path: Path, *, replace: dict[str, str], extra: str = "") -> Path:
    text = _builtin_dir().joinpath("station-1.6.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, f"the builtin 1.6 station profile changed: no {old!r}"
        text = text.replace(old, new)
    path = tmp_path / "station-1.6-rule.toml"
    path.write_text(f"{text}\n{extra}\n", encoding="utf-8")
    return path


def _run(pytester: pytest.Pytester, profile: Path, cases: Sequence[str]) -> pytest.RunResult:
    return run_subprocess(
        pytester,
        [TESTCASES],
        dut=profile,
        select=" or ".join(cases),
        extra=[f"--alluredir={pytester.path / 'allure'}"],
    )


def test_TC_041_CS_requires_faulted_even_with_a_blank_faults_table(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A blank [faults.over_temperature] neither skips TC_041_CS nor replaces the catalogue's Faulted: it runs and passes."""  # noqa: E501
    extra = '[faults.over_temperature]\nv16_status = ""\nv16_error_code = ""\n'
    result = _run(pytester, _profile(tmp_path, replace={}, extra=extra), ["TC_041_CS"])
    result.assert_outcomes(passed=1)


def test_TC_041_CS_fails_a_fault_reported_without_faulted(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point that never reports Faulted fails TC_041_CS step 1, whatever the profile's [faults] says."""  # noqa: E501
    extra = '[faults.over_temperature]\nv16_status = "Unavailable"\n'
    profile = _profile(
        tmp_path, replace={"faults = []": 'faults = ["skip_status:Faulted"]'}, extra=extra
    )
    result = _run(pytester, profile, ["TC_041_CS"])
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Step '1-2. The Charge Point is set in a fault state*Faulted*"])


def test_TC_021_CS_fails_a_charge_point_ignoring_a_change_to_its_current_value(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """MeterValueSampleInterval already at the configured value, changes accepted but ignored: TC_021_CS fails (the preparatory change is confirmed)."""  # noqa: E501
    replace = {
        "faults = []": 'faults = ["ignore_change"]',
        'ConnectionTimeOut = "3"': 'ConnectionTimeOut = "3"\nMeterValueSampleInterval = "2"',
    }
    profile = _profile(tmp_path, replace=replace)
    result = _run(pytester, profile, ["TC_021_CS"])
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*Step 'Before: MeterValueSampleInterval is not*' of TC_021_CS failed*reports '2'*"]
    )


def test_rig_cases_are_not_run_before_anything_is_sent(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """With no rig, TC_003/004_1/010/012_CS are skipped as not run before any request reaches the station."""  # noqa: E501
    profile = _profile(tmp_path, replace={'backend = "sim"': 'backend = "none"'})
    cases = ["TC_003_CS", "TC_004_1_CS", "TC_010_CS", "TC_012_CS"]
    result = _run(pytester, profile, cases)
    result.assert_outcomes(skipped=len(cases))
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]2[]]*not run: the none rig cannot plug a cable, set the EV state, present*",
            "SKIPPED [[]2[]]*not run: the none rig cannot plug a cable, set the EV state (*",
        ]
    )
    traces = [p.read_text(encoding="utf-8") for p in (pytester.path / "allure").glob("*.txt")]
    assert not [t for t in traces if "ChangeConfiguration" in t or "RemoteStart" in t]


def test_TC_013_CS_fails_a_wrong_status_at_once_with_the_difference(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point reporting Available where step 9 needs Unavailable fails TC_013_CS as the status arrives, naming both, before the message timeout runs out."""  # noqa: E501
    profile = _profile(tmp_path, replace={"faults = []": 'faults = ["forget_availability"]'})
    setting = re.search(r"(?m)^message_timeout\s*=\s*([0-9.]+)", profile.read_text("utf-8"))
    assert setting is not None, "the builtin 1.6 station profile sets no message_timeout"
    message_timeout = float(setting.group(1))
    # Timeouts stretched 4 times: the step's wait would last 4 message timeouts.
    extra = ["--dut-lifetime=test", "--time-factor=4"]
    result = run_subprocess(pytester, [TESTCASES], dut=profile, select="TC_013_CS", extra=extra)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Step '9-10. StatusNotification*' of TC_013_CS failed: StatusNotification does not "
            'satisfy*$.status: expected "Unavailable", got "Available"*'
        ]
    )
    assert "did not arrive" not in result.stdout.str()
    session = re.search(r"failed.* in ([0-9.]+)s", result.stdout.lines[-1])
    assert session is not None, result.stdout.lines[-1]
    # The whole run (boot, reset, reboot) takes less than the stretched wait of step
    # 9-10: the wrong status did not wait for its deadline.
    assert float(session.group(1)) < 4 * message_timeout, "the wrong status waited for the timeout"
