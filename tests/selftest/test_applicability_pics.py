"""A conditional case against a reference that lacks its PICS feature is skipped, not failed.

(The generic self-test, ``test_proofs.py``, runs conditional cases with their
PICS flags added; this shows the other side.)
"""

from __future__ import annotations

from tests.selftest.conftest import RunCases


def test_without_backup_power_the_power_failure_case_is_not_applicable(
    run_cases: RunCases,
) -> None:
    """Against the builtin profile (no ``backup_power``) TC_032_1_CS is skipped, not failed."""
    result = run_cases("TC_032_1_CS", builtin="station-1.6", folder="v16/cs")
    result.assert_outcomes(skipped=1)
    assert "not applicable" in result.stdout.str()
