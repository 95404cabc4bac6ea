"""OCPP 1.6 Core, charge point under test: the cable unplugged at the EV (TC_005_2, TC_005_3)."""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v16.core_auth import ev_side_unplugged, require_read_write
from harness.flows.v16.cs import booted, expect_status, expect_stop
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_005_2_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("ignore_ev_disconnect", step="1-2. StopTransaction.req", says="did not arrive"),
        Mutant(
            "wrong_stop_reason", step="1-2. StopTransaction.req", says='expected "EVDisconnected"'
        ),
        Mutant("unlock_fails", step="5-6. UnlockConnector", says="UnlockFailed"),
    ],
)
async def test_TC_005_2_CS_ev_side_disconnect_stays_locked(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Unplugging at the EV stops the transaction (EVDisconnected); the connector unlocks on request."""  # noqa: E501
    await booted(csms, dut)
    running, mark = await ev_side_unplugged(csms, rig, dut, stop="true", unlock="false")
    number = running.connector_id
    # Steps 1 and 3 may come in either order: each is judged on its own frame.
    with step("1-2. StopTransaction.req for the transaction with reason EVDisconnected"):
        await expect_stop(csms, running, "EVDisconnected", after=mark)
    with step("3-4. StatusNotification Finishing or Available"):
        await expect_status(csms, number, one_of("Finishing", "Available"), after=mark)
    with step("5-6. UnlockConnector is answered Unlocked or NotSupported"):
        await csms.call(
            "UnlockConnector", {"connectorId": number}, status=("Unlocked", "NotSupported")
        )


@testcase(
    "TC_005_3_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("ev_disconnect_stops", step="1-2. StatusNotification", says="Suspended"),
        Mutant("wrong_stop_reason", step="7-8. StopTransaction.req", says='expected "Remote"'),
        Mutant("reject:RemoteStopTransaction", step="3-4. RemoteStopTransaction", says="Rejected"),
    ],
)
async def test_TC_005_3_CS_ev_side_disconnect_keeps_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Unplugging at the EV suspends the transaction; it ends with a RemoteStopTransaction."""
    await booted(csms, dut)
    with step("Prerequisite: StopTransactionOnEVSideDisconnect is implemented and ReadWrite"):
        await require_read_write(csms, "StopTransactionOnEVSideDisconnect")
    running, mark = await ev_side_unplugged(csms, rig, dut, stop="false", unlock="false")
    number = running.connector_id
    with step("1-2. StatusNotification SuspendedEV or SuspendedEVSE"):
        # The catalogue's "info is EV side disconnected" describes the situation; info
        # is free text of the charge point's choice (CiString50), so only the status is judged.
        await expect_status(csms, number, one_of("SuspendedEV", "SuspendedEVSE"), after=mark)
    mark = csms.mark()
    with step("3-4. RemoteStopTransaction for the transaction is Accepted"):
        await csms.call(
            "RemoteStopTransaction", {"transactionId": running.transaction_id}, status="Accepted"
        )
    # Steps 5 and 7 may come in either order: each is judged on its own frame.
    finished = one_of("Finishing", "Available") if dut.supports("fixed_cable") else "Finishing"
    with step("5-6. StatusNotification Finishing (or Available with a fixed cable)"):
        await expect_status(csms, number, finished, after=mark)
    with step("7-8. StopTransaction.req for the transaction with reason Remote"):
        await expect_stop(csms, running, "Remote", after=mark)
