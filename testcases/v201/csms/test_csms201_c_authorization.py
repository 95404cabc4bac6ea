"""OCPP 2.0.1 block C (authorization), the CSMS under test."""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_C_02_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. Authorize with the invalid idToken",
            says='got "Accepted"',
        )
    ],
)
async def test_TC_C_02_CSMS_authorize_invalid(station: Session, dut: DutProfile) -> None:
    """The CSMS refuses an idToken it does not accept, reporting it Invalid or Unknown."""
    invalid = flows.id_token(dut, flows.token(dut, "invalid"))
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("1-2. Authorize with the invalid idToken is answered Invalid or Unknown"):
        reply = await station.call("Authorize", {"idToken": invalid})
        refused = {"idTokenInfo": {"status": one_of("Invalid", "Unknown")}}
        flows.conform_reply(reply, "idTokenInfo Invalid or Unknown", refused)
