"""Unit tests of how the reference 1.6 CSMS builds the feature profiles' requests, and of the test data."""  # noqa: E501

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from harness.errors import ConfigurationError
from harness.flows.v16.csms_features import TestData, every_entry_has
from harness.profile import Trigger, resolve_profile
from harness.profile.model import FrozenMapping
from harness.sim.csms import CsmsSimulator
from harness.sim.csms.v16_requests import Records16, RequestChoices, complete_request_v16
from tests.sim.test_csms_sim import V16, profile

PROFILE = {
    "chargingProfileId": 7,
    "stackLevel": 1,
    "chargingProfilePurpose": "TxDefaultProfile",
    "chargingProfileKind": "Relative",
    "chargingSchedule": {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6.0, "numberPhases": 3}],
    },
}


async def _never(action: str, _payload: dict[str, Any]) -> dict[str, Any]:
    raise AssertionError(f"no preliminary {action} was expected")


async def test_by_default_the_request_is_sent_as_asked_and_recorded() -> None:
    """Without options the reference sends the request as triggered and keeps what it reserved and set."""  # noqa: E501
    records = Records16()
    reserve = {
        "connectorId": 1,
        "expiryDate": "2030-01-01T00:00:00Z",
        "idTag": "A",
        "reservationId": 5,
    }
    sent = await complete_request_v16(records, RequestChoices(), "ReserveNow", reserve, _never)
    assert sent == reserve
    assert sent is not reserve
    assert 5 in records.reservations
    body = {"connectorId": 1, "csChargingProfiles": PROFILE}
    await complete_request_v16(records, RequestChoices(), "SetChargingProfile", body, _never)
    assert records.profiles[7]["connectorId"] == 1
    await complete_request_v16(
        records, RequestChoices(), "CancelReservation", {"reservationId": 5}, _never
    )
    assert not records.reservations


async def test_clear_charging_profile_forgets_by_id_and_by_criteria() -> None:
    """ClearChargingProfile by id forgets that profile; by criteria, every profile that matches."""
    records = Records16()
    for number, level in ((1, 1), (2, 2)):
        body = {
            "connectorId": 1,
            "csChargingProfiles": {**PROFILE, "chargingProfileId": number, "stackLevel": level},
        }
        await complete_request_v16(records, RequestChoices(), "SetChargingProfile", body, _never)
    await complete_request_v16(records, RequestChoices(), "ClearChargingProfile", {"id": 1}, _never)
    assert list(records.profiles) == [2]
    await complete_request_v16(
        records, RequestChoices(), "ClearChargingProfile", {"stackLevel": 2}, _never
    )
    assert not records.profiles


async def test_own_ids_and_omitted_default_phases() -> None:
    """``own_ids`` numbers reservations and profiles itself; ``omit_default_phases`` drops numberPhases 3."""  # noqa: E501
    choices = RequestChoices(own_ids=True, omit_default_phases=True)
    body = {"connectorId": 1, "idTag": "A", "chargingProfile": PROFILE}
    sent = await complete_request_v16(Records16(), choices, "RemoteStartTransaction", body, _never)
    assert sent["chargingProfile"]["chargingProfileId"] != 7
    assert (
        "numberPhases"
        not in sent["chargingProfile"]["chargingSchedule"]["chargingSchedulePeriod"][0]
    )
    assert "numberPhases" in PROFILE["chargingSchedule"]["chargingSchedulePeriod"][0]


async def test_local_list_version_first_asks_and_goes_one_above() -> None:
    """``local_list_version_first`` asks GetLocalListVersion and sends a Differential one version above."""  # noqa: E501
    asked: list[str] = []

    async def ask(action: str, _payload: dict[str, Any]) -> dict[str, Any]:
        asked.append(action)
        return {"listVersion": 4}

    body = {"listVersion": 1, "updateType": "Differential", "localAuthorizationList": []}
    choices = RequestChoices(local_list_version_first=True)
    sent = await complete_request_v16(Records16(), choices, "SendLocalList", body, ask)
    assert asked == ["GetLocalListVersion"]
    assert sent["listVersion"] == 5


def test_a_request_choice_that_is_not_a_boolean_is_refused() -> None:
    """A request option with another value than true/false is a configuration error naming it."""
    with pytest.raises(ConfigurationError) as error:
        CsmsSimulator(profile(V16, options={"own_ids": "yes"}))
    assert error.value.field == "embedded.options.own_ids"


def test_test_data_defaults_and_a_bad_unit() -> None:
    """The test data has usable defaults; a charging rate unit other than A or W names its key."""
    dut = resolve_profile("builtin:csms-1.6")
    data = TestData.of(dut)
    assert data.limit == 6.0
    assert data.reservation_expiry == dut.timing.transaction_duration
    options = FrozenMapping({"charging_rate_unit": "kW"})
    bad = dataclasses.replace(dut, trigger=Trigger(kind="sim", options=options))
    with pytest.raises(ConfigurationError) as error:
        TestData.of(bad)
    assert error.value.field == "trigger.options.charging_rate_unit"


def test_every_entry_has_names_itself_and_judges_each_entry() -> None:
    """The list check passes when each entry carries the key and shows its name in a failure."""
    check = every_entry_has("idTagInfo")
    assert check([{"idTag": "A", "idTagInfo": {}}])
    assert not check([{"idTag": "A"}])
    assert not check(None)
    assert repr(check) == "every entry with idTagInfo"
