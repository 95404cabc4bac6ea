"""OCPP 2.0.1 block C (authorization), the CSMS under test: stopping with a master pass (C16).

The CSMS knows an idToken whose group is its MasterPassGroupId
(``[tokens].master_pass`` of group ``[tokens].master_pass_group``). The
harness station, with a user interface, lets the holder pick one of the
running transactions and stops it with that idToken.
"""

from __future__ import annotations

import uuid
from typing import Any

from harness.errors import NotApplicable
from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


def _master_pass_group(dut: DutProfile) -> str:
    group = dut.tokens.master_pass_group
    if not group:
        raise NotApplicable(
            "the profile names no <Configured masterPassGroupId> ([tokens].master_pass_group)"
        )
    return group


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
    group = _master_pass_group(dut)
    master = flows.id_token(dut, flows.token(dut, "master_pass"))
    words = f"idTokenInfo.status Accepted, groupIdToken.idToken {group} (masterPassGroupId)"
    accepted: dict[str, Any] = {
        "idTokenInfo": {"status": "Accepted", "groupIdToken": {"idToken": group}}
    }
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted for every EVSE"):
        evses = dict(dut.connectors)  # one transaction per EVSE, on its first connector
        running = [
            await flows.energy_transfer_started(
                station, dut, flows.Transaction(str(uuid.uuid4()), evse_id, connector_id)
            )
            for evse_id, connector_id in evses.items()
        ]
    # Step 1 names the valid idToken, yet step 2 validates the masterPassGroupId
    # group, which only an idToken of that group has; the purpose (C16) is the
    # master pass presented and authorized before the user picks a
    # transaction. The validations decide: the master-pass idToken is presented.
    with step("1-2. Authorize with the master-pass idToken: Accepted, in the master-pass group"):
        reply = await station.call("Authorize", {"idToken": master})
        flows.conform_reply(reply, words, accepted)
    with step("3-4. TransactionEvent Ended (MasterPass) for the picked transaction: Accepted"):
        reply = await flows.transaction_event(
            station,
            running[0],
            "Ended",
            "StopAuthorized",
            token=master,
            extra_info={"stoppedReason": "MasterPass"},
        )
        flows.conform_reply(reply, words, accepted)
