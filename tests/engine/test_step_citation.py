"""A failing step cites its source: the step's title and the certification case it belongs to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.errors import UnexpectedMessage
from harness.expect import Pattern, either
from harness.steps import current_case, set_case, step


@pytest.fixture
def case() -> Iterator[str]:
    """A certification case named as running, cleared afterwards."""
    set_case("TC_B_03_CS")
    yield "TC_B_03_CS"
    set_case(None)


def test_the_innermost_step_names_the_case(case: str) -> None:
    """Nested steps: the innermost names the case once, the outer ones only their title."""
    with (
        pytest.raises(UnexpectedMessage) as raised,
        step("1. Reusable state"),
        step("Booted 5-6. Every connector reports"),
    ):
        raise UnexpectedMessage("nothing came")
    assert str(raised.value) == (
        "Step '1. Reusable state' failed: "
        f"Step 'Booted 5-6. Every connector reports' of {case} failed: nothing came"
    )
    assert current_case() == case


def test_outside_a_case_the_step_alone_is_named() -> None:
    """A step run outside a certification case (a helper test) names only its title."""
    set_case(None)
    with pytest.raises(UnexpectedMessage, match=r"^Step '3\. x' failed: boom$"), step("3. x"):
        raise UnexpectedMessage("boom")


def test_either_matches_any_allowed_form_and_explains_each_miss() -> None:
    """either(): a frame matching one alternative matches; a miss lists why each form failed."""
    status = Pattern("StatusNotification", {"connectorStatus": "Available"})
    event = Pattern("NotifyEvent", {"seqNo": 0})
    report = either(status, event, label="Available in either form")
    assert report.matches("StatusNotification", {"connectorStatus": "Available"})
    assert report.matches("NotifyEvent", {"seqNo": 0})
    reason = report.mismatch("StatusNotification", {"connectorStatus": "Occupied"})
    assert reason is not None
    assert "connectorStatus" in reason
    assert "not NotifyEvent" in reason
    assert report.describe() == "Available in either form"
