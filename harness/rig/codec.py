"""RIGP/1 framing: encode commands and replies, parse lines. Pure functions, no I/O.

The wire format is specified in ``docs/rigp1.md``. In short, a line is
printable ASCII ending in LF (CR and CRLF accepted), at most
:data:`MAX_LINE` bytes including the terminator, optionally followed by
``*HH``, the XOR of every byte before the ``*`` as two uppercase hex digits::

    host -> rig   CP C 1 #17*5B
    rig -> host   OK #17
    rig -> host   ERR #18 5 BAD_STATE plug is OUT
    rig -> host   !EVT CP c=1 from=B to=C t=81234
    rig -> host   %debug text, ignored

:func:`parse_line` turns a line from the rig into a :class:`Reply`,
:class:`Event` or :class:`Debug`, and raises only the
:class:`~harness.rig.errors.RigProtocolError` family.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.rig.errors import RigChecksumError, RigGarbled, RigLineTooLong

__all__ = [
    "MAX_LINE",
    "MAX_TAG",
    "PROTOCOL_VERSION",
    "Command",
    "Debug",
    "ErrorCode",
    "Event",
    "Line",
    "Reply",
    "checksum",
    "encode_command",
    "encode_error",
    "encode_event",
    "encode_ok",
    "parse_command",
    "parse_line",
    "salvage_tag",
]

MAX_LINE = 128
"""Longest line in bytes, terminator included."""

MAX_TAG = 99999
"""Largest request tag (``#n``, 1 to 5 digits)."""

PROTOCOL_VERSION = "1.1"
"""The RIGP version this module speaks."""


class ErrorCode(enum.IntEnum):
    """The codes of ``ERR`` replies; the number and the name always travel together."""

    BADCHK = 1
    UNKNOWN_CMD = 2
    BAD_ARGS = 3
    OUT_OF_RANGE = 4
    BAD_STATE = 5
    INTERLOCK = 6
    BUSY = 7
    HW_FAULT = 8
    NOT_SUPPORTED = 9
    OVERFLOW = 10


@dataclass(frozen=True)
class Reply:
    """An ``OK`` or ``ERR`` reply.

    Attributes:
        ok: True for ``OK``.
        tag: the echoed request tag, or None when the reply carries none.
        fields: the ``key=value`` pairs of an ``OK`` reply, in order.
        code: the numeric code of an ``ERR`` reply.
        name: the error name of an ``ERR`` reply, e.g. ``BAD_STATE``.
        detail: the free text after the error name (may be empty).
        checksummed: whether the line carried a (valid) checksum.
    """

    ok: bool
    tag: int | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    code: int | None = None
    name: str | None = None
    detail: str = ""
    checksummed: bool = False


@dataclass(frozen=True)
class Event:
    """An asynchronous line (``!…``) from the rig.

    Attributes:
        kind: the leading words without the ``!``, e.g. ``BOOT`` or ``EVT CP``.
        fields: the ``key=value`` pairs except ``t``.
        t: the rig's millisecond clock (``t=``), or None when absent.
        checksummed: whether the line carried a (valid) checksum.
    """

    kind: str
    fields: Mapping[str, str] = field(default_factory=dict)
    t: int | None = None
    checksummed: bool = False


@dataclass(frozen=True)
class Debug:
    """A debug line (``%…``) or an empty line: hosts log it and otherwise ignore it.

    Attributes:
        text: the text after ``%`` (empty for an empty line).
    """

    text: str


@dataclass(frozen=True)
class Command:
    """A command line as the rig sees it.

    Attributes:
        verb: the first word, e.g. ``PLUG`` or ``STATUS?``.
        args: the following words, tag excluded.
        tag: the request tag, or None.
        checksummed: whether the line carried a (valid) checksum.
    """

    verb: str
    args: tuple[str, ...] = ()
    tag: int | None = None
    checksummed: bool = False

    @property
    def text(self) -> str:
        """The command without tag and checksum, e.g. ``CP C 1``."""
        return " ".join((self.verb, *self.args))


Line = Reply | Event | Debug

_TAG = re.compile(r"#([0-9]{1,5})")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_VERB = re.compile(r"[A-Z][A-Z0-9_]*\??")
_HEX = re.compile(r"[0-9A-F]{2}")


def checksum(body: bytes) -> str:
    """The RIGP checksum of ``body``: XOR of its bytes, as two uppercase hex digits.

    Args:
        body: the bytes before ``*``.

    Returns:
        e.g. ``"5B"``.
    """
    value = 0
    for byte in body:
        value ^= byte
    return f"{value:02X}"


def _frame(body: str, with_checksum: bool) -> bytes:
    raw = body.encode("ascii")
    if with_checksum:
        raw += b"*" + checksum(raw).encode("ascii")
    raw += b"\n"
    if len(raw) > MAX_LINE:
        raise RigLineTooLong(
            f"a RIGP line may be {MAX_LINE} bytes long, this one is {len(raw)}: {body[:40]!r}…",
            line=raw,
        )
    return raw


def _check_token(token: str, what: str) -> None:
    if not token or not all(0x21 <= ord(ch) <= 0x7E for ch in token) or "*" in token:
        raise ValueError(f"{what} {token!r} is not a RIGP word (printable ASCII, no space or *)")


def _tag_text(tag: int | None) -> str:
    if tag is None:
        return ""
    if not 0 <= tag <= MAX_TAG:
        raise ValueError(f"tag {tag} is outside 0..{MAX_TAG}")
    return f" #{tag}"


def encode_command(
    verb: str, *args: str, tag: int | None = None, with_checksum: bool = True
) -> bytes:
    """Encode a host command: ``VERB ARGS… [#tag][*HH]`` and LF.

    Args:
        verb: the command word, e.g. ``"PLUG"``.
        *args: its arguments, each one word.
        tag: a request tag the rig echoes in its reply.
        with_checksum: append ``*HH``.

    Returns:
        The line, terminator included.

    Raises:
        ValueError: a word is empty or holds a space, ``*`` or a non-printable byte.
        RigLineTooLong: the encoded line exceeds :data:`MAX_LINE` bytes.
    """
    if not _VERB.fullmatch(verb):
        raise ValueError(f"verb {verb!r} is not a RIGP command word")
    for arg in args:
        _check_token(arg, "argument")
        if arg.startswith("#"):
            raise ValueError(f"argument {arg!r} would read as a tag")
    return _frame(" ".join((verb, *args)) + _tag_text(tag), with_checksum)


def encode_ok(
    fields: Mapping[str, object] | None = None,
    *,
    tag: int | None = None,
    with_checksum: bool = False,
) -> bytes:
    """Encode ``OK [#tag] [key=value…]`` (used by rigs and the emulator)."""
    words = ["OK" + _tag_text(tag)]
    for key, value in (fields or {}).items():
        if not _KEY.fullmatch(key):
            raise ValueError(f"field name {key!r} is not a RIGP key")
        text = str(value)
        _check_token(text, f"value of {key}")
        words.append(f"{key}={text}")
    return _frame(" ".join(words), with_checksum)


def encode_error(
    code: ErrorCode, detail: str = "", *, tag: int | None = None, with_checksum: bool = False
) -> bytes:
    """Encode ``ERR [#tag] <code> <NAME> [detail]`` (used by rigs and the emulator)."""
    text = f"ERR{_tag_text(tag)} {int(code)} {code.name}"
    detail = " ".join(detail.split())
    if detail:
        if "*" in detail or not detail.isascii() or not detail.isprintable():
            raise ValueError(f"error detail {detail!r} must be printable ASCII without *")
        text += " " + detail
    return _frame(text, with_checksum)


def encode_event(
    kind: str,
    fields: Mapping[str, object] | None = None,
    *,
    t: int | None = None,
    with_checksum: bool = False,
) -> bytes:
    """Encode ``!KIND [key=value…] [t=ms]`` (used by rigs and the emulator)."""
    for word in kind.split(" "):
        if not _NAME.fullmatch(word):
            raise ValueError(f"event word {word!r} must be uppercase letters, digits or _")
    words = ["!" + kind]
    items = dict(fields or {})
    if t is not None:
        items["t"] = t
    for key, value in items.items():
        if not _KEY.fullmatch(key):
            raise ValueError(f"field name {key!r} is not a RIGP key")
        text = str(value)
        _check_token(text, f"value of {key}")
        words.append(f"{key}={text}")
    return _frame(" ".join(words), with_checksum)


def _unframe(data: bytes) -> tuple[str, bool]:
    """Strip the terminator, check length, ASCII and checksum; return the body text."""
    if data.endswith(b"\r\n"):
        body, size = data[:-2], len(data)
    elif data.endswith((b"\n", b"\r")):
        body, size = data[:-1], len(data)
    else:
        body, size = data, len(data) + 1
    if size > MAX_LINE:
        raise RigLineTooLong(
            f"line of {size} bytes is longer than {MAX_LINE} bytes (terminator included): "
            f"{bytes(body[:40])!r}…",
            line=bytes(data[:MAX_LINE]),
        )
    if any(byte < 0x20 or byte > 0x7E for byte in body):
        raise RigGarbled(
            f"line holds bytes that are not printable ASCII: {bytes(body)!r}", line=bytes(data)
        )
    text = body.decode("ascii")
    star = text.find("*")
    if star < 0:
        return text, False
    trailer = text[star + 1 :]
    if not _HEX.fullmatch(trailer):
        raise RigGarbled(
            f"a '*' must be followed by exactly two uppercase hex digits at the end: {text!r}",
            line=bytes(data),
        )
    expected = checksum(body[:star])
    if trailer != expected:
        raise RigChecksumError(
            f"checksum *{trailer} does not match the line (expected *{expected}): {text!r}",
            line=bytes(data),
        )
    return text[:star], True


def _fields(words: list[str], data: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not _KEY.fullmatch(key) or not value:
            raise RigGarbled(f"expected key=value, got {word!r}", line=data)
        fields[key] = value
    return fields


def _tag(words: list[str]) -> int | None:
    if words and (match := _TAG.fullmatch(words[0])):
        del words[0]
        return int(match.group(1))
    return None


def parse_line(data: bytes) -> Line:
    """Parse one line received from a rig.

    Args:
        data: the line, with or without its terminator (LF, CR or CRLF).

    Returns:
        A :class:`Reply`, :class:`Event` or :class:`Debug`.

    Raises:
        RigLineTooLong: longer than :data:`MAX_LINE` bytes (debug lines included).
        RigGarbled: not printable ASCII, a malformed ``*`` trailer, or no valid
            reply, event or debug syntax.
        RigChecksumError: the ``*HH`` trailer does not match.
    """
    data = bytes(data)
    if data[:1] == b"%":
        body = data.rstrip(b"\r\n")
        size = len(body) + max(1, len(data) - len(body))
        if size > MAX_LINE:
            raise RigLineTooLong(
                f"debug line of {size} bytes is longer than {MAX_LINE} bytes", line=data[:MAX_LINE]
            )
        return Debug(body[1:].decode("ascii", errors="replace"))
    text, summed = _unframe(data)
    words = text.split()
    if not words:
        return Debug("")
    head = words.pop(0)
    if head == "OK":
        tag = _tag(words)
        return Reply(True, tag, _fields(words, data), checksummed=summed)
    if head == "ERR":
        tag = _tag(words)
        if len(words) < 2 or not words[0].isdigit() or len(words[0]) > 3:
            raise RigGarbled(f"ERR needs '<code> <NAME>', got {text!r}", line=data)
        if not _NAME.fullmatch(words[1]):
            raise RigGarbled(f"ERR name {words[1]!r} is not an uppercase name", line=data)
        return Reply(
            False, tag, {}, int(words[0]), words[1], " ".join(words[2:]), checksummed=summed
        )
    if head.startswith("!") and _NAME.fullmatch(head[1:]):
        kind = [head[1:]]
        while words and "=" not in words[0]:
            word = words.pop(0)
            if not _NAME.fullmatch(word):
                raise RigGarbled(f"event word {word!r} is not an uppercase name", line=data)
            kind.append(word)
        fields = _fields(words, data)
        t = None
        if "t" in fields:
            stamp = fields.pop("t")
            if not stamp.isdigit():
                raise RigGarbled(f"event clock t={stamp!r} is not whole milliseconds", line=data)
            t = int(stamp)
        return Event(" ".join(kind), fields, t, checksummed=summed)
    raise RigGarbled(
        f"a rig line starts with OK, ERR, '!' or '%', not {head[:20]!r}: {text[:60]!r}", line=data
    )


def parse_command(data: bytes) -> Command:
    """Parse a host command as a rig does.

    Args:
        data: the line, with or without its terminator.

    Returns:
        The command.

    Raises:
        RigLineTooLong: longer than :data:`MAX_LINE` bytes.
        RigChecksumError: the ``*HH`` trailer does not match.
        RigGarbled: not printable ASCII, empty, or the first word is not a command word.
    """
    data = bytes(data)
    text, summed = _unframe(data)
    words = text.split()
    if not words or not _VERB.fullmatch(words[0]):
        raise RigGarbled(f"not a RIGP command: {text[:60]!r}", line=data)
    tag = None
    if len(words) > 1 and (match := _TAG.fullmatch(words[-1])):
        tag = int(match.group(1))
        words.pop()
    return Command(words[0], tuple(words[1:]), tag, summed)


def salvage_tag(data: bytes) -> int | None:
    """The tag of a command line that failed to parse, when one can still be read.

    A rig echoes it in ``ERR BADCHK`` / ``ERR OVERFLOW`` so the host can route the
    error to the right caller.
    """
    body = bytes(data).rstrip(b"\r\n").split(b"*", 1)[0]
    last = body.rsplit(b" ", 1)[-1]
    match = _TAG.fullmatch(last.decode("ascii", errors="replace"))
    return int(match.group(1)) if match else None
