"""Self-tests of the OCPP 2.0.1 rig cases: they pass on the reference station, fail on mutants.

The cases (G01/G02 connector status, E14/E20/E22 transactions ended by the EV
or its cable) run in a pytest subprocess against the builtin 2.0.1 station
driven by the ``sim`` rig, then against mutants of it. A mutant run may cover
several cases when its knobs do not interact; every case must then FAIL (not
error, not skip), in the step the knob breaks, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

RunCases = Callable[..., pytest.RunResult]

FOLDER = "v201/cs"
BUILTIN = "station-2.0.1"
ALL_CASES = ("TC_G_01_CS", "TC_G_02_CS", "TC_E_14_CS", "TC_E_20_CS", "TC_E_22_CS")


def _failure_sections(stdout: str) -> dict[str, str]:
    """The text of each failed test's report section, by test-case id."""
    sections: dict[str, str] = {}
    for match in re.finditer(
        r"_{3,} (test_(TC_[A-Z]_\d{2}_CS)\w*) _{3,}\n(.*?)(?=\n_{3,} |\Z)", stdout, re.S
    ):
        sections[match.group(2)] = match.group(3)
    return sections


def test_every_rig_case_passes_against_the_reference_station(run_cases: RunCases) -> None:
    """All five rig cases pass against the unmodified 2.0.1 station and the sim rig."""
    result = run_cases(" or ".join(ALL_CASES), builtin=BUILTIN, folder=FOLDER)
    result.assert_outcomes(passed=len(ALL_CASES))


#: (knobs, {case: (fragment of the failing step's title, key word of the violation)})
MUTANTS = [
    (
        # A connector's state may come in either form: only a station sending neither fails.
        ["skip_status:Occupied", "skip_notify_event:Occupied"],
        {"TC_G_01_CS": ("EVConnectedPreSession 1-2. The connector reports Occupied", "Occupied")},
    ),
    (
        ["skip_notify_event:Available", "skip_status:Available", "wrong_stopped_reason"],
        {
            "TC_G_02_CS": ("3-4. The connector reports Available", "NotifyEvent"),
            "TC_E_20_CS": ("1-2. TransactionEventRequest Ended", "stoppedReason"),
            "TC_E_22_CS": ("1-2. TransactionEventRequest ChargingStateChanged", "stoppedReason"),
        },
    ),
    (
        ["stale_charging_state"],
        {
            "TC_E_14_CS": ("3-4. TransactionEventRequest Ended", "chargingState"),
            "TC_E_20_CS": ("1-2. TransactionEventRequest Ended", "chargingState"),
            "TC_E_22_CS": ("1-2. TransactionEventRequest ChargingStateChanged", "chargingState"),
        },
    ),
    (
        ["ignore_ev_state:A", "wrong_stopped_reason"],
        {
            "TC_E_20_CS": ("1-2. TransactionEventRequest Ended", "did not arrive"),
            "TC_E_14_CS": ("3-4. TransactionEventRequest Ended", "stoppedReason"),
        },
    ),
    (
        ["ignore_ev_state:B", "tx_not_ended"],
        {
            "TC_E_22_CS": ("1-2. TransactionEventRequest ChargingStateChanged", "did not arrive"),
            "TC_E_14_CS": ("3-4. TransactionEventRequest Ended", "did not arrive"),
        },
    ),
]


@pytest.mark.parametrize(
    ("faults", "expected"), MUTANTS, ids=["+".join(faults) for faults, _ in MUTANTS]
)
def test_rig_cases_fail_against_mutants(
    run_cases: RunCases, faults: list[str], expected: dict[str, tuple[str, str]]
) -> None:
    """Each case fails against the mutant, in the step the knob breaks, naming the violation."""
    result = run_cases(" or ".join(expected), builtin=BUILTIN, faults=faults, folder=FOLDER)
    result.assert_outcomes(failed=len(expected))
    sections = _failure_sections(result.stdout.str())
    for case, (title, word) in expected.items():
        text = sections.get(case, "")
        assert "Step '" in text, f"{case}: no step named in\n{text[:2000]}"
        assert title in text, f"{case}: step {title!r} not named in\n{text[:3000]}"
        assert word in text, f"{case}: {word!r} not in\n{text[:3000]}"
