"""Unit tests of the reference CSMS and of the trigger kinds that drive a CSMS under test."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import pytest

from harness.errors import (
    ConfigurationError,
    ConnectionRefusedByPeer,
    ResponseTimeout,
)
from harness.ocppj.validation import validate_payload
from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile, Embedded, Secret, Trigger, resolve_profile
from harness.profile.model import FrozenMapping
from harness.roles import new_trace, open_station
from harness.session import Session
from harness.sim.csms import CsmsSimulator, TriggerFailed, start_csms
from harness.sim.csms.faults import parse_faults
from harness.sim.csms.mutants import WRONG_ENUM
from harness.sim.mutants import BAD_TIMESTAMP
from harness.sim.mutation import rewrite
from harness.trigger import CsmsTrigger, TriggerError

V201 = "2.0.1"
V16 = "1.6"


def profile(
    version: str,
    *,
    faults: Sequence[str] = (),
    options: Mapping[str, object] | None = None,
    message_timeout: float | None = None,
    identity: str | None = None,
) -> DutProfile:
    """A builtin CSMS profile with faults, options or timing changed."""
    dut = resolve_profile(f"builtin:csms-{version}")
    embedded = Embedded("csms", tuple(faults), FrozenMapping(options or {}))
    dut = dataclasses.replace(dut, embedded=embedded)
    if message_timeout is not None:
        dut = dataclasses.replace(
            dut, timing=dataclasses.replace(dut.timing, message_timeout=message_timeout)
        )
    if identity is not None:
        dut = dataclasses.replace(dut, identity=identity)
    return dut


async def connect(dut: DutProfile, csms: CsmsSimulator, identity: str | None = None) -> Session:
    if identity is not None:
        dut = dataclasses.replace(dut, identity=identity)
    return await open_station(dut, csms.url, new_trace(dut.identity), time_factor=1.0)


@pytest.fixture
async def csms201() -> AsyncIterator[CsmsSimulator]:
    async with start_csms(profile(V201)) as csms:
        yield csms


def boot_201() -> dict[str, Any]:
    return {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}


BOOT_16 = {"chargePointVendor": "V", "chargePointModel": "M"}


def boot_payload(version: str) -> dict[str, Any]:
    return boot_201() if version == V201 else dict(BOOT_16)


def authorize_payload(version: str, token: str) -> dict[str, Any]:
    if version == V16:
        return {"idTag": token}
    return {"idToken": {"idToken": token, "type": "ISO14443"}}


def token_info(version: str, reply: dict[str, Any]) -> dict[str, Any]:
    info = reply["idTagInfo" if version == V16 else "idTokenInfo"]
    assert isinstance(info, dict)
    return info


# -- boots ----------------------------------------------------------------------


@pytest.mark.parametrize("version", [V16, V201])
async def test_boot_is_accepted_with_the_profile_heartbeat_interval(version: str) -> None:
    """By default a boot is Accepted with the profile's heartbeat interval."""
    dut = profile(version)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        reply = await station.call("BootNotification", boot_payload(version), status="Accepted")
        assert reply.payload["interval"] == dut.timing.heartbeat_interval
        await station.close()


async def test_boot_status_pending_answers_the_first_boot_pending_then_accepted() -> None:
    """With boot_status Pending the first boot waits (retry interval), the next is Accepted."""
    dut = profile(V201, options={"boot_status": "Pending", "pending_interval": 3})
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        first = await station.call("BootNotification", boot_201(), status="Pending")
        assert first.payload["interval"] == 3
        await station.call("BootNotification", boot_201(), status="Accepted")
        await station.close()


async def test_boot_status_rejected_rejects_every_boot() -> None:
    """With boot_status Rejected every boot is Rejected."""
    dut = profile(V16, options={"boot_status": "Rejected"})
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        for _ in range(2):
            await station.call("BootNotification", dict(BOOT_16), status="Rejected")
        await station.close()


async def test_configured_next_boot_status_applies_once(csms201: CsmsSimulator) -> None:
    """configure(next_boot_status) changes one boot of one station only."""
    dut = csms201.dut
    csms201.configure(dut.identity, "next_boot_status", "Pending")
    station = await connect(dut, csms201)
    await station.call("BootNotification", boot_201(), status="Pending")
    await station.call("BootNotification", boot_201(), status="Accepted")
    await station.close()


