"""Expectations: Pattern semantics, and expect, expect_none, expect_in_order, expect_all live.

The session tests run for both roles (the engine does not care who sends what,
only the actions differ) over OCPP 2.0.1; the peer is a bare channel end that
sends CALLs whose answers the tests ignore.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import pytest
from engine_support import NOW, QUIET, SHORT, V201, WAIT, OpenRaw, RawPeer, later

from harness.errors import (
    DutDisconnected,
    ExpectationFailed,
    ProtocolViolation,
    UnexpectedMessage,
    UsageError,
)
from harness.expect import ABSENT, ANY, Pattern, containing, integer_at_least, one_of, or_absent
from harness.ocppj import Role, memory_pair
from harness.session import DEFAULT, Session

# -- Pattern --------------------------------------------------------------------------------

STATUS = {
    "timestamp": NOW,
    "connectorStatus": "Available",
    "evseId": 1,
    "connectorId": 2,
    "customData": {"vendorId": "Acme", "tags": ["a", "b"]},
}


@pytest.mark.parametrize(
    "match",
    [
        pytest.param(None, id="no-match"),
        pytest.param({}, id="empty"),
        pytest.param({"connectorStatus": "Available"}, id="subset"),
        pytest.param({"connectorStatus": "Available", "evseId": 1}, id="two-keys"),
        pytest.param({"customData": {"vendorId": "Acme"}}, id="nested-subset"),
        pytest.param({"customData": {"tags": ["a", "b"]}}, id="list"),
        pytest.param({"connectorId": ANY}, id="any"),
        pytest.param({"customData": ANY, "reason": ABSENT}, id="absent"),
        pytest.param({"connectorStatus": one_of("Occupied", "Available")}, id="one-of"),
        pytest.param({"connectorId": lambda n: n > 1}, id="callable"),
        pytest.param({"customData": {"tags": [ANY, one_of("b")]}}, id="list-of-matchers"),
        pytest.param({"evseId": 1.0}, id="int-equals-float"),
        pytest.param({"reason": or_absent("Local")}, id="or-absent-when-absent"),
        pytest.param({"evseId": or_absent(one_of(1, 2))}, id="or-absent-when-present"),
        pytest.param({"customData": {"tags": containing("b", "a")}}, id="containing-any-order"),
        pytest.param({"customData": {"tags": containing("b")}}, id="containing-more-elements"),
        pytest.param({"connectorId": integer_at_least(2)}, id="integer-at-least"),
    ],
)
def test_pattern_matches(match: dict[str, Any] | None) -> None:
    """A pattern matches when every key it names matches; unnamed keys are ignored."""
    assert Pattern("StatusNotification", match).mismatch("StatusNotification", STATUS) is None


@pytest.mark.parametrize(
    ("match", "reason"),
    [
        pytest.param(
            {"connectorStatus": "Occupied"},
            '$.connectorStatus: expected "Occupied", got "Available"',
            id="value",
        ),
        pytest.param({"reason": "x"}, '$.reason: missing (expected "x")', id="missing"),
        pytest.param({"reason": ANY}, "$.reason: missing", id="any-needs-presence"),
        pytest.param({"evseId": ABSENT}, "$.evseId: expected absent, got 1", id="absent"),
        pytest.param(
            {"connectorStatus": or_absent("Occupied")},
            '$.connectorStatus: expected "Occupied", got "Available"',
            id="or-absent-present-with-another-value",
        ),
        pytest.param(
            {"customData": {"vendorId": "Other"}},
            '$.customData.vendorId: expected "Other", got "Acme"',
            id="nested",
        ),
        pytest.param(
            {"customData": {"tags": ["a"]}},
            '$.customData.tags: expected 1 elements, got ["a", "b"]',
            id="list-length",
        ),
        pytest.param(
            {"customData": {"tags": ["a", "c"]}},
            '$.customData.tags[1]: expected "c", got "b"',
            id="list-element",
        ),
        pytest.param(
            {"customData": {"tags": containing("a", "c")}},
            '$.customData.tags: no element matches "c"; got ["a", "b"]',
            id="containing-missing-element",
        ),
        pytest.param(
            {"evseId": integer_at_least(2)},
            '$.evseId: expected "an integer >= 2", got 1',
            id="integer-below-minimum",
        ),
        pytest.param(
            {"customData": {"tags": containing("a", one_of("a"))}},
            "$.customData.tags: no distinct element for each of",
            id="containing-one-element-for-two-patterns",
        ),
        pytest.param(
            {"connectorStatus": {"x": 1}},
            '$.connectorStatus: expected an object, got "Available"',
            id="object-expected",
        ),
        pytest.param(
            {"connectorStatus": one_of("Occupied", "Faulted")},
            "$.connectorStatus: expected",
            id="one-of",
        ),
        pytest.param({"connectorId": lambda n: n > 5}, "$.connectorId: expected", id="callable"),
        pytest.param({"evseId": True}, "$.evseId: expected true, got 1", id="bool-is-not-int"),
    ],
)
def test_pattern_mismatch_explains_the_first_difference(match: dict[str, Any], reason: str) -> None:
    """A mismatch names the JSON path of the first difference, what was expected and what came."""
    got = Pattern("StatusNotification", match).mismatch("StatusNotification", STATUS)
    assert got is not None
    assert got.startswith(reason)


def test_pattern_one_of_names_its_values() -> None:
    """one_of shows its alternatives in a mismatch."""
    got = Pattern("A", {"s": one_of("x", "y")}).mismatch("A", {"s": "z"})
    assert got == "$.s: expected \"one of 'x', 'y'\", got \"z\""


def test_pattern_action_and_where() -> None:
    """The action must be equal, and a where-predicate is named when it fails."""

    def has_two_connectors(payload: dict[str, Any]) -> bool:
        return payload.get("connectorId") == 2

    pattern = Pattern("StatusNotification", where=has_two_connectors)
    assert pattern.mismatch("Heartbeat", {}) == "action is Heartbeat, not StatusNotification"
    assert pattern.matches("StatusNotification", STATUS)
    assert pattern.mismatch("StatusNotification", {}) == "payload fails has_two_connectors"


def test_pattern_bool_does_not_match_int() -> None:
    """1 and True are different JSON values, in both directions."""
    assert not Pattern("A", {"v": 1}).matches("A", {"v": True})
    assert not Pattern("A", {"v": True}).matches("A", {"v": 1})
    assert Pattern("A", {"v": False}).matches("A", {"v": False})


def test_pattern_describe() -> None:
    """describe() shows the action and the partial payload, or the label when one is given."""
    assert Pattern("Heartbeat").describe() == "Heartbeat"
    assert Pattern("A", {"s": "x"}).describe() == 'A with {"s": "x"}'
    assert Pattern("A", {"s": "x"}, label="the A").describe() == "the A"


# -- the session ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Traffic:
    """What the peer sends in the tests: one action with a field to vary, and another action."""

    action: str
    field: str
    values: tuple[str, str]
    base: dict[str, Any]
    other: str

    def payload(self, value: str) -> dict[str, Any]:
        return {**self.base, self.field: value}


#: By the role of the peer that sends.
TRAFFIC = {
    Role.STATION: Traffic(
        "StatusNotification",
        "connectorStatus",
        ("Available", "Unavailable"),
        {"timestamp": NOW, "evseId": 1, "connectorId": 1},
        "Heartbeat",
    ),
    Role.CSMS: Traffic(
        "ChangeAvailability", "operationalStatus", ("Operative", "Inoperative"), {}, "ClearCache"
    ),
}


@dataclass
class Live:
    session: Session
    peer: RawPeer
    traffic: Traffic

    async def send(self, value: str | None = None, *, action: str | None = None) -> str:
        """The peer sends the traffic action with ``value`` (or another action); returns the id."""
        unique_id = self.peer.next_id()
        if action is not None:
            payload: dict[str, Any] = {}
        else:
            action, payload = self.traffic.action, self.traffic.payload(value or "")
        await self.peer.send([2, unique_id, action, payload])
        return unique_id

    async def arrived(self) -> None:
        """Wait for the harness's answer, which shows it recorded the frame sent before."""
        await self.peer.recv()

    def match(self, index: int) -> dict[str, str]:
        return {self.traffic.field: self.traffic.values[index]}


