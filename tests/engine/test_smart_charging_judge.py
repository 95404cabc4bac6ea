"""The judge of 1.6 composite schedules: the catalogue's periods, in any form a station gives."""

from __future__ import annotations

from harness.flows.v16.smart_charging import Segment, SmartPixit, match_periods

AMPS = SmartPixit(connector=1, unit="A", deviation=5.0, tolerance=2.0)
WATTS = SmartPixit(connector=1, unit="W", deviation=5.0, tolerance=2.0)
#: TC_072: 0: 7, 100-x: 9, 150-x: 8, 200-x: 10.
STACKED = [Segment(0, 7), Segment(100, 9), Segment(150, 8), Segment(200, 10)]


def test_station_and_catalogue_readings_of_x_both_pass() -> None:
    """Boundaries counted from startSchedule (x + deviation) or from the sending (x) pass."""
    station = [(0.0, 7.0), (94.0, 9.0), (144.0, 8.0), (194.0, 10.0)]
    catalogue = [(0.0, 7.0), (99.0, 9.0), (149.0, 8.0), (199.0, 10.0)]
    for periods in (station, catalogue):
        assert match_periods(periods, AMPS, STACKED, 350, late=6.0, early=1.0) == ""


def test_wrong_limit_or_boundary_fails() -> None:
    """A limit of another profile, or a boundary far from b - x, is not the composite."""
    wrong_limit = [(0.0, 6.0), (94.0, 8.0), (194.0, 10.0)]
    assert "limit 7" in match_periods(wrong_limit, AMPS, STACKED, 350, late=6.0, early=1.0)
    late = [(0.0, 7.0), (120.0, 9.0), (144.0, 8.0), (194.0, 10.0)]
    assert match_periods(late, AMPS, STACKED, 350, late=6.0, early=1.0)


def test_extra_or_missing_periods_fail_and_the_start_must_be_zero() -> None:
    """A period left over, one missing, or a schedule not starting at 0 fails."""
    extra = [(0.0, 7.0), (94.0, 9.0), (144.0, 8.0), (194.0, 10.0), (300.0, 32.0)]
    assert "not expected" in match_periods(extra, AMPS, STACKED, 350, late=6.0, early=1.0)
    missing = [(0.0, 7.0), (94.0, 9.0)]
    assert match_periods(missing, AMPS, STACKED, 350, late=6.0, early=1.0)
    assert "start at 0" in match_periods([(5.0, 7.0)], AMPS, STACKED, 350, late=6.0, early=1.0)


def test_the_local_limit_tail_may_show_or_not() -> None:
    """The charge point's own limit after the profile's end is optional, in either unit."""
    expected = [Segment(0, 6), Segment(300, None)]
    for periods in ([(0.0, 6.0)], [(0.0, 6.0), (294.0, 32.0)]):
        assert match_periods(periods, AMPS, expected, 300, late=6.0, early=1.0) == ""
    assert match_periods([(0.0, 6000.0)], WATTS, expected, 300, late=6.0, early=1.0) == ""
    assert match_periods([(0.0, 6.0)], WATTS, expected, 300, late=6.0, early=1.0)
