"""The reference CSMS's variants: the allowed alternatives read from ``[embedded.options]``."""

from __future__ import annotations

import pytest

from harness.errors import ConfigurationError
from harness.sim.csms.policy import CsmsOptions
from harness.sim.csms.variants import CsmsVariants


def test_the_defaults_are_the_reference_forms() -> None:
    """Without options the reference answers UnknownVendorId, names the connector and omits key."""
    variants = CsmsOptions.from_profile({}).variants
    assert variants == CsmsVariants("UnknownVendorId", True, "absent")
    request = {"idTag": "A", "connectorId": 1}
    assert variants.complete_v16("RemoteStartTransaction", dict(request)) == request
    assert variants.complete_v16("GetConfiguration", {}) == {}


def test_the_options_select_the_other_forms() -> None:
    """The options leave out connectorId and send an empty key list for every key."""
    options = CsmsOptions.from_profile(
        {"data_transfer_status": "Rejected", "remote_start_connector": False, "all_keys": "empty"}
    )
    variants = options.variants
    assert variants.data_transfer_status == "Rejected"
    start = variants.complete_v16("RemoteStartTransaction", {"idTag": "A", "connectorId": 1})
    assert start == {"idTag": "A"}
    assert variants.complete_v16("GetConfiguration", {}) == {"key": []}
    assert variants.complete_v16("GetConfiguration", {"key": ["X"]}) == {"key": ["X"]}


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"data_transfer_status": "Maybe"}, "embedded.options.data_transfer_status"),
        ({"remote_start_connector": "no"}, "embedded.options.remote_start_connector"),
        ({"all_keys": "none"}, "embedded.options.all_keys"),
        ({"all_key": "empty"}, "embedded.options.all_key"),
    ],
)
def test_a_bad_option_is_refused_naming_its_field(options: dict[str, object], field: str) -> None:
    """A value an option does not allow, or an unknown option, is refused with its field."""
    with pytest.raises(ConfigurationError) as refused:
        CsmsOptions.from_profile(options)
    assert refused.value.field == field
