"""Whether a case applies to a builtin profile as it is, as the main job and the bench run it.

A case applies to a profile of its version and role whose ``features`` meet
its ``requires`` and ``excludes`` and whose rig has the capabilities it names.
The bench (``test_bench_station.py``) runs every builtin station profile as it
is and holds each case proven there that applies to it to a pass; the
reference run of the proofs (``test_proofs.py``) covers the rest.
"""

from __future__ import annotations

from harness.ocppj.versions import Role
from harness.profile.loader import builtin_profiles, resolve_profile
from harness.profile.model import DutProfile
from harness.rig import Capability
from harness.rig.factory import known_capabilities
from harness.testcase import TestCaseInfo

#: Every builtin profile, by name, as shipped (no flags added).
PROFILES: dict[str, DutProfile] = {
    name: resolve_profile(f"builtin:{name}") for name in builtin_profiles()
}

#: The builtin station profiles: the bench runs each one's whole suite on one station.
STATION_PROFILES = sorted(name for name, dut in PROFILES.items() if dut.role is Role.STATION)


def applies(info: TestCaseInfo, dut: DutProfile) -> bool:
    """The case runs on this profile as it is: version, role, PICS flags and rig all fit."""
    if dut.version is not info.version or dut.role is not info.sut:
        return False
    if not all(dut.supports(flag) for flag in info.requires):
        return False
    if any(dut.supports(flag) for flag in info.excludes):
        return False
    # A serial rig tells its capabilities when greeted; the builtin ones are the
    # RIGP/1 emulator's, which has every capability.
    capabilities = known_capabilities(dut)
    return set(info.rig) <= set(Capability if capabilities is None else capabilities)


def bench_covers(info: TestCaseInfo, builtin: str) -> bool:
    """The bench holds this case to a pass on ``builtin`` (a station profile it applies to)."""
    return builtin in STATION_PROFILES and applies(info, PROFILES[builtin])
