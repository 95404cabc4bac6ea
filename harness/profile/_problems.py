"""Reading a profile on after a mistake, so that every mistake of a file is reported at once.

A reader of :class:`~harness.profile._tables.Table` decorated with
:func:`recorded` does not raise its :class:`~harness.errors.ConfigurationError`:
it records it in the table's context and returns a stand-in value (the
default, else a neutral one) so that reading goes on. :class:`ProfileErrors`
is the one error that then lists them all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from harness.errors import ConfigurationError

__all__ = ["ProfileErrors", "choice_fallback", "default_fallback", "integer_fallback", "recorded"]

_R = TypeVar("_R")


class ProfileErrors(ConfigurationError):
    """Several mistakes in one DUT profile, all reported at once.

    Attributes:
        problems: each mistake, in the order the tables are read, with its ``field``.
        field: the first mistake's dotted field name.
    """

    def __init__(self, source: str, problems: Sequence[ConfigurationError]) -> None:
        lines = [f"{source}: {len(problems)} problems in the DUT profile:"]
        lines += [f"  - {str(p).removeprefix(f'{source}: ')}" for p in problems]
        super().__init__("\n".join(lines), field=problems[0].field)
        self.problems = tuple(problems)


def recorded(
    fallback: Callable[..., Any],
) -> Callable[[Callable[..., _R]], Callable[..., _R]]:
    """Make a reader record its failure and return ``fallback(self, key, ...)`` instead."""

    def decorate(reader: Callable[..., _R]) -> Callable[..., _R]:
        @functools.wraps(reader)
        def read(self: Any, key: str, *args: Any, **kwargs: Any) -> _R:
            try:
                return reader(self, key, *args, **kwargs)
            except ConfigurationError as error:
                self._ctx.record(error)
                self._failed.setdefault(key, error)
                result: _R = fallback(self, key, *args, **kwargs)
                return result

        return read

    return decorate


def default_fallback(
    _table: object, _key: str, *_args: object, default: object = None, **_kw: object
) -> Any:
    """The stand-in of an optional reader: its default."""
    return default


def choice_fallback(
    _table: object, _key: str, allowed: Sequence[str], *, default: str | None = None, **_kw: object
) -> str:
    """The stand-in of a choice: its default, else the first allowed value."""
    return default if default is not None else allowed[0]


def integer_fallback(
    _table: object,
    _key: str,
    default: int | None,
    *,
    minimum: int | None = None,
    allowed: Sequence[int] = (),
    **_kw: object,
) -> int:
    """The stand-in of an integer: its default, else the first allowed, else the minimum."""
    if default is not None:
        return default
    return allowed[0] if allowed else minimum if minimum is not None else 0
