"""Text the device sent is made writable once: trace records, findings and failure messages."""

from __future__ import annotations

from harness.errors import ExpectationFailed, TransportError
from harness.ocppj.frames import Problem
from harness.safetext import safe_text
from harness.trace import Direction, Finding, Trace


def test_safe_text_escapes_only_what_utf8_cannot_hold() -> None:
    """Unpaired surrogates become \\uXXXX; ASCII and encodable unicode are untouched."""
    assert safe_text("plain") == "plain"
    assert safe_text("été ✓") == "été ✓"
    assert safe_text("x\ud800y") == "x\\ud800y"
    assert safe_text("\udfff").encode("utf-8") == b"\\udfff"


def test_trace_records_and_findings_are_writable() -> None:
    """A raw text or a finding quoting an unpaired surrogate is recorded escaped."""
    trace = Trace("t")
    entry = trace.record(Direction.RECEIVED, '[2,"x\ud800","Heartbeat",{}]')
    entry.add(Finding("framing", "bad id 'x\ud800'", Problem.BAD_ID))
    entry.unique_id = "x\ud800"  # as the engine sets it from the parsed frame
    for text in (trace.format_text(), trace.to_json(), str(entry.findings[0])):
        text.encode("utf-8")


def test_failure_messages_are_writable() -> None:
    """Both error families escape what the device sent in their message."""
    failure = ExpectationFailed("got 'x\ud800'", awaited="Heartbeat", timeout=1.0)
    broken = TransportError("peer said \udc80")
    for error in (failure, broken):
        str(error).encode("utf-8")
    assert str(failure) == "got 'x\\ud800'"
