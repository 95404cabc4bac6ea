"""A sequence diagram of one session's exchange, as a self-contained SVG.

Three lifelines: the harness (in the role it plays), the DUT, and the rig (for
a station under test; the trigger for a CSMS under test). One arrow per frame,
labelled with its action and its time since the trace started; trace events
whose text starts with ``rig:`` (or ``trigger:``) are arrows to the third
lifeline, other events are notes on the harness's lifeline; so are the rig's
own log lines when the caller passes them (``rig_events``), merged by time. A frame with
findings carries a warning glyph and lists them in its tooltip; the frame at
which the verdict failed, and the moment it failed, are drawn in red.

The SVG has no scripts, styles or references outside itself, so Allure shows it
inline and a browser opens it from disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from harness.ocppj.versions import Role
from harness.report.failure import Failure
from harness.trace import Direction, Trace, TraceEntry

__all__ = ["MAX_ROWS", "RigEvent", "sequence_svg"]

#: A line of the rig's own log: (monotonic time, text).
RigEvent = tuple[float, str]

#: Entries drawn at most; a longer trace shows its last ones (and the failing frame).
MAX_ROWS = 400

_ROW = 30
_TOP = 66
_X_TIME = 8
_X_HARNESS = 230
_X_DUT = 650
_X_THIRD = 930
_WIDTH = 1040
_BOX_W = 210
_LABEL_CHARS = 64
_TIP_CHARS = 600
_RED = "#c62828"
_WARN = "#b26a00"
_INK = "#263238"
_MUTED = "#78909c"
_THIRD_PREFIXES = ("rig:", "rig ", "trigger:")
# Characters XML 1.0 does not allow; a misbehaving DUT may send them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class _Row:
    entry: TraceEntry
    y: int


def _window(entries: Sequence[TraceEntry], highlight: int | None) -> tuple[int, int]:
    """The [start, end) slice of entries to draw: the last MAX_ROWS, moved to show the highlight."""
    start = max(0, len(entries) - MAX_ROWS)
    if highlight is not None:
        index = next((i for i, e in enumerate(entries) if e.seq == highlight), None)
        if index is not None and index < start:
            start = max(0, index - 10)
    return start, min(len(entries), start + MAX_ROWS)


def _is_third(entry: TraceEntry) -> bool:
    return entry.direction is Direction.EVENT and entry.raw.lower().startswith(_THIRD_PREFIXES)


def _header(x: int, title: str, subtitle: str) -> str:
    return (
        f'<rect x="{x - _BOX_W // 2}" y="12" width="{_BOX_W}" height="44" rx="6" '
        f'fill="#eceff1" stroke="{_INK}"/>'
        f'<text x="{x}" y="31" text-anchor="middle" font-weight="bold">{_text(title)}</text>'
        f'<text x="{x}" y="48" text-anchor="middle" font-size="11" fill="{_MUTED}">'
        f"{_text(subtitle)}</text>"
    )


def _arrow(
    x1: int, x2: int, y: int, label: str, color: str, *, dashed: bool, bold: bool
) -> list[str]:
    marker = "arrow-red" if color == _RED else "arrow-warn" if color == _WARN else "arrow"
    width = "2.5" if bold else "1.3"
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    weight = ' font-weight="bold"' if bold else ""
    return [
        f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}" stroke-width="{width}"'
        f'{dash} marker-end="url(#{marker})"/>',
        f'<text x="{(x1 + x2) // 2}" y="{y - 6}" text-anchor="middle" fill="{color}"{weight}>'
        f"{_text(label)}</text>",
    ]


def _tooltip(trace: Trace, entry: TraceEntry) -> str:
    lines = [_short(trace.mask(entry.raw), _TIP_CHARS)]
    lines += [trace.mask(str(finding)) for finding in entry.findings]
    if entry.note:
        lines.append(trace.mask(entry.note))
    return f"<title>{_text(chr(10).join(lines))}</title>"


def _frame(trace: Trace, row: _Row, failed: bool) -> list[str]:
    entry, y = row.entry, row.y
    sent = entry.direction is Direction.SENT
    x1, x2 = (_X_HARNESS, _X_DUT) if sent else (_X_DUT, _X_HARNESS)
    judged = any(f.conformance for f in entry.findings) and not sent
    label = _short(trace.mask(entry.label), _LABEL_CHARS)
    if entry.unique_id is not None:
        label += f"  #{_short(trace.mask(entry.unique_id), 16)}"
    if entry.findings:
        label = "\u26a0 " + label
    if failed:
        label = "\u2717 " + label + "  \u2190 verdict failed here"
    color = _RED if failed else _WARN if judged else _INK
    flag = ' data-failed="true"' if failed else ""
    parts = [f'<g class="frame" data-seq="{entry.seq}"{flag}>']
    if failed:
        parts.append(
            f'<rect x="{_X_TIME + 70}" y="{y - 22}" width="{_WIDTH - _X_TIME - 80}" '
            f'height="{_ROW}" fill="#ffebee"/>'
        )
    parts.append(_tooltip(trace, entry))
    reply = entry.message_type in (3, 4, 5)
    parts += _arrow(x1, x2, y, label, color, dashed=reply, bold=failed)
    parts.append("</g>")
    return parts


def _event(trace: Trace, row: _Row) -> list[str]:
    entry, y = row.entry, row.y
    text = _short(trace.mask(entry.raw), 90)
    if _is_third(entry):
        detail = text.split(":", 1)[1].strip() if ":" in text else text[4:].strip()
        return [
            f'<g class="rig" data-seq="{entry.seq}">',
            _tooltip(trace, entry),
            *_arrow(_X_HARNESS, _X_THIRD, y, detail, _INK, dashed=False, bold=False),
            "</g>",
        ]
    return [
        f'<g class="event" data-seq="{entry.seq}">',
        _tooltip(trace, entry),
        f'<circle cx="{_X_HARNESS}" cy="{y - 4}" r="3" fill="{_MUTED}"/>',
        f'<text x="{_X_HARNESS + 10}" y="{y}" fill="{_MUTED}" font-style="italic" '
        f'font-size="11">{_text(text)}</text>',
        "</g>",
    ]


def sequence_svg(
    trace: Trace,
    *,
    harness_role: Role,
    dut_identity: str,
    highlight: int | None = None,
    failure: Failure | None = None,
    rig_events: Sequence[RigEvent] = (),
) -> str:
    """Draw ``trace`` as an SVG sequence diagram.

    Args:
        trace: the session's trace; every text is masked with its masker.
        harness_role: the role the harness played (the DUT played the other).
        dut_identity: the DUT's identity, shown on its lifeline.
        highlight: ``seq`` of the frame at which the verdict failed (see
            :func:`~harness.report.failure.locate_failure`).
        failure: the failed verdict; its time is drawn as a red line.
        rig_events: lines of the rig's log to draw on the rig lifeline, merged
            with the trace by time.

    Returns:
        The SVG document as text.
    """
    entries = list(trace)
    if rig_events:
        extra = [
            TraceEntry(-1 - n, Direction.EVENT, f"rig: {text}", mono, 0.0)
            for n, (mono, text) in enumerate(rig_events)
        ]
        entries = sorted(entries + extra, key=lambda entry: entry.mono)
    start, end = _window(entries, highlight)
    shown = entries[start:end]
    failure_after = None  # index in `shown` after which the verdict line goes
    if failure is not None:
        earlier = [i for i, e in enumerate(shown) if e.mono <= failure.mono]
        failure_after = earlier[-1] if earlier else -1
    rows: list[_Row] = []
    y = _TOP + (_ROW if start else 0)
    verdict_y = None
    if failure_after == -1:  # the verdict came before every frame drawn
        y += _ROW
        verdict_y = y
    for index, entry in enumerate(shown):
        y += _ROW
        rows.append(_Row(entry, y))
        if failure_after == index:
            y += _ROW
            verdict_y = y
    later = len(entries) - end
    if later:
        y += _ROW
    bottom = y + _ROW
    third = "Rig" if harness_role is Role.CSMS else "Trigger"
    role_name = "CSMS" if harness_role is Role.CSMS else "Station"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{bottom + 20}" '
        f'viewBox="0 0 {_WIDTH} {bottom + 20}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="12" fill="{_INK}">',
        f"<title>{_text(trace.mask(trace.name or 'OCPP exchange'))}</title>",
        "<defs>",
        *(
            f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
            f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            for name, color in (("arrow", _INK), ("arrow-red", _RED), ("arrow-warn", _WARN))
        ),
        "</defs>",
        f'<rect width="{_WIDTH}" height="{bottom + 20}" fill="#ffffff"/>',
        _header(_X_HARNESS, f"Harness ({role_name})", "this test harness"),
        _header(_X_DUT, "DUT", _short(trace.mask(dut_identity), 32)),
        _header(_X_THIRD, third, "physical inputs" if third == "Rig" else "CSMS operator"),
    ]
    for x in (_X_HARNESS, _X_DUT, _X_THIRD):
        out.append(
            f'<line x1="{x}" y1="56" x2="{x}" y2="{bottom}" stroke="{_MUTED}" '
            f'stroke-dasharray="4 4"/>'
        )
    if start:
        out.append(
            f'<text x="{_X_TIME}" y="{_TOP + _ROW - 8}" fill="{_MUTED}">'
            f"\u2026 {start} earlier entries not drawn</text>"
        )
    for row in rows:
        entry = row.entry
        seconds = entry.mono - trace.start_mono
        out.append(
            f'<text x="{_X_TIME}" y="{row.y}" fill="{_MUTED}" font-size="11">+{seconds:.3f}s</text>'
        )
        if entry.direction is Direction.EVENT:
            out += _event(trace, row)
        else:
            out += _frame(trace, row, entry.seq == highlight)
    if later:
        out.append(
            f'<text x="{_X_TIME}" y="{y}" fill="{_MUTED}">'
            f"\u2026 {later} later entries not drawn</text>"
        )
    if failure is not None and verdict_y is not None:
        out += _verdict_line(trace, failure, verdict_y)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _verdict_line(trace: Trace, failure: Failure, y: int) -> list[str]:
    seconds = failure.mono - trace.start_mono
    first_line = failure.message.strip().splitlines()[0] if failure.message.strip() else ""
    label = f"\u2717 verdict: {failure.kind} at +{seconds:.3f}s"
    return [
        '<g class="verdict">',
        f"<title>{_text(_short(trace.mask(failure.message), _TIP_CHARS))}</title>",
        f'<line x1="{_X_TIME + 70}" y1="{y - 4}" x2="{_WIDTH - 10}" y2="{y - 4}" '
        f'stroke="{_RED}" stroke-width="2" stroke-dasharray="8 4"/>',
        f'<text x="{_X_HARNESS + 10}" y="{y - 10}" fill="{_RED}" font-weight="bold">'
        f"{_text(label)}</text>",
        f'<text x="{_X_TIME}" y="{y + 10}" fill="{_RED}" font-size="11">'
        f"{_text(_short(trace.mask(first_line), 150))}</text>",
        "</g>",
    ]
