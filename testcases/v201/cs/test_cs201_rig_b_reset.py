"""OCPP 2.0.1 Reset (block B, use case B12) during a transaction; the station is under test.

``OnIdle`` waits for the transaction to end (``Scheduled``); ``Immediate``
ends it at once with stoppedReason ``ImmediateReset`` and reboots. A reset of
one EVSE (PICS ``reset_evse``) does the same for that EVSE only; a station
without it rejects such a request.
"""

from __future__ import annotations

from harness.errors import NotApplicable
from harness.expect import ABSENT
from harness.flows.v201.availability import expect_states, states
from harness.flows.v201.cs import StationFlow, conform
from harness.flows.v201.reset import reset, until_transaction_ends
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
#: What the TransactionEvent of an Immediate reset says (TC_B_22_CS, TC_B_27_CS step 3).
_ENDED_BY_RESET = {
    "eventType": "Ended",
    "triggerReason": "ResetCommand",
    "transactionInfo": {"chargingState": "EVConnected", "stoppedReason": "ImmediateReset"},
}


async def _energy_transfer_started(csms: Session, rig: Rig, dut: DutProfile) -> StationFlow:
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    return flow


@testcase(
    "TC_B_21_CS",
    rig=_RIG,
    proof=[
        Mutant("accept_scheduled", step="1-2. ResetRequest OnIdle", says="'Accepted'"),
        Mutant("boot_wrong_reason", "boot_reason:RemoteReset", step="7-8.", says="$.reason"),
    ],
)
async def test_TC_B_21_CS_reset_on_idle_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An OnIdle reset waits for the transaction to end, then the station reboots."""
    flow = await _energy_transfer_started(csms, rig, dut)
    ended_at = 0

    async def reset_when_idle() -> None:
        nonlocal ended_at
        with step("1-2. ResetRequest OnIdle is answered Scheduled"):
            await reset(flow, "OnIdle", "Scheduled")
        ended_at = await until_transaction_ends(flow, 3)

    boot = await flow.rebooted_by(
        "1-6. The transaction ends, then the station resets",
        reset_when_idle,
        "7-8. BootNotificationRequest with reason ScheduledReset",
    )
    with step("7-8. BootNotificationRequest with reason ScheduledReset"):
        conform(boot, "the boot reason after a scheduled reset", {"reason": "ScheduledReset"})
    with step("9-10. Every connector reports its state after the boot"):
        # The cable is still in when the transaction stopped at step 3.
        status = "Occupied" if ended_at == 3 else "Available"
        expected = states(dut, status, flow.evse, flow.connector)
        await expect_states(flow, expected, boot)
    await flow.startup_event("11-12.", boot)


@testcase(
    "TC_B_22_CS",
    rig=_RIG,
    proof=[
        Mutant("wrong_stopped_reason", step="3-4.", says="stoppedReason"),
        Mutant("reset_keeps_token", step="3-4.", says="idToken"),
        Mutant("boot_reason:ScheduledReset", step="5-6.", says="$.reason"),
    ],
)
async def test_TC_B_22_CS_reset_immediate_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An Immediate reset ends the transaction (ImmediateReset) and reboots the station."""
    flow = await _energy_transfer_started(csms, rig, dut)

    async def reset_now() -> None:
        with step("1-2. ResetRequest Immediate is answered Accepted"):
            await reset(flow, "Immediate", "Accepted")
        with step("3-4. TransactionEventRequest Ended, ResetCommand, ImmediateReset"):
            await flow.expect_tx("ended by the reset", {**_ENDED_BY_RESET, "idToken": ABSENT})

    boot = await flow.rebooted_by(
        "1-4. The reset ends the transaction",
        reset_now,
        "5-6. BootNotificationRequest with reason RemoteReset, answered Accepted",
    )
    with step("5-6. BootNotificationRequest with reason RemoteReset, answered Accepted"):
        conform(boot, "the boot reason after a reset", {"reason": "RemoteReset"})
    with step("7-8. The configured connector reports Occupied, the others Available"):
        await expect_states(flow, states(dut, "Occupied", flow.evse, flow.connector), boot)


