"""Self-tests of the OCPP 1.6 ``_CS`` cases: they pass against the reference, fail against mutants.

Each mutant switches on knobs that break disjoint cases, so one subprocess
shows several cases failing, each at its own step and for its own reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

RunCases = Callable[..., pytest.RunResult]

BUILTIN = "station-1.6"
FOLDER = "v16/cs"
ALL_CASES = (
    "TC_001_CS",
    "TC_003_CS",
    "TC_004_1_CS",
    "TC_010_CS",
    "TC_012_CS",
    "TC_013_CS",
    "TC_019_CS",
    "TC_021_CS",
    "TC_054_CS",
)

#: mutant knobs -> {case: (fragment of the failing step's title, key word of the violation)}
MUTANTS: dict[str, tuple[list[str], dict[str, tuple[str, str]]]] = {
    "retry-config-trigger": (
        [
            "boot_no_retry",
            "readonly_writable",
            "ignore_change",
            "trigger_ignored:StatusNotification",
            "skip_remote_authorize",
        ],
        {
            "TC_001_CS": ("3. The Charge Point sends BootNotification.req again", "did not arrive"),
            "TC_019_CS": ("3-4. GetConfiguration without keys", "it must be R"),
            "TC_021_CS": ("3-4. GetConfiguration MeterValueSampleInterval", "the value set was"),
            "TC_054_CS": ("11-12. The Charge Point sends StatusNotification", "did not arrive"),
            "TC_010_CS": ("Charging 9-10: Authorize.req", "did not arrive"),
        },
    ),
    "early-unknown-rejected-enum": (
        [
            "boot_ignore_interval",
            "hide_key:SupportedFeatureProfiles",
            "reject:ChangeConfiguration",
            "wrong_enum:DiagnosticsStatusNotification",
        ],
        {
            "TC_001_CS": ("3. The Charge Point sends BootNotification.req again", "at least the"),
            "TC_019_CS": ("1-2. GetConfiguration SupportedFeatureProfiles", "unknown keys"),
            "TC_021_CS": ("1-2. ChangeConfiguration MeterValueSampleInterval", "'Rejected'"),
            "TC_054_CS": ("15-16. DiagnosticsStatusNotification.req", "schema"),
        },
    ),
    "silent": (
        ["no_heartbeat", "forget_availability", "skip_status:Preparing"],
        {
            "TC_001_CS": ("7. The Charge Point sends a Heartbeat.req", "did not arrive"),
            "TC_013_CS": ("9-10. StatusNotification", "Unavailable"),
            "TC_003_CS": ("1-2. The cable is plugged in", "Preparing"),
            "TC_004_1_CS": ("Authorized: StatusNotification Preparing", "did not arrive"),
            "TC_010_CS": ("Charging 3-4", "Preparing"),
        },
    ),
    "reset-and-stop": (
        ["ignore_reset", "wrong_stop_reason"],
        {
            "TC_013_CS": ("5-6. Reset Hard is Accepted", "did not reconnect"),
            "TC_012_CS": ("3-4. StopTransaction.req", "reason"),
        },
    ),
    "bad-start": (
        ["schema_violation:StartTransaction", "reject:RemoteStartTransaction"],
        {
            "TC_003_CS": ("5-6. StartTransaction.req", "schema"),
            "TC_004_1_CS": ("3-4. StartTransaction.req", "schema"),
            "TC_010_CS": ("Charging 5-6: RemoteStartTransaction", "'Rejected'"),
        },
    ),
    "remote-stop-refused": (
        ["reject:RemoteStopTransaction"],
        {"TC_012_CS": ("1-2. RemoteStopTransaction", "'Rejected'")},
    ),
}


def _select(cases: Iterable[str]) -> str:
    return " or ".join(cases)


def test_v16_cs_cases_pass_against_reference_station(run_cases: RunCases) -> None:
    """Every implemented 1.6 ``_CS`` case passes against the reference charge point."""
    result = run_cases(_select(ALL_CASES), builtin=BUILTIN, folder=FOLDER)
    result.assert_outcomes(passed=len(ALL_CASES))


@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_v16_cs_cases_fail_against_mutant(run_cases: RunCases, mutant: str) -> None:
    """Each case fails (not errors) against the mutant, naming the broken step and why."""
    faults, expected = MUTANTS[mutant]
    result = run_cases(_select(expected), builtin=BUILTIN, faults=faults, folder=FOLDER)
    result.assert_outcomes(failed=len(expected))
    output = result.stdout.str()
    sections = output.split("____ test_")
    for case, (fragment, keyword) in expected.items():
        own = [s for s in sections if s.startswith(case)]
        assert own, f"no failure section for {case} in the output"
        assert f"Step '{fragment}" in own[0], f"{case}: the failure does not name {fragment!r}"
        assert keyword in own[0], f"{case}: the failure does not say {keyword!r}"


def test_every_case_has_a_mutant() -> None:
    """No implemented case is without a mutant that makes it fail."""
    covered = {case for _faults, expected in MUTANTS.values() for case in expected}
    assert covered == set(ALL_CASES)
