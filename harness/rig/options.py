"""Typed reading of ``[rig.options]``: a wrong or unknown key names its field."""

from __future__ import annotations

from collections.abc import Mapping

from harness.errors import ConfigurationError

__all__ = ["RigOptions"]


class RigOptions:
    """The ``[rig.options]`` table of a backend, checked against the keys it knows.

    Args:
        options: the table from the profile.
        backend: the backend name, for messages.
        known: every key the backend reads, with a one-line meaning.

    Raises:
        ConfigurationError: the table holds a key the backend does not know.
    """

    def __init__(self, options: Mapping[str, object], backend: str, known: Mapping[str, str]):
        self._options = options
        self._backend = backend
        unknown = sorted(set(options) - set(known))
        if unknown:
            listing = ", ".join(f"{key} ({meaning})" for key, meaning in sorted(known.items()))
            raise ConfigurationError(
                f"[rig.options] {', '.join(unknown)} is not a setting of the {backend} rig; "
                f"it knows: {listing or 'no settings'}",
                field=f"rig.options.{unknown[0]}",
            )

    def _fail(self, key: str, wanted: str) -> ConfigurationError:
        return ConfigurationError(
            f"[rig.options] {key} = {self._options[key]!r} is not {wanted}",
            field=f"rig.options.{key}",
        )

    def number(self, key: str, default: float, *, minimum: float = 0.0) -> float:
        """A number ≥ ``minimum`` (integers accepted)."""
        value = self._options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self._fail(key, f"a number ≥ {minimum:g}")
        return float(value)

    def integer(self, key: str, default: int, *, minimum: int = 0) -> int:
        """A whole number ≥ ``minimum``."""
        value = self._options.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self._fail(key, f"a whole number ≥ {minimum}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        """A boolean."""
        value = self._options.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        """One of ``allowed``."""
        value = self._options.get(key, default)
        if value not in allowed:
            raise self._fail(key, "one of " + ", ".join(map(repr, allowed)))
        return str(value)
