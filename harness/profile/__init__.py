"""The DUT profile: what the device under test is (PICS) and how to test it (PIXIT).

A profile is one TOML file, described field by field in ``docs/profile.md``::

    from harness.profile import resolve_profile

    dut = resolve_profile("profiles/my-charger.toml")   # or "builtin:station-2.0.1"
    dut.version, dut.role, dut.connectors, dut.supports("reservation")

Loading validates every value and raises :class:`~harness.errors.ConfigurationError`
naming the field; secrets are kept in :class:`Secret` and registered so that
:func:`mask` hides them in any text.
"""

from harness.profile.loader import (
    DEFAULT_PROFILE,
    builtin_profiles,
    load_profile,
    parse_profile,
    resolve_profile,
)
from harness.profile.model import (
    Connection,
    DutProfile,
    Embedded,
    Evse,
    FaultReport,
    FaultReports,
    RigSettings,
    Timing,
    Tokens,
    Trigger,
)
from harness.profile.secrets import MASK, Secret, mask, register_secret

__all__ = [
    "DEFAULT_PROFILE",
    "MASK",
    "Connection",
    "DutProfile",
    "Embedded",
    "Evse",
    "FaultReport",
    "FaultReports",
    "RigSettings",
    "Secret",
    "Timing",
    "Tokens",
    "Trigger",
    "builtin_profiles",
    "load_profile",
    "mask",
    "parse_profile",
    "register_secret",
    "resolve_profile",
]
