"""Typed readers for one TOML table of a DUT profile, each failing with a message that helps.

A :class:`Table` wraps the dict that :mod:`tomllib` made of one table and knows
where it sits (file, table header, dotted field prefix). Each reader checks the
type and the range of one value and, when it is wrong, makes a
:class:`~harness.errors.ConfigurationError` naming the file, the field, the
offending value and what would have been accepted.

So that a user sees every mistake of a file at once, a reader does not raise
it: it records it in the :class:`Context` and returns a stand-in value (the
default, else a neutral one) so reading goes on; :meth:`Context.raise_problems`
then raises one error listing them all. :meth:`Table.fail`, used for checks
that span fields, still raises; the loader records those per table.
"""

from __future__ import annotations

import datetime
import difflib
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit

from harness.errors import ConfigurationError
from harness.profile._problems import (
    ProfileErrors,
    choice_fallback,
    default_fallback,
    integer_fallback,
    recorded,
)
from harness.profile.model import FrozenMapping
from harness.profile.secrets import MASK, Secret, mask

__all__ = ["Context", "ProfileErrors", "Table", "describe", "freeze"]

_MAX_SHOWN = 60
_T = TypeVar("_T")


@dataclass(frozen=True)
class Context:
    """Where the profile being read comes from.

    Attributes:
        source: the file name or ``builtin:NAME``, the first word of every message.
        base_dir: the directory relative file paths start from.
    """

    source: str
    base_dir: Path
    problems: list[ConfigurationError] = field(default_factory=list, compare=False)

    def record(self, error: ConfigurationError) -> None:
        """Note a mistake (once: a reader reached twice does not repeat it)."""
        if all(str(known) != str(error) for known in self.problems):
            self.problems.append(error)

    def attempt(self, read: Callable[[], _T], fallback: _T) -> _T:
        """``read()``, or ``fallback`` when it fails; the failure is recorded."""
        try:
            return read()
        except ConfigurationError as error:
            self.record(error)
            return fallback

    def error(self) -> ConfigurationError:
        """The one mistake recorded, or a :class:`ProfileErrors` listing several."""
        if len(self.problems) == 1:
            return self.problems[0]
        return ProfileErrors(self.source, self.problems)

    def raise_problems(self) -> None:
        """Raise :meth:`error` when any mistake was recorded.

        Raises:
            ConfigurationError: when anything was recorded.
        """
        if self.problems:
            raise self.error()


