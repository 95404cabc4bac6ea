"""OCPP 2.0.1 TxStartPoint options (E01), charging station under test.

Each case sets ``TxCtrlr.TxStartPoint`` to its option where the station lets it
(ReadWrite), or accepts a ReadOnly value that already starts there; a station
that can do neither is not applicable, as the catalogue's prerequisite says.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from harness.checks import conform
from harness.expect import ANY, one_of
from harness.flows.v201.cs import StationFlow, id_token
from harness.flows.v201.tx_points import AUTH_ON, members, tx_point
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The remoteStartId the harness gives its RequestStartTransaction (any integer will do).
_REMOTE_START_ID = 13
#: The start points in the order a session reaches them (the catalogue's prerequisites).
_ORDER = (
    "ParkingBayOccupancy",
    "EVConnected",
    "Authorized",
    "DataSigned",
    "PowerPathClosed",
    "EnergyTransfer",
)


def _starts_at(point: str) -> Callable[[str], bool]:
    """A ReadOnly TxStartPoint the case accepts: it has ``point`` and nothing reached earlier."""
    earlier = set(_ORDER[: _ORDER.index(point)])

    def holds(value: str) -> bool:
        points = members(value)
        return point in points and not points & earlier

    return holds


def _contains(point: str) -> Callable[[str], bool]:
    """A ReadOnly TxStartPoint the case accepts: it has ``point``."""
    return lambda value: point in members(value)


def _start_point(
    flow: StationFlow, point: str, holds: Callable[[str], bool]
) -> contextlib.AbstractAsyncContextManager[None]:
    """Configuration state: TxStartPoint contains ``point`` for the block (if ReadWrite)."""
    return tx_point(flow, "TxStartPoint", point, holds)


@testcase(
    "TC_E_01_CS",
    requires=("tx_start_point:PowerPathClosed",),
    rig=(Capability.PLUG, Capability.CARD),
    proof=[
        Mutant("wrong_trigger_reason", step="EVConnectedPreSession 3-4.", says="triggerReason"),
    ],
)
async def test_TC_E_01_CS_start_on_power_path_closed(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStartPoint PowerPathClosed, plugging in an authorized EV starts the transaction."""
    flow = StationFlow(csms, dut, rig)
    async with _start_point(flow, "PowerPathClosed", _starts_at("PowerPathClosed")):
        with step("Before: State is Authorized"):
            await flow.authorized_local()
        with step("1. Execute Reusable State EVConnectedPreSession"):
            reported = await flow.ev_connected_pre_session()
            if reported is None:
                # Authorized and connected: the power path closes, the transaction starts here.
                with step("EVConnectedPreSession 3-4. TransactionEventRequest Started"):
                    await flow.expect_tx(
                        "the power path closed: Started, chargingState of a connected EV",
                        {
                            "eventType": "Started",
                            "triggerReason": one_of(
                                "CablePluggedIn", "ChargingStateChanged", "RemoteStart"
                            ),
                            "transactionInfo": {
                                "chargingState": one_of(
                                    "EVConnected", "SuspendedEVSE", "SuspendedEV", "Charging"
                                )
                            },
                            "evse": {"id": flow.evse, "connectorId": flow.connector},
                        },
                    )


