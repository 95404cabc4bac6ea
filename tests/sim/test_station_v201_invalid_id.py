"""The 2.0.1 reference station offline (C13, C15), and when the CSMS refuses an idToken."""

from __future__ import annotations

from typing import Any

from harness.expect import ABSENT, ANY
from harness.ocppj.connection import IncomingCall
from harness.session import Session
from harness.sim.station.v201 import Station201
from tests.sim.test_station_v201 import VALID, running, set_variable, tx

TOKEN = {"idToken": VALID, "type": "ISO14443"}
UNKNOWN = {"idToken": "NEVERSEEN01", "type": "ISO14443"}


def _invalid(call: IncomingCall) -> dict[str, Any]:
    return {"idTokenInfo": {"status": "Invalid"}} if "idToken" in call.payload else {}


async def _charging_refused(session: Session, station: Station201) -> None:
    """The EV charges; the CSMS answers the transaction's idToken Invalid."""
    session.respond("TransactionEvent", _invalid)
    await station.plug_in(1, 1)
    await station.present_card(VALID)
    await session.expect(tx(eventType="Started"))
    await station.set_ev_state(1, 1, "C")


async def test_stop_tx_on_invalid_id_false_withholds_the_energy() -> None:
    """StopTxOnInvalidId false, MaxEnergyOnInvalidId 0: the refused transaction is SuspendedEVSE."""
    async with running() as (session, station):
        assert await set_variable(session, "TxCtrlr", "StopTxOnInvalidId", "false") == "Accepted"
        await _charging_refused(session, station)
        await session.expect(
            tx(
                eventType="Updated",
                triggerReason="ChargingStateChanged",
                transactionInfo={"transactionId": ANY, "chargingState": "SuspendedEVSE"},
            )
        )
        await session.expect_none("TransactionEvent", match={"eventType": "Ended"}, during=0.3)


async def test_max_energy_on_invalid_id_lets_the_energy_flow() -> None:
    """StopTxOnInvalidId false, MaxEnergyOnInvalidId 10000: the refused transaction charges on."""
    async with running() as (session, station):
        await set_variable(session, "TxCtrlr", "StopTxOnInvalidId", "false")
        assert await set_variable(session, "TxCtrlr", "MaxEnergyOnInvalidId", "10000") == "Accepted"
        await _charging_refused(session, station)
        await session.expect(
            tx(triggerReason="ChargingStateChanged", transactionInfo={"chargingState": "Charging"})
        )
        await session.expect_none(
            "TransactionEvent",
            where=lambda p: p["triggerReason"] in ("Deauthorized", "ChargingStateChanged"),
            during=0.5,
        )
        tx_state = station.evses[1].tx
        assert tx_state is not None
        assert tx_state.invalid_energy_limit == 10000


async def test_max_energy_reached_withholds_the_energy() -> None:
    """Once MaxEnergyOnInvalidId Wh are delivered after the refusal, the energy is withheld."""
    async with running(tx_updated_interval=1) as (session, station):
        await set_variable(session, "TxCtrlr", "StopTxOnInvalidId", "false")
        await set_variable(session, "TxCtrlr", "MaxEnergyOnInvalidId", "1")
        await _charging_refused(session, station)
        await session.expect(
            tx(
                triggerReason="ChargingStateChanged",
                transactionInfo={"chargingState": "SuspendedEVSE"},
            ),
            timeout=4,
        )


async def test_stop_tx_on_invalid_id_true_deauthorizes_whatever_max_energy() -> None:
    """StopTxOnInvalidId true ends the refused transaction even with MaxEnergyOnInvalidId > 0."""
    async with running() as (session, station):
        await set_variable(session, "TxCtrlr", "MaxEnergyOnInvalidId", "500")
        await _charging_refused(session, station)
        await session.expect(tx(eventType="Ended", triggerReason="Deauthorized", idToken=ABSENT))


async def test_offline_verdicts_follow_the_cache_and_the_unknown_id_setting() -> None:
    """Offline: a cached Accepted token is authorized (LocalAuthorizeOffline), an unknown one
    only with OfflineTxForUnknownIdEnabled, a cached refusal never."""
    async with running() as (session, station):
        policy = station.invalid_id
        station.cache.store(TOKEN, {"status": "Accepted"})
        assert policy.offline_verdict(TOKEN) == {"status": "Accepted"}
        assert policy.offline_verdict(UNKNOWN) is None
        await set_variable(session, "AuthCtrlr", "OfflineTxForUnknownIdEnabled", "true")
        assert policy.offline_verdict(UNKNOWN) == {"status": "Accepted"}
        await set_variable(session, "AuthCtrlr", "LocalAuthorizeOffline", "false")
        assert policy.offline_verdict(TOKEN) is None
        station.cache.store(UNKNOWN, {"status": "Blocked"})
        assert policy.offline_verdict(UNKNOWN) is None


async def test_refuse_unknown_offline_knob() -> None:
    """The refuse_unknown_offline mutant refuses an unknown token offline whatever the setting."""
    async with running("refuse_unknown_offline") as (session, station):
        await set_variable(session, "AuthCtrlr", "OfflineTxForUnknownIdEnabled", "true")
        assert station.invalid_id.offline_verdict(UNKNOWN) is None


async def test_deauthorized_transaction_goes_on_without_authorized_stop_point() -> None:
    """StopTxOnInvalidId true, TxStopPoint EVConnected: Updated Deauthorized, the EV unpowered."""
    async with running(tx_stop_point="EVConnected") as (session, station):
        await _charging_refused(session, station)
        await session.expect(tx(eventType="Updated", triggerReason="Deauthorized"))
        # The deauthorization first, then the energy it switches off.
        await session.expect(
            tx(
                eventType="Updated",
                triggerReason="ChargingStateChanged",
                transactionInfo={"transactionId": ANY, "chargingState": "EVConnected"},
            )
        )
        assert station.evses[1].tx is not None
