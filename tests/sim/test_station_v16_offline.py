"""The 1.6 reference charge point offline: reconnection, transaction queue, offline auth."""

from __future__ import annotations

from test_station_v16_support import WAIT, running, start_charging, status

from harness.ocppj.replies import ErrorReply

VALID, INVALID = "SIMVALID0001", "SIMINVALID01"


async def test_a_lost_connection_comes_back_without_a_boot() -> None:
    """After the Central System cuts the connection, the station reconnects and does not reboot."""
    async with running() as (station, csms):
        async with csms.offline(timeout=WAIT):
            pass
        await csms.expect_none("BootNotification", during=0.3)
        assert station.accepted
        assert not station.offline


async def test_a_transaction_made_offline_is_sent_in_order_with_the_given_id() -> None:
    """Start and Stop made offline come in order once back; Stop carries the id Start was given."""
    async with running(config={"AllowOfflineTxForUnknownId": "true"}) as (station, csms):
        mark = csms.mark()
        csms.respond(
            "StartTransaction", {"transactionId": 4711, "idTagInfo": {"status": "Accepted"}}
        )
        async with csms.offline(timeout=WAIT):
            await station.plug_in(1, 1)
            await station.set_ev_state(1, 1, "C")
            await station.present_card(VALID, 1)
            await station.present_card(VALID, 1)
            await station.plug_out(1, 1)
        start = await csms.expect("StartTransaction", after=mark, timeout=WAIT)
        stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        assert stop.payload["transactionId"] == 4711
        assert stop.payload["reason"] == "Local"


async def test_an_unknown_id_is_refused_offline_without_allow_offline_tx() -> None:
    """Offline, an unknown idTag starts nothing unless AllowOfflineTxForUnknownId is true."""
    async with running() as (station, csms):
        station.cache.clear()
        mark = csms.mark()
        async with csms.offline(timeout=WAIT):
            await station.plug_in(1, 1)
            await station.present_card(VALID, 1)
        await csms.expect_none("StartTransaction", during=0.3, after=mark)


async def test_an_id_refused_after_an_offline_start_suspends_the_energy() -> None:
    """StopTransactionOnInvalidId false, MaxEnergyOnInvalidId 0: Charging becomes SuspendedEVSE."""
    config = {"AllowOfflineTxForUnknownId": "true", "StopTransactionOnInvalidId": "false"}
    async with running(config=config) as (station, csms):
        csms.respond("StartTransaction", {"transactionId": 9, "idTagInfo": {"status": "Invalid"}})
        mark = csms.mark()
        async with csms.offline(timeout=WAIT):
            await station.plug_in(1, 1)
            await station.set_ev_state(1, 1, "C")
            await station.present_card(INVALID, 1)
        await csms.expect("StartTransaction", after=mark, timeout=WAIT)
        await status(csms, 1, "SuspendedEVSE")
        assert station.connectors[1].meter.power() == 0.0


async def test_meter_values_made_offline_are_sent_oldest_first() -> None:
    """Periodic samples taken offline are sent in the order they were taken."""
    config = {"MeterValueSampleInterval": "1"}
    async with running(config=config) as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.offline(timeout=WAIT):
            while len(station.queue) < 2:
                await csms.expect_none("MeterValues", during=0.2)
        first = await csms.expect("MeterValues", after=start, timeout=WAIT)
        second = await csms.expect("MeterValues", after=first, timeout=WAIT)
        stamps = [m.payload["meterValue"][0]["timestamp"] for m in (first, second)]
        assert stamps == sorted(stamps)


async def test_a_refused_queued_message_is_tried_again() -> None:
    """A queued message answered with a CALLERROR is sent again (TransactionMessageAttempts)."""
    config = {"TransactionMessageRetryInterval": "0", "MeterValueSampleInterval": "0"}
    async with running(config=config) as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.offline(timeout=WAIT):
            await station.present_card(VALID, 1)
            while not station.queue:
                await csms.expect_none("StopTransaction", during=0.1)
        csms.respond("StopTransaction", ErrorReply("InternalError", "try again"))
        first = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        csms.reset_response("StopTransaction")
        again = await csms.expect("StopTransaction", after=first, timeout=WAIT)
        assert again.payload == first.payload
