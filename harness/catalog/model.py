"""The catalogue's data types: one frozen entry per certification test case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from harness.ocppj.versions import OcppVersion, Role

__all__ = ["CatalogEntry", "Membership"]

MC = Literal["M", "C"]


@dataclass(frozen=True)
class Membership:
    """A case's place in one certification profile, for its side under test.

    Attributes:
        profile: the certification profile, e.g. ``Core`` or ``Smart Charging``.
        mc: ``M`` when the case is mandatory in that profile, ``C`` when
            conditional, None when the reference does not say (every 1.6 case:
            its feature profile is known, its M/C is not).
    """

    profile: str
    mc: MC | None


@dataclass(frozen=True)
class CatalogEntry:
    """One certification test case as the catalogue knows it.

    Attributes:
        id: the catalogue id, e.g. ``TC_B_01_CS``.
        version: the OCPP version of the test-case document.
        sut: the role of the system under test (``_CS``: station, ``_CSMS``: CSMS).
        title: the test case's name.
        block: the functional block, e.g. ``B Provisioning`` (2.0.1) or the
            section of the 1.6 document, e.g. ``Reservation``.
        profiles: the certification profiles the case belongs to for its side,
            with M/C (2.0.1), or its feature profile without M/C (1.6); empty
            when unknown (a few 2.0.1 cases).
    """

    id: str
    version: OcppVersion
    sut: Role
    title: str
    block: str
    profiles: tuple[Membership, ...] = ()

    @property
    def profile(self) -> str | None:
        """The first certification profile, or None when unknown."""
        return self.profiles[0].profile if self.profiles else None

    @property
    def mc(self) -> MC | None:
        """M/C in the first certification profile, or None when unknown."""
        return self.profiles[0].mc if self.profiles else None
