"""Readiness arithmetic: outcomes per case from reports, counts per profile and M/C."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pytest

from harness.ocppj.versions import OcppVersion, Role
from harness.report.readiness import (
    UNKNOWN_PROFILE,
    Outcome,
    ProfileReadiness,
    ReadinessCollector,
)
from harness.report.readiness_output import (
    readiness_json,
    readiness_markdown,
    terminal_lines,
    write_readiness,
)


def report(
    nodeid: str,
    when: Literal["setup", "call", "teardown"],
    outcome: Literal["passed", "failed", "skipped"],
    case_id: str | None,
    *,
    reason: str = "",
    profiles: tuple[tuple[str, str], ...] = (),
    version: str = "2.0.1",
) -> pytest.TestReport:
    props: list[tuple[str, object]] = []
    if case_id is not None:
        props += [("testcase", case_id), ("ocpp_version", version)]
        for profile, mc in profiles:
            props += [("certification_profile", profile), ("mc", mc)]
    longrepr = ("f.py", 1, f"Skipped: {reason}") if outcome == "skipped" else None
    return pytest.TestReport(nodeid, ("f.py", 1, nodeid), {}, outcome, longrepr, when,
                             user_properties=props)  # fmt: skip


def feed(collector: ReadinessCollector, *reports: pytest.TestReport) -> None:
    for item in reports:
        collector.add_report(item)


def passed(nodeid: str, case_id: str, **kw: object) -> list[pytest.TestReport]:
    return [
        report(nodeid, "setup", "passed", case_id, **kw),  # type: ignore[arg-type]
        report(nodeid, "call", "passed", case_id, **kw),  # type: ignore[arg-type]
        report(nodeid, "teardown", "passed", case_id, **kw),  # type: ignore[arg-type]
    ]


def test_outcome_per_phase() -> None:
    """Call decides pass/fail; setup/teardown failures are errors; skips split by reason."""
    c = ReadinessCollector()
    feed(c, *passed("a", "TC_B_01_CS"))
    feed(
        c, report("b", "setup", "passed", "TC_B_02_CS"), report("b", "call", "failed", "TC_B_02_CS")
    )
    feed(c, report("c", "setup", "failed", "TC_B_03_CS"))
    feed(c, report("d", "setup", "skipped", "TC_B_04_CS", reason="not applicable: no rig"))
    feed(c, report("e", "setup", "skipped", "TC_B_05_CS", reason="no terminal for the operator"))
    feed(c, *passed("f", "TC_B_06_CS"), report("f", "teardown", "failed", "TC_B_06_CS"))
    feed(c, report("g", "call", "passed", None))
    assert c.outcomes() == {
        "TC_B_01_CS": Outcome.PASSED,
        "TC_B_02_CS": Outcome.FAILED,
        "TC_B_03_CS": Outcome.ERRORED,
        "TC_B_04_CS": Outcome.NOT_APPLICABLE,
        "TC_B_05_CS": Outcome.NOT_RUN,
        "TC_B_06_CS": Outcome.ERRORED,
    }


def test_worst_outcome_of_several_tests_of_one_case() -> None:
    """Parametrised tests of one case: any failure fails the case; a pass beats not applicable."""
    c = ReadinessCollector()
    feed(c, *passed("a[1]", "TC_B_01_CS"), report("a[2]", "call", "failed", "TC_B_01_CS"))
    feed(c, *passed("b[1]", "TC_B_02_CS"))
    feed(c, report("b[2]", "setup", "skipped", "TC_B_02_CS", reason="not applicable: x"))
    assert c.outcomes() == {"TC_B_01_CS": Outcome.FAILED, "TC_B_02_CS": Outcome.PASSED}


def test_counts_per_profile_and_mc_and_not_implemented() -> None:
    """A case counts in each of its profiles under M or C; the rest is not implemented."""
    c = ReadinessCollector()
    feed(c, *passed("a", "TC_B_01_CS", profiles=(("Core", "M"),)))
    feed(c, report("b", "call", "failed", "TC_K_01_CS",
                   profiles=(("Smart Charging", "M"), ("ISO 15118 Support", "M"))))  # fmt: skip
    feed(c, report("c", "setup", "skipped", "TC_H_01_CS", reason="not applicable: reservation",
                   profiles=(("Reservation", "C"),)))  # fmt: skip
    c.add_deselected(["TC_B_02_CS"])
    result = c.result(dut="d", version=OcppVersion.V201, role=Role.STATION, claimed=["Core"])
    rows = {p.profile: p for p in result.profiles}
    core = rows["Core"]
    assert core.claimed
    assert core.mandatory.passed == 1
    assert core.mandatory.not_run == 1  # the deselected TC_B_02_CS
    assert rows["Smart Charging"].mandatory.failed == 1
    assert rows["ISO 15118 Support"].mandatory.failed == 1
    assert rows["Reservation"].conditional.not_applicable == 1
    totals = result.totals()
    assert (totals.passed, totals.failed, totals.not_applicable, totals.not_run) == (1, 1, 1, 1)
    assert totals.total == 424
    assert totals.not_implemented == 420
    assert not core.ready


def test_a_profile_is_ready_when_every_mandatory_case_passed_or_does_not_apply() -> None:
    """Readiness of a profile: no mandatory case failed, errored, not run or not implemented;
    a "not run:" skip (the rig could not) blocks it, a "not applicable:" one does not."""
    core = [
        case.id
        for case in ReadinessCollector()
        .result(dut="d", version=OcppVersion.V201, role=Role.STATION)
        .cases
        if ("Core", "M") in case.memberships
    ]

    def core_row(last_reason: str) -> ProfileReadiness:
        c = ReadinessCollector()
        for case_id in core[:-1]:
            feed(c, *passed(case_id, case_id, profiles=(("Core", "M"),)))
        feed(c, report("z", "setup", "skipped", core[-1], reason=last_reason,
                       profiles=(("Core", "M"),)))  # fmt: skip
        result = c.result(dut="d", version=OcppVersion.V201, role=Role.STATION)
        return next(p for p in result.profiles if p.profile == "Core")

    applicable = core_row("not applicable: the DUT profile does not declare x")
    assert applicable.mandatory.not_applicable == 1
    assert applicable.ready
    not_run = core_row("not run: the none rig cannot plug")
    assert not_run.mandatory.not_run == 1
    assert not not_run.ready


def test_16_readiness_is_grouped_by_feature_profile() -> None:
    """1.6 cases count under their feature profile; unclassified ones keep it from ready."""
    c = ReadinessCollector()
    for case in ("TC_001_CSMS", "TC_003_CSMS"):
        feed(c, *passed(case, case, profiles=(("Core", "M"),), version="1.6"))
    feed(c, report("r", "call", "failed", "TC_046_CSMS", version="1.6"))
    result = c.result(dut="d", version=OcppVersion.V16, role=Role.CSMS)
    rows = {p.profile: p for p in result.profiles}
    assert list(rows) == [
        "Core", "Local Auth List Management", "Firmware Management", "Reservation",
        "Remote Trigger", "Smart Charging", "Security",
    ]  # fmt: skip
    assert UNKNOWN_PROFILE not in rows
    assert rows["Core"].mandatory.passed == 2
    assert rows["Core"].unclassified.not_implemented == 32
    assert not rows["Core"].ready  # 32 Core cases of unknown M/C are not implemented
    assert rows["Reservation"].unclassified.failed == 1
    assert sum(row.total for row in rows.values()) == 75


def test_cases_of_another_version_or_role_are_out_of_scope() -> None:
    """A 1.6 case or a CSMS case does not count in a 2.0.1 station's readiness."""
    c = ReadinessCollector()
    feed(c, *passed("a", "TC_001_CS", version="1.6"), *passed("b", "TC_B_01_CSMS"))
    feed(c, *passed("c", "TC_B_77_CS", profiles=(("Core", "M"),)))  # not in the catalogue
    result = c.result(dut="d", version=OcppVersion.V201, role=Role.STATION)
    ids = {case.id for case in result.cases if case.outcome is Outcome.PASSED}
    assert ids == {"TC_B_77_CS"}


def test_outputs(tmp_path: Path) -> None:
    """Markdown, JSON and terminal forms agree; files are written to the directory."""
    c = ReadinessCollector()
    feed(c, *passed("a", "TC_B_01_CS", profiles=(("Core", "M"),)))
    feed(c, report("b", "call", "failed", "TC_B_02_CS", profiles=(("Core", "M"),)))
    result = c.result(dut="My DUT", version=OcppVersion.V201, role=Role.STATION)
    data = json.loads(readiness_json(result))
    assert data["totals"]["passed"] == 1
    assert data["totals"]["failed"] == 1
    core = next(p for p in data["profiles"] if p["profile"] == "Core")
    assert core["mandatory"]["passed"] == 1
    markdown = readiness_markdown(result)
    assert "| Core |" in markdown
    assert "| TC_B_02_CS | failed |" in markdown
    lines = terminal_lines(result)
    assert lines[0].startswith("OCPP 2.0.1 station certification readiness: My DUT")
    assert any(line.startswith("Core ") for line in lines)
    written = write_readiness(tmp_path / "out", result)
    assert sorted(p.name for p in written) == ["readiness.json", "readiness.md"]
