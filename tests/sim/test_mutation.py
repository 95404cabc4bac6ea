"""The mutation layer's operations, each on a loopback connection, and the knobs' schema checks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from harness.errors import ConfigurationError
from harness.ocppj import OcppVersion, Role, memory_pair
from harness.ocppj.connection import IncomingCall, OcppConnection
from harness.sim.mutants import COMMON, Side, wire_rules
from harness.sim.mutation import (
    CALL,
    REPLY,
    Answer,
    AnswerError,
    Delay,
    Drop,
    Duplicate,
    Extra,
    Late,
    MutationLayer,
    Omit,
    Reorder,
    Rule,
    Set,
    Unset,
    Where,
)
from harness.sim.station.v16_mutants import MUTANTS as V16_MUTANTS
from harness.trace import Direction, Trace

V16 = OcppVersion.V16
WAIT = 1.0
STATUS = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
NOW = "2024-01-01T12:00:00Z"


@dataclass
class Loop:
    """A mutant station's connection (with its layer) facing a plain Central System."""

    station: OcppConnection
    csms: OcppConnection
    layer: MutationLayer
    tasks: set[asyncio.Task[None]]

    def received(self, action: str | None = None) -> list[dict[str, Any]]:
        """The CALLs the Central System received, as parsed frames, in order."""
        frames = [
            {"id": e.unique_id, "action": e.action, "payload": json.loads(e.raw)[3]}
            for e in self.csms.trace
            if e.direction is Direction.RECEIVED and e.message_type == 2
        ]
        return [f for f in frames if action is None or f["action"] == action]

    async def ask(self, action: str, payload: dict[str, Any]) -> Any:
        """The Central System's CALL to the station and its reply (None when unanswered)."""
        try:
            return await self.csms.call(action, payload, timeout=0.3)
        except TimeoutError:
            return None


def _csms_answer(action: str) -> dict[str, Any]:
    return {"currentTime": NOW} if action == "Heartbeat" else {}


@pytest.fixture
async def make_loop() -> AsyncIterator[Any]:
    """Build a :class:`Loop` with the given rules; everything is closed at teardown."""
    made: list[Loop] = []

    def make(rules: Sequence[Rule], *, time_factor: float = 1.0) -> Loop:
        a, b = memory_pair("station", "csms")
        tasks: set[asyncio.Task[None]] = set()

        def spawn(work: Any) -> None:
            task = asyncio.get_running_loop().create_task(work)
            tasks.add(task)

        layer = MutationLayer(rules, late_after=lambda: 0.2, time_factor=time_factor, spawn=spawn)

        async def station_answers(incoming: IncomingCall) -> None:
            spec = layer.intercept(incoming)
            reply = spec if spec is not None else {"status": "Accepted"}
            if layer.defers(incoming):
                spawn(layer.answer(incoming, reply))
            else:
                await layer.answer(incoming, reply)

        async def csms_answers(incoming: IncomingCall) -> None:
            await incoming.reply(_csms_answer(incoming.action), validate=False)

        station = OcppConnection(
            a, V16, Role.STATION, trace=Trace("station"), on_call=station_answers
        )
        csms = OcppConnection(b, V16, Role.CSMS, trace=Trace("csms"), on_call=csms_answers)
        station.start()
        csms.start()
        loop = Loop(station, csms, layer, tasks)
        made.append(loop)
        return loop

    yield make
    for loop in made:
        for task in loop.tasks:
            task.cancel()
        await loop.station.close()
        await loop.csms.close()


async def _send(loop: Loop, action: str, payload: dict[str, Any]) -> Any:
    return await loop.layer.call(loop.station, action, payload, timeout=WAIT)


async def _settle() -> None:
    await asyncio.sleep(0.05)  # let the memory channel deliver what was sent


async def test_no_rules_sends_the_reference_message(make_loop: Any) -> None:
    """Without rules the layer sends the message unchanged and returns the reply."""
    loop = make_loop([])
    reply = await _send(loop, "StatusNotification", STATUS)
    assert reply.payload == {}
    assert [f["payload"] for f in loop.received()] == [STATUS]


