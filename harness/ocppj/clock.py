"""The time as OCPP writes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["parse_time", "utc_in", "utc_now"]


def utc_now() -> str:
    """The current UTC time as OCPP writes it (RFC 3339, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_in(seconds: float) -> str:
    """The UTC time ``seconds`` from now, as OCPP writes it (e.g. a reservation's expiry)."""
    when = datetime.now(UTC) + timedelta(seconds=seconds)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    """An RFC 3339 time of a payload (``Z`` or an offset).

    Raises:
        ValueError: not such a time, or one without a time zone.
    """
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed
