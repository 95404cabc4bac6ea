"""Readiness per functional block of each claimed certification profile.

A certification profile spans several functional blocks of the catalogue
(2.0.1 Core: A Security, B Provisioning, C Authorization, …). While a
profile is not yet ready as a whole, a lab wants to know which blocks are:
a block of a profile is *complete* when each of its cases in that profile
passed or does not apply — none failed, errored, was not run or is not
implemented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.catalog import entries
from harness.report.readiness import Counts, Readiness

__all__ = ["BlockReadiness", "block_readiness"]


@dataclass(frozen=True)
class BlockReadiness:
    """One functional block of one claimed profile: its cases' outcome counts."""

    profile: str
    block: str
    counts: Counts = field(default_factory=Counts)

    @property
    def complete(self) -> bool:
        """Every case of the block passed or does not apply."""
        done = self.counts.passed + self.counts.not_applicable
        return self.counts.total > 0 and done == self.counts.total


def block_readiness(readiness: Readiness) -> list[BlockReadiness]:
    """The blocks of every profile the DUT claims, in catalogue order of profile and block."""
    blocks = {e.id: e.block for e in entries(version=readiness.version, sut=readiness.role)}
    claimed = [p.profile for p in readiness.profiles if p.claimed]
    rows: dict[tuple[str, str], BlockReadiness] = {}
    for case in readiness.cases:
        block = blocks.get(case.id)
        if block is None:
            continue
        for profile, _mc in case.memberships:
            if profile in claimed:
                key = (profile, block)
                row = rows.setdefault(key, BlockReadiness(profile, block))
                row.counts.add(case.outcome)
    return sorted(rows.values(), key=lambda row: (claimed.index(row.profile), row.block))
