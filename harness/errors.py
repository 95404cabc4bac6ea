"""The two error families of the harness.

A verdict is only as good as the line between "the device is wrong" and
"the harness could not tell". Every exception the harness raises falls on one
side of that line::

    AssertionError
    └── NonConformance                 the DUT broke the specification -> FAILED
        ├── ExpectationFailed          an awaited frame did not arrive in time
        ├── UnexpectedMessage          a frame arrived that must not have
        ├── CallFailed                 a CALL of ours was not answered properly
        │   ├── CallErrorReceived      ... the DUT answered with a CALLERROR
        │   ├── ResponseTimeout        ... the DUT did not answer in time
        │   ├── InvalidResponse        ... the answer broke the schema
        │   └── UnexpectedStatus       ... the answer carried the wrong status
        ├── ProtocolViolation          frames with conformance findings
        └── DutDisconnected            the DUT closed the connection mid-test

    Exception
    └── HarnessError                   the harness, rig or network broke -> ERROR
        ├── ConfigurationError         a DUT profile or option is wrong
        ├── TransportError             websocket set-up or I/O failed
        │   └── ConnectionRefusedByPeer   the peer refused our handshake
        ├── ConcurrencyError           two CALLs outstanding from one side
        ├── UsageError                 a test case used the API wrongly
        ├── StationNotReady            the station under test cannot start a case
        │   ├── StationNotRegistered   ... its BootNotification was never accepted in time
        │   └── StationNotIdle         ... the previous case's leftovers could not be undone
        ├── RigError                   the test rig misbehaved (tree in harness.rig.errors)
        └── ReportError                the HTML report could not be built (harness.report.html)
            └── AllureNotFound         the Allure command line or Java is missing

    Exception
    └── CaseSkipped                    the case is not performed -> SKIPPED
        ├── NotApplicable              "not applicable: ..." (the DUT declares a lack)
        └── NotRun                     "not run: ..." (the rig or trigger cannot do it)

Non-conformance errors are ``AssertionError`` subclasses so pytest reports them
as failures; harness errors are plain exceptions, reported as errors. Both carry
structured attributes so reports can categorise them without parsing text.
Skips are harness exceptions too, so the library needs no pytest: the plugin
(``fixtures/``) turns a :class:`CaseSkipped` into a pytest skip with its reason.
"""

from __future__ import annotations

from harness.safetext import safe_text

__all__ = [
    "CallErrorReceived",
    "CallFailed",
    "CaseSkipped",
    "ConcurrencyError",
    "ConfigurationError",
    "ConnectionRefusedByPeer",
    "DutDisconnected",
    "ExpectationFailed",
    "HarnessError",
    "InvalidResponse",
    "NonConformance",
    "NotApplicable",
    "NotRun",
    "ProtocolViolation",
    "ResponseTimeout",
    "RigError",
    "StationNotIdle",
    "StationNotReady",
    "StationNotRegistered",
    "TransportError",
    "UnexpectedMessage",
    "UnexpectedStatus",
    "UsageError",
]


class NonConformance(AssertionError):
    """The device under test did something the specification does not allow.

    Attributes:
        category: a short machine-readable category used by reports
            (``dut-timeout``, ``schema-violation``, ``non-conformance``).
    """

    category = "non-conformance"

    def __init__(self, message: object = "") -> None:
        # A message quotes what the device sent: keep it writable to any report.
        super().__init__(safe_text(message) if isinstance(message, str) else message)


class ExpectationFailed(NonConformance):
    """An awaited frame did not arrive before its deadline."""

    category = "dut-timeout"

    def __init__(self, message: str, *, awaited: str, timeout: float | None) -> None:
        super().__init__(message)
        self.awaited = awaited
        self.timeout = timeout


class UnexpectedMessage(NonConformance):
    """A frame arrived that the test case said must not be sent."""


class CallFailed(NonConformance):
    """A CALL sent by the harness did not get the answer the test required."""

    def __init__(self, message: str, *, action: str, unique_id: str) -> None:
        super().__init__(message)
        self.action = action
        self.unique_id = unique_id


class CallErrorReceived(CallFailed):
    """The DUT answered a CALL with a CALLERROR (or 2.1 CALLRESULTERROR)."""

    def __init__(
        self, message: str, *, action: str, unique_id: str, error_code: str, description: str
    ) -> None:
        super().__init__(message, action=action, unique_id=unique_id)
        self.error_code = error_code
        self.description = description


class ResponseTimeout(CallFailed):
    """The DUT did not answer a CALL before the deadline."""

    category = "dut-timeout"


class InvalidResponse(CallFailed):
    """The DUT's answer to a CALL does not conform to the response schema."""

    category = "schema-violation"


class UnexpectedStatus(CallFailed):
    """The DUT's answer carried another status than the test case requires."""


class ProtocolViolation(NonConformance):
    """Frames from the DUT carried conformance findings (schema, ids, framing)."""

    category = "schema-violation"


class DutDisconnected(NonConformance):
    """The DUT closed the connection while the test case was waiting on it."""

    def __init__(self, message: str, *, code: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason


class HarnessError(Exception):
    """The harness, the rig or the network failed: the verdict is unknown."""

    category = "harness-error"

    def __init__(self, message: object = "") -> None:
        super().__init__(safe_text(message) if isinstance(message, str) else message)


class ConfigurationError(HarnessError):
    """A DUT profile value or a command-line option is missing or wrong.

    Attributes:
        field: dotted name of the offending field, e.g. ``connection.security_profile``.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class TransportError(HarnessError):
    """Opening, using or closing the websocket connection failed."""


class ConnectionRefusedByPeer(TransportError):
    """The peer refused the websocket handshake (status, subprotocol or auth)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ConcurrencyError(HarnessError):
    """A second CALL was started while one from the same side is outstanding."""


class UsageError(HarnessError):
    """A test case used the harness API in a way it does not support."""


class StationNotReady(HarnessError):
    """The station under test is not in a state a test case can start from."""


class StationNotRegistered(StationNotReady):
    """The station's BootNotification was not answered Accepted within the bound."""


class StationNotIdle(StationNotReady):
    """Restoring idle after a case failed: the station kept what the case left."""


class CaseSkipped(Exception):
    """The case is not performed; ``reason`` says why, starting with the class's prefix.

    The readiness summary tells "not applicable" from "not run" by that prefix,
    so it is part of the reason text, added when the caller left it out.
    """

    prefix = ""

    def __init__(self, reason: str) -> None:
        text = safe_text(reason)
        self.reason = text if text.startswith(self.prefix) else f"{self.prefix}{text}"
        super().__init__(self.reason)


class NotApplicable(CaseSkipped):
    """The case does not apply to the DUT: a feature it declares it lacks (PICS)."""

    prefix = "not applicable: "


class NotRun(CaseSkipped):
    """The rig, trigger or operator cannot perform the case, so it says nothing of the DUT."""

    prefix = "not run: "


class RigError(HarnessError):
    """The test rig failed or could not be reached."""

    category = "rig-error"
