"""Self-tests of the ``_CSMS`` certification cases against the reference CSMS and its mutants.

Each case must pass against the reference CSMS and fail (a FAILED verdict,
not an error or a skip) against at least one mutant, naming the broken step
and the violation.
"""

from __future__ import annotations

import pytest

from tests.selftest.conftest import RunCases

V201_CASES = [
    "TC_B_01_CSMS",
    "TC_B_02_CSMS",
    "TC_C_02_CSMS",
    "TC_E_04_CSMS",
    "TC_F_01_CSMS",
    "TC_F_20_CSMS",
]
V16_CASES = [
    "TC_001_CSMS",
    "TC_003_CSMS",
    "TC_012_CSMS",
    "TC_023_1_CSMS",
    "TC_023_2_CSMS",
    "TC_023_3_CSMS",
]


@pytest.mark.parametrize(
    ("builtin", "folder", "cases"),
    [
        pytest.param("csms-2.0.1", "v201/csms", V201_CASES, id="2.0.1"),
        pytest.param("csms-1.6", "v16/csms", V16_CASES, id="1.6"),
    ],
)
def test_cases_pass_against_the_reference_csms(
    run_cases: RunCases, builtin: str, folder: str, cases: list[str]
) -> None:
    """Every implemented _CSMS case of a version passes against the reference CSMS."""
    result = run_cases(" or ".join(cases), builtin=builtin, folder=folder)
    result.assert_outcomes(passed=len(cases))


# (case ids, builtin, folder, fault, expected fragments of the failure text per case)
MUTANTS = [
    pytest.param(
        ["TC_B_01_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "boot_rejected",
        ["Step 'Booted 1-2. BootNotification (PowerUp) is answered Accepted'", "'Rejected'"],
        id="TC_B_01-boot_rejected",
    ),
    pytest.param(
        ["TC_B_02_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "boot_rejected",
        ["Step '1-2. BootNotification (PowerUp) is answered Pending'", "status 'Rejected'"],
        id="TC_B_02-boot_rejected",
    ),
    pytest.param(
        ["TC_C_02_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "authorize_all",
        ["Step '1-2. Authorize with the invalid idToken", "idTokenInfo.status 'Accepted'"],
        id="TC_C_02-authorize_all",
    ),
    pytest.param(
        ["TC_E_04_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "schema_violation:TransactionEvent",
        ["Step 'Authorized 3-4. TransactionEvent (Authorized)", "schema"],
        id="TC_E_04-schema_violation",
    ),
    pytest.param(
        ["TC_F_01_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "remote_start_wrong_token",
        ["Step '1. The CSMS sends RequestStartTransactionRequest", "idToken.idToken"],
        id="TC_F_01-remote_start_wrong_token",
    ),
    pytest.param(
        ["TC_F_20_CSMS"],
        "csms-2.0.1",
        "v201/csms",
        "duplicate_trigger",
        ["Step '2. The station answers Accepted; the CSMS sent the request once'", "2 times"],
        id="TC_F_20-duplicate_trigger",
    ),
    pytest.param(
        ["TC_001_CSMS"],
        "csms-1.6",
        "v16/csms",
        "boot_wrong_interval",
        ["Step '1-2. BootNotification is answered Accepted", "interval -"],
        id="TC_001-boot_wrong_interval",
    ),
    pytest.param(
        ["TC_003_CSMS"],
        "csms-1.6",
        "v16/csms",
        "schema_violation:StartTransaction",
        ["Step '5-6. StartTransaction is answered", "schema"],
        id="TC_003-schema_violation",
    ),
    pytest.param(
        ["TC_012_CSMS"],
        "csms-1.6",
        "v16/csms",
        "wrong_transaction_id",
        ["Step '1. The Central System sends RemoteStopTransaction", "transactionId"],
        id="TC_012-wrong_transaction_id",
    ),
    pytest.param(
        ["TC_023_1_CSMS", "TC_023_2_CSMS", "TC_023_3_CSMS"],
        "csms-1.6",
        "v16/csms",
        "authorize_all",
        [
            "Step '1-2. Authorize with the invalid idTag is answered Invalid'",
            "Step '1-2. Authorize with the expired idTag is answered Expired'",
            "Step '1-2. Authorize with the blocked idTag is answered Blocked'",
            "idTagInfo.status 'Accepted'",
        ],
        id="TC_023-authorize_all",
    ),
]


@pytest.mark.parametrize(("cases", "builtin", "folder", "fault", "fragments"), MUTANTS)
def test_cases_fail_against_a_mutant(
    run_cases: RunCases,
    cases: list[str],
    builtin: str,
    folder: str,
    fault: str,
    fragments: list[str],
) -> None:
    """Each case fails against a mutant, and the failure names the broken step and why."""
    result = run_cases(" or ".join(cases), builtin=builtin, faults=[fault], folder=folder)
    result.assert_outcomes(failed=len(cases))
    output = result.stdout.str()
    failed_lines = [line for line in output.splitlines() if line.startswith("FAILED ")]
    for case in cases:
        assert any(case in line for line in failed_lines), f"{case} did not fail"
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in the failure text"
