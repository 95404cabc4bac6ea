"""The time as OCPP writes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["utc_in", "utc_now"]


def utc_now() -> str:
    """The current UTC time as OCPP writes it (RFC 3339, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_in(seconds: float) -> str:
    """The UTC time ``seconds`` from now, as OCPP writes it (e.g. a reservation's expiry)."""
    when = datetime.now(UTC) + timedelta(seconds=seconds)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
