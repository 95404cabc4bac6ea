"""OCPP 1.6 Core, charge point under test: a vendor message it does not support (TC_062)."""

from __future__ import annotations

from harness.flows.v16.cs import booted
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trace import Finding, Level

#: A vendorId no charge point knows (the catalogue: a vendorId it does not support).
UNKNOWN_VENDOR = "org.ocpp-harness.no-such-vendor"
#: The answers that refuse the message (TC_062_CS step 2).
REFUSALS = ("Rejected", "UnknownMessageId", "UnknownVendorId")


@testcase(
    "TC_062_CS",
    proof=[
        Mutant("data_transfer_error", step="1-2. DataTransfer", says="CALLERROR NotImplemented"),
        Mutant("ignore_call:DataTransfer", step="1-2. DataTransfer", says="did not answer"),
    ],
)
async def test_TC_062_CS_data_transfer(csms: Session, dut: DutProfile) -> None:
    """A DataTransfer for an unknown vendor is answered with a DataTransfer.conf that refuses it (Accepted only with a remark)."""  # noqa: E501
    await booted(csms, dut)
    with step(
        "1-2. DataTransfer with an unknown vendorId: Rejected, UnknownMessageId or UnknownVendorId"
    ):
        reply = await csms.call(
            "DataTransfer",
            {"vendorId": UNKNOWN_VENDOR, "messageId": "TestMessage", "data": "test"},
            status=(*REFUSALS, "Accepted"),
        )
        if reply.payload.get("status") == "Accepted":
            # Allowed by the catalogue, but the vendor should be warned: a remark.
            reply.entry.findings.append(
                Finding(
                    "data-transfer",
                    f"DataTransfer for the unknown vendorId {UNKNOWN_VENDOR!r} was Accepted",
                    level=Level.REMARK,
                    rule="TC_062_CS step 2: Accepted is allowed, the vendor should be warned",
                )
            )
