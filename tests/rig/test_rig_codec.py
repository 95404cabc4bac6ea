"""The RIGP/1 codec: exact framing, each protocol error distinct, round trips and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.rig.codec import (
    MAX_LINE,
    Command,
    Debug,
    ErrorCode,
    Event,
    Reply,
    checksum,
    encode_command,
    encode_error,
    encode_event,
    encode_ok,
    parse_command,
    parse_line,
    salvage_tag,
)
from harness.rig.errors import RigChecksumError, RigGarbled, RigLineTooLong, RigProtocolError

WORD = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="*#="),
    min_size=1,
    max_size=8,
)
KEY = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True)
VALUE = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="*"),
    min_size=1,
    max_size=8,
)
NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True)
TAG = st.none() | st.integers(0, 99999)


def test_checksum_is_the_xor_of_the_bytes_before_the_star() -> None:
    """``*HH`` is the XOR of every byte of the body, as two uppercase hex digits."""
    assert checksum(b"PING") == f"{ord('P') ^ ord('I') ^ ord('N') ^ ord('G'):02X}"
    assert encode_command("PING", tag=7) == b"PING #7*" + checksum(b"PING #7").encode() + b"\n"
    assert encode_command("CP", "C", "1", with_checksum=False) == b"CP C 1\n"


def test_a_reply_parses_with_tag_fields_and_checksum() -> None:
    """OK carries its tag and fields; ERR its code, name and free-text detail."""
    assert parse_line(b"OK #12 proto=1.0\r\n") == Reply(True, 12, {"proto": "1.0"})
    line = encode_error(ErrorCode.BAD_STATE, "plug is OUT", tag=3, with_checksum=True)
    assert parse_line(line) == Reply(False, 3, {}, 5, "BAD_STATE", "plug is OUT", True)
    assert parse_line(b"ERR 9 NOT_SUPPORTED\r") == Reply(False, None, {}, 9, "NOT_SUPPORTED", "")


def test_events_carry_kind_fields_and_the_rig_clock() -> None:
    """An event's leading words are its kind; ``t=`` is the rig clock, kept apart."""
    assert parse_line(b"!EVT CP c=1 from=B to=C t=81234\n") == Event(
        "EVT CP", {"c": "1", "from": "B", "to": "C"}, 81234
    )
    assert parse_line(b"!WDOG EXPIRED t=5") == Event("WDOG EXPIRED", {}, 5)
    assert parse_line(b"!BOOT fw=1.2") == Event("BOOT", {"fw": "1.2"}, None)


def test_debug_and_empty_lines_are_ignorable() -> None:
    """``%`` lines (any bytes) and empty lines parse as Debug."""
    assert parse_line(b"%adc=512 \xff*zz\n") == Debug("adc=512 \ufffd*zz")
    assert parse_line(b"\r\n") == Debug("")


@pytest.mark.parametrize("terminator", [b"\n", b"\r", b"\r\n"])
def test_the_length_limit_includes_the_terminator(terminator: bytes) -> None:
    """A line of exactly 128 bytes with its terminator passes; one byte more does not."""
    body = b"OK pad=" + b"x" * (MAX_LINE - len(terminator) - 7)
    assert len(body + terminator) == MAX_LINE
    assert parse_line(body + terminator) == Reply(True, None, {"pad": "x" * (len(body) - 7)})
    with pytest.raises(RigLineTooLong, match="129 bytes"):
        parse_line(body + b"x" + terminator)


@pytest.mark.parametrize(
    ("line", "error", "message"),
    [
        (b"OK #1*00\n", RigChecksumError, "expected"),
        (b"OK #1*5\n", RigGarbled, "two uppercase hex"),
        (b"OK #1*5b\n", RigGarbled, "two uppercase hex"),
        (b"OK \xe9t\xe9\n", RigGarbled, "not printable ASCII"),
        (b"OK a\tb\n", RigGarbled, "not printable ASCII"),
        (b"HELLO\n", RigGarbled, "starts with OK, ERR"),
        (b"OK proto\n", RigGarbled, "key=value"),
        (b"ERR BAD_STATE\n", RigGarbled, "<code> <NAME>"),
        (b"ERR 5 bad_state\n", RigGarbled, "uppercase name"),
        (b"!EVT cp c=1\n", RigGarbled, "uppercase name"),
        (b"!BOOT t=soon\n", RigGarbled, "whole milliseconds"),
        (b"OK " + b"x" * 200, RigLineTooLong, "longer than 128 bytes"),
    ],
)
def test_each_framing_error_is_its_own_exception(
    line: bytes, error: type[RigProtocolError], message: str
) -> None:
    """Bad checksum, oversize and garbled lines raise distinct errors that keep the bytes."""
    with pytest.raises(error, match=message) as raised:
        parse_line(line)
    assert raised.value.line


