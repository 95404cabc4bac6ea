"""OCPP 1.6 Core, charge point under test: refused configuration changes (TC_040_1, TC_040_2)."""

from __future__ import annotations

from harness.flows.v16.cs import answer_fails, booted
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_040_1_CS",
    proof=[
        Mutant("accept_any_configuration", step="1-2. ChangeConfiguration", says="'Accepted'"),
        Mutant("reject:ChangeConfiguration", step="1-2. ChangeConfiguration", says="'Rejected'"),
    ],
)
async def test_TC_040_1_CS_unknown_key(csms: Session, dut: DutProfile) -> None:
    """A ChangeConfiguration of a key the charge point does not know is answered NotSupported."""
    await booted(csms, dut)
    with step("1-2. ChangeConfiguration Testing = true: NotSupported"):
        await csms.call(
            "ChangeConfiguration", {"key": "Testing", "value": "true"}, status="NotSupported"
        )


@testcase(
    "TC_040_2_CS",
    proof=[
        Mutant("accept_any_configuration", step="1-2. ChangeConfiguration", says="'Accepted'"),
    ],
)
async def test_TC_040_2_CS_invalid_value(csms: Session, dut: DutProfile) -> None:
    """A ChangeConfiguration with a value the key cannot hold is refused: Rejected, or a CALLERROR PropertyConstraintViolation."""  # noqa: E501
    await booted(csms, dut)
    with step("1-2. ChangeConfiguration MeterValueSampleInterval = -1: Rejected"):
        reply = await csms.call(
            "ChangeConfiguration",
            {"key": "MeterValueSampleInterval", "value": "-1"},
            status="Rejected",
            allow_error=True,
        )
        code = getattr(reply.frame, "error_code", None)
        if reply.is_error and code != "PropertyConstraintViolation":
            raise answer_fails(
                reply,
                f"is a CALLERROR {code}; TC_040_2_CS step 2 allows status Rejected or a "
                "CALLERROR PropertyConstraintViolation",
            )
