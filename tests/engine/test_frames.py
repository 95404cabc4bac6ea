"""Frames: golden round trips per version, every parse error, and parse() under fuzzing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from engine_support import V16, V21, V201
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.ocppj import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Frame,
    FrameError,
    MessageType,
    OcppVersion,
    Problem,
    Send,
    encode,
    parse,
)

GOLDEN: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "golden" / "frames.json").read_text(encoding="utf-8")
)
KINDS: dict[str, type[Frame]] = {
    "Call": Call,
    "CallResult": CallResult,
    "CallError": CallError,
    "CallResultError": CallResultError,
    "Send": Send,
}
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _golden_cases() -> list[Any]:
    return [
        pytest.param(OcppVersion(v), case, id=f"{case['name']}@{v}")
        for case in GOLDEN
        for v in case["versions"]
    ]


def _frame(spec: dict[str, Any]) -> Frame:
    fields = dict(spec)
    return KINDS[fields.pop("kind")](**fields)


@pytest.mark.parametrize(("version", "case"), _golden_cases())
def test_golden_frame_parses_to_its_fields(version: OcppVersion, case: dict[str, Any]) -> None:
    """A golden frame as written on the wire parses to exactly the frame it denotes."""
    assert parse(case["text"], version) == _frame(case["frame"])


@pytest.mark.parametrize(("version", "case"), _golden_cases())
def test_golden_frame_encodes_compactly(version: OcppVersion, case: dict[str, Any]) -> None:
    """Re-encoding a parsed golden frame gives its compact wire text, characters unescaped."""
    assert encode(parse(case["text"], version)) == case["compact"]


@pytest.mark.parametrize(("version", "case"), _golden_cases())
def test_golden_frame_survives_encode_then_parse(
    version: OcppVersion, case: dict[str, Any]
) -> None:
    """parse(encode(frame)) gives back the same frame and message type."""
    frame = _frame(case["frame"])
    again = parse(encode(frame), version)
    assert again == frame
    assert again.message_type is frame.message_type


def test_every_message_type_has_a_golden_frame_in_2_1() -> None:
    """The golden set covers all five message types of OCPP 2.1 and three of the others."""
    seen = {(v, c["frame"]["kind"]) for c in GOLDEN for v in c["versions"]}
    for version in ("1.6", "2.0.1"):
        assert {k for v, k in seen if v == version} == {"Call", "CallResult", "CallError"}
    assert {k for v, k in seen if v == "2.1"} == set(KINDS)


@pytest.mark.parametrize("version", [V16, V201], ids=lambda v: f"ocpp{v.value}")
@pytest.mark.parametrize(
    "text",
    [
        '[5,"r-7","InternalError","could not store the result",{}]',
        '[6,"s-1","NotifyPeriodicEventStream",{}]',
    ],
    ids=["CALLRESULTERROR", "SEND"],
)
def test_types_5_and_6_are_unknown_before_2_1(version: OcppVersion, text: str) -> None:
    """OCPP 1.6 and 2.0.1 reject message types 5 and 6 as unknown, keeping the id and type."""
    with pytest.raises(FrameError) as caught:
        parse(text, version)
    assert caught.value.problem is Problem.UNKNOWN_MESSAGE_TYPE
    assert caught.value.unique_id in ("r-7", "s-1")
    assert caught.value.message_type == json.loads(text)[0]


# (text, problem, readable id); each is checked in every version.
PARSE_ERRORS = [
    pytest.param("not json", Problem.NOT_JSON, None, id="not-json"),
    pytest.param("", Problem.NOT_JSON, None, id="empty-text"),
    pytest.param('[2,"a","Heartbeat",{}', Problem.NOT_JSON, None, id="truncated"),
    pytest.param('{"0": 2}', Problem.NOT_ARRAY, None, id="object"),
    pytest.param('"[2]"', Problem.NOT_ARRAY, None, id="string"),
    pytest.param("2", Problem.NOT_ARRAY, None, id="number"),
    pytest.param("null", Problem.NOT_ARRAY, None, id="null"),
    pytest.param("[]", Problem.WRONG_ARITY, None, id="empty-array"),
    pytest.param('[true,"m1","Heartbeat",{}]', Problem.BAD_MESSAGE_TYPE, "m1", id="type-bool"),
    pytest.param('["2","m1","Heartbeat",{}]', Problem.BAD_MESSAGE_TYPE, "m1", id="type-str"),
    pytest.param('[2.0,"m1","Heartbeat",{}]', Problem.BAD_MESSAGE_TYPE, "m1", id="type-float"),
    pytest.param('[null,"m1"]', Problem.BAD_MESSAGE_TYPE, "m1", id="type-null"),
    pytest.param('[7,"m1",{}]', Problem.UNKNOWN_MESSAGE_TYPE, "m1", id="type-7"),
    pytest.param('[1,"m1",{}]', Problem.UNKNOWN_MESSAGE_TYPE, "m1", id="type-1"),
    pytest.param('[-2,"m1",{}]', Problem.UNKNOWN_MESSAGE_TYPE, "m1", id="type-negative"),
    pytest.param("[2]", Problem.WRONG_ARITY, None, id="call-1"),
    pytest.param('[2,"m1","Heartbeat"]', Problem.WRONG_ARITY, "m1", id="call-3"),
    pytest.param('[2,"m1","Heartbeat",{},{}]', Problem.WRONG_ARITY, "m1", id="call-5"),
    pytest.param('[3,"m1"]', Problem.WRONG_ARITY, "m1", id="callresult-2"),
    pytest.param('[3,"m1",{},{}]', Problem.WRONG_ARITY, "m1", id="callresult-4"),
    pytest.param('[4,"m1","GenericError",""]', Problem.WRONG_ARITY, "m1", id="callerror-4"),
    pytest.param('[4,"m1","GenericError","",{},1]', Problem.WRONG_ARITY, "m1", id="callerror-6"),
    pytest.param('[2,17,"Heartbeat",{}]', Problem.BAD_ID, None, id="id-number"),
    pytest.param('[2,null,"Heartbeat",{}]', Problem.BAD_ID, None, id="id-null"),
    pytest.param('[3,["m1"],{}]', Problem.BAD_ID, None, id="id-array"),
    pytest.param('[2,"","Heartbeat",{}]', Problem.BAD_ID, None, id="id-empty"),
    pytest.param('[2,"m1",5,{}]', Problem.BAD_ELEMENT, "m1", id="action-number"),
    pytest.param('[2,"m1",null,{}]', Problem.BAD_ELEMENT, "m1", id="action-null"),
    pytest.param('[2,"m1","Heartbeat",[]]', Problem.PAYLOAD_NOT_OBJECT, "m1", id="payload-array"),
    pytest.param('[2,"m1","Heartbeat",null]', Problem.PAYLOAD_NOT_OBJECT, "m1", id="payload-null"),
    pytest.param('[3,"m1","ok"]', Problem.PAYLOAD_NOT_OBJECT, "m1", id="result-payload-str"),
    pytest.param('[4,"m1",404,"",{}]', Problem.BAD_ELEMENT, "m1", id="errorcode-number"),
    pytest.param('[4,"m1","GenericError",null,{}]', Problem.BAD_ELEMENT, "m1", id="description"),
    pytest.param('[4,"m1","GenericError","",[]]', Problem.BAD_ELEMENT, "m1", id="details-array"),
    pytest.param('[4,"m1","GenericError","","x"]', Problem.BAD_ELEMENT, "m1", id="details-str"),
    pytest.param('[4,"m1","GenericError","",true]', Problem.BAD_ELEMENT, "m1", id="details-bool"),
]


@pytest.mark.parametrize(("text", "problem", "unique_id"), PARSE_ERRORS)
def test_parse_error_names_problem_and_keeps_id(
    version: OcppVersion, text: str, problem: Problem, unique_id: str | None
) -> None:
    """A malformed frame raises FrameError with its Problem and the id when it was readable."""
    with pytest.raises(FrameError) as caught:
        parse(text, version)
    assert caught.value.problem is problem
    assert caught.value.unique_id == unique_id
    assert problem.value in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        '[2,"m1","Heartbeat",{"x":NaN}]',
        '[3,"m1",{"x":Infinity}]',
        '[3,"m1",{"x":[-Infinity]}]',
    ],
    ids=["NaN", "Infinity", "minus-Infinity"],
)
def test_nan_and_infinity_are_not_json(version: OcppVersion, text: str) -> None:
    """NaN and Infinity are not JSON (RFC 8259), so a frame holding them is NOT_JSON."""
    with pytest.raises(FrameError) as caught:
        parse(text, version)
    assert caught.value.problem is Problem.NOT_JSON


# The same checks for the two message types only OCPP 2.1 defines.
PARSE_ERRORS_21 = [
    pytest.param('[5,"m1","GenericError",""]', Problem.WRONG_ARITY, id="resulterror-4"),
    pytest.param('[5,"m1","GenericError","",{},{}]', Problem.WRONG_ARITY, id="resulterror-6"),
    pytest.param('[5,"m1","GenericError","",null]', Problem.BAD_ELEMENT, id="resulterror-details"),
    pytest.param('[5,"m1",1,"",{}]', Problem.BAD_ELEMENT, id="resulterror-code"),
    pytest.param('[6,"m1","NotifyPeriodicEventStream"]', Problem.WRONG_ARITY, id="send-3"),
    pytest.param('[6,"m1",7,{}]', Problem.BAD_ELEMENT, id="send-action"),
    pytest.param(
        '[6,"m1","NotifyPeriodicEventStream",[]]', Problem.PAYLOAD_NOT_OBJECT, id="send-pl"
    ),
]


@pytest.mark.parametrize(("text", "problem"), PARSE_ERRORS_21)
def test_parse_error_of_2_1_types(text: str, problem: Problem) -> None:
    """CALLRESULTERROR and SEND are parsed as strictly as the other types in OCPP 2.1."""
    with pytest.raises(FrameError) as caught:
        parse(text, V21)
    assert caught.value.problem is problem
    assert caught.value.unique_id == "m1"
    assert caught.value.message_type == json.loads(text)[0]


def test_encode_is_compact_and_keeps_unicode() -> None:
    """encode() writes no blanks and keeps non-ASCII characters as they are."""
    frame = Call("é-1", "DataTransfer", {"vendorId": "Ladesäule", "data": "a b"})
    assert encode(frame) == '[2,"é-1","DataTransfer",{"vendorId":"Ladesäule","data":"a b"}]'
    assert encode(CallError("e", "GenericError")) == '[4,"e","GenericError","",{}]'


def test_message_types_are_the_ocpp_j_numbers() -> None:
    """The MessageType values are the numbers OCPP-J puts first in a frame."""
    assert [(t.name, t.value) for t in MessageType] == [
        ("CALL", 2),
        ("CALLRESULT", 3),
        ("CALLERROR", 4),
        ("CALLRESULTERROR", 5),
        ("SEND", 6),
    ]


# -- fuzzing ------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
# Arrays that look like frames: a plausible type and id, then anything.
_frame_like = st.tuples(
    st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, True, "2", 2.0, None]),
    st.one_of(st.text(max_size=40), _scalars),
    st.lists(_json, max_size=4),
).map(lambda t: [t[0], t[1], *t[2]])


def _parse_or_frame_error(text: str, version: OcppVersion) -> Frame | None:
    try:
        frame = parse(text, version)
    except FrameError:
        return None
    assert isinstance(frame, Call | CallResult | CallError | CallResultError | Send)
    return frame


@FUZZ
@given(text=st.text(max_size=200))
def test_parse_of_any_text_raises_only_frame_error(text: str) -> None:
    """parse() on arbitrary text returns a frame or raises FrameError, in every version."""
    for version in OcppVersion:
        _parse_or_frame_error(text, version)


@FUZZ
@given(value=_json | _frame_like)
def test_parse_of_any_json_raises_only_frame_error(value: Any) -> None:
    """parse() on any JSON value raises only FrameError, and what it accepts round-trips."""
    text = json.dumps(value)
    for version in OcppVersion:
        frame = _parse_or_frame_error(text, version)
        if frame is not None:
            assert parse(encode(frame), version) == frame


def test_parse_of_deep_nesting_is_a_frame_error() -> None:
    """Nesting deep enough to exhaust the recursion limit is reported as not JSON."""
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(FrameError) as caught:
        parse(text, V201)
    assert caught.value.problem is Problem.NOT_JSON


@pytest.mark.parametrize(
    "frame",
    [
        CallResult("x\ud800", {}),
        CallError("x\udfff", "GenericError", "", {}),
        Call("m1", "DataTransfer", {"vendorId": "V", "data": "d\ud800é"}),
    ],
    ids=["result-id", "error-id", "payload"],
)
def test_a_frame_echoing_an_unpaired_surrogate_encodes_to_utf8(frame: Frame) -> None:
    """A string with an unpaired surrogate (the peer's id) is written as a JSON escape: sendable.

    The peer reads back exactly the string it sent.
    """
    text = encode(frame)
    text.encode("utf-8")
    assert parse(text, V201) == frame


def test_plain_frames_keep_their_unicode_unescaped() -> None:
    """Encodable non-ASCII text is written as it is (only the unencodable case is escaped)."""
    assert encode(CallResult("m1", {"text": "été"})) == '[3,"m1",{"text":"été"}]'
