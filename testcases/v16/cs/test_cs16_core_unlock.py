"""OCPP 1.6 Core, charge point under test: unlocking connectors (TC_017, TC_018, TC_030, TC_031)."""

from __future__ import annotations

from harness.flows.v16.before import charging_before
from harness.flows.v16.cs import (
    available,
    booted,
    connector_id,
    expect_status,
    expect_stop,
    fault_injected,
)
from harness.profile import DutProfile
from harness.rig import Capability, Fault, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The builtin profile whose reference charge point has a fixed cable.
FIXED_CABLE = "station-1.6-fixed-cable"


async def _unlock(csms: Session, connector: int, status: str) -> None:
    """UnlockConnector for ``connector``, whose answer must be ``status``."""
    await csms.call("UnlockConnector", {"connectorId": connector}, status=status)


@testcase(
    "TC_017_1_CS",
    excludes=("fixed_cable",),
    proof=[Mutant("unlock_fails", step="1-2. UnlockConnector", says="'UnlockFailed'")],
)
async def test_TC_017_1_CS_unlock_without_session(csms: Session, dut: DutProfile) -> None:
    """A charge point with a socket unlocks an idle connector on request."""
    await booted(csms, dut)
    with step("1-2. UnlockConnector for the configured connector: Unlocked"):
        await _unlock(csms, connector_id(dut), "Unlocked")


@testcase(
    "TC_017_2_CS",
    requires=("fixed_cable",),
    proof=[
        Mutant(
            "unlock_always_unlocked",
            step="1-2. UnlockConnector",
            says="'Unlocked'",
            builtin=FIXED_CABLE,
        )
    ],
)
async def test_TC_017_2_CS_unlock_fixed_cable(csms: Session, dut: DutProfile) -> None:
    """A charge point with a fixed cable answers an unlock request NotSupported."""
    await booted(csms, dut)
    with step("1-2. UnlockConnector for the configured connector: NotSupported"):
        await _unlock(csms, connector_id(dut), "NotSupported")


@testcase(
    "TC_018_1_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    excludes=("fixed_cable",),
    proof=[
        Mutant("unlock_fails", step="1-2. UnlockConnector", says="'UnlockFailed'"),
        Mutant("wrong_stop_reason", step="3-4. StopTransaction.req", says="UnlockCommand"),
    ],
)
async def test_TC_018_1_CS_unlock_with_session(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Unlocking the connector of a running transaction stops it (UnlockCommand); the cable can then be taken out."""  # noqa: E501
    running = await charging_before(csms, rig, dut)
    mark = csms.mark()
    with step("1-2. UnlockConnector for the connector of the transaction: Unlocked"):
        await _unlock(csms, running.connector_id, "Unlocked")
    with step("3-4. StopTransaction.req with reason UnlockCommand"):
        await expect_stop(csms, running, "UnlockCommand", after=mark)
    with step("5-6. StatusNotification Finishing (before or after the StopTransaction)"):
        await expect_status(csms, running.connector_id, "Finishing", after=mark)
    with step("7-8. The EV driver unplugs the cable; StatusNotification Available"):
        await available(csms, rig, running.connector_id)


@testcase(
    "TC_018_2_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    requires=("fixed_cable",),
    proof=[
        Mutant(
            "unlock_always_unlocked",
            step="1-2. UnlockConnector",
            says="'Unlocked'",
            builtin=FIXED_CABLE,
        )
    ],
)
async def test_TC_018_2_CS_unlock_fixed_cable_with_session(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A charge point with a fixed cable answers an unlock request during a transaction NotSupported."""  # noqa: E501
    running = await charging_before(csms, rig, dut)
    with step("1-2. UnlockConnector for the connector of the transaction: NotSupported"):
        await _unlock(csms, running.connector_id, "NotSupported")


@testcase(
    "TC_030_CS",
    rig=(Capability.FAULT,),
    excludes=("fixed_cable",),
    proof=[
        Mutant("ignore_fault:lock_failure", step="1-2. UnlockConnector", says="'Unlocked'"),
        Mutant("unlock_always_unlocked", step="1-2. UnlockConnector", says="'Unlocked'"),
    ],
)
async def test_TC_030_CS_unlock_failure(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A connector whose lock is blocked answers an unlock request UnlockFailed."""
    rig.require(Capability.FAULT)
    number = connector_id(dut)
    await booted(csms, dut)
    async with fault_injected(rig, Fault.LOCK_FAILURE, number):
        with step("1-2. UnlockConnector while the lock is blocked: UnlockFailed"):
            await _unlock(csms, number, "UnlockFailed")


@testcase(
    "TC_031_CS",
    proof=[Mutant("unlock_always_unlocked", step="1-2. UnlockConnector", says="'Unlocked'")],
)
async def test_TC_031_CS_unlock_unknown_connector(csms: Session, dut: DutProfile) -> None:
    """An unlock request for a connector the charge point does not have is answered NotSupported."""
    unknown = max(number for _evse, number in dut.connectors) + 1
    await booted(csms, dut)
    with step("1-2. UnlockConnector with an unknown connectorId: NotSupported"):
        await _unlock(csms, unknown, "NotSupported")
