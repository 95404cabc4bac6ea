"""Every fault knob of the OCPP 2.0.1 reference station turns it into the mutant it documents."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from test_station_v201 import INVALID, TOKEN, VALID, running, set_variable, tx

from harness import errors
from harness.expect import ABSENT, ANY, Pattern
from harness.profile import resolve_profile
from harness.responders import utc_now
from harness.session import Session
from harness.sim.mutants import knob_table
from harness.sim.station.v201 import Station201
from harness.sim.station.v201_mutants import BEHAVIOUR_KNOBS, MUTANTS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "station-simulator-2.0.1.md"
QUIET = 0.5
REJECTED = {"status": "Rejected", "currentTime": "", "interval": 1}


def test_the_docs_knob_table_is_the_data() -> None:
    """The docs show exactly the station's knob data (wire mutants and behaviour knobs)."""
    assert knob_table(MUTANTS, BEHAVIOUR_KNOBS) in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "knob",
    [
        "no_such_knob",
        "wrong_enum:Heartbeat",
        "reject:BootNotification",
        "duplicate:Reset",
        "reject:Nope",
        "ignore_ev_state:G",
        "skip_status:Charging",
    ],
)
def test_unknown_knobs_and_arguments_are_refused(knob: str) -> None:
    """A typo in a knob or its argument is a configuration error, not the reference behaviour."""
    base = resolve_profile("builtin:station-2.0.1")
    assert base.embedded is not None
    dut = replace(base, embedded=replace(base.embedded, faults=(knob,)))
    with pytest.raises(errors.ConfigurationError, match="knob"):
        Station201(dut, csms_url="ws://127.0.0.1:1/ocpp")


async def test_skip_status() -> None:
    """skip_status: no StatusNotification at all."""
    async with running("skip_status") as (session, station):
        await station.plug_in(1, 1)
        await session.expect(
            "NotifyEvent", where=lambda p: p["eventData"][0]["actualValue"] == "Occupied"
        )
        assert not [c for c in session.inbound if c.action == "StatusNotification"]


async def test_skip_status_of_one_value() -> None:
    """skip_status:Occupied: Available is reported, Occupied is not."""
    async with running("skip_status:Occupied") as (session, station):
        await session.expect("StatusNotification", match={"connectorStatus": "Available"})
        await station.plug_in(1, 1)
        await session.expect_none("StatusNotification", during=QUIET)


async def test_skip_notify_event_and_security_event() -> None:
    """skip_notify_event, skip_security_event: neither is sent after boot."""
    async with running("skip_notify_event", "skip_security_event") as (session, _station):
        await session.expect("StatusNotification")
        sent = {c.action for c in session.inbound}
        assert "NotifyEvent" not in sent
        assert "SecurityEventNotification" not in sent


async def test_boot_wrong_reason() -> None:
    """boot_wrong_reason: a power-up says RemoteReset."""
    async with running("boot_wrong_reason") as (session, _station):
        await session.expect("BootNotification", match={"reason": "RemoteReset"})


@pytest.mark.parametrize(("knob", "again"), [("boot_no_retry", False), ("boot_retry_early", True)])
async def test_boot_retry_knobs(knob: str, again: bool) -> None:
    """boot_no_retry never boots again; boot_retry_early does so long before the interval."""
    async with running(knob, wait=False) as (session, _station):
        session.respond("BootNotification", {**REJECTED, "currentTime": utc_now(), "interval": 10})
        first = await session.expect("BootNotification")
        if again:
            await session.expect("BootNotification", after=first, timeout=1)
        else:
            await session.expect_none("BootNotification", during=1.5, after=first)


async def test_send_while_rejected() -> None:
    """send_while_rejected: a Heartbeat while the boot is Rejected."""
    async with running("send_while_rejected", wait=False) as (session, _station):
        session.respond("BootNotification", {**REJECTED, "currentTime": utc_now(), "interval": 10})
        first = await session.expect("BootNotification")
        await session.expect("Heartbeat", after=first, timeout=1)


async def test_bad_timestamp() -> None:
    """bad_timestamp: timestamps that break the date-time format."""
    async with running("bad_timestamp") as (session, _station):
        status = await session.expect("StatusNotification", allow_invalid=True)
        assert any("timestamp" in str(v) for v in status.violations)


async def test_ignore_reset() -> None:
    """ignore_reset: Accepted, and no reboot."""
    async with running("ignore_reset") as (session, _station):
        await session.call("Reset", {"type": "Immediate"}, status="Accepted")
        with pytest.raises(errors.DutDisconnected):
            async with session.reconnection(timeout=QUIET):
                pass


async def _charging(session: Session, station: Station201) -> str:
    await station.plug_in(1, 1)
    await station.present_card(VALID)
    started = await session.expect(tx(eventType="Started"))
    return str(started.payload["transactionInfo"]["transactionId"])


async def test_no_seqno_increment() -> None:
    """no_seqno_increment: every event of the transaction has seqNo 0."""
    async with running("no_seqno_increment") as (session, station):
        await _charging(session, station)
        await station.set_ev_state(1, 1, "C")
        await session.expect(tx(eventType="Updated", seqNo=0))


async def test_tx_not_ended() -> None:
    """tx_not_ended: a remote stop is accepted but no Ended event follows."""
    async with running("tx_not_ended") as (session, station):
        tid = await _charging(session, station)
        await session.call("RequestStopTransaction", {"transactionId": tid}, status="Accepted")
        await session.expect_none("TransactionEvent", during=QUIET)


