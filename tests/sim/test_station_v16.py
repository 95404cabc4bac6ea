"""The OCPP 1.6 reference charge point: boot, heartbeat, status, authorization, transactions."""

from __future__ import annotations

import pytest
from test_station_v16_support import (
    QUIET,
    WAIT,
    boot_reply,
    profile,
    running,
    start_charging,
    status,
)

from harness.errors import ConfigurationError
from harness.responders import NO_REPLY
from harness.sim.station.v16 import Station16

VALID, INVALID = "SIMVALID0001", "SIMINVALID01"


# -- boot --------------------------------------------------------------------------


async def test_boot_reports_identity_every_connector_and_beats() -> None:
    """An accepted boot carries the profile's vendor and model; statuses and heartbeats follow."""
    async with running(settle=False) as (station, csms):
        boot = await csms.expect("BootNotification", timeout=WAIT)
        assert boot.payload["chargePointVendor"] == station.dut.vendor
        assert boot.payload["chargePointModel"] == station.dut.model
        for number in (0, 1, 2):
            await status(csms, number, "Available", errorCode="NoError")
        await csms.expect("Heartbeat", after=boot, timeout=WAIT)


async def test_pending_boot_answers_requests_sends_nothing_else_and_retries() -> None:
    """While Pending the station answers the CSMS, sends no status, and boots again after the interval."""  # noqa: E501
    async with running(boot=boot_reply("Pending", 1), settle=False) as (_station, csms):
        first = await csms.expect("BootNotification", timeout=WAIT)
        reply = await csms.call(
            "GetConfiguration", {"key": ["HeartbeatInterval"]}, while_pending=True
        )
        assert reply.payload["configurationKey"][0]["key"] == "HeartbeatInterval"
        await csms.expect_none("StatusNotification", during=0.5, after=first)
        csms.respond("BootNotification", boot_reply("Accepted", 1))
        await csms.expect("BootNotification", after=first, timeout=WAIT)
        await status(csms, 0, "Available")


async def test_rejected_boot_keeps_silent_until_the_retry() -> None:
    """A rejected station does not answer requests and boots again after the interval."""
    async with running(boot=boot_reply("Rejected", 2), settle=False) as (_station, csms):
        first = await csms.expect("BootNotification", timeout=WAIT)
        with pytest.raises(AssertionError, match="did not answer"), csms.before_registration():
            await csms.call("ClearCache", {}, timeout=0.5)
        csms.respond("BootNotification", boot_reply("Accepted", 1))
        await csms.expect("BootNotification", after=first, timeout=WAIT)
        await status(csms, 1, "Available")


def test_unknown_knob_is_refused() -> None:
    """A misspelt fault knob is a configuration error, not the reference behaviour."""
    with pytest.raises(ConfigurationError, match="unknown fault knob"):
        Station16(profile(["no_such_knob"]), csms_url="ws://127.0.0.1:1/ocpp")


async def test_initial_configuration_comes_from_the_profile() -> None:
    """``[embedded.options.configuration]`` overrides the default key values."""
    async with running(config={"ConnectionTimeOut": "7"}) as (_station, csms):
        reply = await csms.call("GetConfiguration", {"key": ["ConnectionTimeOut"]})
        assert reply.payload["configurationKey"][0]["value"] == "7"


# -- sessions ----------------------------------------------------------------------------


