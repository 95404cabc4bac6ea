"""Reports: Allure labels and attachments, per-run Allure files, certification readiness.

``fixtures/reporting.py`` wires these into pytest; they are plain functions of
the trace, the catalogue and the DUT profile, so they are tested on their own::

    from harness.report import sequence_svg, categories, ReadinessCollector
"""

from harness.report.attachments import attach_profile, attach_trace, findings_text, rig_log_text
from harness.report.diagram import sequence_svg
from harness.report.failure import Failure, locate_failure
from harness.report.labels import (
    CaseMetadata,
    catalog_link,
    default_catalog_url,
    dut_parameters,
    junit_properties,
    metadata_for,
)
from harness.report.readiness import Outcome, Readiness, ReadinessCollector
from harness.report.readiness_output import (
    readiness_json,
    readiness_markdown,
    terminal_lines,
    write_readiness,
)
from harness.report.run_files import (
    boot_identity,
    categories,
    environment_properties,
    executor,
    write_run_files,
)

__all__ = [
    "CaseMetadata",
    "Failure",
    "Outcome",
    "Readiness",
    "ReadinessCollector",
    "attach_profile",
    "attach_trace",
    "boot_identity",
    "catalog_link",
    "categories",
    "default_catalog_url",
    "dut_parameters",
    "environment_properties",
    "executor",
    "findings_text",
    "junit_properties",
    "locate_failure",
    "metadata_for",
    "readiness_json",
    "readiness_markdown",
    "rig_log_text",
    "sequence_svg",
    "terminal_lines",
    "write_readiness",
    "write_run_files",
]
