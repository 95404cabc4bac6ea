"""OCPP-J frames: the five message types, parsing and encoding.

A frame on the wire is a JSON array whose first element is the message type:

=====================  ====  ===============================================
CALL                   2     ``[2, id, action, payload]``
CALLRESULT             3     ``[3, id, payload]``
CALLERROR              4     ``[4, id, errorCode, errorDescription, errorDetails]``
CALLRESULTERROR (2.1)  5     ``[5, id, errorCode, errorDescription, errorDetails]``
SEND (2.1)             6     ``[6, id, action, payload]``
=====================  ====  ===============================================

Parsing never guesses: anything that does not have exactly this shape raises
:class:`FrameError` with the :class:`Problem` that the version's CALLERROR code
is derived from, and the message id when one could be read.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.versions import OcppVersion

__all__ = [
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Frame",
    "FrameError",
    "MessageType",
    "Problem",
    "Send",
    "encode",
    "parse",
]

MAX_ID_LENGTH = 36


class MessageType(enum.IntEnum):
    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4
    CALLRESULTERROR = 5
    SEND = 6


class Problem(enum.Enum):
    """What is wrong with a frame or payload, independent of the version.

    :mod:`harness.ocppj.errorcodes` maps each problem to the CALLERROR code the
    version prescribes.
    """

    NOT_JSON = "not valid JSON"
    NOT_ARRAY = "not a JSON array"
    BAD_MESSAGE_TYPE = "message type is not an integer"
    UNKNOWN_MESSAGE_TYPE = "unknown message type"
    WRONG_ARITY = "wrong number of elements"
    BAD_ELEMENT = "an element has the wrong JSON type"
    BAD_ID = "message id is not a non-empty string"
    ID_TOO_LONG = f"message id longer than {MAX_ID_LENGTH} characters"
    UNKNOWN_ACTION = "unknown action"
    WRONG_DIRECTION = "action not sent in this direction"
    PAYLOAD_NOT_OBJECT = "payload is not a JSON object"
    SCHEMA_TYPE = "a field has the wrong type"
    SCHEMA_FORMAT = "a field has the wrong format"
    SCHEMA_REQUIRED = "a required field is missing"
    SCHEMA_ADDITIONAL = "an unknown field is present"
    SCHEMA_VALUE = "a field has a value out of its constraints"


class FrameError(ValueError):
    """A frame could not be parsed.

    Attributes:
        problem: what is wrong.
        unique_id: the message id when it could be read, else None.
        message_type: the message type when it could be read, else None.
        detail: a human-readable detail.
    """

    def __init__(
        self,
        problem: Problem,
        detail: str = "",
        *,
        unique_id: str | None = None,
        message_type: int | None = None,
    ) -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail
        self.unique_id = unique_id
        self.message_type = message_type


@dataclass(frozen=True)
class Call:
    unique_id: str
    action: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.CALL, init=False)


@dataclass(frozen=True)
class Send:
    """OCPP 2.1 unconfirmed message: like a CALL, but never answered."""

    unique_id: str
    action: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.SEND, init=False)


@dataclass(frozen=True)
class CallResult:
    unique_id: str
    payload: dict[str, Any]
    message_type: MessageType = field(default=MessageType.CALLRESULT, init=False)


@dataclass(frozen=True)
class CallError:
    unique_id: str
    error_code: str
    error_description: str = ""
    error_details: dict[str, Any] = field(default_factory=dict)
    message_type: MessageType = field(default=MessageType.CALLERROR, init=False)


@dataclass(frozen=True)
class CallResultError:
    """OCPP 2.1: the sender of a CALLRESULT reports that it could not process it."""

    unique_id: str
    error_code: str
    error_description: str = ""
    error_details: dict[str, Any] = field(default_factory=dict)
    message_type: MessageType = field(default=MessageType.CALLRESULTERROR, init=False)


Frame = Call | CallResult | CallError | CallResultError | Send

#: ``frame.message_type.value`` by frame class, without the enum's property lookups.
TYPE_CODES: dict[type, int] = {Call: 2, CallResult: 3, CallError: 4, CallResultError: 5, Send: 6}

_ARITY = {
    MessageType.CALL: 4,
    MessageType.CALLRESULT: 3,
    MessageType.CALLERROR: 5,
    MessageType.CALLRESULTERROR: 5,
    MessageType.SEND: 4,
}


_ALL_TYPES = frozenset(MessageType)
_CLASSIC_TYPES = frozenset({MessageType.CALL, MessageType.CALLRESULT, MessageType.CALLERROR})


def supported_types(version: OcppVersion) -> frozenset[MessageType]:
    """The message types a version defines."""
    if version is OcppVersion.V21:
        return _ALL_TYPES
    return _CLASSIC_TYPES


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


# json.loads(text, parse_constant=...) builds a decoder per call; this one is
# built once. It decodes a str exactly as json.loads does but for the BOM
# check, which parse leaves to json.loads.
_decode = json.JSONDecoder(parse_constant=_not_json).decode


def parse(text: str, version: OcppVersion) -> Frame:
    """Parse one frame's text, strictly.

    Raises:
        FrameError: naming the problem and, when readable, the message id.
    """
    if type(text) is str and not text.startswith("\ufeff"):
        try:
            data = _decode(text)
        except (ValueError, RecursionError) as exc:
            raise FrameError(Problem.NOT_JSON, str(exc)) from None
        # The common case, well-formed and of a type the version defines, in
        # few steps; anything else goes the long way round, which explains.
        if type(data) is list:
            size = len(data)
            if size == 4:
                kind, unique_id, action, payload = data
                if (
                    type(kind) is int
                    and kind == 2
                    and type(unique_id) is str
                    and unique_id
                    and type(action) is str
                    and type(payload) is dict
                ):
                    return Call(unique_id, action, payload)
            elif size == 3:
                kind, unique_id, payload = data
                if (
                    type(kind) is int
                    and kind == 3
                    and type(unique_id) is str
                    and unique_id
                    and type(payload) is dict
                ):
                    return CallResult(unique_id, payload)
        return _parse_data(data, version)
    try:
        data = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError) as exc:
        raise FrameError(Problem.NOT_JSON, str(exc)) from None
    return _parse_data(data, version)


def _parse_data(data: Any, version: OcppVersion) -> Frame:
    if not isinstance(data, list):
        raise FrameError(Problem.NOT_ARRAY, f"got a JSON {type(data).__name__}")
    if not data:
        raise FrameError(Problem.WRONG_ARITY, "empty array")
    raw_type = data[0]
    unique_id = data[1] if len(data) > 1 and isinstance(data[1], str) else None
    if isinstance(raw_type, bool) or not isinstance(raw_type, int):
        raise FrameError(Problem.BAD_MESSAGE_TYPE, repr(raw_type), unique_id=unique_id)
    if raw_type not in _ARITY or MessageType(raw_type) not in supported_types(version):
        raise FrameError(
            Problem.UNKNOWN_MESSAGE_TYPE,
            f"{raw_type} is not defined in OCPP {version.value}",
            unique_id=unique_id,
            message_type=raw_type,
        )
    kind = MessageType(raw_type)
    if len(data) != _ARITY[kind]:
        raise FrameError(
            Problem.WRONG_ARITY,
            f"{kind.name} has {_ARITY[kind]} elements, got {len(data)}",
            unique_id=unique_id,
            message_type=raw_type,
        )
    if unique_id is None or unique_id == "":
        raise FrameError(Problem.BAD_ID, repr(data[1]), message_type=raw_type)
    return _build(kind, unique_id, data)


def _build(kind: MessageType, unique_id: str, data: list[Any]) -> Frame:
    def need(index: int, expected: type, what: str) -> Any:
        value = data[index]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise FrameError(
                Problem.BAD_ELEMENT,
                f"{what} must be a JSON {_json_name(expected)}, got {value!r}",
                unique_id=unique_id,
                message_type=kind.value,
            )
        return value

    if kind in (MessageType.CALL, MessageType.SEND):
        action = need(2, str, "action")
        if not isinstance(data[3], dict):
            raise FrameError(
                Problem.PAYLOAD_NOT_OBJECT,
                f"got {data[3]!r}",
                unique_id=unique_id,
                message_type=kind.value,
            )
        if kind is MessageType.CALL:
            return Call(unique_id, action, data[3])
        return Send(unique_id, action, data[3])
    if kind is MessageType.CALLRESULT:
        if not isinstance(data[2], dict):
            raise FrameError(
                Problem.PAYLOAD_NOT_OBJECT,
                f"got {data[2]!r}",
                unique_id=unique_id,
                message_type=kind.value,
            )
        return CallResult(unique_id, data[2])
    code = need(2, str, "errorCode")
    description = need(3, str, "errorDescription")
    details = need(4, dict, "errorDetails")
    if kind is MessageType.CALLERROR:
        return CallError(unique_id, code, description, details)
    return CallResultError(unique_id, code, description, details)


def _json_name(kind: type) -> str:
    return {str: "string", dict: "object", int: "number", list: "array"}.get(kind, kind.__name__)


_encode_text = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
_encode_ascii = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode


def _encode(body: list[Any]) -> str:
    """Compact JSON that a websocket can send as UTF-8.

    A string echoed from the peer (a message id) may hold an unpaired
    surrogate, which UTF-8 cannot encode; such a frame is written with JSON
    escapes instead, so the peer reads back exactly the string it sent.
    """
    text = _encode_text(body)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _encode_ascii(body)
    return text


def encode(frame: Frame) -> str:
    """The compact wire text of a frame."""
    body: list[Any]
    kind = type(frame)
    if kind is Call:
        body = [2, frame.unique_id, frame.action, frame.payload]  # type: ignore[union-attr]
    elif kind is CallResult:
        body = [3, frame.unique_id, frame.payload]  # type: ignore[union-attr]
    elif isinstance(frame, Call | Send):
        body = [frame.message_type.value, frame.unique_id, frame.action, frame.payload]
    elif isinstance(frame, CallResult):
        body = [frame.message_type.value, frame.unique_id, frame.payload]
    else:
        body = [
            frame.message_type.value,
            frame.unique_id,
            frame.error_code,
            frame.error_description,
            frame.error_details,
        ]
    return _encode(body)


def encode_result(unique_id: str, payload: dict[str, Any]) -> str:
    """``encode(CallResult(unique_id, payload))`` without making the frame."""
    return _encode([3, unique_id, payload])
