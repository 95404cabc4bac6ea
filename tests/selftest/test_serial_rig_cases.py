"""The rig cases through the whole serial path: driver, RIGP/1, emulator, station.

The ``*-serial-rig`` builtin profiles drive the embedded station through the
``serial`` backend talking RIGP/1 over a pseudo-terminal to the rig emulator
wired to the station. Every rig case passes that way against the reference
station, and a mutant still makes its case fail, so the verdicts do not
depend on which rig backend delivered the physical actions.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

RunCases = Callable[..., pytest.RunResult]

V201_RIG_CASES = ("TC_G_01_CS", "TC_G_02_CS", "TC_E_14_CS", "TC_E_20_CS", "TC_E_22_CS")
V16_RIG_CASES = ("TC_024_CS", "TC_041_CS", "TC_005_1_CS", "TC_004_2_CS")


@pytest.mark.parametrize(
    ("builtin", "folder", "cases"),
    [
        ("station-2.0.1-serial-rig", "v201/cs", V201_RIG_CASES),
        ("station-1.6-serial-rig", "v16/cs", V16_RIG_CASES),
    ],
)
def test_rig_cases_pass_through_the_emulated_serial_rig(
    run_cases: RunCases, builtin: str, folder: str, cases: tuple[str, ...]
) -> None:
    """Each rig case passes against the reference station driven over RIGP/1."""
    result = run_cases(" or ".join(cases), builtin=builtin, folder=folder)
    result.assert_outcomes(passed=len(cases))
    result.stdout.no_fnmatch_line("*RigError*")


@pytest.mark.parametrize(
    ("builtin", "folder", "case", "faults", "step"),
    [
        (
            "station-2.0.1-serial-rig",
            "v201/cs",
            "TC_G_01_CS",
            ["skip_status:Occupied", "skip_notify_event:Occupied"],
            "*Step '*The connector reports Occupied' of TC_G_01_CS failed*",
        ),
        (
            "station-1.6-serial-rig",
            "v16/cs",
            "TC_024_CS",
            ["ignore_fault:lock_failure"],
            "*Step '9-10*' of TC_024_CS failed*",
        ),
    ],
)
def test_a_mutant_still_fails_through_the_emulated_serial_rig(
    run_cases: RunCases, builtin: str, folder: str, case: str, faults: list[str], step: str
) -> None:
    """A fault knob makes its case FAIL, naming the step, when the rig is the serial one."""
    result = run_cases(case, builtin=builtin, folder=folder, faults=faults)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([step])
