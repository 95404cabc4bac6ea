"""The ``testcase`` marker: which certification test case a test implements.

Write it with :func:`testcase` rather than ``pytest.mark.testcase`` directly:
the arguments are typed and checked where the decorator is written, so a typo
fails at the user's line, not somewhere in a report.

The marker carries the id and what the case itself declares; the catalogue
(:mod:`harness.catalog`) is the one source of the version, title,
certification profiles and M/C, so an id it lacks fails at import.

The marker also says what a case needs before its first step: the PICS flags
the DUT must declare (``requires``), the flags that rule it out
(``excludes``), and the rig capabilities it uses (``rig``). The plugin checks
them before anything is sent to the device: a PICS-declared lack skips the
case as "not applicable:", a rig that cannot do the manual actions as
"not run:". And it names the case's proof: the mutants that must make it
FAIL (:class:`~harness.proof.Mutant`), checked against the simulators' knob
registries at import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

from harness.catalog import CatalogEntry, lookup
from harness.errors import UsageError
from harness.ocppj.versions import OcppVersion, Role
from harness.proof import Mutant, check_proof
from harness.rig.base import Capability

__all__ = ["FEATURE_PROFILE_FLAGS", "PICS_FLAGS", "Mutant", "TestCaseInfo", "testcase"]

_ID = re.compile(r"^TC_(?:[A-P]_\d{2,3}|\d{3}(?:_\d+)?)_(CS|CSMS)$")

#: The PICS flags a case may name (docs/profile.md, "Feature flags"); a flag
#: with a value is written ``name:value`` and its name must be listed here.
PICS_FLAGS = frozenset(
    {
        "additional_root_certificate_check",
        "auth_cache",
        "auth_cache_persistent",
        "backup_power",
        "cable_lock",
        "connector_lock",
        "firmware_management",
        "fixed_cable",
        "high_level_communication",
        "local_auth_list",
        "max_energy_on_invalid_id",
        "network_profile_fallback",
        "offline_tx_for_unknown_id",
        "master_pass",
        "remote_trigger",
        "reservation",
        "reserve_connector_zero",
        "shared_token_reader",
        "reset_evse",
        "smart_charging",
        "trigger",
        "summary_inventory",
        "tx_start_point",
        "tx_stop_point",
        "user_interface",
    }
)


#: The PICS flag of each optional OCPP 1.6 feature profile (the catalogue's
#: grouping, ``feature-profiles.json``). A 1.6 case of one of these profiles
#: requires its flag without saying so: a DUT whose ``SupportedFeatureProfiles``
#: lack the profile gets "not applicable" for the whole group. Core needs none.
FEATURE_PROFILE_FLAGS: dict[str, str] = {
    "Firmware Management": "firmware_management",
    "Local Auth List Management": "local_auth_list",
    "Remote Trigger": "remote_trigger",
    "Reservation": "reservation",
    "Smart Charging": "smart_charging",
}


@dataclass(frozen=True)
class TestCaseInfo:
    """What the ``testcase`` marker says about a test.

    Attributes:
        id: the catalogue id, e.g. ``TC_B_01_CS``.
        version: the OCPP version the case belongs to.
        sut: the role of the system under test (``_CS``: station, ``_CSMS``: CSMS).
        requires: PICS features the DUT must declare, else not applicable
            (for 1.6, the flag of the case's feature profile first).
        excludes: PICS features that make the case not applicable when declared.
        rig: the rig capabilities the case's manual actions need, else not run.
        proof: the mutants that must make the case FAIL.
        feature_profile: the 1.6 feature profile whose flag the case requires
            because the catalogue puts it there (None: Core, or 2.0.1).
    """

    __test__ = False  # not a pytest test class, despite the name

    id: str
    version: OcppVersion
    sut: Role
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    rig: tuple[Capability, ...] = ()
    proof: tuple[Mutant, ...] = ()
    feature_profile: str | None = None

    @property
    def block(self) -> str:
        """The functional block: ``B`` for 2.0.1 ``TC_B_01_CS``, ``Core`` style for 1.6."""
        parts = self.id.split("_")
        return parts[1] if self.version is not OcppVersion.V16 else "1.6"


def _feature_profile(entry: CatalogEntry, excludes: tuple[str, ...]) -> str | None:
    """The optional 1.6 feature profile whose flag the case requires, if any.

    A case of a feature profile that is about its absence (its prerequisite:
    "the Charge Point does NOT support ...", e.g. TC_048_4_CS) excludes the
    profile's flag instead, and is not gated by it.
    """
    if entry.version is not OcppVersion.V16 or entry.profile not in FEATURE_PROFILE_FLAGS:
        return None
    if FEATURE_PROFILE_FLAGS[entry.profile] in excludes:
        return None
    return entry.profile


def parse_id(case_id: str) -> Role:
    """The role under test named by an id's suffix; raises UsageError when malformed."""
    match = _ID.match(case_id)
    if match is None:
        raise UsageError(
            f"{case_id!r} is not a test-case id like TC_B_01_CS, TC_003_CSMS or TC_004_1_CS"
        )
    return Role.STATION if match.group(1) == "CS" else Role.CSMS


def _flags(case_id: str, argument: str, flags: tuple[str, ...]) -> tuple[str, ...]:
    for flag in flags:
        if not isinstance(flag, str) or flag.partition(":")[0] not in PICS_FLAGS:
            raise UsageError(
                f"{case_id}: {argument}={flags!r} names {flag!r}, which is not a PICS flag; "
                "known: " + ", ".join(sorted(PICS_FLAGS)) + " (docs/profile.md)"
            )
    return tuple(flags)


def _capabilities(case_id: str, needed: tuple[Capability | str, ...]) -> tuple[Capability, ...]:
    found: list[Capability] = []
    for item in needed:
        if isinstance(item, Capability):
            found.append(item)
            continue
        try:
            found.append(Capability(item))
        except ValueError:
            raise UsageError(
                f"{case_id}: rig={needed!r} names {item!r}, which is not a rig capability; "
                "known: " + ", ".join(c.value for c in Capability)
            ) from None
    return tuple(found)


def testcase(
    case_id: str,
    *,
    requires: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    rig: tuple[Capability | str, ...] = (),
    proof: Sequence[Mutant] = (),
    gated: bool = True,
) -> pytest.MarkDecorator:
    """Mark a test as the implementation of a certification test case.

    Version, title, certification profiles and M/C are the catalogue's
    (:func:`harness.catalog.lookup`), never repeated here.

    Args:
        case_id: the catalogue id; its ``_CS``/``_CSMS`` suffix says which
            role is under test.
        requires: PICS features the DUT must declare for the case to apply.
        excludes: PICS features with which the case does not apply
            (e.g. ``fixed_cable`` for a case that unplugs at the EV side).
        rig: the rig capabilities the case's manual actions need
            (:class:`~harness.rig.Capability` members or their names).
        proof: the mutants that must make the case FAIL, each at a step and
            with words of its message (the generic self-test runs them).
        gated: whether a 1.6 case requires the flag of its feature profile;
            False where the catalogue's prerequisite lets it apply with or
            without the feature (TC_042_1_CS: "does not support ... or allows
            LocalAuthListEnabled=false").

    Raises:
        UsageError: on a malformed id or one the catalogue lacks, an unknown
            PICS flag, rig capability or fault knob.
    """
    sut = parse_id(case_id)
    entry = lookup(case_id)
    if entry is None:
        raise UsageError(
            f"{case_id} is not in the test-case catalogue (harness/catalog/catalog.md)"
        )
    feature = _feature_profile(entry, tuple(excludes)) if gated else None
    implied = (FEATURE_PROFILE_FLAGS[feature],) if feature else ()
    info = TestCaseInfo(
        case_id,
        entry.version,
        sut,
        tuple(dict.fromkeys((*implied, *_flags(case_id, "requires", tuple(requires))))),
        _flags(case_id, "excludes", tuple(excludes)),
        _capabilities(case_id, tuple(rig)),
        check_proof(case_id, entry.version, sut, tuple(proof)),
        feature,
    )
    import pytest  # only the marker needs pytest: `from harness import ...` does not

    return pytest.mark.testcase(info)


# Imported into test modules, ``testcase`` must not be collected as a test itself.
testcase.__test__ = False  # type: ignore[attr-defined]
