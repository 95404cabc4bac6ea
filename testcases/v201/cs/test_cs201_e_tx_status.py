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
#: Mutants answering ongoingIndicator true (for a transaction not running) or false, and a queue.
_SAYS_ONGOING = [
    Mutant("tx_status_ongoing:true", step=_STEP, says="ongoingIndicator"),
    Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
]
_SAYS_NOT_ONGOING = [
    Mutant("tx_status_ongoing:false", step=_STEP, says="ongoingIndicator"),
    Mutant("tx_status_queued", step=_STEP, says="messagesInQueue"),
]


async def _status(csms: Session, asked: dict[str, str | None], what: str, ongoing: object) -> None:
    """Step 1-2: GetTransactionStatus; the answer's ongoingIndicator and an empty queue."""
    with step(f"{_STEP}: {what}"):
        request = {k: v for k, v in asked.items() if v is not None}
        reply = await csms.call("GetTransactionStatus", request)
        expected = {"ongoingIndicator": ongoing, "messagesInQueue": False}
        conform_reply(
            reply, f"{what}: ongoingIndicator {ongoing!r}, messagesInQueue false", expected
        )


@testcase(
    "TC_E_28_CS",
    proof=_SAYS_ONGOING,
)
async def test_TC_E_28_CS_status_of_unknown_transaction(csms: Session, dut: DutProfile) -> None:
    """A transactionId the station never had is neither ongoing nor queued."""
    unknown = {"transactionId": str(uuid.uuid4())}
    await _status(csms, unknown, "a random transactionId, unknown to the station", False)


@testcase(
    "TC_E_30_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=_SAYS_NOT_ONGOING,
)
async def test_TC_E_30_CS_status_of_ongoing_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A running transaction whose messages were all delivered is ongoing, nothing queued."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    running = {"transactionId": flow.transaction_id}
    await _status(csms, running, "the running transaction", True)


@testcase(
    "TC_E_32_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=_SAYS_ONGOING,
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
    ended = {"transactionId": flow.transaction_id}
    await _status(csms, ended, "the ended transaction", False)


@testcase(
    "TC_E_34_CS",
    proof=_SAYS_NOT_ONGOING,
)
async def test_TC_E_34_CS_status_without_transaction_id(csms: Session, dut: DutProfile) -> None:
    """Asked without a transactionId, the station says only that nothing is queued."""
    await _status(csms, {}, "no transactionId", ABSENT)
