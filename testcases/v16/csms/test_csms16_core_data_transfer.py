"""OCPP 1.6 Core, the Central System under test: a DataTransfer for an unsupported vendorId."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: A vendorId no Central System implements (the prerequisite of TC_064_CSMS).
UNSUPPORTED_VENDOR = "org.ocpp-harness.unsupported"


@testcase(
    "TC_064_CSMS",
    proof=[
        Mutant(
            "ignore_call:DataTransfer",
            step="1-2. DataTransfer with an unsupported vendorId is answered",
            says="did not answer DataTransfer",
        )
    ],
)
async def test_TC_064_CSMS_data_transfer_unsupported(station: Session, dut: DutProfile) -> None:
    """The Central System answers a DataTransfer for a vendorId it does not support."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1-2. DataTransfer with an unsupported vendorId is answered"):
        await acts.data_transfer_refused(station, UNSUPPORTED_VENDOR)
