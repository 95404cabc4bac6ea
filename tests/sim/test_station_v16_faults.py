"""The OCPP 1.6 reference charge point's injected rig faults, and every fault knob (mutants)."""

from __future__ import annotations

import pytest
from test_station_v16_support import QUIET, WAIT, boot_reply, running, start_charging, status

from harness.errors import CallErrorReceived, InvalidResponse, ResponseTimeout
from harness.sim.mutants import BAD_TIMESTAMP

VALID = "SIMVALID0001"

# -- rig faults ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("ground_fault", "GroundFailure"),
        ("overcurrent", "OverCurrentFailure"),
        ("over_temperature", "HighTemperature"),
        ("lock_failure", "ConnectorLockFailure"),
        ("meter_link", "PowerMeterFailure"),
        ("diode_short", "OtherError"),
    ],
)
async def test_connector_fault_is_reported_and_cleared(fault: str, code: str) -> None:
    """A connector fault: Faulted with its errorCode; cleared: Available, NoError."""
    async with running() as (station, csms):
        await station.inject_fault(fault, 1, 1)
        await status(csms, 1, "Faulted", errorCode=code)
        await station.clear_fault(fault, 1, 1)
        await status(csms, 1, "Available", errorCode="NoError")


async def test_fault_during_transaction_stops_it() -> None:
    """A fault while charging ends the transaction (Other) before reporting Faulted."""
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await station.inject_fault("overcurrent", 1, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "Other"
        await status(csms, 1, "Faulted", errorCode="OverCurrentFailure")


async def test_emergency_stop_faults_the_whole_station() -> None:
    """An emergency stop faults connector 0 and all connectors; a transaction ends EmergencyStop."""
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await station.inject_fault("emergency_stop", 1, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "EmergencyStop"
        for number in (0, 1, 2):
            await status(csms, number, "Faulted", errorCode="OtherError")


async def test_reader_failure_ignores_cards() -> None:
    """A broken card reader: connector 0 Faulted (ReaderFailure), cards are not read."""
    async with running() as (station, csms):
        await station.inject_fault("reader_failure", 1, 1)
        await status(csms, 0, "Faulted", errorCode="ReaderFailure")
        await station.present_card(VALID, 1)
        await csms.expect_none("Authorize", during=QUIET)


async def test_ev_error_state_faults_the_connector() -> None:
    """Control-pilot state E reports EVCommunicationError; state B clears it."""
    async with running() as (station, csms):
        await station.plug_in(1, 1)
        await station.set_ev_state(1, 1, "E")
        await status(csms, 1, "Faulted", errorCode="EVCommunicationError")
        await station.set_ev_state(1, 1, "B")
        await status(csms, 1, "Preparing")


# -- knobs ---------------------------------------------------------------------------------


async def test_skip_status_knobs() -> None:
    """skip_status silences connectors 1..n, skip_status:<S> only status S, skip_connector0_status 0."""  # noqa: E501
    async with running(["skip_status"], settle=False) as (_station, csms):
        await status(csms, 0, "Available")
        await csms.expect_none(
            "StatusNotification", where=lambda p: p["connectorId"] != 0, during=QUIET, after=0
        )
    async with running(["skip_status:Preparing"]) as (station, csms):
        await station.plug_in(1, 1)
        await station.present_card(VALID, 1)
        await csms.expect("StartTransaction", timeout=WAIT)
        await csms.expect_none("StatusNotification", match={"status": "Preparing"}, during=QUIET)
    async with running(["skip_connector0_status"], settle=False) as (_station, csms):
        await status(csms, 2, "Available")
        await csms.expect_none(
            "StatusNotification", match={"connectorId": 0}, during=QUIET, after=0
        )


async def test_boot_retry_knobs() -> None:
    """boot_no_retry never boots again; boot_ignore_interval retries at once."""
    async with running(["boot_no_retry"], boot=boot_reply("Rejected", 1), settle=False) as (
        _station,
        csms,
    ):
        first = await csms.expect("BootNotification", timeout=WAIT)
        await csms.expect_none("BootNotification", during=1.5, after=first)
    async with running(["boot_ignore_interval"], boot=boot_reply("Rejected", 30), settle=False) as (
        _station,
        csms,
    ):
        first = await csms.expect("BootNotification", timeout=WAIT)
        await csms.expect("BootNotification", after=first, timeout=1.0)


async def test_no_heartbeat_knob() -> None:
    """no_heartbeat: no periodic Heartbeat, a triggered one still goes out."""
    async with running(["no_heartbeat"]) as (_station, csms):
        await csms.expect_none("Heartbeat", during=1.5)
        await csms.call("TriggerMessage", {"requestedMessage": "Heartbeat"}, status="Accepted")
        await csms.expect("Heartbeat", timeout=WAIT)


async def test_wrong_enum_and_schema_violation_knobs() -> None:
    """wrong_enum / schema_violation break requests and answers of the named action."""
    faults = [
        "wrong_enum:StatusNotification",
        "wrong_enum:ClearCache",
        "schema_violation:Authorize",
        "schema_violation:ChangeAvailability",
    ]
    async with running(faults, settle=False) as (station, csms):
        sent = await csms.expect("StatusNotification", timeout=WAIT, allow_invalid=True)
        assert sent.payload["status"] == "Bogus"
        with pytest.raises(InvalidResponse, match="Bogus"):
            await csms.call("ClearCache", {})
        with pytest.raises(InvalidResponse, match="status"):
            await csms.call("ChangeAvailability", {"connectorId": 1, "type": "Operative"})
        await station.present_card(VALID, 1)
        broken = await csms.expect("Authorize", timeout=WAIT, allow_invalid=True)
        assert "idTag" not in broken.payload
        assert broken.violations


async def test_bad_timestamp_and_duplicate_knobs() -> None:
    """bad_timestamp writes zone-less timestamps; duplicate re-sends with the same id.

    Re-sending the same CALL with its id is a retransmission (a remark), not a
    second CALL reusing an id.
    """
    async with running(["bad_timestamp", "duplicate:StatusNotification"], settle=False) as (
        _station,
        csms,
    ):
        sent = [
            await csms.expect("StatusNotification", timeout=WAIT, allow_invalid=True)
            for _ in range(6)  # connectors 0, 1 and 2, each twice
        ]
        assert sent[0].payload["timestamp"] == BAD_TIMESTAMP
        assert sent[0].unique_id == sent[1].unique_id
        codes = {finding.code for _entry, finding in csms.trace.findings()}
        remarks = {f.code for _entry, f in csms.trace.findings(conformance_only=False)}
        assert "schema" in codes
        assert "duplicate-id" not in codes
        assert "retransmission" in remarks


async def test_answer_knobs() -> None:
    """ignore_call never answers, reply_late answers late, reject answers negatively."""
    faults = ["ignore_call:ClearCache", "reply_late:DataTransfer", "reject:Reset"]
    async with running(faults, message_timeout=0.5) as (_station, csms):
        with pytest.raises(ResponseTimeout):
            await csms.call("ClearCache", {})
        with pytest.raises(ResponseTimeout):
            await csms.call("DataTransfer", {"vendorId": "acme"})
        await csms.call("Reset", {"type": "Hard"}, status="Rejected")
    async with running(["reject:GetConfiguration"]) as (_station, csms):
        with pytest.raises(CallErrorReceived):
            await csms.call("GetConfiguration", {})


async def test_ignore_reset_knob() -> None:
    """ignore_reset: Reset is Accepted and nothing happens."""
    async with running(["ignore_reset"]) as (_station, csms):
        generation = csms.generation
        await csms.call("Reset", {"type": "Hard"}, status="Accepted")
        await csms.expect_none("BootNotification", during=QUIET)
        assert csms.generation == generation


async def test_stop_transaction_knobs() -> None:
    """no_stop_transaction sends no StopTransaction; wrong_stop_reason sends reason Other."""
    async with running(["no_stop_transaction"]) as (station, csms):
        await start_charging(station, csms, VALID)
        await station.present_card(VALID, 1)
        await status(csms, 1, "Finishing")
        await csms.expect_none("StopTransaction", during=QUIET, after=0)
    async with running(["wrong_stop_reason"]) as (station, csms):
        await start_charging(station, csms, VALID)
        await station.present_card(VALID, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "Other"


async def test_wrong_order_knob() -> None:
    """wrong_order sends the boot-time statuses before the BootNotification."""
    async with running(["wrong_order"], settle=False) as (_station, csms):
        first = await csms.expect("StatusNotification", timeout=WAIT)
        boot = await csms.expect("BootNotification", timeout=WAIT)
        assert first.entry.seq < boot.entry.seq
        await csms.expect_none("StatusNotification", during=QUIET, after=boot)


async def test_configuration_knobs() -> None:
    """readonly_writable, hide_key:<Key> and ignore_change corrupt the configuration."""
    faults = ["readonly_writable", "hide_key:ConnectionTimeOut", "ignore_change"]
    async with running(faults) as (_station, csms):
        reply = await csms.call("GetConfiguration", {"key": ["NumberOfConnectors"]})
        assert reply.payload["configurationKey"][0]["readonly"] is False
        await csms.call(
            "ChangeConfiguration", {"key": "NumberOfConnectors", "value": "4"}, status="Accepted"
        )
        reply = await csms.call("GetConfiguration", {"key": ["ConnectionTimeOut"]})
        assert reply.payload["unknownKey"] == ["ConnectionTimeOut"]
        await csms.call(
            "ChangeConfiguration", {"key": "LocalPreAuthorize", "value": "true"}, status="Accepted"
        )
        reply = await csms.call("GetConfiguration", {"key": ["LocalPreAuthorize"]})
        assert reply.payload["configurationKey"][0]["value"] == "false"


async def test_unlock_fails_knob() -> None:
    """unlock_fails answers UnlockConnector with UnlockFailed."""
    async with running(["unlock_fails"]) as (_station, csms):
        await csms.call("UnlockConnector", {"connectorId": 1}, status="UnlockFailed")


async def test_forget_availability_knob() -> None:
    """forget_availability: an inoperative connector is Available again after a reboot."""
    async with running(["forget_availability"]) as (_station, csms):
        await csms.call(
            "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}, status="Accepted"
        )
        await status(csms, 1, "Unavailable")
        mark = csms.mark()
        async with csms.reconnection(timeout=WAIT):
            await csms.call("Reset", {"type": "Soft"}, status="Accepted")
        await csms.expect(
            "StatusNotification",
            match={"connectorId": 1, "status": "Available"},
            after=mark,
            timeout=WAIT,
        )


async def test_skip_remote_authorize_and_trigger_ignored_knobs() -> None:
    """skip_remote_authorize starts without Authorize; trigger_ignored:<M> never sends M."""
    faults = ["skip_remote_authorize", "trigger_ignored:StatusNotification"]
    async with running(faults) as (station, csms):
        await station.plug_in(1, 1)
        await csms.call("RemoteStartTransaction", {"idTag": VALID}, status="Accepted")
        await csms.expect("StartTransaction", timeout=WAIT)
        assert not [c for c in csms.inbound if c.action == "Authorize"]
        await status(csms, 1, "SuspendedEV")
        mark = csms.mark()
        await csms.call(
            "TriggerMessage", {"requestedMessage": "StatusNotification"}, status="Accepted"
        )
        await csms.expect_none("StatusNotification", during=QUIET, after=mark)