@pytest.fixture
async def live(open_raw: OpenRaw, role: Role) -> Live:
    """The harness in ``role`` over OCPP 2.0.1, facing a raw peer."""
    session, peer = open_raw(V201, role)
    return Live(session, peer, TRAFFIC[peer.role])


async def test_expect_returns_a_call_arriving_during_the_wait(live: Live) -> None:
    """expect waits for a matching CALL and returns it with its payload and id."""
    sending = asyncio.create_task(later(QUIET, live.send(live.traffic.values[1])))
    got = await live.session.expect(live.traffic.action, match=live.match(1), timeout=WAIT)
    assert got.unique_id == await sending
    assert got.payload[live.traffic.field] == live.traffic.values[1]
    assert got.valid


async def test_expect_finds_a_frame_in_the_backlog(live: Live) -> None:
    """A frame that arrived before the expectation is found without waiting (timeout 0)."""
    unique_id = await live.send(live.traffic.values[0])
    await live.arrived()
    got = await live.session.expect(live.traffic.action, timeout=0)
    assert got.unique_id == unique_id


async def test_expect_consumes_a_frame_once(live: Live) -> None:
    """Two expectations cannot both take one frame: the second fails and says why."""
    await live.send(live.traffic.values[0])
    await live.session.expect(live.traffic.action, timeout=WAIT)
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect(live.traffic.action, timeout=SHORT)
    assert "already matched by an earlier expectation" in str(caught.value)