def test_bad_options_are_refused_naming_the_field() -> None:
    """An unknown option or status is a configuration error naming the field."""
    with pytest.raises(ConfigurationError) as error:
        CsmsSimulator(profile(V201, options={"boot_status": "Maybe"}))
    assert error.value.field == "embedded.options.boot_status"
    with pytest.raises(ConfigurationError) as error:
        CsmsSimulator(profile(V201, options={"colour": "red"}))
    assert error.value.field == "embedded.options.colour"


# -- tokens ---------------------------------------------------------------------


@pytest.mark.parametrize("version", [V16, V201])
async def test_tokens_are_authorized_from_the_profile(version: str) -> None:
    """Each configured token gets its status; group members carry the group; unknown is Invalid."""
    dut = profile(version)
    tokens = dut.tokens
    expected = {
        tokens.valid: "Accepted",
        tokens.valid2: "Accepted",
        tokens.group_member: "Accepted",
        tokens.invalid: "Invalid",
        tokens.blocked: "Blocked",
        tokens.expired: "Expired",
        "NEVERSEEN": "Invalid",
    }
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        await station.call("BootNotification", boot_payload(version))
        for token, status in expected.items():
            assert token is not None
            reply = await station.call("Authorize", authorize_payload(version, token))
            info = token_info(version, reply.payload)
            assert info["status"] == status, token
        reply = await station.call(
            "Authorize", authorize_payload(version, str(tokens.group_member))
        )
        info = token_info(version, reply.payload)
        group = info.get("parentIdTag") or info.get("groupIdToken", {}).get("idToken")
        assert group == tokens.group_id
        await station.close()


# -- transactions ---------------------------------------------------------------


async def test_v16_transaction_ids_are_allocated_and_tracked() -> None:
    """StartTransaction gets fresh ids; StopTransaction ends the transaction it names."""
    dut = profile(V16)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        await station.call("BootNotification", dict(BOOT_16))
        start = {"connectorId": 1, "idTag": dut.tokens.valid, "meterStart": 0}
        now = "2025-01-01T00:00:00Z"
        first = await station.call("StartTransaction", {**start, "timestamp": now})
        second = await station.call("StartTransaction", {**start, "timestamp": now})
        ids = [first.payload["transactionId"], second.payload["transactionId"]]
        assert ids[0] != ids[1]
        assert token_info(V16, first.payload)["status"] == "Accepted"
        stop = {"transactionId": ids[1], "meterStop": 10, "timestamp": now}
        await station.call("StopTransaction", stop)
        state = csms.state.station(dut.identity)
        assert state.transactions[str(ids[1])].ended
        active = state.active_transaction()
        assert active is not None
        assert active.id == str(ids[0])
        await station.close()


async def test_v16_refused_tag_still_gets_a_transaction_id() -> None:
    """A StartTransaction with a blocked tag is answered Blocked, with a transaction id."""
    dut = profile(V16)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        reply = await station.call(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": dut.tokens.blocked,
                "meterStart": 0,
                "timestamp": "2025-01-01T00:00:00Z",
            },
        )
        assert token_info(V16, reply.payload)["status"] == "Blocked"
        assert isinstance(reply.payload["transactionId"], int)
        await station.close()


def event(kind: str, seq: int, token: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "eventType": kind,
        "timestamp": "2025-01-01T00:00:00Z",
        "triggerReason": "Authorized",
        "seqNo": seq,
        "transactionInfo": {"transactionId": "TX-1"},
        "evse": {"id": 1, "connectorId": 1},
    }
    if token is not None:
        payload["idToken"] = {"idToken": token, "type": "ISO14443"}
    return payload


async def test_v201_transaction_events_are_tracked(csms201: CsmsSimulator) -> None:
    """TransactionEvent: idTokenInfo only with an idToken; seqNo and end are recorded."""
    dut = csms201.dut
    station = await connect(dut, csms201)
    started = await station.call("TransactionEvent", event("Started", 0, dut.tokens.expired))
    assert started.payload == {"idTokenInfo": {"status": "Expired"}}
    updated = await station.call("TransactionEvent", event("Updated", 1))
    assert updated.payload == {}
    await station.call("TransactionEvent", event("Ended", 2))
    record = csms201.state.station(dut.identity).transactions["TX-1"]
    assert (record.seq_no, record.ended, record.token) == (2, True, dut.tokens.expired)
    await station.close()


# -- triggers and stations --------------------------------------------------------


