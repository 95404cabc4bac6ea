"""Self-tests of the choices OCPP 1.6 leaves a charge point: reset, configuration, DataTransfer.

Each run switches the reference charge point to one allowed alternative
(``[embedded.options]``, see ``harness/sim/variants.py``), runs the cases
that judge it, and checks that they pass and that the alternative really
showed on the wire (so a variant the simulator ignored proves nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.selftest.test_allowed_alternatives import _frames, _profile, _run


def _received(traces: list[str], action: str) -> list[tuple[float, str]]:
    return [(t, f) for t, f in _frames(traces, "<") if f'"{action}"' in f]


def test_soft_reset_without_reboot_passes_TC_014_CS_and_TC_016_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point whose soft reset restarts in place (no BootNotification) passes TC_014_CS and TC_016_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "soft_reset_reboot = false")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_014_CS", "TC_016_CS"))
    result.assert_outcomes(passed=2)
    resets = [t for t, f in _frames(traces, ">") if '"Reset"' in f]
    assert resets, "no Reset on the wire"
    boots = [t for t, _f in _received(traces, "BootNotification")]
    assert not [t for t in boots if t > min(resets)], "the charge point still rebooted"


def test_hard_reset_stopping_first_passes_TC_015_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point that stops the transaction (HardReset, Finishing) before it reboots passes TC_015_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "hard_reset_stop_first = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_015_CS",))
    result.assert_outcomes(passed=1)
    stops = [t for t, f in _received(traces, "StopTransaction") if '"HardReset"' in f]
    boots = [t for t, _f in _received(traces, "BootNotification")]
    assert stops, "no StopTransaction HardReset on the wire"
    assert min(stops) < max(boots), "the stop did not come before the reboot"


@pytest.mark.parametrize("status", ["UnknownMessageId", "Rejected", "Accepted"])
def test_every_data_transfer_answer_passes_TC_062_CS(
    pytester: pytest.Pytester, tmp_path: Path, status: str
) -> None:
    """Each DataTransfer answer the catalogue allows passes TC_062_CS; Accepted leaves a remark."""
    profile = _profile(tmp_path, "station-1.6", f'data_transfer_status = "{status}"')
    result, traces = _run(pytester, profile, "v16/cs", ("TC_062_CS",))
    result.assert_outcomes(passed=1)
    answers = [f for _t, f in _frames(traces, "<") if f'{{"status":"{status}"}}' in f]
    assert answers, f"no DataTransfer answer {status} on the wire"
    tags = [
        str(label.get("value"))
        for path in (pytester.path / "allure").glob("*-result.json")
        for label in json.loads(path.read_text(encoding="utf-8")).get("labels", [])
        if label.get("name") == "tag" and str(label.get("value", "")).startswith("remark")
    ]
    assert bool(tags) == (status == "Accepted"), f"remarks: {tags}"


def test_invalid_value_answered_with_a_call_error_passes_TC_040_2_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """A charge point answering an invalid configuration value with CALLERROR PropertyConstraintViolation passes TC_040_2_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "invalid_value_error = true")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_040_2_CS",))
    result.assert_outcomes(passed=1)
    errors = [f for _t, f in _frames(traces, "<") if '"PropertyConstraintViolation"' in f]
    assert errors, "no CALLERROR PropertyConstraintViolation on the wire"


def test_empty_measurand_lists_mean_the_energy_register_in_TC_070_CS_and_TC_071_CS(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    """With MeterValuesSampledData and MeterValuesAlignedData empty, the energy register (the default measurand) passes TC_070_CS and TC_071_CS."""  # noqa: E501
    profile = _profile(tmp_path, "station-1.6", "")
    text = profile.read_text(encoding="utf-8").replace(
        "[embedded.options.configuration]\n",
        '[embedded.options.configuration]\nMeterValuesSampledData = ""\n'
        'MeterValuesAlignedData = ""\n',
    )
    profile.write_text(text, encoding="utf-8")
    result, traces = _run(pytester, profile, "v16/cs", ("TC_070_CS", "TC_071_CS"))
    result.assert_outcomes(passed=2)
    empty = [f for _t, f in _frames(traces, "<") if '"key":"MeterValuesSampledData"' in f]
    assert empty, "MeterValuesSampledData was not read"
    assert all('"value":""' in f for f in empty), "the list was not empty"