async def test_drop_sends_nothing_when_the_condition_holds(make_loop: Any) -> None:
    """Drop with a condition withholds only the matching CALLs; the sender gets None."""
    loop = make_loop([Rule(CALL, "StatusNotification", Drop(), (Where(("status",), "Charging"),))])
    assert await _send(loop, "StatusNotification", {**STATUS, "status": "Charging"}) is None
    assert await _send(loop, "StatusNotification", STATUS) is not None
    assert [f["payload"]["status"] for f in loop.received()] == ["Available"]


async def test_delay_honours_the_time_factor(make_loop: Any) -> None:
    """Delay(0.05) at time factor 3 sends the CALL no sooner than 0.15 s later."""
    loop = make_loop([Rule(CALL, "Heartbeat", Delay(0.05))], time_factor=3)
    started = asyncio.get_running_loop().time()
    await _send(loop, "Heartbeat", {})
    assert asyncio.get_running_loop().time() - started >= 0.15


@pytest.mark.parametrize("new_id", [False, True])
async def test_duplicate_resends_with_the_same_or_a_new_id(make_loop: Any, new_id: bool) -> None:
    """Duplicate sends the CALL twice: the same id (a retransmission) or a new one."""
    loop = make_loop([Rule(CALL, "Heartbeat", Duplicate(new_id=new_id))])
    await _send(loop, "Heartbeat", {})
    await _settle()
    ids = [f["id"] for f in loop.received("Heartbeat")]
    assert len(ids) == 2
    assert (ids[0] != ids[1]) is new_id


async def test_reorder_holds_a_call_until_the_next_is_sent(make_loop: Any) -> None:
    """Reorder holds the first StatusNotification and sends it after the next CALL."""
    loop = make_loop([Rule(CALL, "StatusNotification", Reorder())])
    assert await _send(loop, "StatusNotification", STATUS) is None
    await _send(loop, "Heartbeat", {})
    assert [f["action"] for f in loop.received()] == ["Heartbeat", "StatusNotification"]


async def test_omit_and_set_rewrite_the_payload(make_loop: Any) -> None:
    """Omit leaves a required field out; Set gives a field another (valid or invalid) value."""
    loop = make_loop(
        [
            Rule(CALL, "StatusNotification", Omit(("connectorId",))),
            Rule(CALL, "StatusNotification", Set(("errorCode",), "OtherError")),
            Rule(CALL, "StatusNotification", Set(("status",), "Bogus", valid=False)),
            Rule(CALL, "StatusNotification", Unset(("info",))),
        ]
    )
    await _send(loop, "StatusNotification", {**STATUS, "info": "x"})
    (sent,) = loop.received()
    assert sent["payload"] == {"errorCode": "OtherError", "status": "Bogus"}
    entry = next(e for e in loop.csms.trace if e.direction is Direction.RECEIVED)
    assert entry.findings, "the Central System must see the schema violation"


async def test_extra_sends_another_call_after_the_message(make_loop: Any) -> None:
    """Extra sends a further CALL once the matching one is answered."""
    loop = make_loop([Rule(CALL, "StatusNotification", Extra("Heartbeat"))])
    await _send(loop, "StatusNotification", STATUS)
    assert [f["action"] for f in loop.received()] == ["StatusNotification", "Heartbeat"]


async def test_answer_replaces_the_behaviours_reply(make_loop: Any) -> None:
    """Answer and AnswerError reply in the behaviour's stead; Drop leaves the request unanswered."""
    loop = make_loop(
        [
            Rule(REPLY, "Reset", Answer({"status": "Rejected"})),
            Rule(REPLY, "ClearCache", AnswerError("NotSupported")),
            Rule(REPLY, "UnlockConnector", Drop()),
        ]
    )
    assert (await loop.ask("Reset", {"type": "Soft"})).payload == {"status": "Rejected"}
    refused = await loop.ask("ClearCache", {})
    assert refused.is_error
    assert refused.frame.error_code == "NotSupported"
    assert await loop.ask("UnlockConnector", {"connectorId": 1}) is None