async def test_trigger_without_a_station_is_a_clear_error(csms201: CsmsSimulator) -> None:
    """Triggering with no station connected names the CSMS URL."""
    with pytest.raises(TriggerFailed, match="no station is connected"):
        await csms201.trigger("TriggerMessage", {"requestedMessage": "Heartbeat"})
    with pytest.raises(TriggerFailed, match="'CP9' is not connected"):
        await csms201.trigger("TriggerMessage", {"requestedMessage": "Heartbeat"}, "CP9")


async def test_several_stations_are_served_and_triggered_by_identity(
    csms201: CsmsSimulator,
) -> None:
    """Two stations boot independently; a trigger names the one it is for."""
    dut = csms201.dut
    one, two = await connect(dut, csms201, "CP1"), await connect(dut, csms201, "CP2")
    for station in (one, two):
        await station.call("BootNotification", boot_201(), status="Accepted")
    with pytest.raises(TriggerFailed, match="name the one"):
        await csms201.trigger("TriggerMessage", {"requestedMessage": "Heartbeat"})
    two.respond("TriggerMessage", {"status": "Accepted"})
    answer = await csms201.trigger("TriggerMessage", {"requestedMessage": "Heartbeat"}, "CP2")
    assert answer == {"status": "Accepted"}
    assert [c.action for c in two.inbound] == ["TriggerMessage"]
    assert one.inbound == []
    assert csms201.state.station("CP1").boots == csms201.state.station("CP2").boots == 1
    await one.close()
    await two.close()


async def test_remote_start_gets_a_remote_start_id(csms201: CsmsSimulator) -> None:
    """A triggered RequestStartTransaction is completed with a fresh remoteStartId."""
    station = await connect(csms201.dut, csms201)
    station.respond("RequestStartTransaction", {"status": "Accepted"})
    token = {"idToken": csms201.dut.tokens.valid, "type": "ISO14443"}
    await csms201.trigger("RequestStartTransaction", {"idToken": token})
    sent = station.inbound[0].payload
    assert sent["idToken"] == token
    assert isinstance(sent["remoteStartId"], int)
    await station.close()


async def test_basic_auth_is_required_with_security_profile_1() -> None:
    """With security profile 1 a station without the password is refused (HTTP 401)."""
    dut = profile(V201)
    secured = dataclasses.replace(
        dut,
        connection=dataclasses.replace(
            dut.connection, security_profile=1, basic_auth_password=Secret("s3cret-pass")
        ),
    )
    async with start_csms(secured) as csms:
        station = await connect(secured, csms)
        await station.call("BootNotification", boot_201(), status="Accepted")
        await station.close()
        with pytest.raises(ConnectionRefusedByPeer) as refused:
            await connect(dut, csms)
        assert refused.value.status == 401


def test_non_loopback_hosts_are_refused() -> None:
    """The reference CSMS binds loopback only unless remote access is allowed."""
    with pytest.raises(ConfigurationError, match="loopback"):
        CsmsSimulator(profile(V201), host="0.0.0.0")
    CsmsSimulator(profile(V201), host="0.0.0.0", allow_remote=True)


# -- fault knobs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "faults",
    [["no_such_knob"], ["ignore_call"], ["ignore_call:NoSuchAction"], ["boot_rejected:Heartbeat"]],
)
def test_bad_fault_knobs_are_refused(faults: list[str]) -> None:
    """Unknown, incomplete or misdirected knobs are configuration errors."""
    with pytest.raises(ConfigurationError) as error:
        CsmsSimulator(profile(V201, faults=faults))
    assert error.value.field == "embedded.faults"


async def run_faulty(
    version: str, faults: list[str], action: str, payload: dict[str, Any], **kw: Any
) -> Any:
    """Send one CALL to a mutant; return the raw engine reply."""
    dut = profile(version, faults=faults, **kw)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        try:
            return await station.connection.call(action, payload, timeout=5)
        finally:
            await station.close()


async def test_boot_rejected_and_boot_wrong_interval() -> None:
    """boot_rejected answers Rejected; boot_wrong_interval gives a negative interval."""
    rejected = await run_faulty(V201, ["boot_rejected"], "BootNotification", boot_201())
    assert rejected.payload["status"] == "Rejected"
    wrong = await run_faulty(V16, ["boot_wrong_interval"], "BootNotification", dict(BOOT_16))
    assert wrong.payload["status"] == "Accepted"
    assert wrong.payload["interval"] < 0


