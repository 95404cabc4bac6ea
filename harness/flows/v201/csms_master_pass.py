"""OCPP 2.0.1 stopping with a master pass (C16), CSMS under test: the shared steps.

The CSMS knows an idToken whose group is its MasterPassGroupId
(``[tokens].master_pass`` of group ``[tokens].master_pass_group``). The harness
station runs transactions, presents the master pass (Authorize), and ends the
transactions it stops with that idToken and ``stoppedReason`` ``MasterPass``.
Both answers must accept the master pass in its group (TC_C_48_CSMS's tool
validations, which TC_C_47/49_CSMS share).
"""

from __future__ import annotations

import uuid
from typing import Any

from harness.checks import conform_reply
from harness.errors import NotApplicable
from harness.flows.v201.csms import (
    Transaction,
    energy_transfer_started,
    id_token,
    transaction_event,
)
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = ["MasterPassCsms"]


class MasterPassCsms:
    """The harness station with a master pass, facing the CSMS under test.

    Raises:
        NotApplicable: the profile names no <Configured masterPassGroupId>.
    """

    def __init__(self, station: Session, dut: DutProfile) -> None:
        group = dut.tokens.master_pass_group
        if not group or not dut.tokens.master_pass:
            raise NotApplicable(
                "the profile names no master pass and <Configured masterPassGroupId> "
                "([tokens].master_pass, [tokens].master_pass_group)"
            )
        self.station, self.dut = station, dut
        self.token = id_token(dut, dut.tokens.master_pass)
        self.words = (
            f"idTokenInfo.status Accepted, groupIdToken.idToken {group} (masterPassGroupId)"
        )
        self.accepted: dict[str, Any] = {
            "idTokenInfo": {"status": "Accepted", "groupIdToken": {"idToken": group}}
        }

    async def charging(self, names: tuple[str, ...]) -> list[Transaction]:
        """Before: EnergyTransferStarted per EVSE, authorized by the idToken ``names`` give.

        The n-th EVSE of the profile gets the n-th name; EVSEs beyond the names
        stay idle.
        """
        running: list[Transaction] = []
        for (evse, connector), name in zip(self.dut.connectors, names, strict=False):
            with step(f"Before. Reusable state EnergyTransferStarted on EVSE {evse} ({name})"):
                tx = Transaction(str(uuid.uuid4()), evse, connector)
                running.append(await energy_transfer_started(self.station, self.dut, tx, name=name))
        return running

    async def authorized(self) -> None:
        """Steps 1-2: Authorize with the master pass: Accepted, in the master-pass group."""
        with step(
            "1-2. Authorize with the master-pass idToken: Accepted, in the master-pass group"
        ):
            reply = await self.station.call("Authorize", {"idToken": self.token})
            conform_reply(reply, self.words, self.accepted)

    async def ended(self, tx: Transaction, title: str) -> None:
        """Steps 3-4 for ``tx``: TransactionEvent Ended (MasterPass) with the master pass."""
        with step(title):
            reply = await transaction_event(
                self.station,
                tx,
                "Ended",
                "StopAuthorized",
                token=self.token,
                extra_info={"stoppedReason": "MasterPass"},
            )
            conform_reply(reply, self.words, self.accepted)
