"""OCPP 1.6 ``_CS`` cases: the catalogue's "Before" a case starts from, as one call.

:func:`charging_before` is "Reusable State(s): Charging" on a registered charge
point: the state every case that acts on a running transaction starts from
(reset, unlock, meter values).
"""

from __future__ import annotations

from harness.flows.v16.cs import Charging, booted, charging
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step

__all__ = ["charging_before"]


async def charging_before(csms: Session, rig: Rig, dut: DutProfile) -> Charging:
    """Booted, then the reusable state Charging (its own step): the running transaction."""
    await booted(csms, dut)
    with step("Before: reusable state Charging"):
        return await charging(csms, rig, dut)