def test_commands_parse_as_a_rig_sees_them() -> None:
    """The rig reads verb, arguments, a trailing tag and the checksum."""
    assert parse_command(encode_command("RFID", "PRESENT", "04A1", "500", tag=99)) == Command(
        "RFID", ("PRESENT", "04A1", "500"), 99, True
    )
    assert parse_command(b"STATUS? 0\r\n").text == "STATUS? 0"
    with pytest.raises(RigGarbled):
        parse_command(b"plug in\n")
    assert salvage_tag(b"PLUG IN #41*00\n") == 41
    assert salvage_tag(b"PLUG IN\n") is None


def test_encoding_refuses_what_the_wire_cannot_carry() -> None:
    """Spaces or ``*`` in a word, tag-like arguments and oversize lines are refused."""
    with pytest.raises(ValueError, match="not a RIGP word"):
        encode_command("RFID", "PRESENT", "a b")
    with pytest.raises(ValueError, match="read as a tag"):
        encode_command("RFID", "PRESENT", "#1")
    with pytest.raises(ValueError, match="outside"):
        encode_command("PING", tag=100000)
    with pytest.raises(RigLineTooLong):
        encode_command("RFID", "PRESENT", "x" * 130)


@given(
    verb=NAME,
    args=st.lists(WORD, max_size=4),
    tag=TAG,
    summed=st.booleans(),
)
def test_command_round_trip(verb: str, args: list[str], tag: int | None, summed: bool) -> None:
    """Every encodable command parses back to itself."""
    command = parse_command(encode_command(verb, *args, tag=tag, with_checksum=summed))
    assert command == Command(verb, tuple(args), tag, summed)


@given(fields=st.dictionaries(KEY, VALUE, max_size=5), tag=TAG, summed=st.booleans())
def test_ok_round_trip(fields: dict[str, str], tag: int | None, summed: bool) -> None:
    """Every encodable OK reply parses back to its tag and fields."""
    assert parse_line(encode_ok(fields, tag=tag, with_checksum=summed)) == Reply(
        True, tag, fields, checksummed=summed
    )


@given(
    code=st.sampled_from(ErrorCode),
    detail=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E, blacklist_characters="*")),
    tag=TAG,
    summed=st.booleans(),
)
def test_error_round_trip(code: ErrorCode, detail: str, tag: int | None, summed: bool) -> None:
    """Every ERR reply parses back to its code, name and (space-normalised) detail."""
    reply = parse_line(encode_error(code, detail, tag=tag, with_checksum=summed))
    assert reply == Reply(False, tag, {}, int(code), code.name, " ".join(detail.split()), summed)


@given(
    kind=st.lists(NAME, min_size=1, max_size=2),
    fields=st.dictionaries(KEY.filter(lambda key: key != "t"), VALUE, max_size=4),
    t=st.none() | st.integers(0, 2**40),
    summed=st.booleans(),
)
def test_event_round_trip(
    kind: list[str], fields: dict[str, str], t: int | None, summed: bool
) -> None:
    """Every encodable event parses back to its kind, fields and clock."""
    line = encode_event(" ".join(kind), fields, t=t, with_checksum=summed)
    assert parse_line(line) == Event(" ".join(kind), fields, t, summed)


@settings(max_examples=500)
@given(st.binary(max_size=200))
def test_parse_line_raises_only_rig_protocol_errors(data: bytes) -> None:
    """Whatever bytes arrive, parsing returns a line or raises a RigProtocolError."""
    try:
        line = parse_line(data)
    except RigProtocolError:
        return
    assert isinstance(line, Reply | Event | Debug)


@settings(max_examples=500)
@given(st.binary(max_size=200))
def test_parse_command_raises_only_rig_protocol_errors(data: bytes) -> None:
    """Whatever bytes a rig receives, it gets a command or a RigProtocolError."""
    try:
        parse_command(data)
    except RigProtocolError:
        return


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=140))
def test_printable_lines_never_crash_the_parser(text: str) -> None:
    """Printable ASCII near the grammar (the likeliest noise) also parses or raises cleanly."""
    for prefix in ("OK ", "ERR ", "!", ""):
        try:
            parse_line((prefix + text).encode() + b"\n")
        except RigProtocolError:
            pass


def test_every_rig_line_in_the_specification_parses() -> None:
    """Each ``< …`` line of the examples in docs/rigp1.md is valid RIGP/1 for the host."""
    from pathlib import Path

    spec = Path(__file__).parents[2] / "docs" / "rigp1.md"
    lines = [
        line[2:].split("   ")[0].strip()
        for line in spec.read_text().splitlines()
        if line.startswith("< ")
    ]
    assert len(lines) > 20
    for line in lines:
        parse_line(line.encode() + b"\n")
