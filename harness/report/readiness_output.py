"""The readiness summary as Markdown, JSON and terminal lines, and the files it is saved to."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.profile import mask
from harness.report.readiness import Counts, Outcome, ProfileReadiness, Readiness
from harness.report.readiness_blocks import block_readiness

__all__ = ["readiness_json", "readiness_markdown", "terminal_lines", "write_readiness"]

_COLUMNS = ("passed", "failed", "errored", "n/a", "not run", "not impl.", "total")


def _cells(counts: Counts) -> list[int]:
    return [
        counts.passed,
        counts.failed,
        counts.errored,
        counts.not_applicable,
        counts.not_run,
        counts.not_implemented,
        counts.total,
    ]


def _rows(profile: ProfileReadiness) -> list[tuple[str, Counts]]:
    groups = (("M", profile.mandatory), ("C", profile.conditional), ("?", profile.unclassified))
    return [(mc, counts) for mc, counts in groups if counts.total]


def _status(profile: ProfileReadiness) -> str:
    if profile.ready:
        return "ready"
    return "not ready" if profile.mandatory.total + profile.unclassified.total else "-"


def _title(readiness: Readiness) -> str:
    return (
        f"OCPP {readiness.version.value} {readiness.role.value} certification readiness: "
        f"{mask(readiness.dut)}"
    )


def readiness_markdown(readiness: Readiness, generated: datetime | None = None) -> str:
    """A Markdown page: per profile and M/C the outcome counts, then every case not passed."""
    when = (generated or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    totals = readiness.totals()
    lines = [
        f"# {_title(readiness)}",
        "",
        f"Generated {when}. {totals.total} catalogue cases for this version and role: "
        f"{totals.passed} passed, {totals.failed} failed, {totals.errored} errored, "
        f"{totals.not_applicable} not applicable, {totals.not_run} not run, "
        f"{totals.not_implemented} not implemented.",
        "",
        "A profile is *ready* when every mandatory case passed or does not apply (`not "
        "applicable`: the DUT profile declares the feature absent) and no conditional case "
        "failed or errored. A mandatory case *not run* (the rig, trigger or operator could "
        "not perform it) or not implemented keeps the profile not ready. A case whose M/C "
        "is unknown (`?`, e.g. OCPP 1.6) counts as mandatory. A case in several profiles "
        "counts in each.",
        *([readiness.note, ""] if readiness.note else []),
        "| profile | claimed | status | M/C | " + " | ".join(_COLUMNS) + " |",
        "|---|---|---|---|" + "---:|" * len(_COLUMNS),
    ]
    for profile in readiness.profiles:
        claimed = "yes" if profile.claimed else ""
        for index, (mc, counts) in enumerate(_rows(profile) or [("M", profile.mandatory)]):
            head = (
                f"| {profile.profile} | {claimed} | {_status(profile)} " if index == 0 else "| | | "
            )
            lines.append(head + f"| {mc} | " + " | ".join(map(str, _cells(counts))) + " |")
    blocks = block_readiness(readiness)
    if blocks:
        lines += [
            "",
            "## Functional blocks of the claimed profiles",
            "",
            "A block is *complete* when each of its cases in the profile passed or does not apply.",
            "",
            "| profile | block | status | " + " | ".join(_COLUMNS) + " |",
            "|---|---|---|" + "---:|" * len(_COLUMNS),
        ]
        lines += [
            f"| {row.profile} | {row.block} | {'complete' if row.complete else 'incomplete'} | "
            + " | ".join(map(str, _cells(row.counts)))
            + " |"
            for row in blocks
        ]
    attention = [
        case
        for case in readiness.cases
        if case.outcome in (Outcome.FAILED, Outcome.ERRORED, Outcome.NOT_RUN)
    ]
    if attention:
        lines += [
            "",
            "## Cases that need attention",
            "",
            "| id | outcome | title |",
            "|---|---|---|",
        ]
        lines += [
            f"| {case.id} | {case.outcome.value} | {(case.title or '').replace('|', '/')} |"
            for case in attention
        ]
    return "\n".join(lines) + "\n"


def readiness_json(readiness: Readiness, generated: datetime | None = None) -> str:
    """The summary as JSON: totals, per-profile counts and every case's outcome."""
    when = (generated or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    data: dict[str, Any] = {
        "dut": mask(readiness.dut),
        "ocpp_version": readiness.version.value,
        "role": readiness.role.value,
        "generated": when,
        "note": readiness.note,
        "totals": readiness.totals().as_dict(),
        "profiles": [
            {
                "profile": p.profile,
                "claimed": p.claimed,
                "ready": p.ready,
                "mandatory": p.mandatory.as_dict(),
                "conditional": p.conditional.as_dict(),
                "unclassified": p.unclassified.as_dict(),
            }
            for p in readiness.profiles
        ],
        "blocks": [
            {
                "profile": row.profile,
                "block": row.block,
                "complete": row.complete,
                "counts": row.counts.as_dict(),
            }
            for row in block_readiness(readiness)
        ],
        "cases": [
            {
                "id": c.id,
                "title": c.title,
                "outcome": c.outcome.value,
                "profiles": [{"profile": p, "mc": mc} for p, mc in c.memberships],
            }
            for c in readiness.cases
        ],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def terminal_lines(readiness: Readiness) -> list[str]:
    """A fixed-width table for the end of the pytest run."""
    width = max([len(p.profile) for p in readiness.profiles] + [len("profile")])
    header = f"{'profile':<{width}}  {'M/C':3} " + " ".join(f"{c:>9}" for c in _COLUMNS)
    lines = [_title(readiness), *([readiness.note] if readiness.note else []), header]
    for profile in readiness.profiles:
        for index, (mc, counts) in enumerate(_rows(profile)):
            name = profile.profile if index == 0 else ""
            cells = " ".join(f"{n:>9}" for n in _cells(counts))
            status = f"  {_status(profile)}" if index == 0 else ""
            lines.append(f"{name:<{width}}  {mc:3} {cells}{status}")
    totals = readiness.totals()
    lines.append(
        f"cases: {totals.total}; passed {totals.passed}, failed {totals.failed}, "
        f"errored {totals.errored}, not applicable {totals.not_applicable}, "
        f"not run {totals.not_run}, not implemented {totals.not_implemented}"
    )
    return lines


def write_readiness(directory: Path, readiness: Readiness) -> list[Path]:
    """Write ``readiness.md`` and ``readiness.json`` into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    files = {
        "readiness.md": readiness_markdown(readiness, now),
        "readiness.json": readiness_json(readiness, now),
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
