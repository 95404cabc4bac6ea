"""Self-tests of the choices OCPP leaves a 1.6 Central System in the Core ``_CSMS`` cases.

Each run switches the reference CSMS to one allowed alternative (a variant of
``[embedded.options]``, see ``harness/sim/csms/variants.py``), runs the cases
that judge it in a pytest subprocess, and checks that they pass and that the
alternative really showed on the wire (read from the attached traces).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _received(traces: list[str], action: str) -> list[str]:
    """Frames the harness charge point received that carry ``action`` (requests) or answers."""
    return [frame for _t, frame in _frames(traces, "<") if action in frame]


@pytest.mark.parametrize("status", ["Rejected", "UnknownMessageId", "UnknownVendorId"])
def test_every_refusal_of_a_data_transfer_passes_TC_064_CSMS(
    pytester: pytest.Pytester, tmp_path: Path, status: str
) -> None:
    """A Central System refusing an unsupported DataTransfer with any refusing status passes TC_064_CSMS."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", f'data_transfer_status = "{status}"')
    result, traces = _run(pytester, profile, "v16/csms", ("TC_064_CSMS",))
    result.assert_outcomes(passed=1)
    assert _received(traces, f'"status":"{status}"'), f"no DataTransfer answered {status}"


def test_an_accepted_data_transfer_passes_TC_064_CSMS_with_a_remark(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Central System accepting an unsupported DataTransfer passes TC_064_CSMS, and the trace warns."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", 'data_transfer_status = "Accepted"')
    result, traces = _run(pytester, profile, "v16/csms", ("TC_064_CSMS",))
    result.assert_outcomes(passed=1)
    assert _received(traces, '"status":"Accepted"'), "no DataTransfer answered Accepted"
    assert any("data-transfer-accepted" in trace for trace in traces), "no remark in the trace"


def test_get_configuration_with_an_empty_key_list_passes_TC_019_1_CSMS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Central System asking for every configuration key with an empty key list passes TC_019_1_CSMS."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", 'all_keys = "empty"')
    result, traces = _run(pytester, profile, "v16/csms", ("TC_019_1_CSMS",))
    result.assert_outcomes(passed=1)
    assert _received(traces, '"GetConfiguration",{"key":[]}'), "no GetConfiguration with key []"


REMOTE_START_CASES = ("TC_010_CSMS", "TC_011_1_CSMS", "TC_011_2_CSMS", "TC_026_CSMS")


def test_remote_start_without_a_connector_passes(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A Central System leaving the optional connectorId out of RemoteStartTransaction passes every remote start case."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", "remote_start_connector = false")
    result, traces = _run(pytester, profile, "v16/csms", REMOTE_START_CASES)
    result.assert_outcomes(passed=len(REMOTE_START_CASES))
    starts = _received(traces, '"RemoteStartTransaction"')
    assert starts, "no RemoteStartTransaction on the wire"
    assert not [f for f in starts if '"connectorId"' in f], "connectorId still sent"
