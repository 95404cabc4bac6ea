"""OCPP 2.0.1 ``_CSMS`` preparations many cases share: a booted station that is charging."""

from __future__ import annotations

from harness.flows.v201.csms import Transaction, booted, energy_transfer_started
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = ["charging"]


async def charging(station: Session, dut: DutProfile) -> Transaction:
    """The station is booted, then Before: reusable state EnergyTransferStarted."""
    with step("Preparation: the station is booted"):
        await booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted"):
        return await energy_transfer_started(station, dut)
