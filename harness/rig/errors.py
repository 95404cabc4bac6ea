"""What can go wrong between the harness and a test rig.

Every rig problem is a :class:`~harness.errors.RigError`: the test is reported
as an ERROR (the verdict is unknown), never as a FAILURE of the station::

    RigError                          (harness.errors)
    ├── RigProtocolError              a line from the rig breaks RIGP/1 framing
    │   ├── RigChecksumError          ... its ``*HH`` checksum does not match
    │   ├── RigLineTooLong            ... it is longer than 128 bytes
    │   └── RigGarbled                ... it is not ASCII or cannot be parsed
    ├── RigPortError                  the port itself failed
    │   ├── RigPortNotFound           ... it does not exist / nobody listens
    │   ├── RigPortBusy               ... another program holds it
    │   └── RigDisconnected           ... it closed while in use
    ├── RigTimeout                    the rig did not answer in time (after one retry)
    ├── RigCommandError               the rig answered ``ERR <code> <NAME>``
    ├── RigVersionMismatch            the rig speaks another major RIGP version
    ├── RigRebooted                   the rig rebooted by itself mid-run
    └── OperatorTimeout               the operator did not confirm in time (manual rig)
"""

from __future__ import annotations

from harness.errors import RigError

__all__ = [
    "OperatorTimeout",
    "RigChecksumError",
    "RigCommandError",
    "RigDisconnected",
    "RigError",
    "RigGarbled",
    "RigLineTooLong",
    "RigPortBusy",
    "RigPortError",
    "RigPortNotFound",
    "RigProtocolError",
    "RigRebooted",
    "RigTimeout",
    "RigVersionMismatch",
]


class RigProtocolError(RigError):
    """A line received from the rig (or sent to it) breaks the RIGP/1 framing.

    Attributes:
        line: the offending bytes, as received (possibly truncated for oversize lines).
    """

    def __init__(self, message: str, *, line: bytes = b"") -> None:
        super().__init__(message)
        self.line = line


class RigChecksumError(RigProtocolError):
    """The line's ``*HH`` checksum does not match the XOR of the bytes before ``*``."""


class RigLineTooLong(RigProtocolError):
    """The line is longer than 128 bytes including its terminator."""


class RigGarbled(RigProtocolError):
    """The line is not printable ASCII, or does not parse as a reply, event or debug line."""


class RigPortError(RigError):
    """The rig's port could not be opened or broke while in use.

    Attributes:
        port: the pyserial URL of the port.
    """

    def __init__(self, message: str, *, port: str) -> None:
        super().__init__(message)
        self.port = port


class RigPortNotFound(RigPortError):
    """The port does not exist (device path) or nothing listens there (network URL)."""


class RigPortBusy(RigPortError):
    """Another program holds the port (the exclusive open failed, or the rig said BUSY)."""


class RigDisconnected(RigPortError):
    """The port closed while the harness was using it."""


class RigTimeout(RigError):
    """The rig did not answer a command in time, even after a resynchronisation and a retry.

    Attributes:
        command: the command line that went unanswered (without tag and checksum).
        port: the pyserial URL of the rig.
        timeout: the bound waited for each attempt, in seconds.
    """

    def __init__(self, message: str, *, command: str, port: str, timeout: float) -> None:
        super().__init__(message)
        self.command = command
        self.port = port
        self.timeout = timeout


class RigCommandError(RigError):
    """The rig refused a command with ``ERR <code> <NAME> [detail]``.

    Attributes:
        command: the command line refused (without tag and checksum).
        code: the numeric error code.
        name: the error name, e.g. ``BAD_STATE``.
        detail: the rig's free-text explanation (may be empty).
    """

    def __init__(self, message: str, *, command: str, code: int, name: str, detail: str) -> None:
        super().__init__(message)
        self.command = command
        self.code = code
        self.name = name
        self.detail = detail


class RigVersionMismatch(RigError):
    """The rig speaks another major version of RIGP than this harness.

    Attributes:
        rig_version: the version the rig reported (``PROTO?``).
        host_version: the version this harness speaks.
    """

    def __init__(self, message: str, *, rig_version: str, host_version: str) -> None:
        super().__init__(message)
        self.rig_version = rig_version
        self.host_version = host_version


class RigRebooted(RigError):
    """The rig sent ``!BOOT`` without being asked to reset: its outputs are back to defaults."""


class OperatorTimeout(RigError):
    """The operator of the manual rig did not confirm an action in time.

    Attributes:
        action: the instruction that was shown.
        timeout: how long the harness waited, in seconds.
    """

    def __init__(self, message: str, *, action: str, timeout: float) -> None:
        super().__init__(message)
        self.action = action
        self.timeout = timeout
