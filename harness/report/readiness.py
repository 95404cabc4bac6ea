"""Certification readiness: per profile, how the DUT's mandatory and conditional cases fared.

For the DUT's OCPP version and role, every case of the catalogue gets one
outcome: passed, failed, errored, not applicable (skipped with a reason that
starts ``not applicable:``: the DUT profile declares it lacks the feature), not
run (skipped for any other reason, e.g. ``not run:`` when the rig, trigger or
operator cannot perform it, or deselected), or not implemented (no collected
test carries its id). Outcomes come from pytest's reports, keyed by the
``testcase`` JUnit property, so they also arrive on the xdist controller; when
several tests carry one id (parametrised), the worst outcome counts. The same
summary can be rebuilt from Allure results alone (:mod:`harness.report.readiness_allure`).

A case counts in every certification profile it belongs to, under M or C as
the marker or, failing that, the catalogue says. OCPP 1.6 cases are grouped by
their feature profile (the catalogue gives no M/C for them); cases with no
known profile are grouped under :data:`UNKNOWN_PROFILE`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pytest

from harness.catalog import entries
from harness.errors import UsageError
from harness.ocppj.versions import OcppVersion, Role
from harness.testcase import parse_id

__all__ = [
    "HARNESS_ERROR_ATTRIBUTE",
    "NOT_APPLICABLE_PREFIX",
    "NOT_RUN_PREFIX",
    "PROFILES",
    "UNKNOWN_PROFILE",
    "CaseOutcome",
    "Counts",
    "Outcome",
    "ProfileReadiness",
    "Readiness",
    "ReadinessCollector",
    "is_harness_error",
]

#: The certification profiles of each version, in the order reports list them.
PROFILES: dict[OcppVersion, tuple[str, ...]] = {
    OcppVersion.V201: (
        "Core",
        "Advanced Security",
        "Local Authorization List Management",
        "Smart Charging",
        "Advanced Device Management",
        "Advanced User Interface",
        "Reservation",
        "ISO 15118 Support",
    ),
    # The 1.6 feature profiles, plus the security whitepaper's cases.
    OcppVersion.V16: (
        "Core",
        "Local Auth List Management",
        "Firmware Management",
        "Reservation",
        "Remote Trigger",
        "Smart Charging",
        "Security",
    ),
}
#: The group of cases whose certification profile is not known.
UNKNOWN_PROFILE = "(profile unknown)"
#: A skip reason for a feature the DUT profile (PICS) declares the DUT lacks.
NOT_APPLICABLE_PREFIX = "not applicable:"
#: A skip reason for a case the rig, trigger or operator cannot perform: the DUT may
#: well support it, it was just not tested, so the profile is not ready.
NOT_RUN_PREFIX = "not run:"


class Outcome(enum.Enum):
    """What happened to one certification case in a run."""

    PASSED = "passed"
    FAILED = "failed"
    ERRORED = "errored"
    NOT_APPLICABLE = "not applicable"
    NOT_RUN = "not run"
    NOT_IMPLEMENTED = "not implemented"


# When several tests carry one id, the highest rank wins.
_RANK = {
    Outcome.ERRORED: 5,
    Outcome.FAILED: 4,
    Outcome.PASSED: 3,
    Outcome.NOT_RUN: 2,
    Outcome.NOT_APPLICABLE: 1,
    Outcome.NOT_IMPLEMENTED: 0,
}


@dataclass
class Counts:
    """How many cases had each outcome."""

    passed: int = 0
    failed: int = 0
    errored: int = 0
    not_applicable: int = 0
    not_run: int = 0
    not_implemented: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one more case with ``outcome``."""
        name = outcome.name.lower()
        setattr(self, name, getattr(self, name) + 1)

    @property
    def total(self) -> int:
        """Every case counted."""
        return (
            self.passed
            + self.failed
            + self.errored
            + self.not_applicable
            + self.not_run
            + self.not_implemented
        )

    def as_dict(self) -> dict[str, int]:
        """The counts by outcome name, plus ``total``."""
        return {o.value: getattr(self, o.name.lower()) for o in Outcome} | {"total": self.total}


