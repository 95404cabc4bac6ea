"""OCPP 2.0.1 block F (remote control), the CSMS under test: TriggerMessage."""

from __future__ import annotations

from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_remote import (
    trigger_message,
    triggered_meter_values,
    triggered_transaction_event,
)
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_REQUEST = "1. The CSMS sends TriggerMessageRequest"
_OTHER_MESSAGE = Mutant("trigger_other_message", step=_REQUEST, says="requestedMessage")
_NO_EVSE = Mutant("trigger_no_evse", step=_REQUEST, says="evse")


def _evses(dut: DutProfile) -> list[int]:
    return sorted({evse for evse, _ in dut.connectors})


async def _booted(station: Session, dut: DutProfile) -> None:
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)


async def _charging(station: Session, dut: DutProfile) -> flows.Transaction:
    """Preparation and Before of TC_F_13/14_CSMS: booted, EnergyTransferStarted."""
    await _booted(station, dut)
    with step("Before. Reusable state EnergyTransferStarted"):
        return await flows.energy_transfer_started(station, dut)


@testcase("TC_F_11_CSMS", proof=[_OTHER_MESSAGE, _NO_EVSE])
async def test_TC_F_11_CSMS_trigger_meter_values_evse(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers MeterValues for one EVSE and acknowledges them."""
    await _booted(station, dut)
    evse = _evses(dut)[0]
    await trigger_message(trigger, station, "MeterValues", evse=evse)
    with step(f"3-4. MeterValues of EVSE {evse} (context Trigger) are acknowledged"):
        await triggered_meter_values(station, evse)


@testcase("TC_F_12_CSMS", proof=[_OTHER_MESSAGE])
async def test_TC_F_12_CSMS_trigger_meter_values_all(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers MeterValues of every EVSE and acknowledges each."""
    await _booted(station, dut)
    await trigger_message(trigger, station, "MeterValues")
    for evse in _evses(dut):
        with step(f"3-4. MeterValues of EVSE {evse} (context Trigger) are acknowledged"):
            await triggered_meter_values(station, evse)


@testcase("TC_F_13_CSMS", proof=[_OTHER_MESSAGE, _NO_EVSE])
async def test_TC_F_13_CSMS_trigger_transaction_event_evse(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers the TransactionEvent of a charging EVSE and acknowledges it."""
    tx = await _charging(station, dut)
    await trigger_message(trigger, station, "TransactionEvent", evse=tx.evse_id)
    with step("3-4. TransactionEvent (Trigger, Charging) is acknowledged"):
        await triggered_transaction_event(station, tx, evse=True)


@testcase("TC_F_14_CSMS", proof=[_OTHER_MESSAGE])
async def test_TC_F_14_CSMS_trigger_transaction_event_all(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers the TransactionEvent of every charging EVSE and acknowledges each."""
    tx = await _charging(station, dut)
    await trigger_message(trigger, station, "TransactionEvent")
    with step("3-4. TransactionEvent (Trigger, Charging, evse omitted) is acknowledged"):
        await triggered_transaction_event(station, tx, evse=False)


@testcase("TC_F_15_CSMS", proof=[_OTHER_MESSAGE])
async def test_TC_F_15_CSMS_trigger_log_status(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers a LogStatusNotification and acknowledges the Idle status."""
    await _booted(station, dut)
    await trigger_message(trigger, station, "LogStatusNotification")
    with step("3-4. LogStatusNotification Idle is acknowledged"):
        await station.call("LogStatusNotification", {"status": "Idle"})


@testcase("TC_F_18_CSMS", proof=[_OTHER_MESSAGE])
async def test_TC_F_18_CSMS_trigger_firmware_status(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers a FirmwareStatusNotification and acknowledges the Idle status."""
    await _booted(station, dut)
    await trigger_message(trigger, station, "FirmwareStatusNotification")
    with step("3-4. FirmwareStatusNotification Idle is acknowledged"):
        await station.call("FirmwareStatusNotification", {"status": "Idle"})


@testcase("TC_F_23_CSMS", proof=[_OTHER_MESSAGE, _NO_EVSE])
async def test_TC_F_23_CSMS_trigger_status_available(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS triggers a connector's status and acknowledges Available in both forms."""
    await _booted(station, dut)
    evse, connector = dut.connectors[0]
    await trigger_message(trigger, station, "StatusNotification", evse=evse, connector=connector)
    with step("3-4. StatusNotification and NotifyEvent Available are acknowledged"):
        await flows.report_connector(station, evse, connector, "Available")


@testcase(
    "TC_F_24_CSMS",
    proof=[
        Mutant("trigger_other_message", step="3. The CSMS sends", says="requestedMessage"),
        Mutant("trigger_no_evse", step="3. The CSMS sends", says="evse"),
    ],
)
async def test_TC_F_24_CSMS_trigger_status_occupied(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """After an Occupied report, the CSMS triggers the status again and acknowledges it."""
    await _booted(station, dut)
    evse, connector = dut.connectors[0]
    with step("1-2. StatusNotification and NotifyEvent Occupied are acknowledged"):
        await flows.report_connector(station, evse, connector, "Occupied")
    await trigger_message(
        trigger,
        station,
        "StatusNotification",
        evse=evse,
        connector=connector,
        numbers=("3.", "4."),
    )
    with step("5-6. StatusNotification and NotifyEvent Occupied are acknowledged"):
        await flows.report_connector(station, evse, connector, "Occupied")


@testcase(
    "TC_F_27_CSMS",
    proof=[Mutant("skip_trigger", step=_REQUEST, says="did not")],
)
async def test_TC_F_27_CSMS_trigger_not_implemented(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS takes a NotImplemented answer to its TriggerMessage."""
    await _booted(station, dut)
    await trigger_message(trigger, station, "SignCombinedCertificate", status="NotImplemented")
