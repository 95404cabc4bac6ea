"""Self-tests of the choices 2.0.1 leaves a station when it reports availability (blocks G, B).

Each run switches the reference station to one allowed way of reporting a
connector's state (``availability`` in ``[embedded.options]``), runs the
ChangeAvailability and Reset cases that await such reports, and checks that
they pass and that the chosen form really was the only one on the wire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import (
    _connector_events,
    _profile,
    _run,
    _statuses,
)

#: The cases of this area that await a connector's state report.
CASES = (
    "TC_G_04_CS",
    "TC_G_05_CS",
    "TC_G_06_CS",
    "TC_G_07_CS",
    "TC_G_08_CS",
    "TC_G_11_CS",
    "TC_G_13_CS",
    "TC_G_14_CS",
    "TC_G_17_CS",
    "TC_G_18_CS",
    "TC_G_19_CS",
    "TC_G_21_CS",
    "TC_B_21_CS",
    "TC_B_22_CS",
    "TC_B_23_CS",
)


@pytest.mark.parametrize("form", ["status", "event"])
def test_each_report_form_passes_the_availability_and_reset_cases(
    pytester: pytest.Pytester, tmp_path: Path, form: str
) -> None:
    """A station reporting connector states only by StatusNotification, or only by NotifyEvent, passes them."""  # noqa: E501
    profile = _profile(tmp_path, "station-2.0.1", f'availability = "{form}"')
    result, traces = _run(pytester, profile, "v201/cs", CASES)
    result.assert_outcomes(passed=len(CASES))
    statuses, events = _statuses(traces), _connector_events(traces)
    assert (statuses, events) != ([], []), "no connector state on the wire"
    assert not (events if form == "status" else statuses), f"{form}: the other form was sent"