@testcase(
    "TC_B_26_CS",
    requires=("reset_evse",),
    rig=_RIG,
    proof=[
        Mutant("accept_scheduled", step="1-2. ResetRequest OnIdle", says="'Accepted'"),
        Mutant("reject:Reset", step="1-2. ResetRequest OnIdle", says="'Rejected'"),
    ],
)
async def test_TC_B_26_CS_reset_evse_on_idle_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An OnIdle reset of the EVSE in use waits for its transaction to end."""
    flow = await _energy_transfer_started(csms, rig, dut)
    with step("1-2. ResetRequest OnIdle for the configured EVSE is answered Scheduled"):
        await reset(flow, "OnIdle", "Scheduled", flow.evse)
    await until_transaction_ends(flow, 3, every=True)


@testcase(
    "TC_B_27_CS",
    requires=("reset_evse",),
    rig=_RIG,
    proof=[
        Mutant("wrong_stopped_reason", step="3-4.", says="stoppedReason"),
        Mutant("reject:Reset", step="1-2. ResetRequest Immediate", says="'Rejected'"),
    ],
)
async def test_TC_B_27_CS_reset_evse_immediate_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An Immediate reset of the EVSE in use ends its transaction with ImmediateReset."""
    flow = await _energy_transfer_started(csms, rig, dut)
    with step("1-2. ResetRequest Immediate for the configured EVSE is answered Accepted"):
        await reset(flow, "Immediate", "Accepted", flow.evse)
    with step("3-4. TransactionEventRequest Ended, ResetCommand, ImmediateReset"):
        await flow.expect_tx("ended by the reset of the EVSE", _ENDED_BY_RESET)


@testcase(
    "TC_B_29_CS",
    excludes=("reset_evse",),
    rig=_RIG,
    proof=[
        Mutant(
            "ignore_reset",
            step="1-2. ResetRequest OnIdle",
            says="'Accepted'",
            builtin="station-2.0.1-serial-rig",
        )
    ],
)
async def test_TC_B_29_CS_reset_evse_not_supported_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A station that cannot reset one EVSE rejects a Reset naming one, even while charging."""
    flow = await _energy_transfer_started(csms, rig, dut)
    with step("1-2. ResetRequest OnIdle for the configured EVSE is answered Rejected"):
        await reset(flow, "OnIdle", "Rejected", flow.evse)


@testcase(
    "TC_B_41_CS",
    rig=_RIG,
    proof=[
        Mutant(
            "accept_scheduled",
            step="1-2. ResetRequest OnIdle",
            says="'Accepted'",
            builtin="station-2.0.1-basic-auth",
        ),
        Mutant(
            "boot_reason:RemoteReset",
            step="11-12.",
            says="$.reason",
            builtin="station-2.0.1-basic-auth",
        ),
    ],
)
async def test_TC_B_41_CS_reset_on_idle_during_two_transactions(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An OnIdle reset waits until the transactions on two EVSEs have both ended."""
    evses = sorted({evse for evse, _connector in dut.connectors})
    if len(evses) < 2:
        raise NotApplicable("the station has one EVSE; the case needs more than one")
    rig.require(*_RIG)
    first = StationFlow(csms, dut, rig, evse=evses[0], connector=_first_connector(dut, evses[0]))
    second = StationFlow(csms, dut, rig, evse=evses[1], connector=_first_connector(dut, evses[1]))
    for flow, token in ((first, "valid"), (second, "valid2")):
        with step(f"Before: State is EnergyTransferStarted for EVSE {flow.evse}"):
            await flow.authorized_remote(token)
            await flow.energy_transfer_started()
    with step("1-2. ResetRequest OnIdle is answered Scheduled"):
        await reset(first, "OnIdle", "Scheduled")
    await until_transaction_ends(first, 3, every=True)
    ended_at = 0

    async def second_ends() -> None:
        nonlocal ended_at
        ended_at = await until_transaction_ends(second, 7)

    boot = await second.rebooted_by(
        f"7-10. The transaction on EVSE {second.evse} ends, then the station resets",
        second_ends,
        "11-12. BootNotificationRequest with reason ScheduledReset",
    )
    with step("11-12. BootNotificationRequest with reason ScheduledReset"):
        conform(boot, "the boot reason after a scheduled reset", {"reason": "ScheduledReset"})
    with step("13-14. Every connector reports its state after the boot"):
        # The second EVSE's cable is still in when its transaction stopped at step 7.
        status = "Occupied" if ended_at == 7 else "Available"
        await expect_states(second, states(dut, status, second.evse, second.connector), boot)


def _first_connector(dut: DutProfile, evse: int) -> int:
    return next(c for e, c in dut.connectors if e == evse)
