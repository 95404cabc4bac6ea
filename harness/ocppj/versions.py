"""OCPP versions and their websocket subprotocol names."""

from __future__ import annotations

import enum

__all__ = ["OcppVersion", "Role"]


class OcppVersion(enum.Enum):
    """An OCPP-J protocol version; the value is the version as users write it."""

    V16 = "1.6"
    V201 = "2.0.1"
    V21 = "2.1"

    @property
    def subprotocol(self) -> str:
        """The ``Sec-WebSocket-Protocol`` token that selects this version."""
        return "ocpp" + self.value

    @property
    def is_v16(self) -> bool:
        return self is OcppVersion.V16

    @classmethod
    def parse(cls, text: str) -> OcppVersion:
        """Read a version from ``1.6``, ``2.0.1``, ``2.1`` or a subprotocol token.

        Raises:
            ValueError: naming the accepted spellings.
        """
        key = text.strip().lower().removeprefix("ocpp")
        for version in cls:
            if version.value == key:
                return version
        allowed = ", ".join(v.value for v in cls)
        raise ValueError(f"unknown OCPP version {text!r}; expected one of {allowed}")

    @classmethod
    def from_subprotocol(cls, token: str) -> OcppVersion | None:
        """The version a subprotocol token names, or None when it names none."""
        for version in cls:
            if version.subprotocol == token:
                return version
        return None


class Role(enum.Enum):
    """Which side of an OCPP connection an endpoint plays."""

    CSMS = "csms"
    STATION = "station"

    @property
    def peer(self) -> Role:
        return Role.STATION if self is Role.CSMS else Role.CSMS
