"""Self-tests of the choices OCPP 1.6 leaves a Central System in the feature profiles' requests.

Each run switches the reference CSMS to one allowed form (an
``[embedded.options]`` choice, see ``harness/sim/csms/v16_requests.py``),
runs the ``_CSMS`` cases that judge that request in a pytest subprocess, and
checks that the cases pass and that the form really showed on the wire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run

#: The cases that read the ids the Central System numbered (reservations, charging profiles).
OWN_ID_CASES = ("TC_046_CSMS", "TC_051_CSMS", "TC_052_CSMS", "TC_053_CSMS", "TC_067_CSMS")


def _requests(traces: list[str], action: str) -> list[dict[str, object]]:
    """The payloads of ``action`` requests the Central System sent."""
    found = []
    for _t, frame in _frames(traces, "<"):
        message = json.loads(frame)
        if message[0] == 2 and message[2] == action:
            found.append(message[3])
    return found


def test_a_csms_numbering_its_own_reservations_and_profiles_passes(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Central System that gives reservations and charging profiles its own ids passes the cases that refer to them."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", "own_ids = true")
    result, traces = _run(pytester, profile, "v16/csms", OWN_ID_CASES)
    result.assert_outcomes(passed=len(OWN_ID_CASES))
    # the cases propose clock-seeded ids in the millions; the reference's own count from 1
    reservations = [int(str(r["reservationId"])) for r in _requests(traces, "ReserveNow")]
    assert reservations, "no ReserveNow on the wire"
    assert max(reservations) < 1000, f"the proposed ids were sent: {reservations}"


def test_a_csms_asking_the_list_version_first_passes_TC_043_5_CSMS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Central System that asks GetLocalListVersion before its Differential SendLocalList (optional steps 1-2) passes TC_043_5_CSMS."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", "local_list_version_first = true")
    result, traces = _run(pytester, profile, "v16/csms", ("TC_043_5_CSMS",))
    result.assert_outcomes(passed=1)
    assert _requests(traces, "GetLocalListVersion"), "no GetLocalListVersion on the wire"


def test_a_csms_leaving_out_three_phases_passes_TC_056_CSMS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A Central System that leaves numberPhases out of a three-phase period (its default) passes TC_056_CSMS."""  # noqa: E501
    profile = _profile(tmp_path, "csms-1.6", "omit_default_phases = true")
    result, traces = _run(pytester, profile, "v16/csms", ("TC_056_CSMS",))
    result.assert_outcomes(passed=1)
    sent = _requests(traces, "SetChargingProfile")
    assert sent, "no SetChargingProfile on the wire"
    assert "numberPhases" not in json.dumps(sent), "numberPhases still sent"


def test_schedules_in_watts_pass_the_smart_charging_cases(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """With test data in W (limit 6000 W) the Smart Charging cases pass as they do in A."""
    cases = ("TC_056_CSMS", "TC_066_CSMS", "TC_059_CSMS")
    extra = '[trigger.options]\ncharging_rate_unit = "W"\n'
    profile = _profile(tmp_path, "csms-1.6", "", extra=extra)
    result, traces = _run(pytester, profile, "v16/csms", cases)
    result.assert_outcomes(passed=len(cases))
    units = json.dumps(
        _requests(traces, "SetChargingProfile") + _requests(traces, "GetCompositeSchedule")
    )
    assert '"chargingRateUnit": "W"' in units, units
    assert '"chargingRateUnit": "A"' not in units, units