@testcase(
    "TC_E_02_CS",
    requires=("tx_start_point:EnergyTransfer",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_trigger_reason", step="3-4. TransactionEventRequest", says="triggerReason"),
    ],
)
async def test_TC_E_02_CS_start_on_energy_transfer(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStartPoint EnergyTransfer, the transaction starts when energy flows."""
    flow = StationFlow(csms, dut, rig)
    async with _start_point(flow, "EnergyTransfer", _starts_at("EnergyTransfer")):
        with step("Before: State is Authorized"):
            await flow.authorized_local()
        mark = csms.mark()
        with step("Manual Action: connect the EV and the EVSE (the EV asks for energy)"):
            await rig.plug_in(flow.evse, flow.connector)
            await rig.ev_state(EvState.C, flow.evse, flow.connector)
        with step("1-2. The connector reports Occupied"):
            await flow.expect_availability("Occupied", mark)
        with step("3-4. TransactionEventRequest Started, chargingState Charging"):
            await flow.expect_tx(
                "energy flows: Started, ChargingStateChanged or Authorized, Charging",
                {
                    "eventType": "Started",
                    "triggerReason": one_of("ChargingStateChanged", "Authorized"),
                    "evse": {"id": ANY, "connectorId": ANY},
                    "transactionInfo": {"chargingState": "Charging"},
                },
            )


@testcase(
    "TC_E_10_CS",
    requires=("tx_start_point:Authorized",),
    rig=(Capability.CARD,),
    proof=[
        Mutant("wrong_trigger_reason", step="3-4. TransactionEventRequest", says="triggerReason"),
        Mutant("ignore_tx_start_point", step="3-4. TransactionEventRequest", says="did not arrive"),
    ],
)
async def test_TC_E_10_CS_start_on_local_authorization(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStartPoint Authorized, a presented idToken starts the transaction."""
    flow = StationFlow(csms, dut, rig)
    token = id_token(dut, "valid")
    async with _start_point(flow, "Authorized", _contains("Authorized")):
        with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
            await flow.prefer(AUTH_ON)
            asks = await flow.get_variable("AuthCtrlr", "AuthEnabled") != "false"
        mark = csms.mark()
        with step("Manual Action: present the idToken"):
            await rig.present_card(token["idToken"])
        if asks:
            with step("1-2. AuthorizeRequest for the idToken, answered Accepted"):
                request = await csms.expect("Authorize", after=mark)
                conform(request, "the presented idToken", {"idToken": token})
        with step("3-4. TransactionEventRequest Started, triggerReason Authorized"):
            await flow.expect_tx(
                "the idToken was authorized: Started, Authorized, with the idToken",
                {"eventType": "Started", "triggerReason": "Authorized", "idToken": token},
            )


@testcase(
    "TC_E_13_CS",
    requires=("tx_start_point:Authorized",),
    proof=[
        Mutant("no_remote_start_id", step="5-6. TransactionEventRequest", says="remoteStartId"),
        Mutant("reject:RequestStartTransaction", step="1-2.", says="status"),
    ],
)
async def test_TC_E_13_CS_start_on_remote_authorization(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With TxStartPoint Authorized, RequestStartTransaction starts the transaction."""
    flow = StationFlow(csms, dut, rig)
    token = id_token(dut, "valid")
    async with _start_point(flow, "Authorized", _contains("Authorized")):
        with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
            await flow.prefer(AUTH_ON)
            asks = (
                await flow.get_variable("AuthCtrlr", "AuthEnabled") != "false"
                and await flow.get_variable("AuthCtrlr", "AuthorizeRemoteStart") == "true"
            )
        mark = csms.mark()
        with step("1-2. RequestStartTransactionRequest is answered Accepted"):
            request = {"idToken": token, "evseId": flow.evse, "remoteStartId": _REMOTE_START_ID}
            await csms.call("RequestStartTransaction", request, status="Accepted")
        if asks:
            with step("3-4. AuthorizeRequest for the idToken, answered Accepted"):
                authorize = await csms.expect("Authorize", after=mark)
                conform(authorize, "the remote start's idToken", {"idToken": token})
        with step("5-6. TransactionEventRequest Started, triggerReason RemoteStart"):
            await flow.expect_tx(
                "the remote start: Started, RemoteStart, the idToken and a remoteStartId",
                {
                    "eventType": "Started",
                    "triggerReason": "RemoteStart",
                    "idToken": token,
                    "transactionInfo": {"remoteStartId": ANY},
                },
            )


def _signed_begin(value: Any) -> bool:
    """The Started event's meterValue: a Transaction.Begin sample with every signed field."""
    fields = ("encodingMethod", "publicKey", "signedMeterData", "signingMethod")
    samples = [s for m in value or [] for s in m.get("sampledValue", [])]
    return any(
        s.get("context") == "Transaction.Begin"
        and all(s.get("signedMeterValue", {}).get(f) is not None for f in fields)
        for s in samples
    )


class _SignedBegin:
    def __call__(self, value: Any) -> bool:
        return _signed_begin(value)

    def __repr__(self) -> str:
        return "a Transaction.Begin sampledValue with a complete signedMeterValue"


@testcase(
    "TC_E_11_CS",
    requires=("tx_start_point:DataSigned",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_trigger_reason", step="3-4. TransactionEventRequest", says="triggerReason"),
        Mutant("unsigned_meter_values", step="3-4. TransactionEventRequest", says="meterValue"),
    ],
)
async def test_TC_E_11_CS_start_on_data_signed(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With TxStartPoint DataSigned, the signed start reading starts the transaction."""
    flow = StationFlow(csms, dut, rig)
    token = id_token(dut, "valid")
    async with contextlib.AsyncExitStack() as configuration:
        await configuration.enter_async_context(
            _start_point(flow, "DataSigned", _starts_at("DataSigned"))
        )
        with step("Before: SampledDataCtrlr.SignReadings is true"):
            setting = flow.configured(
                "SampledDataCtrlr", "SignReadings", "true", holds=lambda v: v == "true"
            )
            await configuration.enter_async_context(setting)
        with step("Before: State is Authorized"):
            await flow.authorized_local()
        mark = csms.mark()
        with step("Manual Action: connect the EV and the EVSE"):
            await rig.plug_in(flow.evse, flow.connector)
        with step("1-2. The connector reports Occupied"):
            await flow.expect_availability("Occupied", mark)
        with step("3-4. TransactionEventRequest Started, SignedDataReceived, signed meter value"):
            await flow.expect_tx(
                "the signed start reading: Started, SignedDataReceived, signed Transaction.Begin",
                {
                    "eventType": "Started",
                    "triggerReason": "SignedDataReceived",
                    "idToken": token,
                    "evse": {"id": ANY, "connectorId": ANY},
                    "meterValue": _SignedBegin(),
                },
            )
        with step("The EV starts drawing energy"):
            await rig.ev_state(EvState.C, flow.evse, flow.connector)
        with step("5-6. TransactionEventRequest Updated, ChargingStateChanged, Charging"):
            await flow.expect_tx(
                "energy flows: Updated, ChargingStateChanged, Charging",
                {
                    "eventType": "Updated",
                    "triggerReason": "ChargingStateChanged",
                    "transactionInfo": {"chargingState": "Charging"},
                },
            )