async def test_expect_skips_frames_that_do_not_match(live: Live) -> None:
    """A non-matching earlier frame is left for a later expectation."""
    first = await live.send(live.traffic.values[0])
    second = await live.send(live.traffic.values[1])
    got = await live.session.expect(live.traffic.action, match=live.match(1), timeout=WAIT)
    assert got.unique_id == second
    got = await live.session.expect(live.traffic.action, timeout=0)
    assert got.unique_id == first


async def test_expect_fails_at_its_deadline_and_explains(live: Live) -> None:
    """At the deadline, the failure names the pattern, the timeout and the nearest candidate."""
    await live.send(live.traffic.values[0])
    await live.arrived()
    start = time.monotonic()
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect(live.traffic.action, match=live.match(1), timeout=0.1)
    assert 0.1 <= time.monotonic() - start < 1.0
    error = caught.value
    assert error.timeout == 0.1
    assert live.traffic.action in error.awaited
    text = str(error)
    assert f"Expected {live.traffic.action} with" in text
    assert "for 0.1 s" in text
    assert "Nearest candidates received:" in text
    field, (got, wanted) = live.traffic.field, live.traffic.values
    assert f'$.{field}: expected "{wanted}", got "{got}"' in text


async def test_expect_failure_says_when_nothing_came(live: Live) -> None:
    """With nothing received, the failure says so instead of listing candidates."""
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect(live.traffic.action, timeout=QUIET)
    assert "Nothing was received from the device" in str(caught.value)


async def test_expect_lists_other_actions_when_none_of_the_awaited_came(live: Live) -> None:
    """When only other actions arrived, they are the candidates, each with its difference."""
    await live.send(action=live.traffic.other)
    await live.arrived()
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect(live.traffic.action, timeout=QUIET)
    assert f"action is {live.traffic.other}, not {live.traffic.action}" in str(caught.value)


