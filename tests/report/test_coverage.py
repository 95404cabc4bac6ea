"""The coverage command: catalogue cases, implemented, proven and unproven, per version and side."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.catalog import entries
from harness.catalog.coverage import coverage, declared_cases
from harness.cli import main

ROOT = Path(__file__).resolve().parents[2]

CASES = """
from harness.testcase import Mutant, testcase


@testcase("TC_B_01_CS", proof=[Mutant("boot_wrong_reason", step="3-4", says="reason")])
async def test_proven():
    pass


@testcase("TC_B_06_CS", rig=("plug",))
async def test_unproven():
    pass


@testcase("TC_001_CSMS", proof=[Mutant("boot_rejected", step="1-2", says="Rejected")])
def test_proven_16():
    pass
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "v201").mkdir()
    (tmp_path / "v201" / "test_cases.py").write_text(CASES, encoding="utf-8")
    return tmp_path


def test_declared_cases_count_each_cases_mutants(tmp_path: Path) -> None:
    """Each declared id is read from the source with the number of mutants it declares."""
    assert declared_cases(_folder(tmp_path)) == {"TC_B_01_CS": 1, "TC_B_06_CS": 0, "TC_001_CSMS": 1}


def test_rows_per_version_and_side(tmp_path: Path) -> None:
    """Every version and side of the catalogue is a row; proven and unproven ids are in theirs."""
    rows, unknown = coverage(_folder(tmp_path))
    by_key = {(row.version.value, row.sut.value): row for row in rows}
    station = by_key["2.0.1", "station"]
    assert station.catalogue == len(entries("2.0.1", "station"))
    assert (station.implemented, station.proven, station.unproven) == (
        2,
        ("TC_B_01_CS",),
        ("TC_B_06_CS",),
    )
    assert by_key["1.6", "csms"].proven == ("TC_001_CSMS",)
    assert by_key["1.6", "station"].implemented == 0
    assert unknown == []


def test_command_prints_the_table_lists_ids_and_fails_on_an_unproven_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``coverage --list`` prints counts and ids, and exits 1 while a case is unproven."""
    status = main(["coverage", "--testcases", str(_folder(tmp_path)), "--list"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0].split() == ["version", "side", "catalogue", "implemented", "proven", "unproven"]
    row = next(line.split() for line in out if line.startswith("2.0.1    station"))
    assert row[2:] == [str(len(entries("2.0.1", "station"))), "2", "1", "1"]
    assert "2.0.1 station unproven: TC_B_06_CS" in out


def test_every_case_of_the_repository_is_proven(capsys: pytest.CaptureFixture[str]) -> None:
    """The repository's own test cases all declare a proof: the command exits 0."""
    assert main(["coverage", "--testcases", str(ROOT / "testcases")]) == 0
    assert "unproven" in capsys.readouterr().out
