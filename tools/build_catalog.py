"""Generate the test-case catalogue (``harness/catalog/catalog.json`` and ``catalog.md``).

The catalogue carries facts only: each certification test case's id, version,
side under test, title, functional block, certification profiles and M/C
flags. They are read from the machine-readable extracts of the Open Charge
Alliance documents (``/work/shared/reference`` by default, see its README);
none of the documents' prose is copied.

Usage::

    python tools/build_catalog.py                  # regenerate the committed files
    python tools/build_catalog.py --check          # exit 1 when they are out of date
    python tools/build_catalog.py --reference DIR  # read the extracts from DIR

Where the data come from:

* 2.0.1: ids and titles from ``ocpp201/testcases.json``; blocks from the
  letter in the id; profiles and M/C per side from
  ``ocpp201/certification-profiles.json`` (a case may belong to several
  profiles). Cases the profile tables do not list have no profile; a
  profile-table row for a case that is neither in the test-case extract nor
  titled in the table (``TC_N_21_CSMS``, a column misread) is left out.
* 1.6: ids and titles from ``ocpp16/testcases.json``; the block is the
  second-level section of the test-case document the case sits in (its
  heading survives in the extract as the last line of the preceding case);
  the first section's heading is not in the extract and is named
  :data:`FIRST_16_BLOCK`. The profile is the case's OCPP 1.6 feature profile
  (Core, Local Auth List Management, Firmware Management, Reservation, Remote
  Trigger, Smart Charging, Security) from ``ocpp16/feature-profiles.json``; the
  reference gives no M/C for 1.6, so ``mc`` is null.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "harness" / "catalog"
JSON_PATH = CATALOG_DIR / "catalog.json"
MD_PATH = CATALOG_DIR / "catalog.md"
DEFAULT_REFERENCE = Path(os.environ.get("OCPP_REFERENCE_DIR", "/work/shared/reference"))

#: Functional blocks of OCPP 2.0.1, by the letter in a test-case id.
BLOCKS_201 = {
    "A": "Security",
    "B": "Provisioning",
    "C": "Authorization",
    "D": "Local Authorization List",
    "E": "Transactions",
    "F": "Remote Control",
    "G": "Availability",
    "H": "Reservation",
    "I": "Tariff and Cost",
    "J": "Meter Values",
    "K": "Smart Charging",
    "L": "Firmware",
    "M": "ISO 15118 Certificate Management",
    "N": "Diagnostics",
    "O": "Display Message",
    "P": "Data Transfer",
}

#: Block name of the 1.6 cases before the first heading found in the extract (cold boot).
FIRST_16_BLOCK = "Cold Boot"

_TEXT_FIELDS_16 = (
    "description",
    "purpose",
    "prereq",
    "before",
    "scenario",
    "tool_validations",
    "expected",
)
_SECTION = re.compile(r"^(?P<chapter>\d+)\.(?P<section>\d+)\.\s+(?P<title>\S.*?)\s*$", re.MULTILINE)
_SIDES = {"CS": "station", "CSMS": "csms"}


def _clean(text: str) -> str:
    """Collapse the line breaks and runs of spaces the PDF extraction left in a title."""
    return re.sub(r"\s+", " ", text).strip()


def _side(case_id: str) -> str:
    return _SIDES[case_id.rsplit("_", 1)[1]]


def _load(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a JSON list")
    return data


def _memberships_201(profiles: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """``TC_B_01_CS`` -> ``[{"profile": "Core", "mc": "M"}, ...]`` from the profile tables."""
    found: dict[str, list[dict[str, str]]] = {}
    for row in profiles:
        for suffix, column in (("CS", "cs"), ("CSMS", "csms")):
            flag = row.get(column)
            if flag not in ("M", "C"):
                continue
            membership = {"profile": str(row["profile"]), "mc": str(flag)}
            listed = found.setdefault(f"{row['id']}_{suffix}", [])
            if membership not in listed:
                listed.append(membership)
    return found


def _titles_from_profiles(profiles: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for row in profiles:
        for suffix, column in (("CS", "title_cs"), ("CSMS", "title_csms")):
            if row.get(column):
                titles.setdefault(f"{row['id']}_{suffix}", _clean(str(row[column])))
    return titles


def entries_201(reference: Path) -> list[dict[str, Any]]:
    """The 2.0.1 catalogue entries, in document order."""
    cases = _load(reference / "ocpp201" / "testcases.json")
    profiles = _load(reference / "ocpp201" / "certification-profiles.json")
    memberships = _memberships_201(profiles)
    titles = {str(case["id"]): _clean(str(case["name"])) for case in cases}
    # A titled case listed in the profile tables but missing from the test-case extract stays.
    for case_id, title in _titles_from_profiles(profiles).items():
        titles.setdefault(case_id, title)
    out = []
    for case_id, title in titles.items():
        letter = case_id.split("_")[1]
        out.append(
            {
                "id": case_id,
                "version": "2.0.1",
                "sut": _side(case_id),
                "title": title,
                "block": f"{letter} {BLOCKS_201[letter]}",
                "profiles": memberships.get(case_id, []),
            }
        )
    return out


def _feature_profiles_16(reference: Path) -> dict[str, str]:
    """``TC_001_CS`` -> ``Core``: each 1.6 case's feature profile."""
    path = reference / "ocpp16" / "feature-profiles.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, dict):
        raise SystemExit(f"{path}: expected an object with a 'profiles' mapping")
    found: dict[str, str] = {}
    for profile, case_ids in profiles.items():
        for case_id in case_ids:
            if found.setdefault(str(case_id), str(profile)) != profile:
                raise SystemExit(f"{path}: {case_id} is in {found[case_id]} and {profile}")
    return found


