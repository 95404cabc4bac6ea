"""The catalogue as data: lookups, filters, and the generator's output kept up to date."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from harness.catalog import CatalogEntry, Membership, entries, lookup
from harness.ocppj.versions import OcppVersion, Role

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path("/work/shared/reference")


def test_lookup_gives_title_block_profile_and_mc() -> None:
    """A 2.0.1 case carries its title, lettered block, profile and M/C for its side."""
    entry = lookup("TC_B_01_CS")
    assert entry == CatalogEntry(
        "TC_B_01_CS",
        OcppVersion.V201,
        Role.STATION,
        "Cold Boot Charging Station - Accepted",
        "B Provisioning",
        (Membership("Core", "M"),),
    )
    assert (entry.profile, entry.mc) == ("Core", "M")


def test_a_case_in_two_profiles_lists_both() -> None:
    """Smart-charging cases shared with ISO 15118 Support list both memberships, in order."""
    entry = lookup("TC_K_01_CS")
    assert entry is not None
    assert [m.profile for m in entry.profiles] == ["Smart Charging", "ISO 15118 Support"]


def test_mc_differs_per_side() -> None:
    """M/C comes from the case's side: in Core, TC_B_12 is M for a CS and C for a CSMS."""
    station, csms = lookup("TC_B_12_CS"), lookup("TC_B_12_CSMS")
    assert station is not None
    assert csms is not None
    assert Membership("Core", "M") in station.profiles
    assert Membership("Core", "C") in csms.profiles


def test_unknown_id_is_none() -> None:
    """An id the catalogue does not know gives None, not an exception."""
    assert lookup("TC_Z_99_CS") is None


def test_entries_filter_by_version_and_side() -> None:
    """Counts per version and side match the reference documents (674 + 177 cases)."""
    assert len(entries(version="2.0.1", sut="station")) == 424
    assert len(entries(version=OcppVersion.V201, sut=Role.CSMS)) == 250
    assert len(entries(version="1.6", sut="station")) == 102
    assert len(entries(version="1.6", sut="csms")) == 75
    assert len(entries()) == 851


def test_16_blocks_come_from_document_sections() -> None:
    """1.6 cases are grouped by the section of the test-case document they sit in."""
    assert lookup("TC_001_CS").block == "Cold Boot"  # type: ignore[union-attr]
    assert lookup("TC_046_1_CS").block == "Reservation"  # type: ignore[union-attr]
    assert lookup("TC_054_CSMS").block == "RemoteTrigger"  # type: ignore[union-attr]


def test_16_cases_carry_their_feature_profile_without_mc() -> None:
    """Every 1.6 case is in exactly one feature profile from the reference, with no M/C."""
    assert lookup("TC_001_CS").profiles == (Membership("Core", None),)  # type: ignore[union-attr]
    assert lookup("TC_046_1_CS").profiles == (Membership("Reservation", None),)  # type: ignore[union-attr]
    assert lookup("TC_054_CSMS").profiles == (Membership("Remote Trigger", None),)  # type: ignore[union-attr]
    found = {m.profile for e in entries(version="1.6") for m in e.profiles}
    assert found == {
        "Core", "Local Auth List Management", "Firmware Management", "Reservation",
        "Remote Trigger", "Smart Charging", "Security",
    }  # fmt: skip
    assert all(len(e.profiles) == 1 and e.mc is None for e in entries(version="1.6"))


def test_entries_are_frozen() -> None:
    """Entries are read-only: a report cannot change the catalogue under another."""
    entry = lookup("TC_B_01_CS")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "x"  # type: ignore[misc, union-attr]


def test_bad_filter_spelling_raises() -> None:
    """A misspelt version or role is a ValueError naming the accepted values."""
    with pytest.raises(ValueError, match=r"2\.0\.1"):
        entries(version="2.0")
    with pytest.raises(ValueError, match="cs"):
        entries(sut="cs")


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference extracts not on this machine")
def test_committed_catalog_is_up_to_date() -> None:
    """catalog.json and catalog.md equal what tools/build_catalog.py builds from the reference."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_catalog.py"), "--check",
         "--reference", str(REFERENCE)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
