"""The OCPP 1.6 reference charge point answering the Central System's requests."""

from __future__ import annotations

from test_station_v16_support import QUIET, WAIT, running, start_charging, status

VALID = "SIMVALID0001"


async def test_remote_start_without_cable_waits_for_it() -> None:
    """A remote start authorizes (AuthorizeRemoteTxRequests), prepares, and starts on plug-in."""
    async with running() as (station, csms):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": 2, "idTag": VALID}, status="Accepted"
        )
        await csms.expect("Authorize", match={"idTag": VALID}, timeout=WAIT)
        await status(csms, 2, "Preparing")
        await station.plug_in(2, 2)
        await csms.expect("StartTransaction", match={"connectorId": 2}, timeout=WAIT)


async def test_remote_start_without_authorize_when_not_required() -> None:
    """With AuthorizeRemoteTxRequests false the remote start goes straight to StartTransaction."""
    async with running(config={"AuthorizeRemoteTxRequests": "false"}) as (station, csms):
        await station.plug_in(1, 1)
        await status(csms, 1, "Preparing")
        await csms.call("RemoteStartTransaction", {"idTag": VALID}, status="Accepted")
        await csms.expect("StartTransaction", match={"connectorId": 1}, timeout=WAIT)
        assert not [c for c in csms.inbound if c.action == "Authorize"]


async def test_remote_start_refused_on_unavailable_or_unknown_connector() -> None:
    """RemoteStartTransaction is Rejected for an inoperative or unknown connector."""
    async with running() as (_station, csms):
        await csms.call(
            "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}, status="Accepted"
        )
        await status(csms, 1, "Unavailable")
        for number in (1, 9):
            await csms.call(
                "RemoteStartTransaction", {"connectorId": number, "idTag": VALID}, status="Rejected"
            )


async def test_remote_stop() -> None:
    """RemoteStopTransaction stops the named transaction (Remote) and refuses unknown ids."""
    async with running() as (station, csms):
        start = await start_charging(station, csms, VALID)
        await csms.call("RemoteStopTransaction", {"transactionId": 999}, status="Rejected")
        transaction_id = start.reply_payload["transactionId"] if start.reply_payload else 0
        await csms.call(
            "RemoteStopTransaction", {"transactionId": transaction_id}, status="Accepted"
        )
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "Remote"
        await status(csms, 1, "Finishing")


async def test_soft_reset_stops_first_hard_reset_stops_after_boot() -> None:
    """Soft reset: StopTransaction SoftReset before the reboot; hard: HardReset after it."""
    for kind in ("Soft", "Hard"):
        async with running() as (station, csms):
            start = await start_charging(station, csms, VALID)
            async with csms.reconnection(timeout=WAIT):
                await csms.call("Reset", {"type": kind}, status="Accepted")
            stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
            boot = await csms.expect("BootNotification", after=start, timeout=WAIT)
            assert stop.payload["reason"] == f"{kind}Reset"
            assert (stop.entry.seq < boot.entry.seq) is (kind == "Soft")


async def test_change_availability_now_scheduled_and_whole_station() -> None:
    """Inoperative now when idle, Scheduled during a transaction, connector 0 for all."""
    async with running() as (station, csms):
        await csms.call(
            "ChangeAvailability", {"connectorId": 2, "type": "Inoperative"}, status="Accepted"
        )
        await status(csms, 2, "Unavailable")
        await start_charging(station, csms, VALID)
        await csms.call(
            "ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}, status="Scheduled"
        )
        await station.present_card(VALID, 1)
        await csms.expect("StopTransaction", timeout=WAIT)
        await status(csms, 1, "Unavailable")
        await csms.call(
            "ChangeAvailability", {"connectorId": 0, "type": "Operative"}, status="Accepted"
        )
        await status(csms, 2, "Available")
        await csms.call(
            "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, status="Accepted"
        )
        await status(csms, 0, "Unavailable")
        await csms.call(
            "ChangeAvailability", {"connectorId": 7, "type": "Inoperative"}, status="Rejected"
        )


