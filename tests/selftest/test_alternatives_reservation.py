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


@pytest.mark.parametrize(
    ("option", "authorized"),
    [("authorize_reserved = false", False), ("authorize_reserved = true", True)],
    ids=["reserved-idtag-not-authorized", "reserved-idtag-authorized"],
)
def test_reserved_idtag_with_or_without_authorize_passes_TC_046_1_CS(
    pytester: pytest.Pytester, tmp_path: Path, option: str, authorized: bool
) -> None:
    """TC_046_1_CS passes whether the station sends Authorize for the reservation's idTag or not."""
    profile = _profile(tmp_path, "station-1.6", option)
    result, traces = _run(pytester, profile, "v16/cs", CARD_AT_RESERVED)
    result.assert_outcomes(passed=len(CARD_AT_RESERVED))
    tags = _authorized_tags(traces)
    assert "SIMVALID0002" in tags, "the other card is authorized (its parent is asked for)"
    assert ("SIMVALID0001" in tags) is authorized, f"{option}: Authorize for the reserved idTag"
