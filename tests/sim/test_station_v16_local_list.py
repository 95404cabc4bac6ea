"""The 1.6 reference station's Local Authorization List: full and differential updates, versions."""

from __future__ import annotations

from harness.sim.station.v16_local_list import LIST_CAPACITY, SEND_CAPACITY, LocalList


def _entry(tag: str, status: str | None = "Accepted") -> dict[str, object]:
    return {"idTag": tag} if status is None else {"idTag": tag, "idTagInfo": {"status": status}}


def _update(kind: str, version: int, *entries: dict[str, object]) -> dict[str, object]:
    return {"listVersion": version, "updateType": kind, "localAuthorizationList": list(entries)}


def test_full_update_replaces_the_list_and_sets_the_version() -> None:
    """A Full update replaces every entry and takes its version."""
    local = LocalList()
    assert local.update(_update("Full", 3, _entry("A"), _entry("B"))) == "Accepted"
    assert local.update(_update("Full", 2, _entry("C"))) == "Accepted"
    assert (local.reported_version(), sorted(local.entries)) == (2, ["C"])


def test_an_empty_list_reports_version_zero() -> None:
    """A list without entries reports version 0, whatever version set it."""
    local = LocalList()
    assert local.update({"listVersion": 7, "updateType": "Full"}) == "Accepted"
    assert local.reported_version() == 0


def test_differential_update_adds_updates_and_removes() -> None:
    """A Differential update adds entries with idTagInfo and removes those without."""
    local = LocalList()
    local.update(_update("Full", 1, _entry("A"), _entry("B")))
    status = local.update(_update("Differential", 2, _entry("A", "Blocked"), _entry("B", None)))
    assert status == "Accepted"
    assert local.entries == {"A": {"status": "Blocked"}}


def test_differential_update_not_newer_is_a_version_mismatch() -> None:
    """A Differential update whose version is not above the list's changes nothing."""
    local = LocalList()
    local.update(_update("Full", 5, _entry("A")))
    assert local.update(_update("Differential", 4, _entry("B"))) == "VersionMismatch"
    assert local.update(_update("Differential", 5, _entry("B"))) == "VersionMismatch"
    assert (local.reported_version(), sorted(local.entries)) == (5, ["A"])


def test_a_list_beyond_the_capacity_fails_and_changes_nothing() -> None:
    """More idTags than the list holds, or than one request carries, is Failed."""
    local = LocalList()
    local.update(_update("Full", 1, _entry("A")))
    too_many = [_entry(f"T{n}") for n in range(LIST_CAPACITY + 1)]
    assert local.update(_update("Full", 2, *too_many)) == "Failed"
    too_long = [_entry(f"T{n}") for n in range(SEND_CAPACITY + 1)]
    assert local.update(_update("Full", 2, *too_long)) == "Failed"
    assert local.update(_update("Full", 2, _entry("X", None))) == "Failed"
    assert (local.reported_version(), sorted(local.entries)) == (1, ["A"])
