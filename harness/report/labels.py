"""Allure metadata of a certification test case: labels, link, parameters, JUnit properties.

Everything here is computed from the ``testcase`` marker, the catalogue and the
DUT profile, as plain ``(name, value)`` pairs; ``fixtures/reporting.py`` turns
them into Allure markers (so ``--allure-label testcase=TC_B_01_CS`` selects
tests, and skipped tests carry them too) and into JUnit properties.

The catalogue is the one source of title, block, profiles and M/C: the
marker carries only the id (an id the catalogue lacks fails at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.catalog import CatalogEntry, Membership, lookup
from harness.profile import DutProfile, mask
from harness.testcase import TestCaseInfo

__all__ = [
    "CaseMetadata",
    "catalog_link",
    "default_catalog_url",
    "dut_parameters",
    "junit_properties",
    "metadata_for",
]

#: Allure severity per M/C flag: a mandatory case failing blocks certification.
SEVERITY = {"M": "critical", "C": "normal"}
#: Tag per M/C flag.
MC_TAG = {"M": "Mandatory", "C": "Conditional"}


@dataclass(frozen=True)
class CaseMetadata:
    """What a report says about one test case.

    Attributes:
        info: the marker's view of the case.
        entry: the catalogue's entry, None when the catalogue lacks the id.
        memberships: the catalogue's certification profiles with M/C;
            ``mc`` is None when the catalogue does not say (1.6).
    """

    info: TestCaseInfo
    entry: CatalogEntry | None
    memberships: tuple[tuple[str, str | None], ...]

    @property
    def mc(self) -> str | None:
        """The first known M/C of the case's certification profiles."""
        return next((mc for _, mc in self.memberships if mc), None)

    @property
    def block(self) -> str:
        """The functional block: the catalogue's, else the letter of a 2.x id, else the version."""
        if self.entry is not None:
            return self.entry.block
        return f"Block {self.info.block}" if self.info.block != "1.6" else "OCPP 1.6"

    @property
    def title(self) -> str | None:
        """The catalogue title of the case, when the catalogue knows it."""
        return self.entry.title if self.entry is not None else None

    def labels(self) -> list[tuple[str, str]]:
        """Allure labels as ``(label type, value)`` pairs, in a stable order."""
        info = self.info
        pairs = [
            ("testcase", info.id),
            ("ocpp_version", info.version.value),
            ("epic", f"OCPP {info.version.value}"),
            ("feature", self.block),
        ]
        if self.title:
            pairs.append(("story", self.title))
        for profile, mc in self.memberships:
            pairs.append(("certification_profile", profile))
            pairs.append(("tag", profile))
            if mc:
                pairs.append(("mc", f"{profile}: {mc}"))
        pairs.append(("tag", info.id))
        if self.mc:
            pairs.append(("tag", MC_TAG[self.mc]))
            pairs.append(("severity", SEVERITY[self.mc]))
        return pairs


def _memberships(entry: CatalogEntry | None) -> tuple[tuple[str, str | None], ...]:
    known: tuple[Membership, ...] = entry.profiles if entry is not None else ()
    return tuple((m.profile, m.mc) for m in known)


def metadata_for(info: TestCaseInfo) -> CaseMetadata:
    """The report metadata of a test case: its marker joined with its catalogue entry.

    Args:
        info: what the ``testcase`` marker says.
    """
    entry = lookup(info.id)
    if entry is not None and entry.version is not info.version:
        entry = None  # a marker naming another version's case: trust the marker only
    return CaseMetadata(info, entry, _memberships(entry))


def default_catalog_url() -> str:
    """The generated catalogue table of this installation, as a file URL with ``{}`` for the id."""
    table = Path(__file__).resolve().parent.parent / "catalog" / "catalog.md"
    return table.as_uri() + "#{}"


def catalog_link(case_id: str, pattern: str = "") -> str:
    """The URL of a case's catalogue entry.

    Args:
        case_id: the test-case id.
        pattern: the ini value ``ocpp_catalog_url``: a URL with ``{}`` where the
            id goes, or a base URL to which ``#<id>`` is appended; empty for
            :func:`default_catalog_url`.
    """
    pattern = pattern.strip() or default_catalog_url()
    if "{}" in pattern:
        return pattern.replace("{}", case_id)
    return f"{pattern}#{case_id}"


def dut_parameters(dut: DutProfile) -> list[tuple[str, str]]:
    """Allure parameters naming the DUT a result belongs to, secrets masked.

    They also keep results of several DUTs apart in one report: Allure's
    history id includes the parameters, so the same case run against two
    DUTs is two results, not a retry.
    """
    evse, connector = dut.connectors[0] if dut.connectors else (0, 0)
    where = f"connector {connector}" if dut.version.is_v16 else f"EVSE {evse} connector {connector}"
    return [
        ("DUT", mask(f"{dut.identity} ({dut.name})")),
        ("connector", where),
        ("token kind", mask(dut.tokens.token_type)),
    ]


def junit_properties(meta: CaseMetadata) -> list[tuple[str, str]]:
    """JUnit ``<property>`` pairs (besides ``testcase``, which the marker plugin adds).

    Each certification profile is followed by its M/C (empty when unknown), so
    a reader of the XML, and the readiness summary under xdist, can pair them.
    """
    pairs = [("ocpp_version", meta.info.version.value)]
    for profile, mc in meta.memberships:
        pairs.append(("certification_profile", profile))
        pairs.append(("mc", mc or ""))
    return pairs