async def test_bad_timestamp_breaks_current_time() -> None:
    """bad_timestamp sends a currentTime that is not RFC 3339 (a schema finding)."""
    reply = await run_faulty(V201, ["bad_timestamp"], "Heartbeat", {})
    assert reply.payload["currentTime"] == BAD_TIMESTAMP
    assert reply.violations


@pytest.mark.parametrize("version", [V16, V201])
async def test_wrong_enum_and_authorize_all(version: str) -> None:
    """wrong_enum puts a value outside the enum; authorize_all accepts a blocked token."""
    dut = profile(version)
    blocked = str(dut.tokens.blocked)
    wrong = await run_faulty(
        version, ["wrong_enum"], "Authorize", authorize_payload(version, blocked)
    )
    assert token_info(version, wrong.payload)["status"] == WRONG_ENUM
    assert wrong.violations
    lax = await run_faulty(
        version, ["authorize_all"], "Authorize", authorize_payload(version, blocked)
    )
    assert token_info(version, lax.payload)["status"] == "Accepted"


async def test_schema_violation_drops_a_required_field_or_adds_one() -> None:
    """schema_violation: Authorize loses idTokenInfo; TransactionEvent gains an unknown field."""
    dut = profile(V201)
    reply = await run_faulty(
        V201,
        ["schema_violation:Authorize"],
        "Authorize",
        authorize_payload(V201, str(dut.tokens.valid)),
    )
    assert "idTokenInfo" not in reply.payload
    assert reply.violations
    reply = await run_faulty(
        V201, ["schema_violation:TransactionEvent"], "TransactionEvent", event("Started", 0)
    )
    assert reply.payload.get("unexpectedField") is True
    assert reply.violations


async def test_ignore_call_and_reply_late() -> None:
    """ignore_call never answers; reply_late answers after twice the message timeout."""
    dut = profile(
        V201, faults=["ignore_call:Heartbeat", "reply_late:StatusNotification"], message_timeout=0.2
    )
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        with pytest.raises(ResponseTimeout):
            await station.call("Heartbeat", {}, timeout=0.5)
        status = {
            "timestamp": "2025-01-01T00:00:00Z",
            "connectorStatus": "Available",
            "evseId": 1,
            "connectorId": 1,
        }
        with pytest.raises(ResponseTimeout):
            await station.call("StatusNotification", status, timeout=0.2)
        late = await station.connection.call("StatusNotification", status, timeout=2.0)
        assert late.payload == {}
        await station.close()


async def test_skip_and_duplicate_trigger() -> None:
    """skip_trigger sends nothing; duplicate_trigger sends the request twice."""
    request = {"requestedMessage": "Heartbeat"}
    for faults, count in ((["skip_trigger"], 0), (["duplicate_trigger"], 2)):
        dut = profile(V201, faults=faults)
        async with start_csms(dut) as csms:
            station = await connect(dut, csms)
            station.respond("TriggerMessage", {"status": "Accepted"})
            await csms.trigger("TriggerMessage", request)
            assert len(station.inbound) == count
            await station.close()


async def test_wrong_transaction_id_and_remote_start_wrong_token() -> None:
    """Remote stop names another transaction; remote start carries another token."""
    dut = profile(V16, faults=["wrong_transaction_id", "remote_start_wrong_token"])
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        station.respond("RemoteStopTransaction", {"status": "Rejected"})
        station.respond("RemoteStartTransaction", {"status": "Rejected"})
        await csms.trigger("RemoteStopTransaction", {"transactionId": 7})
        await csms.trigger("RemoteStartTransaction", {"idTag": str(dut.tokens.valid)})
        stop, start = (c.payload for c in station.inbound)
        assert stop["transactionId"] != 7
        assert start["idTag"] != dut.tokens.valid
        await station.close()


async def test_v201_remote_stop_defaults_to_the_active_transaction(
    csms201: CsmsSimulator,
) -> None:
    """A RequestStopTransaction without id stops the station's running transaction."""
    station = await connect(csms201.dut, csms201)
    await station.call("TransactionEvent", event("Started", 0))
    station.respond("RequestStopTransaction", {"status": "Accepted"})
    await csms201.trigger("RequestStopTransaction", {})
    assert station.inbound[0].payload == {"transactionId": "TX-1"}
    await station.close()