@dataclass(frozen=True)
class CaseOutcome:
    """One catalogue case and its outcome.

    Attributes:
        id: the test-case id.
        title: its catalogue title, None when the catalogue lacks it.
        memberships: ``(profile, M/C or None)`` pairs in effect.
        outcome: what happened to it.
    """

    id: str
    title: str | None
    memberships: tuple[tuple[str, str | None], ...]
    outcome: Outcome


@dataclass(frozen=True)
class ProfileReadiness:
    """The readiness of one certification profile.

    Attributes:
        profile: the profile's name.
        claimed: whether the DUT profile claims it (``certification_profiles``).
        mandatory: counts of its mandatory cases.
        conditional: counts of its conditional cases.
        unclassified: counts of its cases whose M/C is not known.
    """

    profile: str
    claimed: bool
    mandatory: Counts = field(default_factory=Counts)
    conditional: Counts = field(default_factory=Counts)
    unclassified: Counts = field(default_factory=Counts)

    @property
    def ready(self) -> bool:
        """Every mandatory case passed or does not apply, and no conditional one failed.

        A case whose M/C nobody knows (1.6 cases the test does not classify)
        counts as mandatory here: readiness is not claimed on a guess.
        """
        m, c, u = self.mandatory, self.conditional, self.unclassified
        blocking = c.failed + c.errored
        for counts in (m, u):
            blocking += counts.failed + counts.errored + counts.not_run + counts.not_implemented
        required = m.total + u.total
        return self.profile != UNKNOWN_PROFILE and required > 0 and blocking == 0

    @property
    def total(self) -> int:
        """Every case of the profile."""
        return self.mandatory.total + self.conditional.total + self.unclassified.total


@dataclass(frozen=True)
class Readiness:
    """The readiness of one DUT: per profile, and per case."""

    dut: str
    version: OcppVersion
    role: Role
    profiles: tuple[ProfileReadiness, ...]
    cases: tuple[CaseOutcome, ...]
    note: str = ""

    def totals(self) -> Counts:
        """Each case counted once, whatever its profiles."""
        counts = Counts()
        for case in self.cases:
            counts.add(case.outcome)
        return counts


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple | list) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


#: Set on a call-phase report whose exception was not an AssertionError: the
#: harness, the rig or the network broke, so the test is an ERROR, not a verdict.
HARNESS_ERROR_ATTRIBUTE = "ocpp_harness_error"


def is_harness_error(report: pytest.TestReport) -> bool:
    """Whether a failed call-phase report was a harness problem rather than a DUT failure."""
    return bool(getattr(report, HARNESS_ERROR_ATTRIBUTE, False))


def report_outcome(report: pytest.TestReport) -> Outcome | None:
    """The outcome one phase's report decides, or None when it decides nothing yet."""
    if report.when == "call":
        if hasattr(report, "wasxfail"):  # an expected failure is still the DUT failing
            return Outcome.FAILED
        if report.passed:
            return Outcome.PASSED
        if report.failed:
            return Outcome.ERRORED if is_harness_error(report) else Outcome.FAILED
    elif report.failed:  # setup or teardown broke: the harness, not the verdict
        return Outcome.ERRORED
    if report.skipped:
        applicable = not _skip_reason(report).startswith(NOT_APPLICABLE_PREFIX)
        return Outcome.NOT_RUN if applicable else Outcome.NOT_APPLICABLE
    return None


@dataclass(frozen=True)
class _Tagged:
    """What a report's JUnit properties say about its certification case."""

    case_id: str | None
    version: str | None
    memberships: tuple[tuple[str, str | None], ...]


def _properties(report: pytest.TestReport) -> _Tagged:
    case_id: str | None = None
    version: str | None = None
    profiles: list[str] = []
    flags: list[str | None] = []
    for name, value in report.user_properties:
        if name == "testcase" and case_id is None:
            case_id = str(value)
        elif name == "ocpp_version" and version is None:
            version = str(value)
        elif name == "certification_profile":
            profiles.append(str(value))
        elif name == "mc":
            flags.append(str(value) or None)
    flags += [None] * (len(profiles) - len(flags))
    return _Tagged(case_id, version, tuple(zip(profiles, flags, strict=False)))