async def test_no_remote_start_id() -> None:
    """no_remote_start_id: the remote start's event lacks remoteStartId."""
    async with running("no_remote_start_id") as (session, station):
        await station.plug_in(1, 1)
        start = {"idToken": TOKEN, "evseId": 1, "remoteStartId": 3}
        await session.call("RequestStartTransaction", start, status="Accepted")
        started = await session.expect(tx(eventType="Started", idToken=TOKEN))
        assert "remoteStartId" not in started.payload["transactionInfo"]


async def test_cache_disabled() -> None:
    """cache_disabled: every card is asked about again."""
    async with running("cache_disabled", tx_start_point="Authorized") as (session, station):
        await _charging(session, station)
        await station.present_card(VALID)
        ended = await session.expect(tx(eventType="Ended"))
        await station.present_card(VALID)
        await session.expect("Authorize", after=ended)


async def test_accept_any_token() -> None:
    """accept_any_token: an Invalid token starts the transaction anyway."""
    async with running("accept_any_token") as (session, station):
        await station.plug_in(1, 1)
        await station.present_card(INVALID)
        await session.expect(tx(eventType="Started", idToken={"idToken": INVALID, "type": ANY}))


async def test_wrong_trigger_reason() -> None:
    """wrong_trigger_reason: triggerReason Trigger everywhere."""
    async with running("wrong_trigger_reason") as (session, station):
        await station.plug_in(1, 1)
        await station.present_card(VALID)
        await session.expect(tx(eventType="Started", triggerReason="Trigger"))


async def test_ignore_trigger_and_ignore_availability() -> None:
    """ignore_trigger, ignore_availability: Accepted, and nothing happens."""
    async with running("ignore_trigger", "ignore_availability") as (session, _station):
        mark = session.mark()
        await session.call("TriggerMessage", {"requestedMessage": "Heartbeat"}, status="Accepted")
        inoperative = {"operationalStatus": "Inoperative", "evse": {"id": 1}}
        await session.call("ChangeAvailability", inoperative, status="Accepted")
        await session.expect_none("Heartbeat", during=QUIET, after=mark)
        await session.expect_none("StatusNotification", during=0.01, after=mark)


async def test_ignore_tx_start_point() -> None:
    """ignore_tx_start_point: EVConnected is accepted, the cable still starts nothing."""
    async with running("ignore_tx_start_point") as (session, station):
        assert await set_variable(session, "TxCtrlr", "TxStartPoint", "EVConnected") == "Accepted"
        await station.plug_in(1, 1)
        await session.expect_none("TransactionEvent", during=QUIET)


async def test_wrong_enum_in_a_request_and_in_an_answer() -> None:
    """wrong_enum: an invalid enum in StatusNotification and in the Reset answer."""
    async with running("wrong_enum:StatusNotification", "wrong_enum:Reset") as (session, _station):
        status = await session.expect("StatusNotification", allow_invalid=True)
        assert status.payload["connectorStatus"] == "Bogus"
        with pytest.raises(errors.InvalidResponse):
            await session.call("Reset", {"type": "OnIdle"})


async def test_schema_violation_in_a_request_and_in_an_answer() -> None:
    """schema_violation: a required field missing from a BootNotification and an answer."""
    async with running(
        "schema_violation:BootNotification", "schema_violation:GetVariables", wait=False
    ) as (
        session,
        station,
    ):
        boot = await session.expect("BootNotification", allow_invalid=True)
        assert "reason" not in boot.payload
        data = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
        with pytest.raises(errors.InvalidResponse), session.before_registration():
            await session.call("GetVariables", {"getVariableData": [data]})
        station.errors.clear()


async def test_duplicate() -> None:
    """duplicate:Heartbeat: one trigger, two Heartbeats."""
    async with running("duplicate:Heartbeat") as (session, _station):
        mark = session.mark()
        await session.call("TriggerMessage", {"requestedMessage": "Heartbeat"}, status="Accepted")
        await session.expect_all(Pattern("Heartbeat"), Pattern("Heartbeat"), after=mark)


async def test_ignore_call_and_reject() -> None:
    """ignore_call: no answer at all; reject: Rejected without acting."""
    async with running("ignore_call:GetVariables", "reject:ClearCache") as (session, _station):
        data = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
        with pytest.raises(errors.ResponseTimeout):
            await session.call("GetVariables", {"getVariableData": [data]}, timeout=QUIET)
        await session.call("ClearCache", {}, status="Rejected")


async def test_reply_late() -> None:
    """reply_late: the answer comes after the station's message timeout."""
    async with running("reply_late:ClearCache", timing={"message_timeout": 1}) as (
        session,
        _station,
    ):
        start = time.monotonic()
        await session.call("ClearCache", {}, status="Accepted", timeout=4)
        assert time.monotonic() - start >= 2


async def test_reject_list_results() -> None:
    """reject:SetVariables: every result Rejected, nothing written."""
    async with running("reject:SetVariables") as (session, _station):
        assert await set_variable(session, "OCPPCommCtrlr", "OfflineThreshold", "9") == "Rejected"
        data = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
        reply = await session.call("GetVariables", {"getVariableData": [data]})
        assert reply.payload["getVariableResult"][0]["attributeValue"] == "300"
        assert reply.payload["getVariableResult"][0].get("attributeStatusInfo", ABSENT) is ABSENT
