"""Self-tests of the choices 2.0.1 leaves a station in block C authorization.

Each run switches the reference station to one allowed alternative (a
variant of ``[embedded.options]``), runs the cases that judge it in a pytest
subprocess, and checks that they pass and that the alternative really showed
on the wire (from the traces attached to the Allure results).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The reference profile's valid idToken (``[tokens].valid`` of station-2.0.1).
VALID = "SIMVALID0001"


def _stop_tokens(traces: list[str]) -> list[str]:
    """The idToken of every StopAuthorized TransactionEvent the station sent."""
    found: list[str] = []
    for _at, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] != 2 or message[2] != "TransactionEvent":
            continue
        payload = message[3]
        if payload.get("triggerReason") == "StopAuthorized" and "idToken" in payload:
            found.append(payload["idToken"]["idToken"])
    return found


def test_a_group_stop_naming_the_starting_id_token_passes_TC_C_39_and_TC_C_41(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A station whose stop by the group names the idToken that started passes TC_C_39/41_CS."""
    cases = ("TC_C_39_CS", "TC_C_41_CS")
    profile = _profile(tmp_path, "station-2.0.1", "stop_token_starter = true")
    result, traces = _run(pytester, profile, "v201/cs", cases)
    result.assert_outcomes(passed=len(cases))
    tokens = _stop_tokens(traces)
    # Only the group stops name an idToken (a stop by the same idToken sends none here).
    assert tokens, "no StopAuthorized TransactionEvent with an idToken on the wire"
    assert set(tokens) == {VALID}, f"a group stop named another idToken: {tokens}"
