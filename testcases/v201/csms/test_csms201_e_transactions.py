"""OCPP 2.0.1 block E (transactions), the CSMS under test."""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_E_04_CSMS",
    proof=[
        Mutant(
            "token_invalid:Authorize",
            step="Authorized 1-2. Authorize with the valid idToken is answered Accepted",
            says='$.idTokenInfo.status: expected "Accepted", got "Invalid"',
        ),
        Mutant(
            "token_invalid:TransactionEvent",
            step="Authorized 3-4. TransactionEvent (Authorized) is answered with Accepted",
            says='$.idTokenInfo.status: expected "Accepted", got "Invalid"',
        ),
    ],
)
async def test_TC_E_04_CSMS_authorization_first(station: Session, dut: DutProfile) -> None:
    """The CSMS follows a local start where the driver authorizes before plugging in."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("1. Execute reusable state Authorized"):
        tx = await flows.authorized(station, dut)
    with step("2. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)
