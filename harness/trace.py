"""The message trace: every frame, recorded before anything else happens to it.

A trace entry keeps the raw text exactly as it crossed the wire, both clocks
(monotonic for intervals, wall for humans), the direction, what the engine
parsed out of it, and the findings of every check. Reports, failure messages
and sequence diagrams are all built from it; nothing is logged that is not in
the trace first.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.safetext import safe_text

if TYPE_CHECKING:
    # Only an annotation: a run-time import would close the cycle
    # trace -> ocppj -> ocppj.findings -> trace when trace is imported first.
    from harness.ocppj.frames import Problem

__all__ = ["Direction", "Finding", "Level", "Trace", "TraceEntry"]

logger = logging.getLogger("harness.trace")

Masker = Callable[[str], str]

_is_enabled_for = logger.isEnabledFor


def _no_mask(text: str) -> str:
    return text


class Direction(enum.Enum):
    """Which way an entry went, seen from the harness."""

    SENT = ">"
    RECEIVED = "<"
    EVENT = "*"


class Level(enum.Enum):
    """How much a finding weighs in the verdict."""

    FAIL = "fail"
    """It breaks a MUST/SHALL of OCPP-J or the schema: the device is non-conformant."""
    REMARK = "remark"
    """It breaks a SHOULD (or nothing the standard forbids): reported, never a failure."""
    INFO = "info"
    """Information: a deliberate raw send, a late reply to a CALL already judged."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a check found wrong with a frame.

    Attributes:
        code: short category, e.g. ``schema``, ``framing``, ``unknown-id``.
        message: one-line explanation.
        problem: the version-independent problem, when one applies.
        level: whether it fails the test (:attr:`Level.FAIL`), is a remark
            in the report (:attr:`Level.REMARK`) or only information.
        rule: the rule it breaks, e.g. ``OCPP-J §4.1.1 Synchronicity (SHOULD NOT)``.
    """

    code: str
    message: str
    problem: Problem | None = None
    level: Level = Level.FAIL
    rule: str = ""

    @property
    def conformance(self) -> bool:
        """True when this finding makes the frame's sender non-conformant (a FAIL)."""
        return self.level is Level.FAIL

    @property
    def remark(self) -> bool:
        """True when this finding is a remark: shown in the report, never a FAIL."""
        return self.level is Level.REMARK

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        if self.rule:
            text += f" ({self.rule})"
        return f"remark {text}" if self.level is Level.REMARK else text


#: How a finding is marked under its frame: ``!`` fails the test, ``~`` a remark, ``i`` information.
_MARKS = {Level.FAIL: "!", Level.REMARK: "~", Level.INFO: "i"}
#: Findings listed under one frame in a short (width-limited) line.
_SHORT_FINDINGS = 5


@dataclass(slots=True)
class TraceEntry:
    """One frame or event in the trace."""

    seq: int
    direction: Direction
    raw: str
    mono: float
    wall: float
    message_type: int | None = None
    unique_id: str | None = None
    action: str | None = None
    findings: list[Finding] = field(default_factory=list)
    note: str = ""

    def __init__(
        self,
        seq: int,
        direction: Direction,
        raw: str,
        mono: float,
        wall: float,
        message_type: int | None = None,
        unique_id: str | None = None,
        action: str | None = None,
        findings: list[Finding] | None = None,
        note: str = "",
    ) -> None:
        self.seq = seq
        self.direction = direction
        self.raw = raw
        self.mono = mono
        self.wall = wall
        self.message_type = message_type
        self.unique_id = unique_id
        self.action = action
        if findings is not None:
            self.findings = findings
        # else: the list is made on first use (__getattr__). Most entries never
        # get a finding, and a trace keeps every entry: one container fewer per
        # frame for the garbage collector to walk, again and again.
        self.note = note

    def __getattr__(self, name: str) -> Any:
        # Only reached for a slot never set: ``findings`` before its first use.
        if name == "findings":
            found: list[Finding] = []
            self.findings = found
            return found
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self
        )

    @property
    def label(self) -> str:
        """A short name: ``BootNotification``, ``BootNotification/result``, ``error``."""
        kind = {2: "", 3: "/result", 4: "/error", 5: "/resulterror", 6: "/send"}.get(
            self.message_type or 0, ""
        )
        if self.action:
            return self.action + kind
        if self.direction is Direction.EVENT:
            return "event"
        return kind.lstrip("/") or "unparsed"

    def add(self, finding: Finding) -> None:
        if not finding.message.isascii():  # it may quote the device's text
            finding = dataclasses.replace(finding, message=safe_text(finding.message))
        self.findings.append(finding)
        logger.debug("finding on #%d %s: %s", self.seq, self.label, finding)

    def to_dict(self, start_mono: float, mask: Masker = _no_mask) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "direction": self.direction.name.lower(),
            "t": round(self.mono - start_mono, 6),
            "wall": datetime.fromtimestamp(self.wall, UTC).isoformat(timespec="milliseconds"),
            "type": self.message_type,
            "id": self.unique_id,
            "action": self.action,
            "raw": mask(self.raw),
            "findings": [
                {
                    "code": f.code,
                    "message": mask(f.message),
                    "level": f.level.value,
                    "rule": f.rule,
                    "conformance": f.conformance,
                }
                for f in self.findings
            ],
            "note": self.note,
        }

    def format(self, start_mono: float, mask: Masker = _no_mask, width: int = 0) -> str:
        """``+  1.234s > [2,"1","Heartbeat",{}]`` plus indented findings."""
        raw = mask(self.raw)
        if width and len(raw) > width:
            raw = raw[: width - 3] + "..."
        line = f"{self.mono - start_mono:+9.3f}s {self.direction.value} {raw}"
        if self.note:
            line += f"  ({self.note})"
        findings = self.findings
        # A short form (width given) lists a few; the full form keeps every finding.
        shown = findings[:_SHORT_FINDINGS] if width else findings
        for finding in shown:
            line += f"\n{'':12}{_MARKS[finding.level]} {mask(str(finding))}"
        if len(shown) < len(findings):
            line += f"\n{'':12}... and {len(findings) - len(shown)} more findings on this frame"
        return line


