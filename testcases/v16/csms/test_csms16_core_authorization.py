"""OCPP 1.6 Core, the Central System under test: refused identifications."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


async def _authorize_refused(station: Session, dut: DutProfile, token: str, status: str) -> None:
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    tag = flows.token(dut, token)
    with step(f"1-2. Authorize with the {token} idTag is answered {status}"):
        reply = await flows.authorize(station, tag)
        flows.conform_reply(reply, f"idTagInfo {status}", {"idTagInfo": {"status": status}})


@testcase(
    "TC_023_1_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. Authorize with the invalid idTag is answered Invalid",
            says='$.idTagInfo.status: expected "Invalid", got "Accepted"',
        )
    ],
)
async def test_TC_023_1_CSMS_authorize_invalid(station: Session, dut: DutProfile) -> None:
    """The Central System answers Authorize for an unknown idTag with status Invalid."""
    await _authorize_refused(station, dut, "invalid", "Invalid")


@testcase(
    "TC_023_2_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. Authorize with the expired idTag is answered Expired",
            says='$.idTagInfo.status: expected "Expired", got "Accepted"',
        )
    ],
)
async def test_TC_023_2_CSMS_authorize_expired(station: Session, dut: DutProfile) -> None:
    """The Central System answers Authorize for an expired idTag with status Expired."""
    await _authorize_refused(station, dut, "expired", "Expired")


@testcase(
    "TC_023_3_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. Authorize with the blocked idTag is answered Blocked",
            says='$.idTagInfo.status: expected "Blocked", got "Accepted"',
        )
    ],
)
async def test_TC_023_3_CSMS_authorize_blocked(station: Session, dut: DutProfile) -> None:
    """The Central System answers Authorize for a blocked idTag with status Blocked."""
    await _authorize_refused(station, dut, "blocked", "Blocked")