def entries_16(reference: Path) -> list[dict[str, Any]]:
    """The 1.6 catalogue entries, in document order, with blocks from the section headings."""
    cases = _load(reference / "ocpp16" / "testcases.json")
    features = _feature_profiles_16(reference)
    out = []
    block, section, side = FIRST_16_BLOCK, 1, ""
    for case in cases:
        case_id = str(case["id"])
        if _side(case_id) != side:  # the CSMS chapter starts again at its first section
            block, section, side = FIRST_16_BLOCK, 1, _side(case_id)
        out.append(
            {
                "id": case_id,
                "version": "1.6",
                "sut": side,
                "title": _clean(str(case["name"])),
                "block": block,
                # The 1.6 reference gives each case's feature profile, but no M/C.
                "profiles": [{"profile": features[case_id], "mc": None}]
                if case_id in features
                else [],
            }
        )
        # The heading of the next section is extracted into the tail of this case's text.
        for name in _TEXT_FIELDS_16:
            for match in _SECTION.finditer(str(case.get(name) or "")):
                number = int(match["section"])
                if number > section:
                    block, section = _clean(match["title"]), number
    return out


def build(reference: Path) -> tuple[str, str]:
    """The catalogue as (JSON text, Markdown text) built from the reference extracts."""
    entries = entries_201(reference) + entries_16(reference)
    ids = [e["id"] + "@" + e["version"] for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate catalogue ids: {', '.join(duplicates)}")
    return _to_json(entries), _to_markdown(entries)


def _to_json(entries: Sequence[Mapping[str, Any]]) -> str:
    # One entry per line: small diffs when the reference changes.
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entries]
    header = json.dumps(
        {
            "about": "OCPP certification test-case catalogue (facts only); "
            "generated by tools/build_catalog.py, do not edit",
            "count": len(entries),
        },
        ensure_ascii=False,
    )
    body = ",\n".join("  " + line for line in lines)
    return f'{{"meta": {header},\n "entries": [\n{body}\n]}}\n'


def _to_markdown(entries: Sequence[Mapping[str, Any]]) -> str:
    lines = [
        "# OCPP test-case catalogue",
        "",
        "Generated by `tools/build_catalog.py` from the reference extracts; do not edit.",
        "Facts only: id, side under test, block, title, certification profiles with",
        "M (mandatory) or C (conditional) for that side. A 1.6 case lists its feature",
        "profile; the reference gives no M/C for 1.6 (`-`).",
        "",
    ]
    for version in ("2.0.1", "1.6"):
        lines += [
            f"## OCPP {version}",
            "",
            "| id | SUT | block | title | profiles |",
            "|---|---|---|---|---|",
        ]
        for e in entries:
            if e["version"] != version:
                continue
            profiles = ", ".join(f"{m['profile']} ({m['mc'] or '-'})" for m in e["profiles"]) or "-"
            title = str(e["title"]).replace("|", "\\|")
            anchor = f'<a id="{e["id"]}"></a>'
            lines.append(
                f"| {anchor}{e['id']} | {e['sut']} | {e['block']} | {title} | {profiles} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate, or with ``--check`` verify, the committed catalogue files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--check", action="store_true", help="fail when the files are stale")
    args = parser.parse_args(argv)
    json_text, md_text = build(args.reference)
    targets = ((JSON_PATH, json_text), (MD_PATH, md_text))
    if args.check:
        stale = [
            str(path.relative_to(ROOT))
            for path, text in targets
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"out of date: {', '.join(stale)}; run tools/build_catalog.py", file=sys.stderr)
            return 1
        return 0
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
