"""OCPP 2.0.1 block E (transactions), the CSMS under test: start and stop options.

The harness station starts and stops transactions at each TxStartPoint and
TxStopPoint the catalogue names; the CSMS must answer every TransactionEvent
(and, where the catalogue says so, authorize the token in it). Most of these
cases validate nothing else: their proof is a CSMS that leaves the event of
their step unanswered.
"""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.flows.v201.signed_meter import signed_sample
from harness.ocppj.clock import utc_now
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_ACCEPTED = {"idTokenInfo": {"status": "Accepted"}}


def _unanswered(knob: str, at: str) -> Mutant:
    """A CSMS leaving the event of step ``at`` unanswered: the case fails there."""
    return Mutant(knob, step=at, says="did not answer TransactionEvent")


async def _booted(station: Session, dut: DutProfile) -> None:
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)


async def _authorize_accepted(station: Session, dut: DutProfile) -> None:
    """Steps 1-2 of the start options: Authorize with the valid idToken is answered Accepted."""
    with step("1-2. Authorize with the valid idToken is answered Accepted"):
        reply = await station.call("Authorize", {"idToken": flows.id_token(dut)})
        flows.conform_reply(reply, "idTokenInfo.status Accepted", _ACCEPTED)


async def _occupied(station: Session, tx: flows.Transaction, numbers: str) -> None:
    with step(f"{numbers}. The connector is reported Occupied; the CSMS responds"):
        await flows.report_connector(station, tx.evse_id, tx.connector_id, "Occupied")


async def _energy_transfer_started(station: Session, dut: DutProfile) -> flows.Transaction:
    await _booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted"):
        return await flows.energy_transfer_started(station, dut)


async def _ended(
    station: Session,
    tx: flows.Transaction,
    title: str,
    trigger_reason: str,
    stopped_reason: str,
    charging_state: str | None = None,
) -> None:
    """One step: the station ends ``tx`` with a TransactionEvent; the CSMS responds."""
    with step(title):
        await flows.transaction_event(
            station,
            tx,
            "Ended",
            trigger_reason,
            charging_state=charging_state,
            extra_info={"stoppedReason": stopped_reason},
        )


