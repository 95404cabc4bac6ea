"""Allure metadata of a case: labels from marker and catalogue, link, parameters, JUnit."""

from __future__ import annotations

import pytest

from harness.errors import UsageError
from harness.profile import parse_profile
from harness.report.labels import (
    catalog_link,
    default_catalog_url,
    dut_parameters,
    junit_properties,
    metadata_for,
)
from harness.testcase import TestCaseInfo, testcase


def info(case_id: str, **kwargs: object) -> TestCaseInfo:
    marker = testcase(case_id, **kwargs)  # type: ignore[arg-type]
    found = marker.mark.args[0]
    assert isinstance(found, TestCaseInfo)
    return found


def test_labels_from_the_catalogue() -> None:
    """Epic, feature, story, testcase, profile and M/C tags, severity come from the catalogue."""
    labels = metadata_for(info("TC_B_01_CS")).labels()
    assert ("epic", "OCPP 2.0.1") in labels
    assert ("feature", "B Provisioning") in labels
    assert ("story", "Cold Boot Charging Station - Accepted") in labels
    assert ("testcase", "TC_B_01_CS") in labels
    assert ("certification_profile", "Core") in labels
    assert ("tag", "Core") in labels
    assert ("tag", "Mandatory") in labels
    assert ("severity", "critical") in labels


def test_the_marker_carries_no_catalogue_facts() -> None:
    """Version, profile and M/C are not marker arguments: the catalogue is their one source."""
    for facts in ({"version": "2.0.1"}, {"profile": "Advanced Security"}, {"mc": "C"}):
        with pytest.raises(TypeError):
            testcase("TC_B_01_CS", **facts)  # type: ignore[arg-type]
    assert info("TC_E_09_CS").version.value == "2.0.1"
    assert metadata_for(info("TC_E_09_CS")).memberships == (("Core", "C"),)


def test_an_id_missing_from_the_catalogue_fails_at_import() -> None:
    """A well-formed id the catalogue lacks is refused where the decorator is written."""
    with pytest.raises(UsageError, match="not in the test-case catalogue"):
        testcase("TC_B_99_CS")


def test_case_in_two_profiles_is_tagged_with_both() -> None:
    """Each profile of a shared case is a tag and a label."""
    labels = metadata_for(info("TC_K_01_CS")).labels()
    assert ("tag", "Smart Charging") in labels
    assert ("tag", "ISO 15118 Support") in labels


def test_16_case_has_a_section_feature_and_its_feature_profile_without_mc() -> None:
    """1.6 cases get their section as feature, their feature profile, and no severity (no M/C)."""
    plain = metadata_for(info("TC_046_1_CS"))
    assert ("feature", "Reservation") in plain.labels()
    assert not any(name == "severity" for name, _ in plain.labels())
    assert metadata_for(info("TC_001_CS")).memberships == (("Core", None),)


def test_catalog_link_patterns() -> None:
    """``{}`` takes the id; a base URL gets ``#id``; the default is the generated table."""
    assert catalog_link("TC_B_01_CS", "https://x/{}") == "https://x/TC_B_01_CS"
    assert catalog_link("TC_B_01_CS", "https://x/cat.md") == "https://x/cat.md#TC_B_01_CS"
    default = catalog_link("TC_B_01_CS")
    assert default.startswith("file://")
    assert default.endswith("harness/catalog/catalog.md#TC_B_01_CS")
    assert default_catalog_url().endswith("#{}")


def test_dut_parameters_are_masked() -> None:
    """The DUT parameters never show a secret, even when the identity contains it."""
    dut = parse_profile(
        """
        [dut]
        name = "n"
        role = "station"
        ocpp_version = "1.6"
        identity = "CP-hunter2-x"
        [connection]
        security_profile = 1
        basic_auth_password = "hunter2"
        """.replace("        ", ""),
        source="test",
    )
    parameters = dict(dut_parameters(dut))
    assert "hunter2" not in parameters["DUT"]
    assert parameters["connector"] == "connector 1"


def test_junit_properties_pair_profiles_with_mc() -> None:
    """Each certification profile is followed by its M/C, and the version comes first."""
    assert junit_properties(metadata_for(info("TC_K_01_CS"))) == [
        ("ocpp_version", "2.0.1"),
        ("certification_profile", "Smart Charging"),
        ("mc", "M"),
        ("certification_profile", "ISO 15118 Support"),
        ("mc", "M"),
    ]
