"""The OCPP 2.0.1 reference station, driven by a harness CSMS session: its behaviour.

Each test starts a fresh station from the builtin 2.0.1 profile (optionally
with fault knobs, options or timing changed) against a harness CsmsRole, acts
on its physical inputs or sends it requests, and checks what it reports.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest

from harness.expect import ABSENT, ANY, Pattern
from harness.profile import resolve_profile
from harness.profile.model import FrozenMapping
from harness.responders import ErrorReply, utc_now
from harness.roles import CsmsRole
from harness.session import Session
from harness.sim.station import start_station
from harness.sim.station.v201 import Station201

WAIT = 5.0
VALID = "SIMVALID0001"
INVALID = "SIMINVALID01"
TOKEN = {"idToken": VALID, "type": "ISO14443"}


@contextlib.asynccontextmanager
async def running(
    *faults: str, wait: bool = True, timing: dict[str, Any] | None = None, **options: object
) -> AsyncIterator[tuple[Session, Station201]]:
    """A fresh 2.0.1 station connected to a harness CSMS: ``(session, station)``."""
    base = resolve_profile("builtin:station-2.0.1")
    assert base.embedded is not None
    embedded = replace(
        base.embedded, faults=faults, options=FrozenMapping({**base.embedded.options, **options})
    )
    dut = replace(base, embedded=embedded, timing=replace(base.timing, **(timing or {})))
    role = CsmsRole(dut)
    await role.start()
    try:
        async with start_station(dut, csms_url=role.url) as station:
            assert isinstance(station, Station201)
            session = await role.session()
            if wait:
                await station.wait_ready(WAIT)
            yield session, station
            assert not station.errors, station.errors
    finally:
        await role.stop()


def tx(**match: Any) -> Pattern:
    return Pattern("TransactionEvent", match)


async def variable(session: Session, component: str, name: str, **where: Any) -> dict[str, Any]:
    data = {"component": {"name": component, **where}, "variable": {"name": name}}
    reply = await session.call("GetVariables", {"getVariableData": [data]})
    return dict(reply.payload["getVariableResult"][0])


async def set_variable(session: Session, component: str, name: str, value: str) -> str:
    data = {"component": {"name": component}, "variable": {"name": name}, "attributeValue": value}
    reply = await session.call("SetVariables", {"setVariableData": [data]})
    return str(reply.payload["setVariableResult"][0]["attributeStatus"])


async def test_boot_reports_every_connector_then_beats() -> None:
    """Boot PowerUp; Available + AvailabilityState per connector; startup security event; beats."""
    async with running(wait=False, timing={"heartbeat_interval": 1}) as (session, _station):
        boot = await session.expect("BootNotification", match={"reason": "PowerUp"})
        assert boot.payload["chargingStation"]["vendorName"] == "OCPP Harness"
        await session.expect_in_order(
            Pattern("StatusNotification", {"connectorStatus": "Available", "evseId": 1}),
            Pattern("NotifyEvent", where=lambda p: p["eventData"][0]["actualValue"] == "Available"),
            Pattern("SecurityEventNotification", {"type": "StartupOfTheDevice"}),
            Pattern("Heartbeat"),
            timeout=WAIT,
        )


async def test_pending_boot_answers_requests_and_retries() -> None:
    """Pending: requests answered, nothing sent until the next (accepted) boot."""
    async with running(wait=False) as (session, station):
        session.respond(
            "BootNotification", {"status": "Pending", "currentTime": utc_now(), "interval": 1}
        )
        first = await session.expect("BootNotification")
        with session.before_registration():  # requests during Pending, on purpose
            result = await variable(session, "OCPPCommCtrlr", "OfflineThreshold")
        assert result["attributeValue"] == "300"
        session.reset_response("BootNotification")
        second = await session.expect("BootNotification", after=first, timeout=3)
        between = [c for c in session.inbound if first.entry.seq < c.entry.seq < second.entry.seq]
        assert between == []
        await station.wait_ready(WAIT)


async def test_triggered_boot_while_pending_comes_at_once() -> None:
    """TriggerMessage(BootNotification) while Pending: accepted, the boot comes with Triggered."""
    async with running(wait=False) as (session, _station):
        session.respond(
            "BootNotification", {"status": "Pending", "currentTime": utc_now(), "interval": 30}
        )
        first = await session.expect("BootNotification")
        await session.call(
            "TriggerMessage",
            {"requestedMessage": "BootNotification"},
            status="Accepted",
            while_pending=True,
        )
        await session.expect(
            "BootNotification", match={"reason": "Triggered"}, after=first, timeout=2
        )


async def test_cable_reports_occupied_and_available() -> None:
    """Plug in: Occupied (status and event); plug out: Available again."""
    async with running() as (session, station):
        await station.plug_in(1, 1)
        await session.expect("StatusNotification", match={"connectorStatus": "Occupied"})
        await session.expect(
            "NotifyEvent", where=lambda p: p["eventData"][0]["actualValue"] == "Occupied"
        )
        await station.plug_out(1, 1)
        await session.expect("StatusNotification", match={"connectorStatus": "Available"})
        assert (
            await variable(
                session, "Connector", "AvailabilityState", evse={"id": 1, "connectorId": 1}
            )
        )["attributeValue"] == "Available"


async def test_local_transaction_power_path_closed() -> None:
    """Default TxStartPoint PowerPathClosed: cable, card, EV charging, card again ends it."""
    async with running() as (session, station):
        await station.plug_in(1, 1)
        await station.present_card(VALID)
        await session.expect("Authorize", match={"idToken": TOKEN})
        started = await session.expect(
            tx(eventType="Started", triggerReason="ChargingStateChanged", seqNo=0, idToken=TOKEN)
        )
        assert started.payload["transactionInfo"]["chargingState"] == "SuspendedEV"
        await station.set_ev_state(1, 1, "C")
        await session.expect(
            tx(seqNo=1, transactionInfo={"transactionId": ANY, "chargingState": "Charging"})
        )
        await station.present_card(VALID)
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="StopAuthorized",
                seqNo=2,
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": "EVConnected",
                    "stoppedReason": "Local",
                },
            )
        )


async def test_start_and_stop_on_cable_with_ev_connected_start_point() -> None:
    """TxStartPoint EVConnected: the cable starts the transaction; unplugging ends it."""
    async with running(tx_start_point="EVConnected") as (session, station):
        await station.plug_in(1, 1)
        await session.expect(
            tx(
                eventType="Started",
                triggerReason="CablePluggedIn",
                transactionInfo={"transactionId": ANY, "chargingState": "EVConnected"},
            )
        )
        await station.plug_out(1, 1)
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="EVCommunicationLost",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": "Idle",
                    "stoppedReason": "EVDisconnected",
                },
            )
        )


async def test_invalid_token_starts_nothing_and_cache_is_used_then_cleared() -> None:
    """Invalid starts nothing; Accepted is cached (no Authorize next time) until ClearCache."""
    async with running(tx_start_point="Authorized") as (session, station):
        session.respond(
            "Authorize",
            lambda call: (
                {"idTokenInfo": {"status": "Invalid"}}
                if call.payload["idToken"]["idToken"] == INVALID
                else {"idTokenInfo": {"status": "Accepted"}}
            ),
        )
        await station.present_card(INVALID)
        refused = await session.expect("Authorize")
        await session.expect_none("TransactionEvent", during=0.3, after=refused)
        await station.present_card(VALID)
        await session.expect("Authorize", match={"idToken": TOKEN})
        await session.expect(tx(eventType="Started", triggerReason="Authorized"))
        await station.present_card(VALID)
        ended = await session.expect(tx(eventType="Ended"))
        await station.present_card(VALID)
        await session.expect(tx(eventType="Started"), after=ended)
        await session.expect_none("Authorize", during=0.3, after=ended)
        await session.call("ClearCache", {}, status="Accepted")
        await station.present_card(VALID)  # stops the running transaction: no Authorize
        second_end = await session.expect(tx(eventType="Ended"))
        await station.present_card(VALID)
        await session.expect("Authorize", after=second_end)


async def test_remote_start_and_stop() -> None:
    """RequestStart: Authorize, Started with remoteStartId; RequestStop: Ended Remote."""
    async with running() as (session, station):
        await station.plug_in(1, 1)
        start = {"idToken": TOKEN, "evseId": 1, "remoteStartId": 7}
        await session.call("RequestStartTransaction", start, status="Accepted")
        await session.expect("Authorize")
        started = await session.expect(
            tx(
                eventType="Started",
                transactionInfo={"transactionId": ANY, "chargingState": ANY, "remoteStartId": 7},
            )
        )
        tid = started.payload["transactionInfo"]["transactionId"]
        await session.call(
            "RequestStartTransaction", {**start, "remoteStartId": 8}, status="Rejected"
        )
        await session.call("RequestStopTransaction", {"transactionId": "nope"}, status="Rejected")
        await session.call("RequestStopTransaction", {"transactionId": tid}, status="Accepted")
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="RemoteStop",
                transactionInfo={
                    "transactionId": tid,
                    "chargingState": ANY,
                    "stoppedReason": "Remote",
                },
            )
        )


async def _charging(session: Session, station: Station201) -> str:
    await station.plug_in(1, 1)
    await station.present_card(VALID)
    started = await session.expect(tx(eventType="Started"))
    return str(started.payload["transactionInfo"]["transactionId"])


async def test_reset_idle_now_busy_scheduled_immediate_ends_transaction() -> None:
    """Reset: OnIdle while charging is Scheduled; Immediate ends the transaction and reboots."""
    async with running() as (session, station):
        await _charging(session, station)
        await session.call("Reset", {"type": "OnIdle"}, status="Scheduled")
        # The builtin profile declares reset_evse: the busy EVSE's reset waits too.
        await session.call("Reset", {"type": "OnIdle", "evseId": 1}, status="Scheduled")
        mark = session.mark()
        async with session.reconnection(timeout=WAIT):
            await session.call("Reset", {"type": "Immediate"}, status="Accepted")
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="ResetCommand",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": ANY,
                    "stoppedReason": "ImmediateReset",
                },
            ),
            after=mark,
        )
        await session.expect("BootNotification", match={"reason": "RemoteReset"}, after=mark)


async def test_scheduled_reset_happens_when_the_transaction_ends() -> None:
    """Reset OnIdle during a transaction reboots once it ended."""
    async with running() as (session, station):
        tid = await _charging(session, station)
        await session.call("Reset", {"type": "OnIdle"}, status="Scheduled")
        async with session.reconnection(timeout=WAIT):
            await session.call("RequestStopTransaction", {"transactionId": tid}, status="Accepted")
        await session.expect("BootNotification", match={"reason": "ScheduledReset"})


async def test_power_loss_ends_the_transaction_after_boot() -> None:
    """A power cut during a transaction: after the boot, Ended with stoppedReason PowerLoss."""
    async with running() as (session, station):
        tid = await _charging(session, station)
        async with session.reconnection(timeout=WAIT):
            await station.power_off()
            await station.power_on()
        await session.expect(
            tx(
                eventType="Ended",
                transactionInfo={
                    "transactionId": tid,
                    "chargingState": ANY,
                    "stoppedReason": "PowerLoss",
                },
            )
        )


async def test_change_availability_evse_station_scheduled_and_unknown() -> None:
    """ChangeAvailability per EVSE and station; Scheduled while charging; unknown EVSE Rejected."""
    async with running() as (session, station):
        await session.call(
            "ChangeAvailability",
            {"operationalStatus": "Inoperative", "evse": {"id": 9}},
            status="Rejected",
        )
        await session.call(
            "ChangeAvailability",
            {"operationalStatus": "Inoperative", "evse": {"id": 1}},
            status="Accepted",
        )
        await session.expect(
            "NotifyEvent", where=lambda p: p["eventData"][0]["component"]["name"] == "EVSE"
        )
        await session.expect("StatusNotification", match={"connectorStatus": "Unavailable"})
        await session.call(
            "ChangeAvailability", {"operationalStatus": "Operative"}, status="Accepted"
        )
        await session.call(
            "ChangeAvailability",
            {"operationalStatus": "Operative", "evse": {"id": 1}},
            status="Accepted",
        )
        await session.expect("StatusNotification", match={"connectorStatus": "Available"})
        tid = await _charging(session, station)
        await session.call(
            "ChangeAvailability", {"operationalStatus": "Inoperative"}, status="Scheduled"
        )
        await session.call("RequestStopTransaction", {"transactionId": tid}, status="Accepted")
        await session.expect("StatusNotification", match={"connectorStatus": "Unavailable"})


async def test_unlock_connector() -> None:
    """UnlockConnector: Unlocked, UnknownConnector, OngoingAuthorizedTransaction."""
    async with running() as (session, station):
        await session.call("UnlockConnector", {"evseId": 1, "connectorId": 1}, status="Unlocked")
        await session.call(
            "UnlockConnector", {"evseId": 1, "connectorId": 5}, status="UnknownConnector"
        )
        await _charging(session, station)
        await session.call(
            "UnlockConnector",
            {"evseId": 1, "connectorId": 1},
            status="OngoingAuthorizedTransaction",
        )


@pytest.mark.parametrize(
    ("component", "name", "value", "status"),
    [
        ("OCPPCommCtrlr", "OfflineThreshold", "600", "Accepted"),
        ("OCPPCommCtrlr", "OfflineThreshold", "soon", "Rejected"),
        ("SecurityCtrlr", "Identity", "other", "Rejected"),
        ("TxCtrlr", "TxStartPoint", "EVConnected,Authorized", "Accepted"),
        ("TxCtrlr", "TxStartPoint", "Sometime", "Rejected"),
        ("AuthCtrlr", "AuthorizeRemoteStart", "yes", "Rejected"),
        ("NoSuchCtrlr", "X", "1", "UnknownComponent"),
        ("OCPPCommCtrlr", "NoSuchVariable", "1", "UnknownVariable"),
    ],
)
async def test_set_variables_enforces_the_device_model(
    component: str, name: str, value: str, status: str
) -> None:
    """SetVariables: ReadOnly, data types and value lists are enforced; unknown names reported."""
    async with running() as (session, _station):
        assert await set_variable(session, component, name, value) == status
        if status == "Accepted":
            assert (await variable(session, component, name))["attributeValue"] == value


async def test_get_variables_attribute_types_and_heartbeat_interval() -> None:
    """Only Actual exists; a new HeartbeatInterval is used at once."""
    async with running() as (session, station):
        data = {
            "component": {"name": "OCPPCommCtrlr"},
            "variable": {"name": "OfflineThreshold"},
            "attributeType": "Target",
        }
        reply = await session.call("GetVariables", {"getVariableData": [data]})
        assert (
            reply.payload["getVariableResult"][0]["attributeStatus"] == "NotSupportedAttributeType"
        )
        assert await set_variable(session, "OCPPCommCtrlr", "HeartbeatInterval", "1") == "Accepted"
        assert station.heartbeat_interval == 1


async def test_base_report_is_paged() -> None:
    """GetBaseReport: NotifyReport pages numbered from 0, tbc on all but the last."""
    async with running(items_per_message=10) as (session, _station):
        await session.call(
            "GetBaseReport", {"requestId": 3, "reportBase": "FullInventory"}, status="Accepted"
        )
        pages = []
        while not pages or pages[-1].payload.get("tbc"):
            pages.append(
                await session.expect("NotifyReport", match={"requestId": 3, "seqNo": len(pages)})
            )
        assert all(len(p.payload["reportData"]) <= 10 for p in pages)
        assert len(pages) > 3
        await session.call(
            "GetBaseReport",
            {"requestId": 4, "reportBase": "ConfigurationInventory"},
            status="Accepted",
        )
        page = await session.expect("NotifyReport", match={"requestId": 4})
        assert all(
            e["variableAttribute"][0]["mutability"] != "ReadOnly"
            for e in page.payload["reportData"]
        )


@pytest.mark.parametrize(
    ("requested", "status", "sent"),
    [
        ("Heartbeat", "Accepted", "Heartbeat"),
        ("StatusNotification", "Accepted", "StatusNotification"),
        ("MeterValues", "Accepted", "MeterValues"),
        ("TransactionEvent", "Rejected", None),
        ("BootNotification", "Rejected", None),
        ("SignChargingStationCertificate", "NotImplemented", None),
    ],
)
async def test_trigger_message(requested: str, status: str, sent: str | None) -> None:
    """TriggerMessage: the requested message follows; refused when not applicable."""
    async with running() as (session, _station):
        mark = session.mark()
        await session.call("TriggerMessage", {"requestedMessage": requested}, status=status)
        if sent is not None:
            await session.expect(sent, after=mark)


async def test_triggered_transaction_event_and_periodic_meter_values() -> None:
    """A running transaction: Trigger and MeterValuePeriodic events with meter values."""
    async with running(tx_updated_interval=1) as (session, station):
        await _charging(session, station)
        await session.call(
            "TriggerMessage", {"requestedMessage": "TransactionEvent"}, status="Accepted"
        )
        await session.expect(tx(triggerReason="Trigger", meterValue=ANY))
        await session.expect(tx(triggerReason="MeterValuePeriodic", meterValue=ANY), timeout=3)


async def test_data_transfer_and_unsupported_actions() -> None:
    """DataTransfer: UnknownVendorId; an action the station lacks: CALLERROR NotSupported."""
    async with running() as (session, _station):
        await session.call("DataTransfer", {"vendorId": "acme"}, status="UnknownVendorId")
        reply = await session.call("CancelReservation", {"reservationId": 1}, allow_error=True)
        assert reply.is_error
        assert getattr(reply.frame, "error_code", "") == "NotSupported"


async def test_fault_faults_the_connector_and_ends_the_transaction() -> None:
    """A ground fault: Problem event, Faulted, Ended GroundFault; cleared: Occupied again."""
    async with running() as (session, station):
        await _charging(session, station)
        await station.inject_fault("ground_fault", 1, 1)
        await session.expect(
            "NotifyEvent", where=lambda p: p["eventData"][0]["variable"]["name"] == "Problem"
        )
        await session.expect("StatusNotification", match={"connectorStatus": "Faulted"})
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="AbnormalCondition",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": ANY,
                    "stoppedReason": "GroundFault",
                },
            )
        )
        await station.clear_fault("ground_fault", 1, 1)
        await session.expect("StatusNotification", match={"connectorStatus": "Occupied"})


async def test_ev_connection_timeout_ends_an_authorized_transaction() -> None:
    """TxStartPoint Authorized, no cable within EVConnectionTimeOut: Ended with Timeout."""
    async with running(tx_start_point="Authorized") as (session, station):
        assert await set_variable(session, "TxCtrlr", "EVConnectionTimeOut", "1") == "Accepted"
        await station.present_card(VALID)
        await session.expect(
            tx(eventType="Started", triggerReason="Authorized", evse={"id": 1, "connectorId": 1})
        )
        await session.expect(
            tx(
                eventType="Ended",
                triggerReason="EVConnectTimeout",
                transactionInfo={
                    "transactionId": ANY,
                    "chargingState": "Idle",
                    "stoppedReason": "Timeout",
                },
            ),
            timeout=3,
        )


async def test_refused_token_in_transaction_event_stops_it() -> None:
    """The CSMS refuses the idToken in its TransactionEvent answer: Ended DeAuthorized."""
    async with running() as (session, station):
        session.respond(
            "TransactionEvent",
            lambda call: (
                {"idTokenInfo": {"status": "Blocked"}} if "idToken" in call.payload else {}
            ),
        )
        await _charging(session, station)
        await session.expect(tx(eventType="Ended", triggerReason="Deauthorized", idToken=ABSENT))


async def test_csms_call_error_does_not_break_the_station() -> None:
    """A CALLERROR to a StatusNotification is survived: the station goes on."""
    async with running() as (session, station):
        session.respond("StatusNotification", ErrorReply("InternalError", "nope"))
        await station.plug_in(1, 1)
        await session.expect("StatusNotification")
        await session.call("TriggerMessage", {"requestedMessage": "Heartbeat"}, status="Accepted")
        await session.expect("Heartbeat")
