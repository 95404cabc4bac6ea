"""Self-tests of the choices 1.6 Smart Charging leaves a charge point: every allowed form passes.

Each run switches the reference station to allowed alternatives (its
``[embedded.options]``: a composite schedule split at every boundary, its
start said in one place only, a refusal by CALLERROR; and the rate unit it
declares in ``ChargingScheduleAllowedChargingRateUnit``), runs the ten Smart
Charging cases in a pytest subprocess, and checks that they pass and that the
alternative really showed on the wire (read from the traces attached to the
Allure results), so an ignored option cannot make the proof vacuous.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from harness.profile.loader import _builtin_dir
from tests.selftest.conftest import TESTCASES, run_subprocess

CASES = (
    *("TC_056_CS", "TC_057_CS", "TC_058_1_CS", "TC_058_2_CS", "TC_082_CS"),
    *("TC_059_CS", "TC_060_CS", "TC_066_CS", "TC_067_CS", "TC_072_CS"),
)
_LINE = re.compile(r"^\s*\+[\d.]+s < (?P<frame>.*)$", re.M)


def _profile(tmp_path: Path, options: str, unit: str) -> Path:
    """The builtin 1.6 station with ``options`` and the allowed charging rate unit ``unit``."""
    text = _builtin_dir().joinpath("station-1.6.toml").read_text(encoding="utf-8")
    assert text.count("\nfaults = []\n") == 1, "builtin profile station-1.6 changed shape"
    assert text.rstrip().splitlines()[-1].startswith("ConnectionTimeOut"), "changed shape"
    text = text.replace("\nfaults = []\n", f"\nfaults = []\n\n[embedded.options]\n{options}\n")
    # The last table is [embedded.options.configuration]: the key joins it.
    text = f'{text.rstrip()}\nChargingScheduleAllowedChargingRateUnit = "{unit}"\n'
    path = tmp_path / "station-1.6-smart.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _station_frames(pytester: pytest.Pytester, profile: Path) -> list[list[object]]:
    """Run the ten cases against ``profile`` (all must pass); every frame the station sent."""
    allure_dir = pytester.path / "allure"
    result = run_subprocess(
        pytester,
        [TESTCASES / "v16" / "cs"],
        dut=profile,
        select=" or ".join(CASES),
        extra=[f"--alluredir={allure_dir}", "--timeout=90"],
        timeout=240,
    )
    result.assert_outcomes(passed=len(CASES))
    frames: list[list[object]] = []
    for path in sorted(allure_dir.glob("*-attachment.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("trace "):
            frames += [json.loads(m["frame"]) for m in _LINE.finditer(text)]
    return frames


def _composites(frames: list[list[object]]) -> list[dict[str, object]]:
    return [
        f[2] for f in frames if f[0] == 3 and isinstance(f[2], dict) and "chargingSchedule" in f[2]
    ]


def test_power_unit_split_periods_start_in_schedule_and_error_refusals_pass(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station allowing W only, splitting composites at every boundary, starting them in chargingSchedule only and refusing by CALLERROR passes the ten cases."""  # noqa: E501
    options = 'composite_periods = "boundaries"\ncomposite_start = "schedule"\n'
    options += 'profile_refusal = "error"'
    frames = _station_frames(pytester, _profile(tmp_path, options, "Power"))
    composites = _composites(frames)
    assert composites, "no composite schedule on the wire"
    schedules = [c["chargingSchedule"] for c in composites]
    assert all(isinstance(s, dict) and s["chargingRateUnit"] == "W" for s in schedules)
    assert not [c for c in composites if "scheduleStart" in c], "scheduleStart still sent"
    limits = [
        [p["limit"] for p in s["chargingSchedulePeriod"]] for s in schedules if isinstance(s, dict)
    ]
    assert [x for x in limits if any(a == b for a, b in itertools.pairwise(x))], (
        "no composite repeated a limit"
    )
    errors = [f for f in frames if f[0] == 4 and f[2] == "PropertyConstraintViolation"]
    assert len(errors) == 2, "TC_058_1_CS and TC_060_CS were not refused by CALLERROR"


def test_schedule_start_only_at_the_top_passes(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A station saying a composite's start only in scheduleStart (amperes) passes the ten cases."""
    frames = _station_frames(pytester, _profile(tmp_path, 'composite_start = "top"', "Current"))
    composites = _composites(frames)
    assert composites, "no composite schedule on the wire"
    assert all("scheduleStart" in c for c in composites)
    schedules = [c["chargingSchedule"] for c in composites]
    assert not [s for s in schedules if isinstance(s, dict) and "startSchedule" in s]
