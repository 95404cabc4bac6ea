"""The public surface is small and explicit (CONVENTIONS rule 1)."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "harness": {
        "ABSENT", "ANY", "DEFAULT", "NO_REPLY", "Capability", "ErrorReply", "EvState", "Fault",
        "HarnessError", "NonConformance", "NotApplicable", "NotRun", "OcppVersion", "Pattern",
        "Rig", "Role", "Session",
        "TestCaseInfo", "__version__", "one_of", "step", "testcase", "utc_now",
    },
    "harness.rig": {"Capability", "EvState", "Fault", "Rig", "SimRig", "StationInputs"},
    "harness.sim": {"EmbeddedDut", "launch_embedded"},
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_exports_are_exactly_the_public_names(module: str) -> None:
    """Each package's ``__all__`` lists exactly the intended names, and each exists."""
    imported = importlib.import_module(module)
    assert set(imported.__all__) == PUBLIC[module]
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name} is exported but missing"


def test_version_matches_the_package_metadata() -> None:
    """``harness.__version__`` is the installed distribution's version."""
    from importlib.metadata import version

    import harness

    assert harness.__version__ == version("ocpp-harness")
