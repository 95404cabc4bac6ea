"""OCPP 2.0.1 local start and stop of transactions (E03, E07), charging station under test."""

from __future__ import annotations

import contextlib
from typing import Any

from harness.errors import NotApplicable
from harness.flows.v201.cs import StationFlow, id_token
from harness.flows.v201.tx_points import AUTH_ON
from harness.flows.v201.tx_timeout import connection_timeout_configured, connection_timeout_lapses
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


class _not_charging:
    """A chargingState that says no energy flows (the EV is not ready to draw any)."""

    def __call__(self, value: Any) -> bool:
        return value is not None and value != "Charging"

    def __repr__(self) -> str:
        return "a state other than 'Charging'"


@testcase(
    "TC_E_04_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_trigger_reason", step="EnergyTransferStarted 7-8.", says="triggerReason"),
    ],
)
async def test_TC_E_04_CS_local_start_authorization_first(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An idToken presented before the cable is plugged in starts a transaction that charges."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("1. Execute Reusable State Authorized (local)"):
        await flow.authorized_local()
    with step("2. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_E_05_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant(
            "ignore_ev_connection_timeout",
            step="Authorized 1-2. AuthorizeRequest",
            says="did not arrive",
        ),
    ],
)
async def test_TC_E_05_CS_cable_plugin_timeout(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An authorization without a cable lapses after EVConnectionTimeOut; the EVSE is free again."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        await configuration.enter_async_context(connection_timeout_configured(flow))
        with step("Before: AuthEnabled true, DisableRemoteAuthorization false, cache off"):
            await flow.prefer({**AUTH_ON, ("AuthCacheCtrlr", "Enabled"): "false"})
        with step("Before: AuthCtrlr.LocalPreAuthorize is false"):
            setting = flow.configured(
                "AuthCtrlr", "LocalPreAuthorize", "false", holds=lambda v: v == "false"
            )
            await configuration.enter_async_context(setting)
        with step("Before: State is Authorized (local)"):
            await flow.authorized_local()
            authorized_at = csms.mark()
        match: dict[str, Any] = {"eventType": "Updated"}
        what = "TxStopPoint lacks Authorized: Updated"
        if flow.transaction_id is not None and "Authorized" in await flow.points("TxStopPoint"):
            match = {"eventType": "Ended", "transactionInfo": {"stoppedReason": "Timeout"}}
            what = "TxStopPoint contains Authorized: Ended, stoppedReason Timeout"
        await connection_timeout_lapses(flow, authorized_at, "1-2.", what, match)
        with step("3. Execute Reusable State Authorized (local): the EVSE is ready again"):
            await flow.authorized_local()
        with step("4. Execute Reusable State EnergyTransferStarted"):
            await flow.energy_transfer_started()


@testcase(
    "TC_E_06_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("wrong_stopped_reason", step="StopAuthorized 1-4.", says="stoppedReason"),
        Mutant("tx_not_ended", step="StopAuthorized 1-4.", says="did not arrive"),
    ],
)
async def test_TC_E_06_CS_local_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The idToken that started a transaction, presented again, stops it locally."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    with step("1. Execute Reusable State StopAuthorized (local)"):
        await flow.stop_authorized_local()
    with step("2. Execute Reusable State EVConnectedPostSession"):
        await flow.ev_connected_post_session()
    with step("3. Execute Reusable State EVDisconnected"):
        await flow.ev_disconnected()
    # 4. ParkingBayUnoccupied is an optional state of a parking bay sensor: the rig has none.


@testcase(
    "TC_E_38_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant("charging_when_suspended", step="2-3. TransactionEventRequest", says="chargingState")
    ],
)
async def test_TC_E_38_CS_ev_not_ready(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An authorized EV that is plugged in but not ready reports a state without energy flowing."""
    flow = StationFlow(csms, dut, rig)
    with step("Prerequisite: TxStartPoint is not EnergyTransfer"):
        if await flow.points("TxStartPoint") == {"EnergyTransfer"}:
            raise NotApplicable("TxStartPoint is EnergyTransfer")
    with step("Before: State is Authorized"):
        await flow.authorized_local()
    with step("1. Execute Reusable State EVConnectedPreSession, the EV NOT ready (state B)"):
        # The EV is connected in control-pilot state B: it does not ask for energy
        # (a rig sets B only with the plug in, so it is held there once plugged).
        reported = await flow.ev_connected_pre_session()
        await rig.ev_state(EvState.B, flow.evse, flow.connector)
    with step("2-3. TransactionEventRequest: the EV is connected and not ready"):
        what = "the EV is not ready: no chargingState Charging (OCPP 2.0.1 ChargingStateEnumType)"
        judged = {"transactionInfo": {"chargingState": _not_charging()}}
        if reported is not None and reported.payload["transactionInfo"].get("chargingState") in (
            "SuspendedEV",
            "SuspendedEVSE",
        ):
            return  # the EVConnectedPreSession event already reported the EV not ready
        await flow.expect_tx(what, judged)


@testcase(
    "TC_E_52_CS",
    rig=(Capability.CARD,),
    proof=[
        Mutant(
            "ignore_disable_remote_authorization",
            step="1. The Charging Station does NOT send an AuthorizeRequest",
            says="Authorize",
        )
    ],
)
async def test_TC_E_52_CS_disable_remote_authorization(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With DisableRemoteAuthorization an unknown idToken is refused without asking the CSMS."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configuration:
        with step("Before: AuthCtrlr.AuthEnabled is true (if implemented)"):
            await flow.prefer({("AuthCtrlr", "AuthEnabled"): "true"})
        with step("Before: AuthCtrlr.DisableRemoteAuthorization is true"):
            setting = flow.configured(
                "AuthCtrlr", "DisableRemoteAuthorization", "true", holds=lambda v: v == "true"
            )
            await configuration.enter_async_context(setting)
        with step("Before: no valid idToken in the Authorization Cache"):
            if "auth_cache" in dut.features:
                await csms.call("ClearCache", {}, status="Accepted")
        token = id_token(dut, "valid")
        mark = csms.mark()
        with step("Manual Action: present an idToken unknown to the cache and local list"):
            await rig.present_card(token["idToken"])
        with step("1. The Charging Station does NOT send an AuthorizeRequest"):
            await csms.expect_none("Authorize", during=dut.timing.message_timeout, after=mark)
        with step("1. ... and the authorization is refused: no transaction for the idToken"):
            carries = {"idToken": {"idToken": token["idToken"]}}
            await csms.expect_none("TransactionEvent", match=carries, during=0, after=mark)