@testcase(
    "TC_E_03_CSMS",
    proof=[
        Mutant(
            "token_invalid:TransactionEvent",
            step="Authorized 3-4",
            says='got "Invalid"',
        )
    ],
)
async def test_TC_E_03_CSMS_cable_first(station: Session, dut: DutProfile) -> None:
    """Cable first, then the driver's token: the CSMS takes the transaction to charging."""
    await _booted(station, dut)
    with step("Before. Reusable state EVConnectedPreSession"):
        tx = await flows.ev_connected_pre_session(station, dut)
    with step("1. Execute reusable state Authorized"):
        await flows.authorized(station, dut, tx)
    with step("2. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)


@testcase(
    "TC_E_09_CSMS",
    proof=[_unanswered("ignore_tx_trigger:CablePluggedIn", "3-4. TransactionEvent Started")],
)
async def test_TC_E_09_CSMS_start_on_ev_connected(station: Session, dut: DutProfile) -> None:
    """TxStartPoint EVConnected: the transaction starts when the cable is plugged in."""
    await _booted(station, dut)
    tx = flows.Transaction.new(dut)
    await _occupied(station, tx, "1-2")
    with step("3-4. TransactionEvent Started (CablePluggedIn, EVConnected) is answered"):
        await flows.transaction_event(
            station, tx, "Started", "CablePluggedIn", charging_state="EVConnected"
        )


@testcase(
    "TC_E_10_CSMS",
    proof=[
        Mutant("token_invalid:Authorize", step="1-2. Authorize", says='got "Invalid"'),
        Mutant(
            "token_invalid:TransactionEvent",
            step="3-4. TransactionEvent Started",
            says='got "Invalid"',
        ),
    ],
)
async def test_TC_E_10_CSMS_start_on_authorized(station: Session, dut: DutProfile) -> None:
    """TxStartPoint Authorized: the transaction starts with the driver's token."""
    await _booted(station, dut)
    await _authorize_accepted(station, dut)
    tx = flows.Transaction.new(dut)
    with step("3-4. TransactionEvent Started (Authorized) is answered Accepted"):
        reply = await flows.transaction_event(
            station, tx, "Started", "Authorized", token=flows.id_token(dut)
        )
        flows.conform_reply(reply, "idTokenInfo.status Accepted", _ACCEPTED)


@testcase(
    "TC_E_11_CSMS",
    proof=[
        Mutant("token_invalid:Authorize", step="1-2. Authorize", says='got "Invalid"'),
        Mutant(
            "token_invalid:TransactionEvent",
            step="5-6. TransactionEvent Started",
            says='got "Invalid"',
        ),
        _unanswered("ignore_tx_trigger:SignedDataReceived", "5-6. TransactionEvent Started"),
    ],
)
async def test_TC_E_11_CSMS_start_on_data_signed(station: Session, dut: DutProfile) -> None:
    """TxStartPoint DataSigned: the transaction starts with the signed start reading."""
    await _booted(station, dut)
    await _authorize_accepted(station, dut)
    tx = flows.Transaction.new(dut)
    await _occupied(station, tx, "3-4")
    with step("5-6. TransactionEvent Started (SignedDataReceived) is answered Accepted"):
        tx.token = flows.id_token(dut)
        now = utc_now()
        begin = signed_sample(dut.identity, 0.0, "Transaction.Begin", now)
        reply = await flows.transaction_event(
            station,
            tx,
            "Started",
            "SignedDataReceived",
            token=tx.token,
            fields={"meterValue": [{"timestamp": now, "sampledValue": [begin]}]},
        )
        flows.conform_reply(reply, "idTokenInfo.status Accepted", _ACCEPTED)
    with step("7-8. TransactionEvent Updated (ChargingStateChanged, Charging) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="Charging"
        )


async def _started_charging(
    station: Session, dut: DutProfile, charging_state: str
) -> flows.Transaction:
    """Steps 1-6 of TC_E_01/02_CSMS: authorized, plugged in, started in ``charging_state``."""
    await _booted(station, dut)
    await _authorize_accepted(station, dut)
    tx = flows.Transaction.new(dut)
    await _occupied(station, tx, "3-4")
    with step(f"5-6. TransactionEvent Started ({charging_state}) is answered Accepted"):
        tx.token = flows.id_token(dut)
        reply = await flows.transaction_event(
            station,
            tx,
            "Started",
            "ChargingStateChanged",
            charging_state=charging_state,
            token=tx.token,
        )
        flows.conform_reply(reply, "idTokenInfo.status Accepted", _ACCEPTED)
    return tx


@testcase(
    "TC_E_01_CSMS",
    proof=[
        Mutant(
            "token_invalid:TransactionEvent",
            step="5-6. TransactionEvent Started",
            says='got "Invalid"',
        )
    ],
)
async def test_TC_E_01_CSMS_start_on_power_path_closed(station: Session, dut: DutProfile) -> None:
    """TxStartPoint PowerPathClosed: started in SuspendedEVSE, then charging."""
    tx = await _started_charging(station, dut, "SuspendedEVSE")
    with step("7-8. TransactionEvent Updated (Charging) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="Charging"
        )


@testcase(
    "TC_E_02_CSMS",
    proof=[
        Mutant(
            "token_invalid:TransactionEvent",
            step="5-6. TransactionEvent Started",
            says='got "Invalid"',
        )
    ],
)
async def test_TC_E_02_CSMS_start_on_energy_transfer(station: Session, dut: DutProfile) -> None:
    """TxStartPoint EnergyTransfer: the transaction starts when the energy flows."""
    await _started_charging(station, dut, "Charging")


@testcase(
    "TC_E_12_CSMS",
    proof=[_unanswered("ignore_tx_trigger:EVDetected", "1-2. TransactionEvent Started")],
)
async def test_TC_E_12_CSMS_start_on_parking_bay(station: Session, dut: DutProfile) -> None:
    """TxStartPoint ParkingBayOccupancy: the transaction starts when an EV is detected."""
    await _booted(station, dut)
    with step("1-2. TransactionEvent Started (EVDetected) is answered"):
        await flows.transaction_event(station, flows.Transaction.new(dut), "Started", "EVDetected")


@testcase(
    "TC_E_14_CSMS",
    proof=[_unanswered("ignore_tx_ended", "EVDisconnected 3-4")],
)
async def test_TC_E_14_CSMS_stop_on_station_side_disconnect(
    station: Session, dut: DutProfile
) -> None:
    """TxStopPoint EVConnected: the transaction ends when the cable is unplugged."""
    tx = await _energy_transfer_started(station, dut)
    with step("Before. Reusable states StopAuthorized and EVConnectedPostSession"):
        await flows.stop_authorized(station, dut, tx)
        await flows.ev_connected_post_session(station, dut, tx)
    with step("1. Execute reusable state EVDisconnected"):
        await flows.ev_disconnected(station, dut, tx)


@testcase(
    "TC_E_20_CSMS",
    proof=[_unanswered("ignore_tx_ended", "EVDisconnected 3-4")],
)
async def test_TC_E_20_CSMS_stop_on_ev_side_disconnect(station: Session, dut: DutProfile) -> None:
    """A suspended transaction ends when the EV unplugs at its side."""
    tx = await _energy_transfer_started(station, dut)
    with step("Before. Reusable state EnergyTransferSuspended"):
        await flows.energy_transfer_suspended(station, dut, tx)
    with step("1. Execute reusable state EVDisconnected"):
        await flows.ev_disconnected(station, dut, tx)


@testcase(
    "TC_E_15_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_15_CSMS_stop_authorized_local(station: Session, dut: DutProfile) -> None:
    """TxStopPoint Authorized: a local stop ends the transaction (StopAuthorized, Local)."""
    tx = await _energy_transfer_started(station, dut)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (StopAuthorized, Local) is answered",
        "StopAuthorized", "Local",
    )  # fmt: skip


@testcase(
    "TC_E_07_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_07_CSMS_stop_power_path_local(station: Session, dut: DutProfile) -> None:
    """TxStopPoint PowerPathClosed: a local stop ends the transaction (StopAuthorized, Local)."""
    tx = await _energy_transfer_started(station, dut)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (StopAuthorized, Local) is answered",
        "StopAuthorized", "Local",
    )  # fmt: skip


@testcase(
    "TC_E_21_CSMS",
    proof=[
        Mutant(
            "wrong_transaction_id",
            step="1. The CSMS sends RequestStopTransactionRequest",
            says="transactionId",
        )
    ],
)
async def test_TC_E_21_CSMS_stop_authorized_remote(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS stops the running transaction remotely, naming its transactionId."""
    tx = await _energy_transfer_started(station, dut)
    await requested(
        trigger,
        station,
        "RequestStopTransaction",
        {"transactionId": tx.id},
        description=f"Make the CSMS stop transaction {tx.id} of the station",
        request_step="1. The CSMS sends RequestStopTransactionRequest for the running transaction",
        answer_step="2. The station responds with RequestStopTransactionResponse Accepted",
        answer={"status": "Accepted"},
        checks=[(f"transactionId {tx.id}", {"transactionId": tx.id})],
    )
    await _ended(
        station, tx, "3-4. TransactionEvent Ended (RemoteStop, Remote) is answered",
        "RemoteStop", "Remote",
    )  # fmt: skip


@testcase(
    "TC_E_16_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. TransactionEvent Started (Authorized) with the invalid",
            says='got "Accepted"',
        )
    ],
)
async def test_TC_E_16_CSMS_deauthorized_invalid(station: Session, dut: DutProfile) -> None:
    """A transaction started with an invalid token is ended Deauthorized."""
    await _booted(station, dut)
    tx = flows.Transaction.new(dut)
    invalid = flows.id_token(dut, flows.token(dut, "invalid"))
    with step("1-2. TransactionEvent Started (Authorized) with the invalid idToken: refused"):
        reply = await flows.transaction_event(station, tx, "Started", "Authorized", token=invalid)
        refused = {"idTokenInfo": {"status": one_of("Invalid", "Unknown")}}
        flows.conform_reply(reply, "idTokenInfo.status Invalid or Unknown", refused)
    await _ended(
        station, tx, "3-4. TransactionEvent Ended (Deauthorized, DeAuthorized) is answered",
        "Deauthorized", "DeAuthorized",
    )  # fmt: skip


@testcase(
    "TC_E_17_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_17_CSMS_deauthorized_ev_disconnect(station: Session, dut: DutProfile) -> None:
    """A suspended transaction ends when the EV side disconnects (EVCommunicationLost)."""
    tx = await _energy_transfer_started(station, dut)
    with step("Before. Reusable state EnergyTransferSuspended"):
        await flows.energy_transfer_suspended(station, dut, tx)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (EVCommunicationLost, EVDisconnected)",
        "EVCommunicationLost", "EVDisconnected", charging_state="Idle",
    )  # fmt: skip


@testcase(
    "TC_E_39_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_39_CSMS_deauthorized_timeout(station: Session, dut: DutProfile) -> None:
    """An authorized transaction whose EV never plugs in ends at the connection timeout."""
    await _booted(station, dut)
    with step("Before. Reusable state Authorized"):
        tx = await flows.authorized(station, dut)
    with step("Note. The <Configured EV connection timeout> expires"):
        await flows.ev_connection_timeout_elapsed(station, dut)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (EVConnectTimeout, Timeout) is answered",
        "EVConnectTimeout", "Timeout",
    )  # fmt: skip


@testcase(
    "TC_E_08_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_08_CSMS_stop_energy_transfer(station: Session, dut: DutProfile) -> None:
    """TxStopPoint EnergyTransfer: the transaction ends when the energy stops after a local stop."""
    tx = await _energy_transfer_started(station, dut)
    with step("Before. Reusable state StopAuthorized"):
        await flows.stop_authorized(station, dut, tx)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (ChargingStateChanged, EVConnected, Local)",
        "ChargingStateChanged", "Local", charging_state="EVConnected",
    )  # fmt: skip


@testcase(
    "TC_E_22_CSMS",
    proof=[_unanswered("ignore_tx_ended", "1-2. TransactionEvent Ended")],
)
async def test_TC_E_22_CSMS_stop_suspended_ev(station: Session, dut: DutProfile) -> None:
    """TxStopPoint EnergyTransfer: the transaction ends when the EV suspends (StoppedByEV)."""
    tx = await _energy_transfer_started(station, dut)
    await _ended(
        station, tx, "1-2. TransactionEvent Ended (ChargingStateChanged, SuspendedEV, StoppedByEV)",
        "ChargingStateChanged", "StoppedByEV", charging_state="SuspendedEV",
    )  # fmt: skip


@testcase(
    "TC_E_38_CSMS",
    proof=[_unanswered("ignore_tx_state:SuspendedEV", "2-3. TransactionEvent Updated")],
)
async def test_TC_E_38_CSMS_ev_not_ready(station: Session, dut: DutProfile) -> None:
    """An authorized transaction whose EV is plugged in but not ready is reported SuspendedEV."""
    await _booted(station, dut)
    with step("Before. Reusable state Authorized"):
        tx = await flows.authorized(station, dut)
    with step("1. Execute reusable state EVConnectedPreSession"):
        await flows.ev_connected_pre_session(station, dut, tx)
    with step("2-3. TransactionEvent Updated (ChargingStateChanged, SuspendedEV) is answered"):
        await flows.transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV"
        )
