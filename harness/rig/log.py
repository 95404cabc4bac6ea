"""The rig log: every command, reply, event and problem, with host and rig time.

Each backend keeps one; the ``rig`` fixture attaches it to the test's report.
Entries are recorded first, then acted on, so the log is complete even when
a test fails on the entry it just recorded.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

__all__ = ["LogEntry", "RigLog"]


@dataclass(frozen=True)
class LogEntry:
    """One line of the rig log.

    Attributes:
        mono: host monotonic time (``time.monotonic()``), for durations.
        wall: host wall-clock time (``time.time()``), for humans.
        kind: ``>`` sent, ``<`` reply, ``!`` event, ``%`` debug, ``?`` operator
            prompt, ``x`` a problem, ``-`` a note.
        text: the line as sent or received (or the note).
        rig_t: the rig's millisecond clock (``t=`` of events), when known.
    """

    mono: float
    wall: float
    kind: str
    text: str
    rig_t: int | None = None


class RigLog:
    """An append-only, thread-safe list of :class:`LogEntry`.

    Args:
        name: what the log is about, e.g. ``serial socket://127.0.0.1:7000``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[LogEntry] = []
        self._lock = threading.Lock()

    def add(self, kind: str, text: str, *, rig_t: int | None = None) -> LogEntry:
        """Record an entry stamped now.

        Args:
            kind: one of the kinds listed on :class:`LogEntry`.
            text: the line or note.
            rig_t: the rig clock carried by the line, if any.

        Returns:
            The entry.
        """
        entry = LogEntry(time.monotonic(), time.time(), kind, text, rig_t)
        with self._lock:
            self._entries.append(entry)
        return entry

    @property
    def entries(self) -> list[LogEntry]:
        """A snapshot of the entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def format_text(self) -> str:
        """The log as text: wall time, seconds since the first entry, kind, line, rig clock."""
        entries = self.entries
        lines = [f"rig log: {self.name} ({len(entries)} entries)"]
        if not entries:
            return lines[0]
        start = entries[0].mono
        for entry in entries:
            stamp = time.strftime("%H:%M:%S", time.localtime(entry.wall))
            millis = int((entry.wall % 1) * 1000)
            rig = f"  [rig t={entry.rig_t}]" if entry.rig_t is not None else ""
            lines.append(
                f"{stamp}.{millis:03d} +{entry.mono - start:8.3f}s {entry.kind} {entry.text}{rig}"
            )
        return "\n".join(lines)