async def test_unlock_connector_ends_the_transaction() -> None:
    """UnlockConnector unlocks, ends a transaction (UnlockCommand); unknown connectors: NotSupported."""  # noqa: E501
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await csms.call("UnlockConnector", {"connectorId": 1}, status="Unlocked")
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["reason"] == "UnlockCommand"
        assert not station.connectors[1].locked
        await csms.call("UnlockConnector", {"connectorId": 5}, status="NotSupported")


async def test_configuration_access_rights_and_validation() -> None:
    """Read-only: Rejected; unknown: NotSupported; bad value: Rejected; reboot keys: RebootRequired."""  # noqa: E501
    async with running() as (_station, csms):
        for key, value, expected in (
            ("NumberOfConnectors", "5", "Rejected"),
            ("NoSuchKey", "1", "NotSupported"),
            ("MeterValueSampleInterval", "-3", "Rejected"),
            ("LocalPreAuthorize", "maybe", "Rejected"),
            ("MeterValuesSampledData", "Energy.Active.Import.Register,Bogus", "Rejected"),
            ("WebSocketPingInterval", "30", "RebootRequired"),
            ("MeterValuesSampledData", "Energy.Active.Import.Register,Voltage", "Accepted"),
        ):
            await csms.call("ChangeConfiguration", {"key": key, "value": value}, status=expected)
        reply = await csms.call("GetConfiguration", {"key": ["NumberOfConnectors", "Nope"]})
        assert reply.payload["configurationKey"] == [
            {"key": "NumberOfConnectors", "readonly": True, "value": "2"}
        ]
        assert reply.payload["unknownKey"] == ["Nope"]
        everything = await csms.call("GetConfiguration", {})
        assert len(everything.payload["configurationKey"]) > 20


async def test_heartbeat_interval_change_takes_effect() -> None:
    """A new HeartbeatInterval restarts the heartbeat timer with it."""
    async with running(heartbeat_interval=30) as (_station, csms):
        await csms.expect_none("Heartbeat", during=QUIET)
        await csms.call(
            "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "1"}, status="Accepted"
        )
        await csms.expect("Heartbeat", timeout=WAIT)


async def test_trigger_message_sends_each_message() -> None:
    """Every TriggerMessage is Accepted and the message follows; unknown connectors: Rejected."""
    async with running() as (_station, csms):
        for message, extra, match in (
            ("BootNotification", {}, {}),
            ("Heartbeat", {}, {}),
            ("MeterValues", {"connectorId": 2}, {"connectorId": 2}),
            ("StatusNotification", {"connectorId": 1}, {"connectorId": 1}),
            ("DiagnosticsStatusNotification", {}, {"status": "Idle"}),
            ("FirmwareStatusNotification", {}, {"status": "Idle"}),
        ):
            mark = csms.mark()
            await csms.call(
                "TriggerMessage", {"requestedMessage": message, **extra}, status="Accepted"
            )
            await csms.expect(message, match=match, after=mark, timeout=WAIT)
        await csms.call(
            "TriggerMessage",
            {"requestedMessage": "StatusNotification", "connectorId": 9},
            status="Rejected",
        )


async def test_data_transfer_and_unsupported_actions() -> None:
    """DataTransfer: UnknownVendorId; an action of a profile it lacks (Security): NotSupported."""
    async with running() as (_station, csms):
        await csms.call("DataTransfer", {"vendorId": "acme"}, status="UnknownVendorId")
        reply = await csms.call(
            "GetLog",
            {
                "logType": "DiagnosticsLog",
                "requestId": 1,
                "log": {"remoteLocation": "http://127.0.0.1/"},
            },
            allow_error=True,
        )
        assert reply.is_error
        assert getattr(reply.frame, "error_code", "") == "NotSupported"