async def test_expect_on_an_invalid_frame_is_a_protocol_violation(live: Live) -> None:
    """A matching frame that breaks its schema raises ProtocolViolation naming the violation."""
    await live.send("Sleeping")
    with pytest.raises(ProtocolViolation) as caught:
        await live.session.expect(live.traffic.action, timeout=WAIT)
    assert f"$.{live.traffic.field}" in str(caught.value)
    assert "breaks the OCPP 2.0.1 schema" in str(caught.value)


async def test_awaited_action_arriving_invalid_fails_at_once_with_the_schema_error_first(
    live: Live,
) -> None:
    """An awaited CALL arriving schema-invalid (so it cannot match) fails now, not at the deadline.

    The message puts the schema error first, then the frame.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    sending = asyncio.create_task(later(QUIET, live.send("Sleeping")))
    with pytest.raises(ProtocolViolation) as caught:
        await live.session.expect(live.traffic.action, match=live.match(0), timeout=WAIT)
    await sending
    assert loop.time() - started < WAIT / 2
    message = str(caught.value)
    schema_line = f"{live.traffic.action} breaks the OCPP 2.0.1 schema (schema):"
    assert message.startswith(schema_line)
    assert message.index(f"$.{live.traffic.field}") < message.index("frame: ")
    assert message.index("frame: ") < message.index("It arrived while the harness awaited")


@pytest.mark.parametrize("helper", ["expect_in_order", "expect_all"])
async def test_several_awaited_fail_at_once_on_an_invalid_arrival(live: Live, helper: str) -> None:
    """expect_in_order and expect_all also fail at once when an awaited action arrives invalid."""
    await live.send("Sleeping")
    await live.arrived()
    pattern = Pattern(live.traffic.action, live.match(0))
    with pytest.raises(ProtocolViolation, match="schema"):
        await getattr(live.session, helper)(pattern, timeout=WAIT)


async def test_invalid_frame_of_another_action_does_not_end_the_wait(live: Live) -> None:
    """Only the awaited action fails at once; an invalid frame of another action waits its turn."""
    await live.send("Sleeping")
    await live.arrived()
    with pytest.raises(ExpectationFailed):
        await live.session.expect(live.traffic.other, timeout=QUIET)


async def test_expect_allow_invalid_returns_the_invalid_frame(live: Live) -> None:
    """With allow_invalid the invalid frame is returned, marked invalid and already answered."""
    await live.send("Sleeping")
    got = await live.session.expect(live.traffic.action, timeout=WAIT, allow_invalid=True)
    assert not got.valid
    assert got.replied
    assert got.violations[0].path == f"$.{live.traffic.field}"


async def test_expect_after_a_frame_ignores_earlier_ones(live: Live) -> None:
    """after=<call> only accepts later frames, and the failure says the candidate came before."""
    await live.send(live.traffic.values[0])
    anchor = await live.send(live.traffic.values[1])
    first = await live.session.expect(live.traffic.action, match=live.match(1), timeout=WAIT)
    assert first.unique_id == anchor
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect(live.traffic.action, after=first, timeout=QUIET)
    assert "arrived before the frame this one had to follow" in str(caught.value)
    later_id = await live.send(live.traffic.values[0])
    got = await live.session.expect(live.traffic.action, after=first, timeout=WAIT)
    assert got.unique_id == later_id


async def test_expect_after_a_mark_ignores_earlier_frames(live: Live) -> None:
    """after=session.mark() accepts only frames recorded from that point on."""
    await live.send(live.traffic.values[0])
    await live.arrived()
    mark = live.session.mark()
    with pytest.raises(ExpectationFailed):
        await live.session.expect(live.traffic.action, after=mark, timeout=QUIET)
    fresh = await live.send(live.traffic.values[0])
    got = await live.session.expect(live.traffic.action, after=mark, timeout=WAIT)
    assert got.unique_id == fresh


async def test_expect_none_passes_when_nothing_matching_comes(live: Live) -> None:
    """expect_none returns after its window when only non-matching frames arrive."""
    sending = asyncio.create_task(later(QUIET / 2, live.send(live.traffic.values[1])))
    start = time.monotonic()
    await live.session.expect_none(live.traffic.action, match=live.match(0), during=SHORT)
    assert SHORT <= time.monotonic() - start < 1.0
    await sending


async def test_expect_none_fails_as_soon_as_a_matching_frame_arrives(live: Live) -> None:
    """expect_none fails when the frame arrives, long before the end of its window."""
    sending = asyncio.create_task(later(QUIET, live.send(live.traffic.values[0])))
    start = time.monotonic()
    with pytest.raises(UnexpectedMessage) as caught:
        await live.session.expect_none(live.traffic.action, during=5)
    assert time.monotonic() - start < 1.0
    await sending
    assert "which it must not send within 5 s" in str(caught.value)
    assert live.traffic.values[0] in str(caught.value)


async def test_expect_none_counts_earlier_frames_only_when_asked(live: Live) -> None:
    """Frames already received are ignored by default, but count with after= an earlier mark."""
    mark = live.session.mark()
    await live.send(live.traffic.values[0])
    await live.arrived()
    await live.session.expect_none(live.traffic.action, during=0)
    with pytest.raises(UnexpectedMessage):
        await live.session.expect_none(live.traffic.action, during=0, after=mark)


async def test_expect_in_order_accepts_the_right_order(live: Live) -> None:
    """expect_in_order returns the frames when they came in the given order."""
    a = await live.send(live.traffic.values[0])
    b = await live.send(action=live.traffic.other)
    got = await live.session.expect_in_order(
        Pattern(live.traffic.action), Pattern(live.traffic.other), timeout=WAIT
    )
    assert [g.unique_id for g in got] == [a, b]


async def test_expect_in_order_fails_on_the_wrong_order(live: Live) -> None:
    """expect_in_order fails when the second frame came first, and says so."""
    await live.send(action=live.traffic.other)
    await live.send(live.traffic.values[0])
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect_in_order(
            Pattern(live.traffic.action), Pattern(live.traffic.other), timeout=SHORT
        )
    text = str(caught.value)
    assert f"Expected {live.traffic.other} for {SHORT:g} s" in text
    assert "arrived before the frame this one had to follow" in text


async def test_expect_all_accepts_any_order(live: Live) -> None:
    """expect_all takes one distinct frame per pattern, whatever the order, in pattern order."""
    b = await live.send(action=live.traffic.other)
    a2 = await live.send(live.traffic.values[1])
    a1 = await live.send(live.traffic.values[0])
    got = await live.session.expect_all(
        Pattern(live.traffic.action, live.match(0)),
        Pattern(live.traffic.action),
        Pattern(live.traffic.other),
        timeout=WAIT,
    )
    assert [g.unique_id for g in got] == [a1, a2, b]


async def test_expect_all_names_only_the_missing_patterns(live: Live) -> None:
    """When expect_all times out, the failure names the patterns that found no frame."""
    await live.send(live.traffic.values[0])
    with pytest.raises(ExpectationFailed) as caught:
        await live.session.expect_all(
            Pattern(live.traffic.action), Pattern(live.traffic.other), timeout=SHORT
        )
    assert caught.value.awaited == live.traffic.other


async def test_disconnect_during_expect_raises_promptly(live: Live) -> None:
    """A peer closing the connection ends a long expectation at once with DutDisconnected."""
    closing = asyncio.create_task(later(QUIET, live.peer.close()))
    start = time.monotonic()
    with pytest.raises(DutDisconnected) as caught:
        await live.session.expect(live.traffic.action, timeout=5)
    assert time.monotonic() - start < 1.0
    await closing
    assert caught.value.code == 1000
    assert "closed the connection" in str(caught.value)


async def test_expect_on_a_closed_connection_raises_at_once(live: Live) -> None:
    """expect after the peer left raises DutDisconnected without waiting."""
    await live.peer.close()
    with pytest.raises(DutDisconnected):
        await live.session.expect(live.traffic.action, timeout=5)
    with pytest.raises(DutDisconnected):
        await live.session.expect_in_order(Pattern(live.traffic.action), timeout=5)


async def test_frames_before_a_disconnect_are_still_found(live: Live) -> None:
    """Frames received before the peer closed stay in the backlog and can be expected."""
    unique_id = await live.send(live.traffic.values[0])
    await live.arrived()
    await live.peer.close()
    got = await live.session.expect(live.traffic.action, timeout=WAIT)
    assert got.unique_id == unique_id


async def test_time_factor_stretches_timeouts(open_raw: OpenRaw, role: Role) -> None:
    """time_factor multiplies every timeout: 0.05 s with factor 3 waits 0.15 s."""
    session, _peer = open_raw(V201, role, time_factor=3, message_timeout=2)
    assert session.seconds(DEFAULT) == 6
    assert session.seconds(None) is None
    start = time.monotonic()
    with pytest.raises(ExpectationFailed) as caught:
        await session.expect(TRAFFIC[role.peer].action, timeout=QUIET)
    assert 3 * QUIET <= time.monotonic() - start < 1.0
    assert caught.value.timeout == pytest.approx(3 * QUIET)
    assert f"for {3 * QUIET:g} s" in str(caught.value)


async def test_pattern_and_match_together_is_a_usage_error(live: Live) -> None:
    """Passing match= beside a Pattern is refused: the Pattern carries its own."""
    with pytest.raises(UsageError):
        await live.session.expect(Pattern(live.traffic.action), match={}, timeout=0)


async def test_expect_accepts_a_pattern_with_a_predicate(live: Live) -> None:
    """A Pattern with where= selects frames by predicate."""
    await live.send(live.traffic.values[0])
    wanted = await live.send(live.traffic.values[1])

    def second_value(payload: dict[str, Any]) -> bool:
        return bool(payload[live.traffic.field] == live.traffic.values[1])

    got = await live.session.expect(Pattern(live.traffic.action, where=second_value), timeout=WAIT)
    assert got.unique_id == wanted


async def _adopt_later(session: Session, role: Role) -> RawPeer:
    """After a moment, connect a fresh channel to the session, as a rebooted peer would."""
    await asyncio.sleep(QUIET)
    mine, theirs = memory_pair("harness-2", "peer-2")
    session.adopt(mine)
    return RawPeer(theirs, role.peer)


async def test_reconnection_waits_for_the_new_connection(live: Live, role: Role) -> None:
    """Inside reconnection() a disconnect is expected; the block ends once the peer is back."""
    old = await live.send(live.traffic.values[0])
    await live.arrived()
    adopting = asyncio.create_task(_adopt_later(live.session, role))
    async with live.session.reconnection(timeout=WAIT):
        await live.peer.close()
    assert live.session.generation == 2
    fresh_peer = await adopting
    reply = await fresh_peer.call(live.traffic.action, live.traffic.payload(live.traffic.values[1]))
    assert reply[0] == 3  # the new connection is read and answered
    await live.session.expect(live.traffic.action, match=live.match(1), timeout=0)
    got_old = await live.session.expect(live.traffic.action, timeout=0)
    assert got_old.unique_id == old  # the backlog carried over


async def test_reconnection_fails_when_the_peer_stays_away(live: Live) -> None:
    """When the peer stays away past the deadline, reconnection() raises DutDisconnected."""
    start = time.monotonic()
    with pytest.raises(DutDisconnected) as caught:
        async with live.session.reconnection(timeout=SHORT):
            await live.peer.close()
    assert SHORT <= time.monotonic() - start < 1.0
    assert "did not reconnect" in str(caught.value)
