"""Self-tests of the choices 2.0.1 leaves a station about its network profiles: each form passes.

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

#: The cases that set a new NetworkConfigurationPriority and then reset the station.
MIGRATING = ("TC_B_45_CS",)


def _priority_statuses(traces: list[str]) -> list[str]:
    """The attributeStatus the station gave every SetVariables result it sent."""
    found: list[str] = []
    for _t, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] == 3 and "setVariableResult" in message[2]:
            found += [
                r["attributeStatus"]
                for r in message[2]["setVariableResult"]
                if r["variable"]["name"] == "NetworkConfigurationPriority"
            ]
    return found


@pytest.mark.parametrize("status", ["Accepted", "RebootRequired"])
def test_new_priority_accepted_or_reboot_required_passes_TC_B_45_CS(
    pytester: pytest.Pytester, tmp_path: Path, status: str
) -> None:
    """TC_B_45_CS passes whether the new priority is answered Accepted or RebootRequired."""
    profile = _profile(tmp_path, "station-2.0.1", f'network_priority_status = "{status}"')
    result, traces = _run(pytester, profile, "v201/cs", MIGRATING)
    result.assert_outcomes(passed=len(MIGRATING))
    assert status in _priority_statuses(traces), f"the station answered {status}"