class ReadinessCollector:
    """Collects per-case outcomes from pytest reports, then summarises them."""

    def __init__(self) -> None:
        self._by_node: dict[str, tuple[str, Outcome]] = {}
        self._memberships: dict[str, tuple[tuple[str, str | None], ...]] = {}
        self._versions: dict[str, str | None] = {}
        self._deselected: set[str] = set()

    def add_report(self, report: pytest.TestReport) -> None:
        """Take one phase's report into account (call from ``pytest_runtest_logreport``)."""
        tagged = _properties(report)
        if tagged.case_id is None:
            return
        self.add_outcome(
            report.nodeid,
            tagged.case_id,
            version=tagged.version,
            memberships=tagged.memberships,
            outcome=report_outcome(report),
        )

    def add_outcome(
        self,
        test: str,
        case_id: str,
        *,
        version: str | None,
        memberships: tuple[tuple[str, str | None], ...],
        outcome: Outcome | None,
    ) -> None:
        """Take one test's outcome into account, whatever it was read from.

        Args:
            test: the test's identity (pytest node id, Allure history id); a
                test seen again keeps its worst outcome.
            case_id: the certification case it implements.
            version: the OCPP version the test says the case is of.
            memberships: ``(profile, M/C or None)`` pairs the test carries.
            outcome: what happened; None when nothing is decided yet.
        """
        self._memberships.setdefault(case_id, memberships)
        self._versions.setdefault(case_id, version)
        previous = self._by_node.get(test)
        if outcome is None:
            return
        if previous is None or _RANK[outcome] > _RANK[previous[1]]:
            self._by_node[test] = (case_id, outcome)

    def add_deselected(self, case_ids: Iterable[str]) -> None:
        """Note cases whose tests were collected but deselected (``-k``, labels)."""
        self._deselected.update(case_ids)

    def outcomes(self) -> dict[str, Outcome]:
        """The outcome of every case seen so far, the worst of its tests."""
        merged: dict[str, Outcome] = {}
        for case_id, outcome in self._by_node.values():
            known = merged.get(case_id)
            if known is None or _RANK[outcome] > _RANK[known]:
                merged[case_id] = outcome
        return merged

    def result(
        self,
        *,
        dut: str,
        version: OcppVersion,
        role: Role,
        claimed: Sequence[str] = (),
        note: str = "",
    ) -> Readiness:
        """The readiness of the DUT's version and role from the reports seen.

        Args:
            dut: the DUT's name, for the report.
            version: the DUT's OCPP version.
            role: the DUT's role.
            claimed: the certification profiles the DUT profile claims.
            note: a remark printed with the summary (where it was rebuilt from).
        """
        seen = self.outcomes()
        cases: list[CaseOutcome] = []
        listed: set[str] = set()
        for entry in entries(version=version, sut=role):
            listed.add(entry.id)
            catalog = tuple((m.profile, m.mc) for m in entry.profiles)
            memberships = self._memberships.get(entry.id) or catalog
            outcome = seen.get(entry.id) or (
                Outcome.NOT_RUN if entry.id in self._deselected else Outcome.NOT_IMPLEMENTED
            )
            cases.append(CaseOutcome(entry.id, entry.title, memberships, outcome))
        for case_id in sorted(set(seen) - listed):  # implemented, but not in the catalogue
            if self._versions.get(case_id) == version.value and _sut(case_id) is role:
                cases.append(CaseOutcome(case_id, None, self._memberships[case_id], seen[case_id]))
        profiles = _profiles(cases, version, claimed)
        return Readiness(dut, version, role, profiles, tuple(cases), note)


def _sut(case_id: str) -> Role | None:
    try:
        return parse_id(case_id)
    except UsageError:  # an id the marker would have refused: not a certification case
        return None


def _profiles(
    cases: Sequence[CaseOutcome], version: OcppVersion, claimed: Sequence[str]
) -> tuple[ProfileReadiness, ...]:
    rows: dict[str, ProfileReadiness] = {
        name: ProfileReadiness(name, name in claimed) for name in PROFILES.get(version, ())
    }
    for case in cases:
        for profile, mc in case.memberships or ((UNKNOWN_PROFILE, None),):
            row = rows.setdefault(profile, ProfileReadiness(profile, profile in claimed))
            counts = {"M": row.mandatory, "C": row.conditional}.get(mc or "", row.unclassified)
            counts.add(case.outcome)
    return tuple(row for row in rows.values() if row.total or row.claimed)
