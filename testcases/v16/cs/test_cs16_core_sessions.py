"""OCPP 1.6 Core, charge point under test: charging sessions (TC_003, TC_004_1, TC_010, TC_012)."""

from __future__ import annotations

from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    authorized,
    booted,
    change_configuration,
    charging,
    connector_id,
    expect_start,
    expect_status,
    expect_stop,
    meter_value_interval,
    plug_in,
    token,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_003_CS",
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant("skip_status:Preparing", step="1-2. The cable is plugged in", says="Preparing"),
        Mutant("skip_status:Charging", step="7-8. StatusNotification Charging", says="Charging"),
    ],
)
async def test_TC_003_CS_plugin_first(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With the cable plugged in first, presenting a valid idTag starts a charging transaction."""
    number, valid = connector_id(dut), token(dut, "valid")
    await booted(csms, dut)
    mark = csms.mark()
    with step("1-2. The cable is plugged in; StatusNotification Preparing"):
        await plug_in(rig, number)
        await expect_status(csms, number, "Preparing", after=mark)
    with step("3-4. The EV driver presents identification; Authorize answered Accepted"):
        await authorized(csms, rig, dut, connector=number, preparing=True)
    with step("5-6. StartTransaction.req, answered Accepted"):
        await expect_start(csms, number, valid, after=mark)
    with step("7-8. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)


@testcase(
    "TC_004_1_CS",
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant(
            "skip_status:Preparing",
            step="Authorized: StatusNotification Preparing",
            says="status Preparing",
        ),
        Mutant("skip_status:Charging", step="5-6. StatusNotification Charging", says="Charging"),
    ],
)
async def test_TC_004_1_CS_identification_first(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With a valid idTag presented first, plugging in the cable starts a charging transaction."""
    number, valid = connector_id(dut), token(dut, "valid")
    await booted(csms, dut)
    with step("Before: MeterValueSampleInterval is the configured meter value interval"):
        await change_configuration(csms, "MeterValueSampleInterval", str(meter_value_interval(dut)))
    mark = csms.mark()
    with step("1. Execute reusable state Authorized"):
        await authorized(csms, rig, dut, connector=number)
    with step("2. The EV driver plugs in the cable"):
        await plug_in(rig, number)
    with step("3-4. StartTransaction.req, answered Accepted"):
        await expect_start(csms, number, valid, after=mark)
    with step("5-6. StatusNotification Charging"):
        # The Preparing of Authorized is consumed; an EV that does not draw at once
        # is reported suspended before Charging.
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)


@testcase(
    "TC_010_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("skip_remote_authorize", step="Charging 9-10: Authorize.req", says="did not arrive"),
        Mutant(
            "reject:RemoteStartTransaction",
            step="Charging 5-6: RemoteStartTransaction",
            says="'Rejected'",
        ),
    ],
)
async def test_TC_010_CS_remote_start_cable_first(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With the cable plugged in first, a RemoteStartTransaction starts a charging transaction."""
    await booted(csms, dut)
    with step("1. Execute reusable state Charging"):
        await charging(csms, rig, dut)


@testcase(
    "TC_012_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stop_reason", step="3-4. StopTransaction.req", says="reason"),
        Mutant(
            "reject:RemoteStopTransaction", step="1-2. RemoteStopTransaction", says="'Rejected'"
        ),
    ],
)
async def test_TC_012_CS_remote_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A RemoteStopTransaction ends the running transaction with reason Remote."""
    await booted(csms, dut)
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    mark = csms.mark()
    with step("1-2. RemoteStopTransaction for the transaction is Accepted"):
        await csms.call(
            "RemoteStopTransaction", {"transactionId": running.transaction_id}, status="Accepted"
        )
    with step("3-4. StopTransaction.req for the transaction with reason Remote"):
        await expect_stop(csms, running, "Remote", after=mark)
    with step("5-6. StatusNotification Finishing"):
        await expect_status(csms, running.connector_id, "Finishing", after=mark)
