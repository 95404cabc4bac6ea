"""Self-tests of the choices 2.0.1 leaves a station when it migrates to a new CSMS root.

Like ``test_alternatives_network.py``: the reference station over TLS (the
``station-2.0.1-serial-rig`` profile) takes one allowed answer to the new
NetworkConfigurationPriority, the TLS network-profile cases run against it in
a pytest subprocess, and the trace shows the answer really was given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _profile, _run
from tests.selftest.test_alternatives_network import _priority_statuses

#: The cases that install root 2, migrate to the harness's other endpoint and reset.
TLS_MIGRATING = ("TC_B_47_CS", "TC_B_50_CS")


@pytest.mark.parametrize("status", ["Accepted", "RebootRequired"])
def test_new_priority_accepted_or_reboot_required_passes_the_new_root_cases(
    pytester: pytest.Pytester, tmp_path: Path, status: str
) -> None:
    """TC_B_47_CS and TC_B_50_CS pass whether the new priority is Accepted or RebootRequired."""
    profile = _profile(
        tmp_path, "station-2.0.1-serial-rig", f'network_priority_status = "{status}"'
    )
    result, traces = _run(pytester, profile, "v201/cs", TLS_MIGRATING)
    result.assert_outcomes(passed=len(TLS_MIGRATING))
    assert _priority_statuses(traces).count(status) >= len(TLS_MIGRATING)
