"""The ``[timing]`` tolerance: how early a "not before" check lets a device act."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ConfigurationError
from harness.profile import load_profile
from harness.profile.model import Timing


def test_the_default_tolerance_is_the_larger_of_one_second_and_ten_percent() -> None:
    """max(1 s, 10 %): 1 s for a 4 s interval, 30 s for a 300 s one, never beyond the interval."""
    timing = Timing()
    assert timing.early_by(4) == 1.0
    assert timing.early_by(300) == 30.0
    assert timing.early_by(0.5) == 0.5
    assert timing.not_before(4) == 3.0


def test_the_profile_sets_both_tolerance_values(tmp_path: Path) -> None:
    """[timing] tolerance and tolerance_percent are read from the profile."""
    path = tmp_path / "dut.toml"
    path.write_text(
        '[dut]\nrole = "station"\nocpp_version = "1.6"\nidentity = "T1"\n'
        "[timing]\ntolerance = 2.5\ntolerance_percent = 0\n",
        encoding="utf-8",
    )
    timing = load_profile(str(path)).timing
    assert (timing.tolerance, timing.tolerance_percent) == (2.5, 0.0)
    assert timing.not_before(300) == 297.5


def test_a_negative_tolerance_is_refused_naming_the_field(tmp_path: Path) -> None:
    """tolerance = -1 is a configuration error about timing.tolerance."""
    path = tmp_path / "dut.toml"
    path.write_text(
        '[dut]\nrole = "station"\nocpp_version = "1.6"\nidentity = "T1"\n'
        "[timing]\ntolerance = -1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="tolerance"):
        load_profile(str(path))
