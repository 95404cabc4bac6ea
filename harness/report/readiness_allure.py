"""The readiness summary rebuilt from Allure results alone, without JUnit or a live pytest.

allure-pytest writes one ``*-result.json`` per test as soon as the test ends,
so a run that was killed (a power cut, a CI job cancelled, ``kill -9``) still
leaves the results of every test it finished, while its JUnit XML and its
readiness summary, written at the end, are missing. :func:`summaries_from_allure`
reads those results and gives, per DUT (the ``DUT`` parameter of each
result), the Allure status counts and the certification readiness, with the
same rules as a live run (:mod:`harness.report.readiness`):

* ``passed`` → passed, ``failed`` → failed, ``broken`` → errored (the
  harness, rig or network broke), ``skipped`` → not applicable when the
  reason starts ``not applicable:``, failed for an expected failure (xfail),
  else not run;
* the case id, version, certification profiles and M/C come from the
  ``testcase``, ``ocpp_version``, ``certification_profile`` and ``mc`` labels.

What Allure results cannot say: a case deselected or never reached (the run
was killed first) has no result and counts as not implemented; the summary's
note says so.
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.ocppj.versions import OcppVersion, Role
from harness.report.readiness import (
    NOT_APPLICABLE_PREFIX,
    Outcome,
    Readiness,
    ReadinessCollector,
)
from harness.testcase import parse_id

__all__ = ["AllureSummary", "summaries_from_allure"]

#: The note every summary rebuilt from Allure results carries.
NOTE = (
    "Rebuilt from Allure results: a case with no result (deselected, or not reached "
    "because the run was stopped) counts as not implemented."
)
_STATUSES = ("passed", "failed", "broken", "skipped", "unknown")


@dataclass(frozen=True)
class AllureSummary:
    """What the Allure results say about one DUT.

    Attributes:
        dut: the DUT as its results name it (``identity (profile name)``).
        statuses: how many results had each Allure status (``passed``,
            ``failed``, ``broken``, ``skipped``, ``unknown``).
        readiness: the certification readiness of its version and role.
    """

    dut: str
    statuses: dict[str, int]
    readiness: Readiness

    @property
    def line(self) -> str:
        """The counts in one line, e.g. ``3 passed, 1 failed, 0 broken, 2 skipped``."""
        return ", ".join(f"{self.statuses.get(s, 0)} {s}" for s in _STATUSES[:4])


@dataclass(frozen=True)
class _Result:
    test: str
    case_id: str
    version: str | None
    memberships: tuple[tuple[str, str | None], ...]
    status: str
    outcome: Outcome


def _labels(data: dict[str, Any], name: str) -> list[str]:
    labels = data.get("labels")
    if not isinstance(labels, list):
        return []
    return [
        str(label.get("value", ""))
        for label in labels
        if isinstance(label, dict) and label.get("name") == name
    ]


def _dut(data: dict[str, Any]) -> str | None:
    parameters = data.get("parameters")
    for parameter in parameters if isinstance(parameters, list) else ():
        if isinstance(parameter, dict) and parameter.get("name") == "DUT":
            value = str(parameter.get("value", ""))
            try:  # allure-python writes values as Python literals: "'CP1 (name)'"
                literal = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return value
            return str(literal)
    return None


def _memberships(data: dict[str, Any]) -> tuple[tuple[str, str | None], ...]:
    flags: dict[str, str] = {}
    for value in _labels(data, "mc"):  # "Core: M"
        profile, _, flag = value.rpartition(": ")
        if profile:
            flags[profile] = flag
    return tuple(
        (profile, flags.get(profile)) for profile in _labels(data, "certification_profile")
    )


def outcome_of(status: str, message: str) -> Outcome:
    """The readiness outcome of one Allure result's status and status message."""
    if status == "passed":
        return Outcome.PASSED
    if status == "failed":
        return Outcome.FAILED
    if status == "broken":
        return Outcome.ERRORED
    reason = message.removeprefix("Skipped: ")
    if status == "skipped" and reason.startswith(NOT_APPLICABLE_PREFIX):
        return Outcome.NOT_APPLICABLE
    if status == "skipped" and message.startswith("XFAIL"):
        return Outcome.FAILED  # an expected failure is still the DUT failing
    return Outcome.NOT_RUN


def _read(path: Path) -> tuple[str, _Result | None, str] | None:
    """One result file as (DUT, certification result or None, status); None when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return None  # a result half-written when the run was killed
    if not isinstance(data, dict):
        return None
    dut = _dut(data)
    if dut is None:
        return None
    status = str(data.get("status") or "unknown")
    ids = _labels(data, "testcase")
    if not ids:
        return dut, None, status
    details = data.get("statusDetails")
    message = str(details.get("message") or "") if isinstance(details, dict) else ""
    versions = _labels(data, "ocpp_version")
    result = _Result(
        test=str(data.get("historyId") or data.get("uuid") or path.name),
        case_id=ids[0],
        version=versions[0] if versions else None,
        memberships=_memberships(data),
        status=status,
        outcome=outcome_of(status, message),
    )
    return dut, result, status


def _scope(results: Sequence[_Result]) -> tuple[OcppVersion, Role] | None:
    """The DUT's version and role: those of most of its cases that were not ruled out."""
    votes: Counter[tuple[OcppVersion, Role]] = Counter()
    for weight, wanted in ((1000, True), (1, False)):
        for result in results:
            if (result.outcome is not Outcome.NOT_APPLICABLE) != wanted or not result.version:
                continue
            try:
                votes[(OcppVersion.parse(result.version), parse_id(result.case_id))] += weight
            except (ValueError, UsageError):
                continue
    return votes.most_common(1)[0][0] if votes else None


def summaries_from_allure(folders: Iterable[Path]) -> list[AllureSummary]:
    """Per DUT found in the ``*-result.json`` files of ``folders``: counts and readiness.

    Args:
        folders: Allure results folders (several are merged).

    Returns:
        One summary per DUT, in name order; a DUT none of whose results carries
        a certification case has readiness of no version and is left out.
    """
    statuses: dict[str, Counter[str]] = {}
    cases: dict[str, list[_Result]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*-result.json")):
            read = _read(path)
            if read is None:
                continue
            dut, result, status = read
            statuses.setdefault(dut, Counter())[status] += 1
            if result is not None:
                cases.setdefault(dut, []).append(result)
    out = []
    for dut in sorted(cases):
        scope = _scope(cases[dut])
        if scope is None:
            continue
        collector = ReadinessCollector()
        for result in cases[dut]:
            collector.add_outcome(
                result.test,
                result.case_id,
                version=result.version,
                memberships=result.memberships,
                outcome=result.outcome,
            )
        version, role = scope
        readiness = collector.result(dut=dut, version=version, role=role, note=NOTE)
        out.append(AllureSummary(dut, dict(statuses[dut]), readiness))
    return out
