"""OCPP 2.0.1 Reset (block B, use cases B11 and B12) without a transaction; station under test."""

from __future__ import annotations

from harness.flows.v201.availability import reset_reboots, states
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.reset import reset
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_B_25_CS",
    requires=("reset_evse",),
    proof=[Mutant("reject:Reset", step="1-2. ResetRequest OnIdle", says="'Rejected'")],
)
async def test_TC_B_25_CS_reset_evse_idle(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idle EVSE accepts an OnIdle reset of its own."""
    flow = StationFlow(csms, dut, rig)
    with step("1-2. ResetRequest OnIdle for the configured EVSE is answered Accepted"):
        await reset(flow, "OnIdle", "Accepted", flow.evse)


@testcase(
    "TC_B_23_CS",
    proof=[
        Mutant("boot_reason:PowerUp", step="3-4. BootNotificationRequest", says="$.reason"),
        Mutant("forget_availability", step="5-6.", says="StatusNotification Unavailable"),
    ],
)
async def test_TC_B_23_CS_unavailable_persists_reset(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A connector set Inoperative is still Unavailable after an OnIdle reset."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: Memory State Unavailable for the configured connector"):
        await flow.unavailable(flow.evse, flow.connector)
    titles = (
        "1-2. ResetRequest OnIdle is answered Accepted",
        "3-4. BootNotificationRequest with reason RemoteReset, answered Accepted",
        "5-6. The configured connector reports Unavailable, the others Available",
    )
    expected = states(dut, "Unavailable", flow.evse, flow.connector)
    await reset_reboots(flow, "OnIdle", titles, expected, reason="RemoteReset")


@testcase(
    "TC_B_28_CS",
    excludes=("reset_evse",),
    proof=[
        Mutant(
            "ignore_reset",
            step="1-2. ResetRequest OnIdle",
            says="'Accepted'",
            builtin="station-2.0.1-basic-auth",
        )
    ],
)
async def test_TC_B_28_CS_reset_evse_not_supported(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A station that cannot reset one EVSE rejects a Reset naming one."""
    flow = StationFlow(csms, dut, rig)
    with step("1-2. ResetRequest OnIdle for the configured EVSE is answered Rejected"):
        await reset(flow, "OnIdle", "Rejected", flow.evse)
