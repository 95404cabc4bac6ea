"""The ``[timing]`` max time deviation: how far a station's clock may be off (Smart Charging)."""

from __future__ import annotations

from harness.profile.loader import parse_profile

BASE = '[dut]\nrole = "station"\nocpp_version = "1.6"\nidentity = "CP1"\n'


def test_max_time_deviation_is_read_and_defaults_to_five_seconds() -> None:
    """[timing] max_time_deviation is read from the profile, 5 s when absent."""
    assert parse_profile(BASE).timing.max_time_deviation == 5.0
    timed = parse_profile(BASE + "[timing]\nmax_time_deviation = 2.5\n")
    assert timed.timing.max_time_deviation == 2.5
