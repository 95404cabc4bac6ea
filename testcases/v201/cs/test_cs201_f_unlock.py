"""OCPP 2.0.1 Remote Control (block F): UnlockConnector, station with a connector lock."""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: A connectorId no station configures (TC_F_10_CS).
UNKNOWN_CONNECTOR = 999


async def _unlock(csms: Session, evse: int, connector: int, status: str) -> None:
    """Steps 1-2 of every unlock case: UnlockConnector, answered ``status``."""
    with step(f"1-2. UnlockConnectorRequest is answered {status}"):
        await csms.call(
            "UnlockConnector", {"evseId": evse, "connectorId": connector}, status=status
        )


@testcase(
    "TC_F_05_CS",
    requires=("connector_lock",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant(
            "unlock_answer:Unlocked",
            step="1-2. UnlockConnectorRequest",
            says="OngoingAuthorizedTransaction",
        )
    ],
)
async def test_TC_F_05_CS_unlock_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An UnlockConnector during an authorized transaction is refused with that reason."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: a transaction is ongoing, State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    await _unlock(csms, flow.evse, flow.connector, "OngoingAuthorizedTransaction")


@testcase(
    "TC_F_06_CS",
    requires=("connector_lock",),
    proof=[Mutant("reject:UnlockConnector", step="1-2. UnlockConnectorRequest", says="Unlocked")],
)
async def test_TC_F_06_CS_unlock_accepted(csms: Session, dut: DutProfile) -> None:
    """Without a transaction, an UnlockConnector unlocks the connector."""
    evse, connector = dut.connectors[0]
    await _unlock(csms, evse, connector, "Unlocked")


@testcase(
    "TC_F_07_CS",
    requires=("connector_lock",),
    proof=[
        Mutant("unlock_answer:UnlockFailed", step="1-2. UnlockConnectorRequest", says="Unlocked")
    ],
)
async def test_TC_F_07_CS_unlock_without_cable(csms: Session, dut: DutProfile) -> None:
    """With no cable in the connector, an UnlockConnector still answers Unlocked."""
    # No cable connected: the station starts idle (the harness restores idle with
    # the cable out after every case), so the Charging State holds as it is.
    evse, connector = dut.connectors[0]
    await _unlock(csms, evse, connector, "Unlocked")


@testcase(
    "TC_F_10_CS",
    requires=("connector_lock",),
    proof=[
        Mutant(
            "unlock_answer:Unlocked", step="1-2. UnlockConnectorRequest", says="UnknownConnector"
        )
    ],
)
async def test_TC_F_10_CS_unlock_unknown_connector(csms: Session, dut: DutProfile) -> None:
    """An UnlockConnector for a connector the EVSE does not have is UnknownConnector."""
    evse, _ = dut.connectors[0]
    await _unlock(csms, evse, UNKNOWN_CONNECTOR, "UnknownConnector")
