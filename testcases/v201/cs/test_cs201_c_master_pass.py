"""OCPP 2.0.1 block C, station under test: stopping transactions with a master pass (C16).

A master pass (an idToken whose group is ``AuthCtrlr.MasterPassGroupId``)
stops transactions it did not start: at a station with a user interface the
holder selects all transactions or one; at a station without one it stops all.
The Before runs a transaction on EVSE 1 with the valid idToken and, when the
station has a second EVSE, one on EVSE 2 with the second valid idToken.
"""

from __future__ import annotations

from harness.flows.v201.master_pass import (
    MASTER_PASS_RIG,
    charging_on_each_evse,
    master_pass_stops,
    selected_after_master_pass,
    still_charging,
    stopped_by_master_pass,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_UI_RIG = (*MASTER_PASS_RIG, Capability.UI)
_SERIAL = "station-2.0.1-serial-rig"
_TWO_EVSES = "station-2.0.1-basic-auth"
_STOP = "3-4. TransactionEventRequest"
_ENDED = "3. The Ended TransactionEventRequest"
#: The proof of the stop's own validations (step 3), with or without a user interface.
_STOP_PROOF = [
    Mutant("stop_token_altered", step=_STOP, says="idToken"),
    Mutant("wrong_stopped_reason", step=_ENDED, says="MasterPass"),
]


@testcase(
    "TC_C_49_CS",
    requires=("master_pass",),
    excludes=("user_interface",),
    rig=MASTER_PASS_RIG,
    proof=[
        Mutant("ignore_master_pass", step=_STOP, says="did not arrive", builtin=_SERIAL),
        Mutant("stop_token_altered", step=_STOP, says="idToken", builtin=_SERIAL),
        Mutant("wrong_stopped_reason", step=_ENDED, says="MasterPass", builtin=_SERIAL),
    ],
)
async def test_TC_C_49_CS_master_pass_without_ui(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Without a user interface, a master pass stops every transaction (reason MasterPass)."""
    flows = await charging_on_each_evse(csms, rig, dut)
    await master_pass_stops(csms, rig, dut)
    await stopped_by_master_pass(flows, "for EVSE 1 (and 2)")


@testcase(
    "TC_C_47_CS",
    requires=("master_pass", "user_interface"),
    rig=_UI_RIG,
    proof=[
        Mutant("ignore_master_pass", step=_STOP, says="did not arrive"),
        *_STOP_PROOF,
        # Two EVSEs: "all" reaches the second transaction too.
        Mutant("stop_token_altered", step=_STOP, says="idToken", builtin=_TWO_EVSES),
    ],
)
async def test_TC_C_47_CS_master_pass_stops_all(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A master pass, then "stop all transactions" on the screen: every transaction stops."""
    flows, _ = await selected_after_master_pass(csms, rig, dut, None)
    await stopped_by_master_pass(flows, "for all EVSE")


@testcase(
    "TC_C_48_CS",
    requires=("master_pass", "user_interface"),
    rig=_UI_RIG,
    proof=[*_STOP_PROOF, Mutant("ui_stops_all", step="Post", says="must not", builtin=_TWO_EVSES)],
)
async def test_TC_C_48_CS_master_pass_stops_one(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A master pass, then one transaction picked on the screen: only that one stops."""
    flows, mark = await selected_after_master_pass(csms, rig, dut, dut.connectors[0][0])
    await stopped_by_master_pass(flows[:1], f"for EVSE {flows[0].evse}")
    with step("Post: every other EVSE still transfers energy"):
        await still_charging(csms, flows[1:], mark)
