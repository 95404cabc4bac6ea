"""Rewrite the knob tables of the simulator docs from the knob data (run after adding a knob).

The docs pages hold each simulator's knob table exactly as
:func:`harness.sim.mutants.knob_table` writes it, and the simulator tests check
that they do. This script replaces each page's table (the Markdown table whose
header is the knob table's) with the one the data gives now.

Usage: ``.venv/bin/python scripts/knob_tables.py`` (``--check`` only reports).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from harness.sim.csms import mutants as csms
from harness.sim.mutants import WireMutant, knob_table
from harness.sim.station import v16_mutants, v201_mutants

DOCS = Path(__file__).resolve().parents[1] / "docs"
HEADER = "| knob | the mutant … | how |"

TABLES: dict[str, tuple[Iterable[WireMutant], Mapping[str, str]]] = {
    "station-simulator-1.6.md": (v16_mutants.MUTANTS, v16_mutants.BEHAVIOUR_KNOBS),
    "station-simulator-2.0.1.md": (v201_mutants.MUTANTS, v201_mutants.BEHAVIOUR_KNOBS),
    "simulators.md": (csms.MUTANTS, csms.BEHAVIOUR_KNOBS),
}


def rewritten(text: str, table: str) -> str:
    """The page with its knob table (header line up to the first non-table line) replaced."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "".join(lines[:start]) + table + "".join(lines[end:])


def main(argv: list[str]) -> int:
    """Rewrite (or with ``--check`` compare) every page; 1 when a page was out of date."""
    stale = []
    for page, (mutants, behaviour) in TABLES.items():
        path = DOCS / page
        text = path.read_text(encoding="utf-8")
        new = rewritten(text, knob_table(mutants, behaviour))
        if new != text:
            stale.append(page)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    for page in stale:
        print(f"{page}: knob table {'out of date' if '--check' in argv else 'rewritten'}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
