"""OCPP 2.0.1 block G (availability), the CSMS under test.

The CSMS is asked (trigger) to change the availability of the station, an
EVSE or a connector; what is judged is its ChangeAvailabilityRequest, against
the catalogue's validation for that scope. With a transaction running the
harness station answers ``Scheduled`` and becomes unavailable once the
transaction has ended, as a station does.
"""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_availability import (
    Scope,
    change_availability,
    report_scope,
    unavailable,
)
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_STEP_1 = "1. The CSMS sends ChangeAvailabilityRequest"


def _wrong_status() -> Mutant:
    return Mutant("availability_flipped", step=_STEP_1, says="operationalStatus")


async def _from_memory_state_unavailable(station: Session, dut: DutProfile, scope: Scope) -> None:
    """Memory State "Unavailable for <Configured ...>": the station knows itself unavailable."""
    await flows.booted(station, dut)
    await report_scope(
        station,
        dut,
        scope,
        "Unavailable",
        step_title=f"Memory state: {scope.describe()} is reported Unavailable",
    )


async def _operative_again(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, scope: Scope
) -> None:
    """Steps 1-4 of an Inoperative-to-Operative case for ``scope``."""
    await change_availability(station, trigger, scope, "Operative", answer="Accepted")
    await report_scope(
        station,
        dut,
        scope,
        "Available",
        step_title="3-4. The station reports the connectors Available; the CSMS responds",
    )


async def _scheduled_while_charging(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, scope: Scope
) -> flows.Transaction:
    """Before (EnergyTransferStarted), steps 1-2: the change is Scheduled during a transaction."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted"):
        tx = await flows.energy_transfer_started(station, dut)
    await change_availability(station, trigger, scope, "Inoperative", answer="Scheduled")
    return tx


async def _transaction_ends(
    station: Session, dut: DutProfile, tx: flows.Transaction, *, first: int
) -> None:
    """The transaction runs its configured duration, then the driver stops it and unplugs."""
    with step("Note. The transaction runs for <Configured Transaction Duration>"):
        await flows.transaction_duration_elapsed(station, dut)
    with step(f"{first}. Execute reusable state StopAuthorized"):
        await flows.stop_authorized(station, dut, tx)
    with step(f"{first + 1}. Execute reusable state EVConnectedPostSession"):
        await flows.ev_connected_post_session(station, dut, tx)
    with step(f"{first + 2}. Execute reusable state EVDisconnected"):
        await flows.ev_disconnected(station, dut, tx)


@testcase("TC_G_03_CSMS", proof=[_wrong_status()])
async def test_TC_G_03_CSMS_evse_inoperative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes one EVSE Inoperative (reusable state Unavailable)."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await unavailable(station, dut, trigger, Scope.evse(dut))


@testcase(
    "TC_G_04_CSMS",
    proof=[
        _wrong_status(),
        Mutant("availability_whole_station", step=_STEP_1, says="evse"),
    ],
)
async def test_TC_G_04_CSMS_evse_operative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes an unavailable EVSE Operative again."""
    scope = Scope.evse(dut)
    await _from_memory_state_unavailable(station, dut, scope)
    await _operative_again(station, dut, trigger, scope)


@testcase("TC_G_05_CSMS", proof=[_wrong_status()])
async def test_TC_G_05_CSMS_station_inoperative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes the whole station Inoperative: no evse in the request."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await unavailable(station, dut, trigger, Scope.station())


@testcase(
    "TC_G_06_CSMS",
    proof=[Mutant("availability_flipped", step="1. The CSMS sends", says="operationalStatus")],
)
async def test_TC_G_06_CSMS_station_operative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes the station Inoperative (Before), then Operative again."""
    scope = Scope.station()
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Unavailable for the charging station"):
        await unavailable(station, dut, trigger, scope)
    await _operative_again(station, dut, trigger, scope)


@testcase(
    "TC_G_07_CSMS",
    proof=[
        _wrong_status(),
        Mutant("availability_whole_evse", step=_STEP_1, says="connectorId"),
    ],
)
async def test_TC_G_07_CSMS_connector_inoperative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes one connector Inoperative: evse.id and evse.connectorId in the request."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await unavailable(station, dut, trigger, Scope.connector(dut))


@testcase("TC_G_08_CSMS", proof=[_wrong_status()])
async def test_TC_G_08_CSMS_connector_operative(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS makes an unavailable connector Operative again."""
    scope = Scope.connector(dut)
    await _from_memory_state_unavailable(station, dut, scope)
    await _operative_again(station, dut, trigger, scope)


@testcase("TC_G_11_CSMS", proof=[_wrong_status()])
async def test_TC_G_11_CSMS_evse_inoperative_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """An EVSE made Inoperative during a transaction becomes Unavailable once it ends."""
    scope = Scope.evse(dut)
    tx = await _scheduled_while_charging(station, dut, trigger, scope)
    await _transaction_ends(station, dut, tx, first=3)
    await report_scope(
        station,
        dut,
        scope,
        "Unavailable",
        step_title="6-7. The station reports the EVSE's connectors Unavailable; the CSMS responds",
    )


@testcase("TC_G_14_CSMS", proof=[_wrong_status()])
async def test_TC_G_14_CSMS_station_inoperative_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The idle connectors become Unavailable at once, the charging one after its transaction."""
    tx = await _scheduled_while_charging(station, dut, trigger, Scope.station())
    with step("3-4. The station reports its unoccupied connectors Unavailable; the CSMS responds"):
        for evse_id, connector_id in dut.connectors:
            if (evse_id, connector_id) != (tx.evse_id, tx.connector_id):
                await flows.report_connector(station, evse_id, connector_id, "Unavailable")
    await _transaction_ends(station, dut, tx, first=5)
    with step("8-9. The station reports the configured connector Unavailable; the CSMS responds"):
        await flows.report_connector(station, tx.evse_id, tx.connector_id, "Unavailable")


@testcase("TC_G_17_CSMS", proof=[_wrong_status()])
async def test_TC_G_17_CSMS_connector_inoperative_during_transaction(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A connector made Inoperative during a transaction becomes Unavailable once it ends."""
    scope = Scope.connector(dut)
    tx = await _scheduled_while_charging(station, dut, trigger, scope)
    await _transaction_ends(station, dut, tx, first=3)
    await report_scope(
        station,
        dut,
        scope,
        "Unavailable",
        step_title="6-7. The station reports the connector Unavailable; the CSMS responds",
    )


@testcase(
    "TC_G_20_CSMS",
    proof=[
        Mutant(
            "ignore_call:NotifyEvent",
            step="1-2. NotifyEventRequest",
            says="NotifyEvent",
        )
    ],
)
async def test_TC_G_20_CSMS_lock_failure(station: Session, dut: DutProfile) -> None:
    """The CSMS answers the station's report of a connector lock failure."""
    evse_id, connector_id = dut.connectors[0]
    with step("Preparation: the station's BootNotification is accepted (no reusable state)"):
        await flows.boot(station, dut)
    with step("1-2. NotifyEventRequest ConnectorPlugRetentionLock Problem true is answered"):
        event = flows.delta_event(
            station, "ConnectorPlugRetentionLock", "Problem", "true", evse_id, connector_id
        )
        await station.call("NotifyEvent", event)