async def test_late_answers_after_the_message_timeout(make_loop: Any) -> None:
    """Late answers after the message timeout: the peer's 0.3 s wait for a 0.2 + 0.2 s answer ends empty-handed."""  # noqa: E501
    loop = make_loop([Rule(REPLY, "Reset", Late(margin=0.2))])
    assert await loop.ask("Reset", {"type": "Soft"}) is None
    await asyncio.sleep(0.2)
    answered = [e for e in loop.station.trace if e.direction is Direction.SENT]
    assert answered, "the late answer must still be sent"


async def test_reply_rewrite_applies_to_the_behaviours_answer(make_loop: Any) -> None:
    """A Set rule on the way back changes the behaviour's answer."""
    loop = make_loop([Rule(REPLY, "Reset", Set(("status",), "Rejected"))])
    assert (await loop.ask("Reset", {"type": "Hard"})).payload == {"status": "Rejected"}


# -- knobs checked against the schemas -----------------------------------------------


SIDE = Side(V16, Role.STATION)


@pytest.mark.parametrize(
    ("knob", "says"),
    [
        ("reject", "needs an argument"),
        ("bad_timestamp:Heartbeat", "takes no argument"),
        ("reject:Rest", "'Rest' is not an OCPP 1.6 action"),
        ("duplicate:Reset", "not a request the station sends"),
        ("ignore_call:Heartbeat", "not a request the csms sends"),
        ("skip_status:Bogus", "'Bogus' is not one of"),
        ("schema_violation:Heartbeat", "requires no field"),
        ("wrong_enum:Heartbeat", "has an enum"),
        ("trigger_ignored:Nothing", "'Nothing' is not one of"),
    ],
)
def test_bad_knob_arguments_are_refused_naming_the_knob(knob: str, says: str) -> None:
    """A knob whose argument does not fit the schemas is a ConfigurationError naming it."""
    with pytest.raises(ConfigurationError, match=says) as error:
        wire_rules([knob], V16_MUTANTS, SIDE)
    assert knob in str(error.value)
    assert error.value.field == "embedded.faults"


def test_schema_violation_omits_a_required_field() -> None:
    """schema_violation omits the first field the schema requires, not the payload's first key."""
    (rule,) = wire_rules(["schema_violation:StopTransaction"], COMMON, SIDE)[0]
    assert rule.op == Omit(("transactionId",))


def test_behaviour_knobs_pass_through() -> None:
    """Knobs that are not wire mutants are returned for the behaviour to read."""
    rules, rest = wire_rules(["skip_status:Charging", "ignore_change"], V16_MUTANTS, SIDE)
    assert rest == ["ignore_change"]
    assert [rule.action for rule in rules] == ["StatusNotification"]


def test_docs_knob_table_is_the_data() -> None:
    """The 1.6 station docs show exactly its knob data (wire and behaviour)."""
    from pathlib import Path

    from harness.sim.mutants import knob_table
    from harness.sim.station.v16_mutants import BEHAVIOUR_KNOBS

    docs = Path(__file__).parents[2] / "docs" / "station-simulator-1.6.md"
    assert knob_table(V16_MUTANTS, BEHAVIOUR_KNOBS) in docs.read_text(encoding="utf-8")


def test_every_simulator_names_each_knob_once() -> None:
    """No two knobs of one simulator share a name (the later one would silently shadow it)."""
    from collections import Counter

    from harness.sim.csms import mutants as csms
    from harness.sim.station import v16_mutants, v201_mutants

    for table in (csms, v16_mutants, v201_mutants):
        names = [m.name for m in table.MUTANTS] + list(table.BEHAVIOUR_KNOBS)
        twice = [name for name, count in Counter(names).items() if count > 1]
        assert not twice, f"{table.__name__} names these knobs twice: {twice}"
