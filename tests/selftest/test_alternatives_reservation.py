"""Self-tests of the choices the Reservation profile leaves a 1.6 charge point: each form passes.

Like ``test_allowed_alternatives.py``: the reference station takes one allowed
alternative (an ``[embedded.options]`` variant), the cases that judge that
behaviour run against it in a pytest subprocess, and the trace shows the
alternative really happened, so the proof cannot be vacuous.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The cases in which a driver presents the reservation's own idTag at the reserved connector.
CARD_AT_RESERVED = ("TC_046_1_CS",)


def _authorized_tags(traces: list[str]) -> list[str]:
    """The idTag of every Authorize the station sent."""
    tags: list[str] = []
    for _t, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] == 2 and message[2] == "Authorize":
            tags.append(message[3]["idTag"])
    return tags


def test_reserved_idtag_taken_without_authorize_passes_TC_046_1_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station that takes the reservation's idTag without Authorize passes TC_046_1_CS."""
    profile = _profile(tmp_path, "station-1.6", "authorize_reserved = false")
    result, traces = _run(pytester, profile, "v16/cs", CARD_AT_RESERVED)
    result.assert_outcomes(passed=len(CARD_AT_RESERVED))
    tags = _authorized_tags(traces)
    assert "SIMVALID0002" in tags, "the other card is authorized (its parent is asked for)"
    assert "SIMVALID0001" not in tags, "the variant must leave out the reserved idTag's Authorize"


def test_reserved_idtag_authorized_passes_TC_046_1_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """The default station, which authorizes the reservation's idTag when presented, passes too."""
    profile = _profile(tmp_path, "station-1.6", "authorize_reserved = true")
    result, traces = _run(pytester, profile, "v16/cs", CARD_AT_RESERVED)
    result.assert_outcomes(passed=len(CARD_AT_RESERVED))
    assert "SIMVALID0001" in _authorized_tags(traces)
