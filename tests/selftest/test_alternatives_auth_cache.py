"""Self-tests of TC_C_12_CS on a station whose transaction starts with the authorization.

With ``TxStartPoint`` PowerPathClosed and the EV already in, the accepted
Authorize of the cached-invalid idToken starts the transaction at once, and
its Started event carries that idToken. The harness, as the CSMS that now
holds the idToken valid, must answer that event Accepted too: answered
Invalid, the station rightly ends the transaction (``Deauthorized``,
``StopTxOnInvalidId``), which made the case fail on the bench whenever the
Ended event overtook the Charging one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def test_TC_C_12_CS_keeps_its_transaction_when_it_starts_with_the_authorization(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """TxStartPoint PowerPathClosed: TC_C_12_CS passes, every TransactionEvent answered Accepted."""
    profile = _profile(tmp_path, "station-2.0.1-serial-rig", 'tx_start_point = "PowerPathClosed"')
    result, traces = _run(pytester, profile, "v201/cs", ("TC_C_12_CS",))
    result.assert_outcomes(passed=1)
    events = {
        message[1]
        for message in (json.loads(frame) for _at, frame in _frames(traces, "<"))
        if message[0] == 2 and message[2] == "TransactionEvent"
    }
    answers = [
        message[2].get("idTokenInfo", {}).get("status")
        for message in (json.loads(frame) for _at, frame in _frames(traces, ">"))
        if message[0] == 3 and message[1] in events
    ]
    assert "Accepted" in answers, f"no TransactionEvent answered Accepted: {answers}"
    assert "Invalid" not in answers, f"a TransactionEvent was answered Invalid: {answers}"
