"""OCPP 2.0.1 block C (authorization), the CSMS under test: stopping with a master pass (C16).

The CSMS knows an idToken whose group is its MasterPassGroupId
(``[tokens].master_pass`` of group ``[tokens].master_pass_group``). The
harness station presents it, then stops the transaction the holder picked on
its user interface (TC_C_48_CSMS), or all of them (TC_C_47/49_CSMS), with it.
"""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_master_pass import MasterPassCsms
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_C_48_CSMS",
    proof=[
        Mutant("no_group_id:Authorize", step="1-2. Authorize", says="groupIdToken"),
        Mutant(
            "no_group_id:TransactionEvent", step="3-4. TransactionEvent Ended", says="groupIdToken"
        ),
    ],
)
async def test_TC_C_48_CSMS_master_pass_stops_one_transaction(
    station: Session, dut: DutProfile
) -> None:
    """The CSMS authorizes a master pass, which then ends the transaction the user picked."""
    master = MasterPassCsms(station, dut)
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    # Before: EnergyTransferStarted for every EVSE, each with the valid idToken.
    running = await master.charging(("valid",) * len(dut.connectors))
    # Step 1 names the valid idToken, yet step 2 validates the masterPassGroupId
    # group, which only an idToken of that group has; the purpose (C16) is the
    # master pass presented and authorized before the user picks a
    # transaction. The validations decide: the master-pass idToken is presented.
    await master.authorized()
    await master.ended(
        running[0], "3-4. TransactionEvent Ended (MasterPass) for the picked transaction: Accepted"
    )


@testcase(
    "TC_C_47_CSMS",
    proof=[
        Mutant("no_group_id:Authorize", step="1-2. Authorize", says="groupIdToken"),
        Mutant("no_group_id:TransactionEvent", step="3-4. TransactionEvent", says="groupIdToken"),
    ],
)
async def test_TC_C_47_CSMS_master_pass_stops_all_selected(
    station: Session, dut: DutProfile
) -> None:
    """The CSMS authorizes a master pass, which then ends every transaction (all selected).

    The catalogue gives this case no steps. They are those of its sibling
    TC_C_48_CSMS (the same use case C16, the same messages), applied to every
    transaction of its own Before: EVSE 1 with the valid idToken, EVSE 2 (when
    the profile has one) with the second; the validations are TC_C_48_CSMS's,
    no stricter.
    """
    await _every_transaction_ended(station, dut)


@testcase(
    "TC_C_49_CSMS",
    proof=[
        Mutant("no_group_id:Authorize", step="1-2. Authorize", says="groupIdToken"),
        Mutant("no_group_id:TransactionEvent", step="3-4. TransactionEvent", says="groupIdToken"),
    ],
)
async def test_TC_C_49_CSMS_master_pass_without_ui(station: Session, dut: DutProfile) -> None:
    """The CSMS authorizes a master pass that ends every transaction of a station without a UI.

    The catalogue gives this case no steps. They are those of its sibling
    TC_C_48_CSMS (the same use case C16), applied to every transaction of its
    own Before: EVSE 1 with the valid idToken, EVSE 2 (when the profile has
    one) with the second. Seen from the CSMS a station without a user
    interface sends what TC_C_47_CSMS's sends; the validations are
    TC_C_48_CSMS's, no stricter.
    """
    await _every_transaction_ended(station, dut)


async def _every_transaction_ended(station: Session, dut: DutProfile) -> None:
    """TC_C_47/49_CSMS: Before, steps 1-2, and steps 3-4 for each running transaction."""
    master = MasterPassCsms(station, dut)
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    running = await master.charging(("valid", "valid2"))
    await master.authorized()
    for tx in running:
        await master.ended(tx, f"3-4. TransactionEvent Ended (MasterPass) on EVSE {tx.evse_id}")
