"""CALLERROR codes per OCPP version, and which one answers which problem.

The versions disagree in spelling and in scope: 1.6 says ``FormationViolation``
and ``OccurenceConstraintViolation`` (sic) and has no code for a broken RPC
frame, 2.0.1 and 2.1 say ``FormatViolation``, ``OccurrenceConstraintViolation``
and add ``RpcFrameworkError`` and ``MessageTypeNotSupported``.

Choices where the specification leaves room, applied the same way everywhere:

* a frame that is not an OCPP-J array of the right shape: 1.6
  ``FormationViolation`` (the PDU structure is wrong), 2.x ``RpcFrameworkError``;
* an unknown message type: 1.6 ``FormationViolation``, 2.x ``MessageTypeNotSupported``;
* a missing required field: ``OccurrenceConstraintViolation`` (a minimum
  occurrence of one is broken), an unknown field: ``FormationViolation`` /
  ``FormatViolation``, a wrong JSON type or a malformed ``date-time``:
  ``TypeConstraintViolation``, a value out of its enum/length/range:
  ``PropertyConstraintViolation``;
* an action the version does not define: ``NotImplemented``; one it defines
  but not in this direction: ``NotSupported``.
"""

from __future__ import annotations

from harness.ocppj.frames import Problem
from harness.ocppj.versions import OcppVersion

__all__ = ["UNKNOWN_ID", "error_code_for", "error_codes"]

#: The message id used in a CALLERROR when the offending frame's id is unreadable.
UNKNOWN_ID = "-1"

_V16 = frozenset(
    {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    }
)
_V2 = frozenset(
    {
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    }
)

_FRAMING = {
    Problem.NOT_JSON,
    Problem.NOT_ARRAY,
    Problem.BAD_MESSAGE_TYPE,
    Problem.WRONG_ARITY,
    Problem.BAD_ELEMENT,
    Problem.BAD_ID,
    Problem.ID_TOO_LONG,
}


def error_codes(version: OcppVersion) -> frozenset[str]:
    """Every CALLERROR code the version defines."""
    return _V16 if version is OcppVersion.V16 else _V2


def error_code_for(problem: Problem, version: OcppVersion) -> str:
    """The CALLERROR code with which ``version`` answers ``problem``."""
    v16 = version is OcppVersion.V16
    if problem in _FRAMING:
        return "FormationViolation" if v16 else "RpcFrameworkError"
    if problem is Problem.UNKNOWN_MESSAGE_TYPE:
        return "FormationViolation" if v16 else "MessageTypeNotSupported"
    if problem in (Problem.PAYLOAD_NOT_OBJECT, Problem.SCHEMA_ADDITIONAL):
        return "FormationViolation" if v16 else "FormatViolation"
    if problem is Problem.SCHEMA_REQUIRED:
        return "OccurenceConstraintViolation" if v16 else "OccurrenceConstraintViolation"
    if problem in (Problem.SCHEMA_TYPE, Problem.SCHEMA_FORMAT):
        return "TypeConstraintViolation"
    if problem is Problem.SCHEMA_VALUE:
        return "PropertyConstraintViolation"
    if problem is Problem.UNKNOWN_ACTION:
        return "NotImplemented"
    if problem is Problem.WRONG_DIRECTION:
        return "NotSupported"
    raise ValueError(f"no CALLERROR code for {problem}")  # pragma: no cover - enum is closed
