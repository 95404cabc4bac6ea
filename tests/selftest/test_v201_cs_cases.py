"""Self-tests of the OCPP 2.0.1 ``_CS`` cases: they pass on the reference station, fail on mutants.

Each case runs in a pytest subprocess against the builtin 2.0.1 station
profile, then against mutants of it (fault knobs switched on). A mutant run
may cover several cases when its knobs do not interact; every case must then
FAIL (not error, not skip), in the step the knob breaks, saying why.

The copies of the builtin profile pin the heartbeat interval: short where
TC_B_03 runs (it waits the Rejected interval, which the catalogue sets to the
configured heartbeat interval), long elsewhere (a periodic heartbeat inside
TC_F_20's wait would hide a station that ignores the trigger).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir

TESTCASES = Path(__file__).resolve().parents[2] / "testcases" / "v201" / "cs"
#: TC_B_03 waits one heartbeat interval (the Rejected interval); TC_F_20 needs heartbeats
#: rarer than the message timeout, or a periodic one would hide a station ignoring the trigger.
SHORT_HEARTBEAT, LONG_HEARTBEAT = 3, 60
ALL_CASES = (
    *("TC_B_01_CS", "TC_B_03_CS", "TC_B_06_CS", "TC_B_09_CS", "TC_B_20_CS", "TC_C_02_CS"),
    *("TC_E_03_CS", "TC_E_09_CS", "TC_F_01_CS", "TC_F_08_CS", "TC_F_20_CS", "TC_G_03_CS"),
)


def _profile(tmp_path: Path, faults: Sequence[str], heartbeat: int) -> Path:
    text = _builtin_dir().joinpath("station-2.0.1.toml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{fault}"' for fault in faults)
    text, faults_lines = re.subn(r"(?m)^faults\s*=.*$", f"faults = [{listed}]", text)
    beat = f"heartbeat_interval = {heartbeat}"
    text, beat_lines = re.subn(r"(?m)^heartbeat_interval\s*=.*$", beat, text)
    assert (faults_lines, beat_lines) == (1, 1), "the builtin profile changed shape"
    path = tmp_path / f"station-2.0.1-{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(
    pytester: pytest.Pytester, tmp_path: Path, cases: Sequence[str], faults: Sequence[str]
) -> pytest.RunResult:
    heartbeat = SHORT_HEARTBEAT if "TC_B_03_CS" in cases else LONG_HEARTBEAT
    return pytester.runpytest_subprocess(
        str(TESTCASES),
        f"--dut={_profile(tmp_path, faults, heartbeat)}",
        "-k",
        " or ".join(cases),
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "--strict-markers",
        "-rfEs",
        "--timeout=60",
        # A mutant's breakage must not spill into the next case: a fresh station each.
        *(["--dut-lifetime=test"] if faults else []),
        timeout=120,
    )


def _failure_sections(stdout: str) -> dict[str, str]:
    """The text of each failed test's report section, by test-case id."""
    sections: dict[str, str] = {}
    for match in re.finditer(
        r"_{3,} (test_(TC_[A-Z]_\d{2}_CS)\w*) _{3,}\n(.*?)(?=\n_{3,} |\Z)", stdout, re.S
    ):
        sections[match.group(2)] = match.group(3)
    return sections


def test_every_case_passes_against_the_reference_station(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """All twelve cases pass against the unmodified 2.0.1 station."""
    result = _run(pytester, tmp_path, ALL_CASES, ())
    result.assert_outcomes(passed=len(ALL_CASES))


#: (knobs, {case: (fragment of the failing step's title, key word of the violation)})
MUTANTS = [
    (
        # A connector's state may come in either form: only a station sending neither fails.
        ["skip_status", "skip_notify_event"],
        {
            "TC_B_01_CS": ("Booted 5-6. Every connector reports Available", "StatusNotification"),
            "TC_B_20_CS": ("5-6. Every connector reports Available", "StatusNotification"),
            "TC_G_03_CS": ("Unavailable 3-4.", "StatusNotification"),
        },
    ),
    (
        ["reject:GetVariables", "skip_security_event"],
        {
            "TC_B_06_CS": ("1-2. GetVariablesRequest OfflineThreshold", '"Rejected"'),
            "TC_B_01_CS": ("Booted 7-8. SecurityEventNotificationRequest", "did not arrive"),
        },
    ),
    (
        ["boot_wrong_reason", "boot_retry_early"],
        {
            "TC_B_01_CS": ("Booted 3-4. BootNotificationRequest", "$.reason"),
            "TC_B_03_CS": ("3. BootNotificationRequest again", "at least the interval"),
        },
    ),
    (
        ["send_while_rejected"],
        {"TC_B_03_CS": ("3. BootNotificationRequest again", "must send nothing")},
    ),
    (
        [
            "reject:SetVariables",
            "reject:Reset",
            "ignore_trigger",
            "ignore_availability",
            "reject:RequestStopTransaction",
        ],
        {
            "TC_B_09_CS": ("1-2. SetVariablesRequest OfflineThreshold", '"Rejected"'),
            "TC_B_20_CS": ("1-2. ResetRequest OnIdle", "status 'Rejected'"),
            "TC_F_20_CS": ("3-4. The charging station sends a HeartbeatRequest", "did not arrive"),
            "TC_G_03_CS": ("Unavailable 3-4.", "did not arrive"),
            "TC_F_08_CS": ("StopAuthorized 1-2. RequestStopTransactionRequest", "'Rejected'"),
        },
    ),
    (
        ["accept_any_token", "ignore_tx_start_point", "no_remote_start_id"],
        {
            "TC_C_02_CS": ("No TransactionEventRequest follows", "must not send"),
            "TC_E_09_CS": ("3-4. TransactionEventRequest Started", "did not arrive"),
            "TC_F_01_CS": ("EnergyTransferStarted 7-8.", "remoteStartId"),
        },
    ),
    (
        ["wrong_trigger_reason"],
        {
            "TC_E_03_CS": ("EnergyTransferStarted 7-8.", "triggerReason"),
            "TC_E_09_CS": ("3-4. TransactionEventRequest Started", "triggerReason"),
        },
    ),
    (
        # Accepted but ignored, with the value already in place: the preparatory change shows it.
        ["ignore_set_variables"],
        {"TC_B_09_CS": ("Before: OfflineThreshold is not 300", "then reports '300'")},
    ),
    (
        ["tx_not_ended"],
        {"TC_F_08_CS": ("StopAuthorized 3-4. TransactionEventRequest", "did not arrive")},
    ),
]


@pytest.mark.parametrize(
    ("faults", "expected"), MUTANTS, ids=["+".join(faults) for faults, _ in MUTANTS]
)
def test_cases_fail_against_mutants(
    pytester: pytest.Pytester,
    tmp_path: Path,
    faults: list[str],
    expected: dict[str, tuple[str, str]],
) -> None:
    """Each case fails against the mutant, in the step the knob breaks, naming the violation."""
    result = _run(pytester, tmp_path, list(expected), faults)
    result.assert_outcomes(failed=len(expected))
    sections = _failure_sections(result.stdout.str())
    for case, (title, word) in expected.items():
        text = sections.get(case, "")
        assert "Step '" in text, f"{case}: no step named in\n{text[:2000]}"
        assert title in text, f"{case}: step {title!r} not named in\n{text[:3000]}"
        assert word in text, f"{case}: {word!r} not in\n{text[:3000]}"
