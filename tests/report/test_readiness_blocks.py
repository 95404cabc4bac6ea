"""Readiness per functional block of a claimed profile: complete when each case passed or is n/a."""

from __future__ import annotations

import json

from harness.catalog import entries
from harness.ocppj.versions import OcppVersion, Role
from harness.report.readiness import ReadinessCollector
from harness.report.readiness_blocks import block_readiness
from harness.report.readiness_output import readiness_json, readiness_markdown
from tests.report.test_readiness import feed, passed, report

CORE_G = [
    e.id
    for e in entries(version=OcppVersion.V201, sut=Role.STATION)
    if e.block.startswith("G ") and any(m.profile == "Core" for m in e.profiles)
]


def test_a_block_whose_cases_all_passed_or_do_not_apply_is_complete() -> None:
    """Block G of Core complete, block B not (one case failed), and the pages say so."""
    c = ReadinessCollector()
    first, *rest = CORE_G
    feed(c, report(first, "setup", "skipped", first, reason="not applicable: x",
                   profiles=(("Core", "C"),)))  # fmt: skip
    for case_id in rest:
        feed(c, *passed(case_id, case_id, profiles=(("Core", "M"),)))
    feed(c, report("b", "call", "failed", "TC_B_01_CS", profiles=(("Core", "M"),)))
    result = c.result(dut="d", version=OcppVersion.V201, role=Role.STATION, claimed=["Core"])
    rows = {row.block[0]: row for row in block_readiness(result)}
    assert rows["G"].complete
    assert rows["G"].counts.total == len(CORE_G)
    assert not rows["B"].complete
    assert rows["B"].counts.failed == 1
    markdown = readiness_markdown(result)
    assert f"| Core | {rows['G'].block} | complete |" in markdown
    assert f"| Core | {rows['B'].block} | incomplete |" in markdown
    blocks = json.loads(readiness_json(result))["blocks"]
    assert {b["block"]: b["complete"] for b in blocks}[rows["G"].block] is True


def test_only_claimed_profiles_have_block_rows() -> None:
    """A profile the DUT does not claim gets no block rows (its cases still count per profile)."""
    c = ReadinessCollector()
    feed(c, *passed("a", "TC_B_01_CS", profiles=(("Core", "M"),)))
    result = c.result(dut="d", version=OcppVersion.V201, role=Role.STATION)
    assert block_readiness(result) == []
