"""OCPP 2.0.1 block B (provisioning), the CSMS under test: resetting the station or an EVSE.

The CSMS is asked (trigger) to reset the whole station or one EVSE, OnIdle or
Immediate; what is judged is its ResetRequest (type, and evseId or its
absence, as the catalogue and the errata 2025-01 say) and, after a reset of
the whole station, that it accepts the station's new BootNotification. The
harness station behaves as a station does: a running transaction makes an
OnIdle reset ``Scheduled`` until the driver has stopped and unplugged; an
Immediate reset ends it at once (ResetCommand, ImmediateReset).
"""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_before import charging
from harness.flows.v201.csms_reset import rebooted, reset
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_REQUEST = "1. The CSMS sends ResetRequest"


def _reboot_rejected(boot_step: str) -> Mutant:
    return Mutant("reject_reboot", step=boot_step, says="'Rejected'")


async def _stopped_and_unplugged(
    station: Session, dut: DutProfile, tx: flows.Transaction, *, first: int
) -> None:
    """The driver stops the transaction and unplugs: what a Scheduled reset waits for."""
    with step(f"{first}-{first + 1}. TransactionEvent Updated (StopAuthorized, EVConnected)"):
        await flows.transaction_event(
            station,
            tx,
            "Updated",
            "StopAuthorized",
            charging_state="EVConnected",
            token=flows.id_token(dut),
        )
    with step(f"{first + 2}-{first + 3}. TransactionEvent Ended (EVCommunicationLost, Idle)"):
        await flows.transaction_event(
            station,
            tx,
            "Ended",
            "EVCommunicationLost",
            charging_state="Idle",
            extra_info={"stoppedReason": "EVDisconnected"},
        )


async def _ended_by_reset(station: Session, tx: flows.Transaction) -> None:
    """Steps 3-4 of an Immediate reset: the transaction ends (ResetCommand, ImmediateReset)."""
    with step("3-4. TransactionEvent Ended (ResetCommand, ImmediateReset), no idToken"):
        await flows.transaction_event(
            station,
            tx,
            "Ended",
            "ResetCommand",
            charging_state="EVConnected",
            extra_info={"stoppedReason": "ImmediateReset"},
        )


@testcase(
    "TC_B_20_CSMS",
    proof=[
        Mutant("reset_evse", step=_REQUEST, says="evseId"),
        _reboot_rejected("4. BootNotification"),
    ],
)
async def test_TC_B_20_CSMS_reset_station_idle(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The CSMS resets the idle station (OnIdle) and accepts it when it boots again."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    # The errata 2025-01 add "evseId must be omitted" to step 1; the catalogue
    # checks no type here (the manual action asks for OnIdle).
    await reset(station, trigger, kind="OnIdle", evse_id=None, answer="Accepted", check_type=False)
    await rebooted(station, station_link, dut, reason="RemoteReset", first=3)


@testcase(
    "TC_B_21_CSMS",
    proof=[
        Mutant("reset_immediate", step=_REQUEST, says="type"),
        Mutant("reset_evse", step=_REQUEST, says="evseId"),
        _reboot_rejected("7-8. BootNotification"),
    ],
)
async def test_TC_B_21_CSMS_reset_station_on_idle_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """An OnIdle reset is Scheduled during a transaction; the station reboots once it ended."""
    tx = await charging(station, dut)
    await reset(station, trigger, kind="OnIdle", evse_id=None, answer="Scheduled")
    await _stopped_and_unplugged(station, dut, tx, first=3)
    await rebooted(station, station_link, dut, reason="ScheduledReset", first=7)


@testcase(
    "TC_B_22_CSMS",
    proof=[
        Mutant("reset_on_idle", step=_REQUEST, says="type"),
        Mutant("reset_evse", step=_REQUEST, says="evseId"),
        _reboot_rejected("5-6. BootNotification"),
    ],
)
async def test_TC_B_22_CSMS_reset_station_immediate_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """An Immediate reset ends the transaction at once; the station reboots, the EV still in."""
    tx = await charging(station, dut)
    await reset(station, trigger, kind="Immediate", evse_id=None, answer="Accepted")
    await _ended_by_reset(station, tx)
    await rebooted(
        station,
        station_link,
        dut,
        reason="RemoteReset",
        first=5,
        statuses={(tx.evse_id, tx.connector_id): "Occupied"},
        reported="The configured connector is reported Occupied, the others Available",
    )


@testcase(
    "TC_B_26_CSMS",
    proof=[
        Mutant("reset_immediate", step=_REQUEST, says="type"),
        Mutant("reset_station", step=_REQUEST, says="evseId"),
    ],
)
async def test_TC_B_26_CSMS_reset_evse_on_idle_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """An OnIdle reset of the charging EVSE is Scheduled until its transaction has ended."""
    tx = await charging(station, dut)
    await reset(station, trigger, kind="OnIdle", evse_id=tx.evse_id, answer="Scheduled")
    await _stopped_and_unplugged(station, dut, tx, first=3)


@testcase(
    "TC_B_27_CSMS",
    proof=[
        Mutant("reset_on_idle", step=_REQUEST, says="type"),
        Mutant("reset_station", step=_REQUEST, says="evseId"),
    ],
)
async def test_TC_B_27_CSMS_reset_evse_immediate_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """An Immediate reset of the charging EVSE ends its transaction at once."""
    tx = await charging(station, dut)
    await reset(station, trigger, kind="Immediate", evse_id=tx.evse_id, answer="Accepted")
    await _ended_by_reset(station, tx)
