"""The judgement of meter values kept offline (TC_036_CS): which sample counts as new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.flows.v16.offline import _due_on_return, _queued_problem

BACK = datetime(2026, 12, 3, 10, 0, 6, tzinfo=UTC)
SLACK = timedelta(seconds=0.5)
KEPT = [BACK - timedelta(seconds=4), BACK - timedelta(seconds=2)]


def test_a_sample_due_just_as_the_station_came_back_is_a_new_one() -> None:
    """An interval after the last kept sample, within the tolerance of the return: new, not lost."""
    assert _due_on_return(KEPT, BACK + timedelta(milliseconds=2), 2, SLACK, BACK)


def test_a_sample_well_after_the_return_is_not_excused() -> None:
    """A sample taken later than the tolerance after the return means the kept ones were lost."""
    late = BACK + timedelta(seconds=1)
    assert not _due_on_return(KEPT, late, 2, SLACK, BACK)
    assert "taken after the connection was restored" in _queued_problem(KEPT, late, 2, SLACK, BACK)


def test_the_first_sample_after_the_return_is_never_excused() -> None:
    """With nothing kept before it, a new sample first is the loss TC_036_CS looks for."""
    assert not _due_on_return([], BACK + timedelta(milliseconds=2), 2, SLACK, BACK)


def test_a_sample_off_the_interval_is_not_excused() -> None:
    """Due on return means one interval after the last kept sample, not any time."""
    assert not _due_on_return(KEPT[:1], BACK + timedelta(milliseconds=2), 2, SLACK, BACK)