class Trace:
    """An append-only record of one connection's frames and events."""

    def __init__(self, name: str = "", *, mask: Masker = _no_mask) -> None:
        self.name = name
        self.mask = mask
        self.start_mono = time.monotonic()
        self.start_wall = time.time()
        self._entries: list[TraceEntry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[TraceEntry]:
        return iter(self._entries)

    def __getitem__(self, index: int) -> TraceEntry:
        return self._entries[index]

    def record(self, direction: Direction, raw: str, *, note: str = "") -> TraceEntry:
        """Append a frame (or event) now and return its entry for annotation.

        Text no encoder accepts (unpaired surrogates, from an in-memory peer
        or an event quoting the device) is escaped here, once, so every
        report built from the trace can be written.
        """
        if not raw.isascii():
            raw = safe_text(raw)
        entries = self._entries
        entry = TraceEntry(
            len(entries),
            direction,
            raw,
            time.monotonic(),
            time.time(),
            None,
            None,
            None,
            None,
            note,
        )
        entries.append(entry)
        if _is_enabled_for(logging.DEBUG):
            logger.debug("%s %s %s", self.name, direction.value, self.mask(raw))
        return entry

    def event(self, text: str) -> TraceEntry:
        """Append a non-frame event (connection opened, rig action, ...)."""
        return self.record(Direction.EVENT, text)

    def since(self, seq: int) -> list[TraceEntry]:
        return self._entries[seq:]

    def findings(self, *, conformance_only: bool = True) -> list[tuple[TraceEntry, Finding]]:
        """Every (entry, finding) pair, by default only conformance findings on received frames."""
        return [
            (entry, finding)
            for entry in self._entries
            for finding in entry.findings
            if not conformance_only
            or (finding.conformance and entry.direction is Direction.RECEIVED)
        ]

    def remarks(self) -> list[tuple[TraceEntry, Finding]]:
        """Every (entry, finding) pair that is a remark on a received frame (a broken SHOULD)."""
        return [
            (entry, finding)
            for entry in self._entries
            if entry.direction is Direction.RECEIVED
            for finding in entry.findings
            if finding.level is Level.REMARK
        ]

    def format_text(self, *, last: int | None = None, width: int = 0) -> str:
        """The readable form: one line per entry, arrows for direction, relative times."""
        entries = self._entries if last is None else self._entries[-last:]
        header = f"trace {self.name} (t=0 at {_iso(self.start_wall)}; > sent, < received)"
        lines = [entry.format(self.start_mono, self.mask, width) for entry in entries]
        if last is not None and len(self._entries) > last:
            lines.insert(0, f"... {len(self._entries) - last} earlier entries omitted")
        return "\n".join([header, *lines])

    def to_json(self) -> str:
        # Ids and actions are the device's strings: escape what UTF-8 cannot hold.
        return safe_text(
            json.dumps(
                {
                    "name": self.name,
                    "start": _iso(self.start_wall),
                    "entries": [e.to_dict(self.start_mono, self.mask) for e in self._entries],
                },
                indent=1,
                ensure_ascii=False,
            )
        )


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="milliseconds")
