"""The report and catalogue packages export a small, explicit surface (CONVENTIONS rule 1)."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "harness.catalog": {"CatalogEntry", "Membership", "entries", "lookup"},
    "harness.report": {
        "CaseMetadata", "Failure", "Outcome", "Readiness", "ReadinessCollector",
        "attach_profile", "attach_trace", "boot_identity", "catalog_link", "categories",
        "default_catalog_url", "dut_parameters", "environment_properties", "executor",
        "findings_text", "junit_properties", "locate_failure", "metadata_for", "readiness_json",
        "readiness_markdown", "rig_log_text", "sequence_svg", "terminal_lines",
        "write_readiness", "write_run_files",
    },
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_exports_are_exactly_the_public_names(module: str) -> None:
    """Each package's ``__all__`` lists exactly the intended names, and each exists."""
    imported = importlib.import_module(module)
    assert set(imported.__all__) == PUBLIC[module]
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name} is exported but missing"