async def test_plugin_first_session_and_local_stop() -> None:
    """Cable, card, charging; the same card stops (Local); Finishing until unplugged."""
    async with running() as (station, csms):
        await station.plug_in(1, 1)
        await status(csms, 1, "Preparing")
        await station.set_ev_state(1, 1, "C")
        await station.present_card(VALID, 1)
        await csms.expect("Authorize", match={"idTag": VALID}, timeout=WAIT)
        start = await csms.expect("StartTransaction", match={"idTag": VALID}, timeout=WAIT)
        assert start.payload["meterStart"] == 0
        await status(csms, 1, "Charging")
        await station.set_ev_state(1, 1, "B")
        await status(csms, 1, "SuspendedEV")
        await station.present_card(VALID, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "Local"
        assert stop.payload["idTag"] == VALID
        assert stop.payload["transactionData"][-1]["sampledValue"][0]["context"] == (
            "Transaction.End"
        )
        await status(csms, 1, "Finishing")
        await station.plug_out(1, 1)
        await status(csms, 1, "Available")


async def test_identification_first_lapses_after_connection_timeout() -> None:
    """An authorized idTag without a cable returns the connector to Available after ConnectionTimeOut."""  # noqa: E501
    async with running(config={"ConnectionTimeOut": "1"}) as (station, csms):
        await station.present_card(VALID, 1)
        await status(csms, 1, "Preparing")
        await status(csms, 1, "Available")
        await csms.expect_none("StartTransaction", during=QUIET)


async def test_identification_first_then_cable_starts() -> None:
    """An authorized idTag starts the transaction when the cable arrives."""
    async with running() as (station, csms):
        await station.present_card(VALID)
        await status(csms, 1, "Preparing")
        await station.plug_in(1, 1)
        await csms.expect("StartTransaction", match={"connectorId": 1}, timeout=WAIT)


async def test_invalid_idtag_starts_nothing() -> None:
    """A card the CSMS does not accept leaves the connector Preparing, without transaction."""
    async with running() as (station, csms):
        await station.plug_in(1, 1)
        await status(csms, 1, "Preparing")
        await station.present_card(INVALID, 1)
        await csms.expect("Authorize", match={"idTag": INVALID}, timeout=WAIT)
        await csms.expect_none("StartTransaction", during=QUIET)


async def test_local_pre_authorize_uses_the_cache_and_clear_cache_empties_it() -> None:
    """With LocalPreAuthorize a cached Accepted idTag needs no Authorize; ClearCache forgets it."""
    config = {"LocalPreAuthorize": "true", "ConnectionTimeOut": "1"}
    async with running(config=config) as (station, csms):
        await station.present_card(VALID, 1)
        await csms.expect("Authorize", timeout=WAIT)
        await station.present_card(VALID, 2)
        await status(csms, 2, "Preparing")
        await csms.expect_none("Authorize", during=QUIET)
        await status(csms, 1, "Available")
        await status(csms, 2, "Available")
        await csms.call("ClearCache", {}, status="Accepted")
        await station.present_card(VALID, 1)
        await csms.expect("Authorize", timeout=WAIT)


async def test_local_authorize_offline_uses_the_cache() -> None:
    """When Authorize goes unanswered, a cached Accepted idTag is still accepted."""
    async with running() as (station, csms):
        await station.present_card(VALID, 1)
        await csms.expect("Authorize", timeout=WAIT)
        await status(csms, 1, "Preparing")
        csms.respond("Authorize", NO_REPLY)
        await station.present_card(VALID, 2)
        await csms.expect("Authorize", timeout=WAIT)
        await status(csms, 2, "Preparing")


async def test_ev_side_disconnect_stops_or_suspends() -> None:
    """Unplugging stops the transaction (EVDisconnected) unless StopTransactionOnEVSideDisconnect is off."""  # noqa: E501
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await station.plug_out(1, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "EVDisconnected"
        await status(csms, 1, "Available")
    async with running(config={"StopTransactionOnEVSideDisconnect": "false"}) as (station, csms):
        await start_charging(station, csms, VALID)
        await station.plug_out(1, 1)
        await status(csms, 1, "SuspendedEV")
        await csms.expect_none("StopTransaction", during=QUIET)


async def test_meter_values_every_sample_interval_and_no_transaction_data_when_off() -> None:
    """MeterValues come every MeterValueSampleInterval; an empty StopTxnSampledData omits data."""
    config = {"MeterValueSampleInterval": "1", "StopTxnSampledData": ""}
    async with running(config=config) as (station, csms):
        start = await start_charging(station, csms, VALID)
        first = await csms.expect("MeterValues", after=start, timeout=WAIT)
        sample = first.payload["meterValue"][0]["sampledValue"][0]
        assert sample["context"] == "Sample.Periodic"
        assert "transactionId" in first.payload
        await csms.expect("MeterValues", after=first, timeout=WAIT)
        await station.present_card(VALID, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert "transactionData" not in stop.payload


async def test_clock_aligned_meter_values() -> None:
    """ClockAlignedDataInterval sends Sample.Clock values for every connector."""
    async with running(config={"ClockAlignedDataInterval": "1"}) as (_station, csms):
        aligned = await csms.expect("MeterValues", timeout=WAIT)
        sample = aligned.payload["meterValue"][0]["sampledValue"][0]
        assert sample["context"] == "Sample.Clock"


async def test_refused_idtag_at_start_is_deauthorized() -> None:
    """A StartTransaction answered Invalid ends at once with reason DeAuthorized."""
    async with running() as (station, csms):
        csms.respond("StartTransaction", {"transactionId": 7, "idTagInfo": {"status": "Invalid"}})
        await station.plug_in(1, 1)
        await station.present_card(VALID, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "DeAuthorized"
        assert stop.payload["transactionId"] == 7


async def test_power_loss_stops_the_transaction_after_the_reboot() -> None:
    """A transaction cut by a power loss is reported stopped (PowerLoss) once booted again."""
    async with running() as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.reconnection(timeout=WAIT):
            await station.inject_fault("power_loss", 1, 1)
            await station.clear_fault("power_loss", 1, 1)
        boot = await csms.expect("BootNotification", after=start, timeout=WAIT)
        stop = await csms.expect("StopTransaction", after=boot, timeout=WAIT)
        assert stop.payload["reason"] == "PowerLoss"
        await status(csms, 1, "Finishing")