def describe(value: object) -> str:
    """Show a TOML value the way it would be written in the file, shortened if long."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        text = '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(describe(v) for v in value) + "]"
    elif isinstance(value, Mapping):
        text = "{ " + ", ".join(f"{k} = {describe(v)}" for k, v in value.items()) + " }"
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def freeze(value: Mapping[str, object]) -> FrozenMapping[object]:
    """A read-only deep copy of a TOML table: tables become frozen mappings, arrays tuples."""
    return FrozenMapping({str(k): _freeze(v) for k, v in value.items()})


def _freeze(value: object) -> object:
    if isinstance(value, Mapping):
        return freeze(value)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _sub_table(table: Table, key: str, allowed: Sequence[str] | None) -> Table:
    return Table(table._ctx, table._field(key), {}, allowed, f"[{table._field(key)}]")


def _one_of(allowed: Sequence[object]) -> str:
    return "one of " + ", ".join(describe(a) for a in allowed)


class Table:
    """One table of the profile, read key by key.

    Args:
        ctx: where the profile comes from.
        prefix: the dotted field name of the table ("" at the top level).
        data: the table as parsed.
        allowed: the keys the table may hold; None for a free-form table.
        header: how the table is written in the file, e.g. ``[[evse]][0]``.
    """

    def __init__(
        self,
        ctx: Context,
        prefix: str,
        data: Mapping[str, object],
        allowed: Sequence[str] | None,
        header: str | None = None,
    ) -> None:
        self._ctx = ctx
        self._prefix = prefix
        self._data = data
        self._header = header if header is not None else f"[{prefix}]"
        self._allowed = allowed
        # Keys whose reader failed: a later check on them repeats that problem, not a
        # new one about the stand-in value (which may even be a secret).
        self._failed: dict[str, ConfigurationError] = {}
        for key in data:
            if allowed is not None and key not in allowed:
                try:
                    self._unknown(key, allowed)
                except ConfigurationError as error:
                    ctx.record(error)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        """The keys present in the table, in file order (unknown ones were reported)."""
        return (k for k in self._data if self._allowed is None or k in self._allowed)

    def fail(self, key: str, problem: str, expected: str, *, show: bool = True) -> NoReturn:
        """Raise the ConfigurationError for ``key``.

        Args:
            key: the key within this table.
            problem: what is wrong, e.g. ``is not allowed``.
            expected: what would be accepted, e.g. ``one of 0, 1, 2, 3``.
            show: whether to show the value; False for secrets.

        Raises:
            ConfigurationError: always, with ``field`` set to the dotted field name.
        """
        if key in self._failed:
            raise self._failed[key]
        label = self._label(key)
        if key in self._data:
            label += f" = {describe(self._data[key]) if show else MASK}"
        message = f"{self._ctx.source}: {label} {problem}; expected {expected}"
        raise ConfigurationError(mask(message), field=self._field(key))

    @recorded(_sub_table)
    def table(self, key: str, allowed: Sequence[str] | None) -> Table:
        """The sub-table ``key`` (empty when absent)."""
        value = self._data.get(key, {})
        header = f"[{self._field(key)}]"
        if not isinstance(value, Mapping):
            self.fail(key, "is not a table", f"a {header} table")
        return Table(self._ctx, self._field(key), value, allowed, header)

    @recorded(lambda *_a, **_k: [])
    def array(self, key: str, allowed: Sequence[str]) -> list[Table]:
        """The array of tables ``key`` (``[[key]]`` in the file; empty when absent)."""
        value = self._data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(key, "is not an array of tables", f"[[{key}]] tables")
        return [
            Table(self._ctx, f"{self._field(key)}[{i}]", entry, allowed, f"[[{key}]][{i}]")
            for i, entry in enumerate(value)
        ]

    @recorded(default_fallback)
    def text(self, key: str, *, default: str | None = None, max_length: int = 0) -> str | None:
        """An optional non-empty string, at most ``max_length`` characters when given."""
        return self._string(key, default, max_length, required=False)

    @recorded(lambda *_a, **_k: "")
    def required_text(self, key: str, *, max_length: int = 0) -> str:
        """A non-empty string that must be present."""
        value = self._string(key, None, max_length, required=True)
        if value is None:
            self.fail(key, "is missing", "a non-empty string")
        return value

    @recorded(choice_fallback)
    def choice(
        self,
        key: str,
        allowed: Sequence[str],
        *,
        default: str | None = None,
        normalise: Callable[[str], str] | None = None,
    ) -> str:
        """One of ``allowed``; required when there is no default.

        Args:
            key: the key within this table.
            allowed: the accepted values, listed in messages.
            default: the value when the key is absent; None makes the key required.
            normalise: applied to the value before it is compared, e.g. to accept
                ``ocpp2.0.1`` for ``2.0.1``.
        """
        value = self._data.get(key, default)
        if value is None:
            self.fail(key, "is missing", _one_of(allowed))
        if not isinstance(value, str):
            self.fail(key, "is not a string", _one_of(allowed))
        normalised = normalise(value) if normalise else value
        if normalised not in allowed:
            self.fail(key, "is not allowed", _one_of(allowed))
        return normalised

    @recorded(integer_fallback)
    def integer(
        self,
        key: str,
        default: int | None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        allowed: Sequence[int] = (),
    ) -> int:
        """An integer within bounds or among ``allowed``; required when ``default`` is None."""
        expected = _one_of(allowed) if allowed else _range("an integer", minimum, maximum)
        value = self._data.get(key, default)
        if value is None:
            self.fail(key, "is missing", expected)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "is not an integer", expected)
        out_of_range = (minimum is not None and value < minimum) or (
            maximum is not None and value > maximum
        )
        if (allowed and value not in allowed) or out_of_range:
            self.fail(key, "is not allowed", expected)
        return value

    @recorded(lambda _t, _k, *, minimum: (minimum,))
    def integers(self, key: str, *, minimum: int) -> tuple[int, ...]:
        """A required, non-empty array of integers, each at least ``minimum``."""
        expected = f"a non-empty array of integers >= {minimum}, e.g. [1]"
        value = self._data.get(key)
        if value is None:
            self.fail(key, "is missing", expected)
        if not isinstance(value, list) or not value:
            self.fail(key, "is not a non-empty array", expected)
        if not all(type(v) is int and v >= minimum for v in value):
            self.fail(key, "is not allowed", expected)
        return tuple(value)

    @recorded(lambda _t, _k, default: float(default))
    def number(self, key: str, default: float) -> float:
        """A finite number greater than zero (integers accepted)."""
        expected = "a number > 0"
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, "is not a number", expected)
        if not math.isfinite(value) or value <= 0:
            self.fail(key, "is not allowed", expected)
        return float(value)

    @recorded(lambda _t, _k, default: float(default))
    def non_negative(self, key: str, default: float) -> float:
        """A finite number, zero or more (integers accepted)."""
        expected = "a number >= 0"
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, "is not a number", expected)
        if not math.isfinite(value) or value < 0:
            self.fail(key, "is not allowed", expected)
        return float(value)

    @recorded(lambda *_a, **_k: ())
    def strings(self, key: str, allowed: Sequence[str] = ()) -> tuple[str, ...]:
        """An optional array of distinct non-empty strings, each among ``allowed`` if given."""
        expected = 'an array of non-empty strings, e.g. ["a", "b"]'
        if allowed:
            expected = "an array of strings, each " + _one_of(allowed)
        value = self._data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, "is not allowed", expected)
        if allowed and any(v not in allowed for v in value):
            wrong = next(v for v in value if v not in allowed)
            self.fail(key, f"holds {describe(wrong)}, which is not allowed", expected)
        if len(set(value)) != len(value):
            self.fail(key, "repeats a value", expected)
        return tuple(value)

    @recorded(lambda *_a, **_k: None)
    def blankable(
        self, key: str, default: str | None, allowed: Sequence[str] = (), *, max_length: int = 0
    ) -> str | None:
        """An optional string where ``""`` means "none": one of ``allowed`` when given.

        Args:
            key: the key within this table.
            default: the value when the key is absent.
            allowed: the accepted values (any string when empty).
            max_length: the longest string accepted when ``allowed`` is empty (0: any).
        """
        expected = (_one_of(allowed) if allowed else "a string") + ', or "" for none'
        value = self._data.get(key, default)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.fail(key, "is not a string", expected)
        if allowed and value not in allowed:
            self.fail(key, "is not allowed", expected)
        if not allowed and max_length and len(value) > max_length:
            self.fail(key, f"is too long ({len(value)} characters)", f"at most {max_length}")
        return value

    @recorded(lambda *_a, **_k: None)
    def url(self, key: str, schemes: Sequence[str], example: str) -> str | None:
        """An optional absolute URL with one of ``schemes``; ws(s) URLs lose a trailing '/'.

        Args:
            key: the key within this table.
            schemes: the accepted schemes, e.g. ``("ws",)``.
            example: a URL to show in messages, saying why the scheme is required if need be.
        """
        starts = " or ".join(s + "://" for s in schemes)
        expected = f"a URL starting with {starts}, e.g. {example}"
        value = self.text(key)
        if value is None:
            return None
        # A password in a URL would be printed wherever the URL is: in logs and reports.
        show = "@" not in value
        if not show:
            self.fail(key, "is not allowed", expected + ", without user:password@", show=False)
        try:
            parts = urlsplit(value)
            port_ok = parts.port is not None or ":" not in parts.netloc.rsplit("]", 1)[-1]
        except ValueError:
            self.fail(key, "is not a URL", expected)
        is_ws = parts.scheme.startswith("ws")
        if parts.scheme not in schemes or not parts.hostname or not port_ok:
            self.fail(key, "is not allowed", expected)
        if any(c.isspace() for c in value) or (is_ws and (parts.query or parts.fragment)):
            self.fail(key, "is not allowed", expected + ", without spaces, query or fragment")
        # A URL with an {identity} placeholder is used as written, trailing '/' included.
        return value.rstrip("/") if is_ws and "{identity}" not in value else value

    @recorded(lambda *_a, **_k: None)
    def path(self, key: str) -> Path | None:
        """An optional path to an existing file; relative paths start at the profile's folder."""
        value = self.text(key)
        if value is None:
            return None
        path = Path(value)
        try:
            path = self._ctx.base_dir / path.expanduser()  # an absolute path replaces base_dir
            found = path.is_file()
        except (OSError, ValueError, RuntimeError):  # name too long, NUL byte, unknown ~user
            found = False
        if not found:
            problem = f"is not allowed: no file at {describe(str(path))}"
            self.fail(key, problem, "the path of an existing file")
        return path

    @recorded(lambda *_a, **_k: None)
    def secret(self, key: str) -> Secret | None:
        """An optional secret: a literal string, or ``{ env = "NAME" }`` to read the environment."""
        expected = 'a password string, or { env = "VARIABLE" }'
        value = self._data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value:
            return Secret(value, "literal")
        if not isinstance(value, Mapping) or set(value) != {"env"}:
            self.fail(key, "is not allowed", expected, show=False)
        name = value["env"]
        if not isinstance(name, str) or not name or "=" in name or "\0" in name:
            self.fail(key, "is not allowed", expected + " with a variable name", show=False)
        found = os.environ.get(name)
        if not found:
            state = "is empty" if found is not None else "is not set"
            self.fail(
                key,
                f"reads environment variable {name}, which {state}",
                f"the password in environment variable {name}",
                show=False,
            )
        return Secret(found, f"env:{name}")

    @recorded(lambda *_a, **_k: FrozenMapping({}))
    def options(self, key: str) -> Mapping[str, object]:
        """An optional free-form table, returned read-only (empty when absent)."""
        value = self._data.get(key, {})
        if not isinstance(value, Mapping):
            self.fail(key, "is not a table", f"a [{self._field(key)}] table")
        return freeze(value)

    def _string(self, key: str, default: str | None, max_length: int, required: bool) -> str | None:
        value = self._data.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, "is not a string", "a quoted string")
        if not value:
            self.fail(key, "is empty", "a non-empty string" + ("" if required else ", or no key"))
        if max_length and len(value) > max_length:
            self.fail(key, f"is too long ({len(value)} characters)", f"at most {max_length}")
        return value

    def _field(self, key: str) -> str:
        return f"{self._prefix}.{key}" if self._prefix else key

    def _label(self, key: str) -> str:
        return f"{self._header}.{key}" if self._prefix else key

    def _unknown(self, key: str, allowed: Sequence[str]) -> NoReturn:
        what = "table" if not self._prefix else "key"
        label = f"[{key}]" if not self._prefix else self._label(key)
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = (
            f"{self._ctx.source}: unknown {what} {label}{hint}; "
            f"expected one of {', '.join(allowed)}"
        )
        raise ConfigurationError(mask(message), field=self._field(key))


def _range(kind: str, minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{kind} from {minimum} to {maximum}"
    if minimum is not None:
        return f"{kind} >= {minimum}"
    return kind
