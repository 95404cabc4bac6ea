"""OCPP 2.0.1 GetTransactionStatus (E14) while connected, charging station under test."""

from __future__ import annotations

import uuid

from harness.checks import conform_reply
from harness.expect import ABSENT
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_STEP = "1-2. GetTransactionStatusRequest"


@testcase(
    "TC_E_28_CS",
    proof=[
        Mutant("tx_status_ongoing:true", step=_STEP, says="ongoingIndicator"),
        Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
    ],
)
async def test_TC_E_28_CS_status_of_unknown_transaction(csms: Session, dut: DutProfile) -> None:
    """A transactionId the station never had is neither ongoing nor queued."""
    with step(f"{_STEP} for a random transactionId: not ongoing, nothing queued"):
        reply = await csms.call("GetTransactionStatus", {"transactionId": str(uuid.uuid4())})
        conform_reply(
            reply,
            "an unknown transaction: ongoingIndicator false, messagesInQueue false",
            {"ongoingIndicator": False, "messagesInQueue": False},
        )


@testcase(
    "TC_E_30_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("tx_status_ongoing:false", step=_STEP, says="ongoingIndicator"),
        Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
    ],
)
async def test_TC_E_30_CS_status_of_ongoing_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A running transaction whose messages were all delivered is ongoing, nothing queued."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    with step(f"{_STEP} for the running transaction: ongoing, nothing queued"):
        reply = await csms.call("GetTransactionStatus", {"transactionId": flow.transaction_id})
        conform_reply(
            reply,
            "a running transaction: ongoingIndicator true, messagesInQueue false",
            {"ongoingIndicator": True, "messagesInQueue": False},
        )


@testcase(
    "TC_E_32_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("tx_status_ongoing:true", step=_STEP, says="ongoingIndicator"),
        Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
    ],
)
async def test_TC_E_32_CS_status_of_ended_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An ended transaction whose messages were all delivered is not ongoing, nothing queued."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    with step("Before: State is ParkingBayUnoccupied (stopped, EV disconnected)"):
        await flow.stop_authorized_local()
        await flow.ev_connected_post_session()
        await flow.ev_disconnected()
        # ParkingBayUnoccupied itself is an optional state of a parking bay sensor.
    with step(f"{_STEP} for the ended transaction: not ongoing, nothing queued"):
        reply = await csms.call("GetTransactionStatus", {"transactionId": flow.transaction_id})
        conform_reply(
            reply,
            "an ended transaction: ongoingIndicator false, messagesInQueue false",
            {"ongoingIndicator": False, "messagesInQueue": False},
        )


@testcase(
    "TC_E_34_CS",
    proof=[
        Mutant("tx_status_ongoing:false", step=_STEP, says="ongoingIndicator"),
        Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
    ],
)
async def test_TC_E_34_CS_status_without_transaction_id(csms: Session, dut: DutProfile) -> None:
    """Asked without a transactionId, the station says only that nothing is queued."""
    with step(f"{_STEP} without transactionId: ongoingIndicator omitted, nothing queued"):
        reply = await csms.call("GetTransactionStatus", {})
        conform_reply(
            reply,
            "no transactionId: ongoingIndicator omitted, messagesInQueue false",
            {"ongoingIndicator": ABSENT, "messagesInQueue": False},
        )