# -- trigger kinds ------------------------------------------------------------------


class _Hook(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        body = b'{"status": "Accepted"}' if _Hook.status == 200 else b"nope"
        self.send_response(_Hook.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def hook_url() -> Iterator[str]:
    """A local HTTP trigger hook recording what it receives."""
    _Hook.received.clear()
    _Hook.status = 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/trigger"
    finally:
        server.shutdown()
        server.server_close()


def with_trigger(kind: str, url: str | None = None) -> DutProfile:
    dut = profile(V201)
    return dataclasses.replace(dut, trigger=Trigger(kind=kind, url=url))


async def test_http_trigger_posts_the_request_and_returns_the_answer(hook_url: str) -> None:
    """Kind http POSTs identity, action and payload, and returns the hook's JSON answer."""
    trigger = CsmsTrigger(with_trigger("http", hook_url))
    answer = await trigger.request(
        "TriggerMessage", {"requestedMessage": "Heartbeat"}, description=""
    )
    assert answer == {"status": "Accepted"}
    await trigger.configure("next_boot_status", "Pending", description="")
    identity = profile(V201).identity
    assert _Hook.received == [
        {
            "identity": identity,
            "action": "TriggerMessage",
            "payload": {"requestedMessage": "Heartbeat"},
        },
        {"identity": identity, "setting": "next_boot_status", "value": "Pending"},
    ]


async def test_http_trigger_failure_names_url_and_status(hook_url: str) -> None:
    """An HTTP error from the hook is a TriggerError naming the URL and the status."""
    _Hook.status = 500
    trigger = CsmsTrigger(with_trigger("http", hook_url))
    with pytest.raises(TriggerError, match=rf"{hook_url} answered HTTP 500"):
        await trigger.request("TriggerMessage", {"requestedMessage": "Heartbeat"}, description="")


async def test_manual_trigger_without_a_terminal_is_not_run() -> None:
    """Kind manual skips the test as "not run" when nobody can answer at a terminal."""
    trigger = CsmsTrigger(with_trigger("manual"))
    with pytest.raises(pytest.skip.Exception, match="not run: the manual trigger"):
        await trigger.request("TriggerMessage", {"requestedMessage": "Heartbeat"}, description="x")


def test_sim_trigger_needs_the_embedded_csms() -> None:
    """Kind sim without a running embedded CSMS is a configuration error."""
    with pytest.raises(ConfigurationError) as error:
        CsmsTrigger(profile(V201))
    assert error.value.field == "trigger.kind"


async def test_requesting_reports_a_failed_trigger_instead_of_waiting(
    csms201: CsmsSimulator,
) -> None:
    """When the trigger fails before the request arrives, its error is raised at once."""
    station = await connect(csms201.dut, csms201, "OTHER")
    trigger = CsmsTrigger(csms201.dut, sim=csms201)  # the profile's identity is not connected
    with pytest.raises(TriggerFailed, match="is not connected"):
        async with trigger.requesting(
            station, "TriggerMessage", {"requestedMessage": "Heartbeat"}, description=""
        ) as request:
            await request.received(timeout=30)
    await station.close()


def test_token_invalid_answers_the_named_action_invalid_within_the_schema() -> None:
    """``token_invalid:<Action>`` makes only that action's token status Invalid, schema-valid."""
    (rule,) = parse_faults(["token_invalid:StartTransaction"], OcppVersion.V16).rules
    start = {"transactionId": 1, "idTagInfo": {"status": "Accepted"}}
    assert rule.matches("reply", "StartTransaction", start)
    changed, valid = rewrite(start, [rule.op])
    assert changed["idTagInfo"]["status"] == "Invalid"
    assert valid
    assert validate_payload(OcppVersion.V16, "StartTransaction", changed, response=True) == []
    assert not rule.matches("reply", "Authorize", {"idTagInfo": {"status": "Accepted"}})


def test_the_docs_knob_table_is_the_data() -> None:
    """docs/simulators.md shows exactly the reference CSMS's knob data (wire and behaviour)."""
    from pathlib import Path

    from harness.sim.csms.mutants import BEHAVIOUR_KNOBS, MUTANTS
    from harness.sim.mutants import knob_table

    docs = Path(__file__).parents[2] / "docs" / "simulators.md"
    assert knob_table(MUTANTS, BEHAVIOUR_KNOBS) in docs.read_text(encoding="utf-8")
