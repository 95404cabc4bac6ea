"""The OCPP-J RPC layer: frames, ids, error codes, validation and the connection engine."""

from harness.ocppj.channel import Channel, ChannelClosed, memory_pair
from harness.ocppj.connection import IncomingCall, OcppConnection, Reply
from harness.ocppj.errorcodes import error_code_for, error_codes
from harness.ocppj.frames import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    Frame,
    FrameError,
    MessageType,
    Problem,
    Send,
    encode,
    parse,
)
from harness.ocppj.validation import Violation, validate_payload
from harness.ocppj.versions import OcppVersion, Role

__all__ = [
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Channel",
    "ChannelClosed",
    "Frame",
    "FrameError",
    "IncomingCall",
    "MessageType",
    "OcppConnection",
    "OcppVersion",
    "Problem",
    "Reply",
    "Role",
    "Send",
    "Violation",
    "encode",
    "error_code_for",
    "error_codes",
    "memory_pair",
    "parse",
    "validate_payload",
]
