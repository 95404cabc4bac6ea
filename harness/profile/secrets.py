"""Secret values and the registry that masks them wherever text leaves the harness.

A password in a DUT profile must never reach a log, a trace or a report. The
profile keeps it in a :class:`Secret`, whose ``repr`` and ``str`` show only
:data:`MASK`; and every secret value is registered here, so that
:func:`mask` can scrub it from any text (a frame trace, an exception message,
an HTTP header) before that text is written anywhere.

Only whole values are masked: an occurrence counts when no letter, digit or
``_`` touches it on either side (``'x'``, ``:x@``, ``Basic eDp4``). Masking
inside words would reveal a short secret instead of hiding it: with the
password ``x``, "expected" would read "e******pected".

The registry is process-wide on purpose: a value that is secret for one part of
the harness is secret for all of it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import FrozenInstanceError

__all__ = ["MASK", "Secret", "mask", "register_secret"]

MASK = "******"
"""What a secret value is replaced by."""

_lock = threading.Lock()
_values: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register_secret(value: str) -> None:
    """Add a value to the set that :func:`mask` hides.

    Every non-empty value is registered, however short: a short password is
    still a password. Registering a value twice is harmless.

    Args:
        value: the secret text, exactly as it could appear in output.
    """
    global _pattern
    if not value:
        return
    with _lock:
        if value in _values:
            return
        _values.add(value)
        # Longest first, so that a secret containing another is masked whole.
        ordered = sorted(_values, key=len, reverse=True)
        _pattern = re.compile("|".join(_whole(v) for v in ordered))


def _whole(value: str) -> str:
    """A pattern for ``value`` as a whole token: no word character glued to a word edge.

    An edge that is itself punctuation (``!pw!``) needs no boundary: nothing
    glued to it can make the value part of a longer word.
    """
    before = r"(?<!\w)" if re.match(r"\w", value[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", value[-1]) else ""
    return f"{before}{re.escape(value)}{after}"


def mask(text: str) -> str:
    """Return ``text`` with every registered secret value replaced by :data:`MASK`.

    Args:
        text: any text about to be shown, logged or attached to a report.

    Returns:
        The text with each whole-value occurrence of a registered secret masked
        (one not touched by a letter, digit or ``_`` on either side).
    """
    pattern = _pattern  # one consistent snapshot, even while another thread registers
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


class Secret:
    """A value that must never be shown, such as a basic-auth password.

    The value is registered for masking when the secret is created, is left out
    of ``repr``, ``str`` and formatting, and is only handed out by
    :meth:`reveal`, which the transport calls at the moment it needs it.

    Instances are immutable, hashable and compare by value and source. This is
    deliberately not a dataclass: ``dataclasses.asdict()`` of a profile would
    otherwise recurse into the secret and copy the plain value out.

    Attributes:
        source: where the value came from: ``"literal"`` (written in the profile)
            or ``"env:NAME"`` (read from environment variable ``NAME``).
    """

    __slots__ = ("_value", "source")
    _value: str
    source: str

    def __init__(self, value: str, source: str = "literal") -> None:
        """Wrap ``value`` and register it for masking.

        Args:
            value: the secret text.
            source: ``"literal"`` or ``"env:NAME"``; shown in reports.
        """
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "source", source)
        register_secret(value)

    def reveal(self) -> str:
        """The secret value itself; call it only where the value is sent."""
        return self._value

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return (self._value, self.source) == (other._value, other.source)

    def __hash__(self) -> int:
        return hash((Secret, self._value, self.source))

    def __reduce__(self) -> tuple[type[Secret], tuple[str, str]]:
        return (Secret, (self._value, self.source))

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    def __str__(self) -> str:
        return MASK
