"""Reading the committed catalogue data (``catalog.json``), once per process."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from harness.catalog.model import CatalogEntry, Membership
from harness.ocppj.versions import OcppVersion, Role

__all__ = ["entries", "lookup"]

_DATA = "catalog.json"


@functools.cache
def _index() -> dict[str, CatalogEntry]:
    text = resources.files("harness.catalog").joinpath(_DATA).read_text(encoding="utf-8")
    raw: list[dict[str, Any]] = json.loads(text)["entries"]
    return {item["id"]: _entry(item) for item in raw}


def _entry(item: dict[str, Any]) -> CatalogEntry:
    memberships = tuple(Membership(m["profile"], m["mc"]) for m in item["profiles"])
    return CatalogEntry(
        id=item["id"],
        version=OcppVersion.parse(item["version"]),
        sut=Role(item["sut"]),
        title=item["title"],
        block=item["block"],
        profiles=memberships,
    )


def lookup(case_id: str) -> CatalogEntry | None:
    """The catalogue entry of a test-case id, or None when the catalogue has no such case.

    Args:
        case_id: an id such as ``TC_B_01_CS`` or ``TC_004_1_CSMS``.
    """
    return _index().get(case_id)


def entries(
    version: OcppVersion | str | None = None, sut: Role | str | None = None
) -> tuple[CatalogEntry, ...]:
    """Every catalogue entry, in document order, optionally of one version and side.

    Args:
        version: keep only this OCPP version (``OcppVersion`` or ``"2.0.1"``).
        sut: keep only cases whose system under test plays this role
            (``Role`` or ``"station"``/``"csms"``).

    Raises:
        ValueError: on an unknown version or role spelling.
    """
    wanted_version = OcppVersion.parse(version) if isinstance(version, str) else version
    wanted_sut = Role(sut) if isinstance(sut, str) else sut
    return tuple(
        entry
        for entry in _index().values()
        if (wanted_version is None or entry.version is wanted_version)
        and (wanted_sut is None or entry.sut is wanted_sut)
    )
