"""OCPP 1.6 Core, charge point under test: faults injected by the rig (TC_024, TC_041)."""

from __future__ import annotations

from harness.expect import Pattern
from harness.flows.common import expect_judged
from harness.flows.v16.cs import (
    booted,
    connector_id,
    expect_fault_report,
    expect_status,
    fault_injected,
    fault_report,
    no_transaction_starts,
    plug_in,
    remote_authorize,
    token,
    without_fixed_cable,
)
from harness.profile import DutProfile
from harness.rig import Capability, Fault, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_024_CS",
    rig=(Capability.PLUG, Capability.FAULT),
    excludes=("fixed_cable",),
    proof=[
        Mutant(
            "ignore_fault:lock_failure",
            step="9-10. StatusNotification Faulted",
            says='$.status: expected "Faulted", got "SuspendedEV"',
        ),
        Mutant("generic_error_code", step="9-10. StatusNotification Faulted", says="errorCode"),
        Mutant(
            "ignore_fault:lock_failure",
            step="9-10. StatusNotification Faulted",
            says='$.status: expected "Faulted", got "SuspendedEV"',
            builtin="station-1.6-serial-rig",
        ),
    ],
)
async def test_TC_024_CS_lock_failure(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A cable lock that cannot close is reported as a fault, and no transaction starts."""
    rig.require(Capability.PLUG, Capability.FAULT)
    without_fixed_cable(dut)
    number, valid = connector_id(dut), token(dut, "valid")
    report = fault_report(dut, Fault.LOCK_FAILURE)
    await booted(csms, dut)
    with step("1-2. GetConfiguration AuthorizeRemoteTxRequests"):
        authorize_first = await remote_authorize(csms)
    mark = csms.mark()
    with step("3-4. RemoteStartTransaction for the configured connector is Accepted"):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": number, "idTag": valid}, status="Accepted"
        )
    if authorize_first:
        with step("5-6. Authorize.req with the valid idTag, answered Accepted"):
            await expect_judged(
                csms, Pattern("Authorize"), "the valid idTag", {"idTag": valid}, after=mark
            )
    with step("7-8. StatusNotification Preparing"):
        await expect_status(csms, number, "Preparing", after=mark)
    plugged = csms.mark()
    async with fault_injected(rig, Fault.LOCK_FAILURE, number):
        with step("The EV driver plugs the cable in halfway: the lock cannot close"):
            await rig.plug_in(number, number)
        with step("9-10. StatusNotification Faulted with errorCode ConnectorLockFailure"):
            await expect_fault_report(
                csms, report, number, after=plugged, error_code="ConnectorLockFailure"
            )
        with step("Expected: the Charge Point does not start a transaction"):
            await no_transaction_starts(csms, dut, after=mark)


@testcase(
    "TC_041_CS",
    rig=(Capability.FAULT, Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant(
            "ignore_fault:over_temperature",
            step="1-2. The Charge Point is set in a fault state",
            says="did not arrive",
        ),
        Mutant("start_when_faulted", step="3. The EV driver plugs in", says="must not send"),
    ],
)
async def test_TC_041_CS_fault_behaviour(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A charge point in a fault state does not start a transaction for a driver who tries."""
    rig.require(Capability.FAULT, Capability.PLUG, Capability.EV_STATE, Capability.CARD)
    number, valid = connector_id(dut), token(dut, "valid")
    # Over-temperature needs no EV on the connector, so any rig can cause it before the
    # driver arrives (a leakage fault, by contrast, needs current flowing to an EV).
    report = fault_report(dut, Fault.OVER_TEMPERATURE)
    await booted(csms, dut)
    mark = csms.mark()
    async with fault_injected(rig, Fault.OVER_TEMPERATURE, number):
        narrowed = f" (errorCode {report.v16_error_code})" if report.v16_error_code else ""
        with step(
            "1-2. The Charge Point is set in a fault state (over-temperature): StatusNotification "
            f"Faulted{narrowed}"
        ):
            await expect_fault_report(csms, report, number, after=mark)
        tried = csms.mark()
        with step("3. The EV driver plugs in and presents the valid idTag: no transaction starts"):
            await plug_in(rig, number)
            await rig.present_card(valid, number)
            await no_transaction_starts(csms, dut, after=tried)
