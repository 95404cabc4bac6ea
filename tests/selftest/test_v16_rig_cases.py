"""Self-tests of the OCPP 1.6 rig cases: they pass against the reference, fail against mutants.

The cases run through the ``sim`` rig. The profile is the builtin 1.6 station
with the PICS flag ``backup_power`` (TC_032_1_CS applies only to such a charge
point) and a short ``connection_timeout`` (TC_004_2_CS waits for it). Each
mutant switches on knobs that break disjoint cases, so one subprocess shows
several cases failing, each at its own step and for its own reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir

BUILTIN = "station-1.6"
TESTCASES = Path(__file__).resolve().parents[2] / "testcases" / "v16" / "cs"
FILES = ("test_cs16_rig_faults.py", "test_cs16_rig_sessions.py")
ALL_CASES = ("TC_004_2_CS", "TC_005_1_CS", "TC_024_CS", "TC_032_1_CS", "TC_041_CS")

#: mutant knobs -> {case: (fragment of the failing step's title, key word of the violation)}
MUTANTS: dict[str, tuple[list[str], dict[str, tuple[str, str]]]] = {
    "unnoticed": (
        [
            "ignore_fault:lock_failure",
            "ignore_fault:over_temperature",
            "power_loss_abrupt",
            "ignore_ev_disconnect",
            "ignore_connection_timeout",
        ],
        {
            "TC_024_CS": ("9-10. StatusNotification Faulted", "did not arrive"),
            "TC_041_CS": ("1-2. The Charge Point is set in a fault state", "did not arrive"),
            "TC_032_1_CS": ("1-2. StopTransaction.req", "StopTransaction"),
            "TC_005_1_CS": ("1-2. StopTransaction.req", "did not arrive"),
            "TC_004_2_CS": ("2-3. After ConnectionTimeOut", "did not arrive"),
        },
    ),
    "careless": (
        ["start_when_faulted", "wrong_stop_reason", "connection_timeout_early"],
        {
            "TC_024_CS": ("Expected: the Charge Point does not start", "must not send"),
            "TC_041_CS": ("3. The EV driver plugs in", "must not send"),
            "TC_032_1_CS": ("1-2. StopTransaction.req", "'PowerLoss'"),
            "TC_005_1_CS": ("1-2. StopTransaction.req", "'EVDisconnected'"),
            "TC_004_2_CS": ("2-3. After ConnectionTimeOut", "must keep the connector Preparing"),
        },
    ),
    "misreported": (
        ["generic_error_code", "skip_status:Finishing"],
        {
            "TC_024_CS": ("9-10. StatusNotification Faulted", "errorCode"),
            "TC_041_CS": ("1-2. The Charge Point is set in a fault state", "HighTemperature"),
            "TC_005_1_CS": ("3-4. StatusNotification Finishing", "did not arrive"),
            "TC_032_1_CS": ("3-4. StatusNotification Finishing", "Finishing"),
        },
    ),
}


def rig_profile(tmp_path: Path, faults: Sequence[str]) -> Path:
    """The builtin 1.6 station (2 s ConnectionTimeOut) with backup power and ``faults``."""
    text = _builtin_dir().joinpath(f"{BUILTIN}.toml").read_text(encoding="utf-8")
    replacements = {
        '    "remote_trigger",\n]': '    "remote_trigger",\n    "backup_power",\n]',
        "faults = []": "faults = [" + ", ".join(f'"{f}"' for f in faults) + "]",
    }
    assert "connection_timeout = 2\n" in text, f"builtin profile {BUILTIN} changed its timing"
    for old, new in replacements.items():
        assert text.count(old) == 1, f"builtin profile {BUILTIN} has no {old!r}"
        text = text.replace(old, new)
    path = tmp_path / f"{BUILTIN}-rig.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(
    pytester: pytest.Pytester, profile: str | Path, cases: Iterable[str], *, mutant: bool = False
) -> pytest.RunResult:
    """Run the rig case files, selecting ``cases``, against ``profile`` (a path or builtin:NAME).

    A mutant gets a fresh station for each case, so its breakage stays in its own case.
    """
    return pytester.runpytest_subprocess(
        *(str(TESTCASES / name) for name in FILES),
        f"--dut={profile}",
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
        *(["--dut-lifetime=test"] if mutant else []),
        timeout=180,
    )


def test_v16_rig_cases_pass_against_reference_station(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """Every 1.6 rig case passes against the reference charge point driven by the sim rig."""
    result = run(pytester, rig_profile(tmp_path, ()), ALL_CASES)
    result.assert_outcomes(passed=len(ALL_CASES))


@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_v16_rig_cases_fail_against_mutant(
    pytester: pytest.Pytester, tmp_path: Path, mutant: str
) -> None:
    """Each case fails (not errors) against the mutant, naming the broken step and why."""
    faults, expected = MUTANTS[mutant]
    result = run(pytester, rig_profile(tmp_path, faults), expected, mutant=True)
    result.assert_outcomes(failed=len(expected))
    sections = result.stdout.str().split("____ test_")
    for case, (fragment, keyword) in expected.items():
        own = [s for s in sections if s.startswith(case)]
        assert own, f"no failure section for {case} in the output"
        assert f"Step '{fragment}" in own[0], f"{case}: the failure does not name {fragment!r}"
        assert keyword in own[0], f"{case}: the failure does not say {keyword!r}"


def test_every_rig_case_has_a_mutant() -> None:
    """No rig case is without a mutant that makes it fail."""
    covered = {case for _faults, expected in MUTANTS.values() for case in expected}
    assert covered == set(ALL_CASES)


def test_without_backup_power_the_power_failure_case_is_not_applicable(
    pytester: pytest.Pytester,
) -> None:
    """Against the builtin profile (no ``backup_power``) TC_032_1_CS is skipped, not failed."""
    result = run(pytester, f"builtin:{BUILTIN}", ["TC_032_1_CS"])
    result.assert_outcomes(skipped=1)
    assert "not applicable" in result.stdout.str()
