"""OCPP 1.6 Core, charge point under test: cable, EV and mains (TC_004_2, TC_005_1, TC_032_1)."""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v16.core_auth import ev_side_unplugged, lapsed
from harness.flows.v16.cs import (
    authorized,
    booted,
    change_configuration,
    charging,
    connector_id,
    expect_status,
    expect_statuses,
    expect_stop,
    without_fixed_cable,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_004_2_CS",
    rig=(Capability.CARD,),
    proof=[
        Mutant(
            "ignore_connection_timeout", step="2-3. After ConnectionTimeOut", says="did not arrive"
        ),
        Mutant(
            "connection_timeout_early",
            step="2-3. After ConnectionTimeOut",
            says="must keep the connector Preparing",
        ),
    ],
)
async def test_TC_004_2_CS_connection_timeout(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idTag authorized without a cable lapses after ConnectionTimeOut: Available again."""
    rig.require(Capability.CARD)
    number, timeout = connector_id(dut), dut.timing.connection_timeout
    await booted(csms, dut)
    with step(f"Before: ConnectionTimeOut is the configured connection timeout ({timeout} s)"):
        await change_configuration(csms, "ConnectionTimeOut", str(timeout))
    with step("1. Execute reusable state Authorized"):
        prepared = await authorized(csms, rig, dut, connector=number)
    with step("2-3. After ConnectionTimeOut, StatusNotification Available"):
        # The catalogue checks the status only; a station that dropped the idTag at once
        # would pass that without applying the timeout, which is what the case is about.
        # The timeout runs from the authorization (Authorize.req), within the tolerance.
        await lapsed(
            csms,
            dut,
            number,
            prepared,
            what="the idTag was authorized; the Charge Point must keep the connector "
            "Preparing for ConnectionTimeOut",
        )


@testcase(
    "TC_005_1_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    excludes=("fixed_cable",),
    proof=[
        Mutant("ignore_ev_disconnect", step="1-2. StopTransaction.req", says="did not arrive"),
        Mutant(
            "wrong_stop_reason", step="1-2. StopTransaction.req", says='expected "EVDisconnected"'
        ),
    ],
)
async def test_TC_005_1_CS_ev_side_disconnect(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Unplugging the cable at the EV stops the transaction (EVDisconnected); it is Finishing."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    without_fixed_cable(dut)
    await booted(csms, dut)
    running, mark = await ev_side_unplugged(csms, rig, dut, stop="true", unlock="true")
    number = running.connector_id
    with step("1-2. StopTransaction.req for the transaction with reason EVDisconnected"):
        await expect_stop(csms, running, "EVDisconnected", after=mark)
    with step("3-4. StatusNotification Finishing"):
        await expect_status(csms, number, "Finishing", after=mark)


@testcase(
    "TC_032_1_CS",
    requires=("backup_power",),
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.POWER),
    proof=[
        # On the builtin profile with backup power (TC_032_2_CS, without it, runs on station-1.6).
        Mutant(
            "power_loss_abrupt",
            step="1-2. StopTransaction.req",
            says="StopTransaction",
            builtin="station-1.6-serial-rig",
        ),
        Mutant(
            "wrong_stop_reason",
            step="1-2. StopTransaction.req",
            says='expected "PowerLoss"',
            builtin="station-1.6-serial-rig",
        ),
    ],
)
async def test_TC_032_1_CS_power_failure_stops_first(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """On a power failure the charge point stops its transaction before going down, then reboots."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.POWER)
    await booted(csms, dut)
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    async with csms.reconnection(timeout=dut.timing.boot_timeout):
        with step("The power of the Charge Point is disconnected"):
            await rig.power(False)
        with step("1-2. StopTransaction.req for the transaction with reason PowerLoss"):
            await expect_stop(csms, running, "PowerLoss", after=mark)
        with step("3-4. StatusNotification Finishing"):
            await expect_status(csms, number, "Finishing", after=mark)
        with step("The power of the Charge Point is reconnected"):
            await rig.power(True)
    with step("5-6. BootNotification.req, answered Accepted"):
        boot = await csms.expect("BootNotification", after=mark, timeout=dut.timing.boot_timeout)
    with step(
        "7-8. StatusNotification for connector 0 and every connector: the one that charged "
        "Finishing or Preparing, the others Available"
    ):
        others = [0, *(n for _evse, n in dut.connectors if n != number)]
        expected = {number: one_of("Finishing", "Preparing"), **dict.fromkeys(others, "Available")}
        await expect_statuses(csms, expected, after=boot)
