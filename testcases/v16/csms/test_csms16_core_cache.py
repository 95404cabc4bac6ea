"""OCPP 1.6 Core, the Central System under test: the charge point's authorization cache."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


@testcase(
    "TC_007_CSMS",
    proof=[
        Mutant(
            "token_invalid:StartTransaction",
            step="3-4. StartTransaction with the cached idTag is answered",
            says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
        )
    ],
)
async def test_TC_007_CSMS_cached_id(station: Session, dut: DutProfile) -> None:
    """The Central System accepts a transaction started with an idTag the charge point cached."""
    connector_id = flows.first_connector(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1-2. StatusNotification Preparing (cable plugged in) is acknowledged"):
        await flows.status_notification(station, connector_id, "Preparing")
    # The idTag is in the charge point's cache: it starts without an Authorize.
    with step("3-4. StartTransaction with the cached idTag is answered with idTagInfo Accepted"):
        await acts.start_transaction(station, connector_id, flows.token(dut, "valid"))
    with step("5-6. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, connector_id, "Charging")


@testcase(
    "TC_061_CSMS",
    proof=[
        Mutant(
            "skip_trigger",
            step="1. The Central System sends ClearCache",
            says="it did not arrive",
        )
    ],
)
async def test_TC_061_CSMS_clear_cache(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks the charge point to clear its authorization cache."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await acts.requested(
        trigger,
        station,
        "ClearCache",
        {},
        description="Make the Central System clear the charge point's authorization cache",
        request_step="1. The Central System sends ClearCache",
        answer_step="2. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
