"""OCPP 2.0.1 block E (transactions), the CSMS under test: events of a running transaction.

The harness station reports what happens to its transaction (the EV
unplugged at its side and plugged again, the EV leaving the parking bay,
a second transaction starting again at seqNo 0); the CSMS must answer every
TransactionEvent. These cases validate nothing else: their proof is a CSMS
that leaves the event of their step unanswered (or refuses it).
"""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


async def _booted(station: Session, dut: DutProfile) -> None:
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)


async def _disconnected(
    station: Session, dut: DutProfile, tx: flows.Transaction, *, ended: bool = True
) -> None:
    """Reusable state EVDisconnected, from its Before: StopAuthorized, EVConnectedPostSession."""
    await flows.stop_authorized(station, dut, tx)
    await flows.ev_connected_post_session(station, dut, tx)
    await flows.ev_disconnected(station, dut, tx, ended=ended)


@testcase(
    "TC_E_26_CSMS",
    proof=[
        Mutant(
            "ignore_tx_trigger:EVCommunicationLost",
            step="1-2. TransactionEvent Updated (EVCommunicationLost",
            says="did not answer TransactionEvent",
        )
    ],
)
async def test_TC_E_26_CSMS_ev_side_disconnect_suspends(station: Session, dut: DutProfile) -> None:
    """The EV unplugs at its side: the transaction is suspended, then charges again."""
    await _booted(station, dut)
    with step("Before. Reusable state EnergyTransferSuspended"):
        tx = await flows.energy_transfer_suspended(station, dut)
    with step("1-2. TransactionEvent Updated (EVCommunicationLost, Idle) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "EVCommunicationLost", charging_state="Idle"
        )
    with step("3-4. The configured connector is reported Available; the CSMS responds"):
        await flows.report_connector(station, tx.evse_id, tx.connector_id, "Available")
    with step("5-6. TransactionEvent Updated (CablePluggedIn, EVConnected) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "CablePluggedIn", charging_state="EVConnected"
        )
    with step("7-8. TransactionEvent Updated (ChargingStateChanged, Charging) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="Charging"
        )


@testcase(
    "TC_E_19_CSMS",
    proof=[
        Mutant(
            "ignore_tx_trigger:EVDeparted",
            step="1-2. TransactionEvent Ended (EVDeparted",
            says="did not answer TransactionEvent",
        )
    ],
)
async def test_TC_E_19_CSMS_stop_on_parking_bay_unoccupied(
    station: Session, dut: DutProfile
) -> None:
    """TxStopPoint ParkingBayOccupancy: the transaction ends when the EV leaves the bay."""
    await _booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted"):
        tx = await flows.energy_transfer_started(station, dut)
    # The catalogue's Before, reusable state EVDisconnected, ends the
    # transaction (eventType Ended) and step 1 ends it again (EVDeparted):
    # a transaction ends once. With TxStopPoint ParkingBayOccupancy, the stop
    # point this case is about, OCPP reports the unplugging as an Updated
    # event and the departure as the end (E06, errata 2025-01 fig. 56), so
    # the Before is EVDisconnected with its event Updated, and step 1 ends it.
    with step(
        "Before. Reusable state EVDisconnected (the transaction goes on until the EV leaves)"
    ):
        await _disconnected(station, dut, tx, ended=False)
    with step("1-2. TransactionEvent Ended (EVDeparted, stoppedReason Local) is answered"):
        await flows.transaction_event(
            station, tx, "Ended", "EVDeparted", extra_info={"stoppedReason": "Local"}
        )


@testcase(
    "TC_E_53_CSMS",
    proof=[
        Mutant(
            "seq_no_per_station",
            # the reusable state's own step, in the second transaction: only
            # there does a seqNo 0 not follow an earlier one
            step="Authorized 3-4. TransactionEvent (Authorized)",
            says="seqNo 0 does not follow",
        )
    ],
)
async def test_TC_E_53_CSMS_new_transaction_seq_no_zero(station: Session, dut: DutProfile) -> None:
    """Two transactions one after the other, each starting its TransactionEvents at seqNo 0."""
    await _booted(station, dut)
    with step("1. Execute reusable state EnergyTransferStarted (seqNo from 0)"):
        tx = await flows.energy_transfer_started(station, dut)
    with step("2. Execute reusable state EVDisconnected"):
        await _disconnected(station, dut, tx)
    with step("3. Execute reusable state EnergyTransferStarted (a new transaction, seqNo from 0)"):
        tx = await flows.energy_transfer_started(station, dut)
    with step("4. Execute reusable state EVDisconnected"):
        await _disconnected(station, dut, tx)
