"""Proofs of a test case: the mutants that must make it FAIL, declared beside it.

A case is only worth its verdict if a DUT breaking the case's own checks
makes it fail. Each case therefore names, in its ``testcase`` marker, the
reference-simulator fault knobs (a *mutant*) that must make it FAIL, the
step it must fail at and words its failure message must contain::

    @testcase(
        "TC_B_03_CS",
        proof=[Mutant("send_while_rejected", step="3.", says="must send nothing")],
    )

The knob names are checked against the registry of the simulator that plays
the case's DUT (1.6 or 2.0.1 station, reference CSMS) when the decorator runs,
so a typo fails at import instead of silently proving nothing. The generic
self-test (``tests/selftest/test_proofs.py``) runs every declared mutant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from harness.errors import ConfigurationError, UsageError
from harness.ocppj.versions import OcppVersion, Role
from harness.sim.csms.faults import CsmsFaults
from harness.sim.faults import Faults
from harness.sim.mutants import Side, WireMutant, wire_rules
from harness.sim.station import v16_mutants, v201_mutants

__all__ = ["Mutant", "check_proof", "default_builtin"]


def _check_station_knobs(
    knobs: Sequence[str],
    version: OcppVersion,
    mutants: Sequence[WireMutant],
    behaviour: Iterable[str],
) -> list[str]:
    """Check a station's knobs as the station does when built; return the behaviour ones."""
    _rules, rest = wire_rules(knobs, mutants, Side(version, Role.STATION))
    known = {name.partition(":")[0] for name in behaviour} | {m.name for m in mutants}
    Faults(rest, known)
    return rest


@dataclass(frozen=True, init=False)
class Mutant:
    """A reference simulator with fault knobs on, which must make a case FAIL.

    Attributes:
        knobs: the fault knobs switched on (``[embedded] faults`` entries).
        step: part of the title of the step the case must fail at, as the
            failure says it: ``Step '<title>' of TC_x failed``.
        says: words the failure message must contain.
        builtin: the builtin profile to run the mutant on, when not the
            default one of the case's version and side (e.g. a rig profile).
    """

    knobs: tuple[str, ...]
    step: str
    says: str
    builtin: str | None = field(default=None)

    def __init__(self, *knobs: str, step: str, says: str, builtin: str | None = None) -> None:
        if not knobs or not all(isinstance(knob, str) and knob for knob in knobs):
            raise UsageError(f"a Mutant names at least one fault knob, got {knobs!r}")
        if not step or not says:
            raise UsageError(f"Mutant{knobs!r}: step= and says= must not be empty")
        object.__setattr__(self, "knobs", tuple(knobs))
        object.__setattr__(self, "step", step)
        object.__setattr__(self, "says", says)
        object.__setattr__(self, "builtin", builtin)

    @property
    def name(self) -> str:
        """The mutant's name in a test id: its knobs joined with ``+``, then ``@builtin``."""
        knobs = "+".join(self.knobs)
        return f"{knobs}@{self.builtin}" if self.builtin else knobs


def default_builtin(version: OcppVersion, sut: Role) -> str:
    """The builtin profile whose embedded simulator plays a case's DUT by default."""
    side = "station" if sut is Role.STATION else "csms"
    return f"{side}-{version.value}"


def _check_knobs(knobs: Sequence[str], version: OcppVersion, sut: Role) -> None:
    if sut is Role.CSMS:
        CsmsFaults(knobs, version)
    elif version is OcppVersion.V16:
        _check_station_knobs(knobs, version, v16_mutants.MUTANTS, v16_mutants.BEHAVIOUR_KNOBS)
    else:
        rest = _check_station_knobs(
            knobs, version, v201_mutants.MUTANTS, v201_mutants.BEHAVIOUR_KNOBS
        )
        v201_mutants.check_behaviour(rest)


def check_proof(
    case_id: str, version: OcppVersion, sut: Role, proof: Sequence[Mutant]
) -> tuple[Mutant, ...]:
    """The declared mutants of a case, each knob checked against its simulator's registry.

    Raises:
        UsageError: naming the case, when an entry is not a Mutant, a knob is
            unknown to the simulator playing the case's DUT, or two mutants
            share a name.
    """
    checked: list[Mutant] = []
    for mutant in proof:
        if not isinstance(mutant, Mutant):
            raise UsageError(f"{case_id}: proof= lists {mutant!r}, which is not a Mutant")
        try:
            _check_knobs(mutant.knobs, version, sut)
        except ConfigurationError as error:
            raise UsageError(f"{case_id}: proof {mutant.name}: {error}") from None
        if any(other.name == mutant.name for other in checked):
            raise UsageError(f"{case_id}: two proofs named {mutant.name}")
        checked.append(mutant)
    return tuple(checked)
