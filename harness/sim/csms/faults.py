"""The reference CSMS's fault knobs, read from a profile: wire rules and behaviour knobs.

The knobs themselves are data in :mod:`harness.sim.csms.mutants` (what each
one breaks, and its rules for the mutation layer); the table is in
``docs/simulators.md``. :class:`CsmsFaults` reads ``[embedded].faults``:
the wire knobs become :attr:`CsmsFaults.rules`, checked against the schemas
of the CSMS's version, and the behaviour knobs are answered by
:meth:`~harness.sim.faults.Faults.on`. Unknown knobs, a knob missing its
action, an action the version does not define or one that does not travel
that way are refused with a :class:`~harness.errors.ConfigurationError`
naming the knob and ``embedded.faults``, so a typo cannot silently test the
reference behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.errors import ConfigurationError
from harness.ocppj.versions import OcppVersion, Role
from harness.sim.csms.mutants import BEHAVIOUR_KNOBS, MUTANTS
from harness.sim.faults import Faults
from harness.sim.mutants import Side, wire_rules
from harness.sim.mutation import Rule

__all__ = ["CsmsFaults", "parse_faults"]


class CsmsFaults(Faults):
    """The switched-on knobs of one reference CSMS: its wire rules and behaviour knobs."""

    def __init__(self, names: Iterable[str], version: OcppVersion) -> None:
        rules, behaviour = wire_rules(names, MUTANTS, Side(version, Role.CSMS))
        super().__init__(behaviour, set(BEHAVIOUR_KNOBS) | {m.name for m in MUTANTS})
        for name in behaviour:
            if ":" in name:
                raise ConfigurationError(
                    f"fault knob {name.partition(':')[0]!r} takes no argument (got {name!r})",
                    field="embedded.faults",
                )
        #: The wire knobs' rules, for the mutation layer of each station connection.
        self.rules: tuple[Rule, ...] = tuple(rules)


def parse_faults(names: Iterable[str], version: OcppVersion) -> CsmsFaults:
    """Read fault knob names for a CSMS speaking ``version``.

    Raises:
        ConfigurationError: an unknown or malformed knob (field ``embedded.faults``).
    """
    return CsmsFaults(names, version)
