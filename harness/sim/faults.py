"""Fault knobs: the switches that turn a reference simulator into a mutant.

A knob is a name, optionally with an argument after a colon:
``skip_status``, ``ignore_call:Reset``, ``reply_late:Heartbeat``. The profile's
``[embedded].faults`` lists the knobs to switch on. Each simulator documents
the knobs it understands and refuses unknown ones, so a typo in a self-test
cannot silently test the reference behaviour instead of the mutant.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.errors import ConfigurationError

__all__ = ["Faults"]


class Faults:
    """The set of switched-on knobs of one simulator."""

    def __init__(self, names: Iterable[str], known: Iterable[str]) -> None:
        self._plain: set[str] = set()
        self._args: dict[str, set[str]] = {}
        allowed = set(known)
        for name in names:
            key, _, arg = name.partition(":")
            if key not in allowed:
                raise ConfigurationError(
                    f"unknown fault knob {name!r}; this simulator knows: "
                    + ", ".join(sorted(allowed)),
                    field="embedded.faults",
                )
            if arg:
                self._args.setdefault(key, set()).add(arg)
            else:
                self._plain.add(key)

    def __bool__(self) -> bool:
        return bool(self._plain or self._args)

    def on(self, name: str, arg: str | None = None) -> bool:
        """Whether knob ``name`` is on (for ``arg``, when the knob takes one)."""
        if arg is None:
            return name in self._plain or name in self._args
        return name in self._plain or arg in self._args.get(name, ())

    def __repr__(self) -> str:
        listed = sorted(self._plain) + [f"{k}:{a}" for k, v in self._args.items() for a in v]
        return f"Faults({listed})"
