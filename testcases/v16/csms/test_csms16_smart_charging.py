"""OCPP 1.6 Smart Charging, the Central System under test (harness: charge point)."""

from __future__ import annotations

from typing import Any

from harness.expect import ABSENT, ANY, one_of, or_absent
from harness.flows.v16 import csms as flows
from harness.flows.v16.csms_features import Check, TestData, fresh_id, judged_request, utc_in
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

#: How long the TxDefaultProfile of TC_056_CSMS is valid.
VALIDITY = 24 * 3600

_STARTS_AT_ZERO = Check(
    "a schedule whose first period starts at 0", lambda periods: periods[0]["startPeriod"] == 0
)


def _schedule(data: TestData, **extra: Any) -> dict[str, Any]:
    period: dict[str, Any] = {"startPeriod": data.start_period, "limit": data.limit}
    return {
        "chargingRateUnit": data.charging_rate_unit,
        "chargingSchedulePeriod": [period],
        **extra,
    }


def _profile(data: TestData, purpose: str, stack_level: int, **extra: Any) -> dict[str, Any]:
    return {
        "chargingProfileId": fresh_id(),
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Relative",
        "chargingSchedule": _schedule(data),
        **extra,
    }


async def _set_profile(
    station: Session,
    trigger: CsmsTrigger,
    connector_id: int,
    profile: dict[str, Any],
    *,
    steps: tuple[str, str],
    what: str,
    expected: dict[str, Any],
) -> dict[str, Any]:
    """The Central System sets ``profile``; the charge point answers Accepted."""
    purpose = profile["chargingProfilePurpose"]
    request = await judged_request(
        station,
        trigger,
        "SetChargingProfile",
        {"connectorId": connector_id, "csChargingProfiles": profile},
        description=f"Make the Central System set a {purpose} charging profile (stack level "
        f"{profile['stackLevel']}) on connector {connector_id}",
        request_step=f"{steps[0]}. The Central System sends SetChargingProfile {purpose}",
        what=what,
        expected={"connectorId": connector_id, "csChargingProfiles": expected},
        answer_step=f"{steps[1]}. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
    return dict(request["csChargingProfiles"])


_WRONG_PURPOSE = "profile_wrong_purpose"


@testcase(
    "TC_056_CSMS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            _WRONG_PURPOSE,
            step="1. The Central System sends SetChargingProfile TxDefaultProfile",
            says='chargingProfilePurpose: expected "TxDefaultProfile", got "TxProfile"',
        )
    ],
)
async def test_TC_056_CSMS_tx_default_profile(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sets an absolute TxDefaultProfile with the configured schedule."""
    data = TestData.of(dut)
    connector_id = flows.first_connector(dut)
    profile = _profile(
        data,
        "TxDefaultProfile",
        data.stack_level,
        chargingProfileKind="Absolute",
        validFrom=utc_in(0),
        validTo=utc_in(VALIDITY),
        chargingSchedule=_schedule(data, duration=data.schedule_duration, startSchedule=utc_in(0)),
    )
    profile["chargingSchedule"]["chargingSchedulePeriod"][0]["numberPhases"] = data.number_phases
    # three phases is the default: a Central System may leave numberPhases out then
    phases = or_absent(3) if data.number_phases == 3 else data.number_phases
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _set_profile(
        station,
        trigger,
        connector_id,
        profile,
        steps=("1", "2"),
        what="the configured absolute TxDefaultProfile",
        expected={
            "stackLevel": data.stack_level,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "validFrom": ANY,
            "validTo": ANY,
            "chargingSchedule": {
                "startSchedule": ANY,
                "chargingRateUnit": data.charging_rate_unit,
                "duration": data.schedule_duration,
                "chargingSchedulePeriod": [
                    {
                        "startPeriod": data.start_period,
                        "limit": one_of(6.0, 6000.0),
                        "numberPhases": phases,
                    }
                ],
            },
        },
    )


@testcase(
    "TC_057_CSMS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            _WRONG_PURPOSE,
            step="1. The Central System sends SetChargingProfile TxProfile",
            says='chargingProfilePurpose: expected "TxProfile", got "TxDefaultProfile"',
        )
    ],
)
async def test_TC_057_CSMS_tx_profile(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sets a TxProfile for the running transaction."""
    data = TestData.of(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    await _set_profile(
        station,
        trigger,
        tx.connector_id,
        _profile(data, "TxProfile", data.stack_level, transactionId=tx.id),
        steps=("1", "2"),
        what="a TxProfile for the running transaction",
        expected={"chargingProfilePurpose": "TxProfile", "transactionId": tx.id},
    )


@testcase(
    "TC_066_CSMS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            "composite_wrong_unit",
            step="1. The Central System sends GetCompositeSchedule",
            says="$.chargingRateUnit",
        )
    ],
)
async def test_TC_066_CSMS_get_composite_schedule(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks for the composite schedule of a connector."""
    data = TestData.of(dut)
    connector_id = flows.first_connector(dut)
    request = {
        "connectorId": connector_id,
        "duration": data.schedule_duration,
        "chargingRateUnit": data.charging_rate_unit,
    }
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await judged_request(
        station,
        trigger,
        "GetCompositeSchedule",
        request,
        description=f"Make the Central System ask for the composite schedule of connector "
        f"{connector_id} over {data.schedule_duration} s in {data.charging_rate_unit}",
        request_step="1. The Central System sends GetCompositeSchedule",
        what="the configured connectorId, duration and chargingRateUnit",
        expected=request,
        answer_step="2. The charge point answers with its composite schedule",
        answer={
            "status": "Accepted",
            "connectorId": connector_id,
            "scheduleStart": utc_now(),
            "chargingSchedule": _schedule(data, duration=data.schedule_duration),
        },
    )


async def _clear(
    station: Session,
    trigger: CsmsTrigger,
    payload: dict[str, Any],
    *,
    first: int,
    how: str,
    what: str,
    expected: dict[str, Any],
) -> None:
    await judged_request(
        station,
        trigger,
        "ClearChargingProfile",
        payload,
        description=f"Make the Central System clear {how}",
        request_step=f"{first}. The Central System sends ClearChargingProfile {how}",
        what=what,
        expected=expected,
        answer_step=f"{first + 1}. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )


_CRITERIA = ("connectorId", "chargingProfilePurpose", "stackLevel")


@testcase(
    "TC_067_CSMS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            "clear_profile_whole_station",
            step="3. The Central System sends ClearChargingProfile",
            says="$.connectorId: expected absent",
        ),
        Mutant(
            _WRONG_PURPOSE,
            step="1 (profile 1). The Central System sends SetChargingProfile",
            says="chargingProfilePurpose",
        ),
    ],
)
async def test_TC_067_CSMS_clear_charging_profile(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System clears charging profiles by id, by criteria, and all of them."""
    data = TestData.of(dut)
    connector_id = flows.first_connector(dut)
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    sent = []
    for number in (1, 2, 3):
        level = data.stack_level + number - 1
        sent.append(
            await _set_profile(
                station,
                trigger,
                connector_id,
                _profile(data, "TxDefaultProfile", level),
                steps=(f"1 (profile {number})", f"2 (profile {number})"),
                what=f"the configured connectorId, TxDefaultProfile, stack level {level}",
                expected={"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": level},
            )
        )
    first_id = sent[0]["chargingProfileId"]
    await _clear(
        station,
        trigger,
        {"id": first_id},
        first=3,
        how=f"by id {first_id}",
        what="the id of charging profile 1 and no other field",
        expected={"id": first_id, **dict.fromkeys(_CRITERIA, ABSENT)},
    )
    criteria = {
        "connectorId": connector_id,
        "chargingProfilePurpose": "TxDefaultProfile",
        "stackLevel": data.stack_level + 1,
    }
    await _clear(
        station,
        trigger,
        criteria,
        first=5,
        how="by criteria (profile 2)",
        what="no id; the configured connectorId, TxDefaultProfile, stack level + 1",
        expected={"id": ABSENT, **criteria},
    )
    await _clear(
        station,
        trigger,
        {},
        first=7,
        how="all remaining charging profiles",
        what="every field omitted",
        expected={"id": ABSENT, **dict.fromkeys(_CRITERIA, ABSENT)},
    )


@testcase(
    "TC_059_CSMS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            "remote_start_profile_transaction_id",
            step="1. The Central System sends RemoteStartTransaction with a TxProfile",
            says="$.chargingProfile.transactionId: expected absent",
        ),
        Mutant(
            "remote_start_wrong_token",
            step="1. The Central System sends RemoteStartTransaction with a TxProfile",
            says="$.idTag",
        ),
    ],
)
async def test_TC_059_CSMS_remote_start_with_charging_profile(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System starts a transaction remotely with a relative TxProfile."""
    data = TestData.of(dut)
    connector_id = flows.first_connector(dut)
    valid = flows.token(dut, "valid")
    profile = _profile(data, "TxProfile", data.stack_level)
    profile["chargingSchedule"]["chargingSchedulePeriod"][0]["startPeriod"] = 0
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await judged_request(
        station,
        trigger,
        "RemoteStartTransaction",
        {"connectorId": connector_id, "idTag": valid, "chargingProfile": profile},
        description=f"Make the Central System start a transaction remotely on connector "
        f"{connector_id} for idTag {valid}, with a relative TxProfile",
        request_step="1. The Central System sends RemoteStartTransaction with a TxProfile",
        what="the valid idTag, the configured connectorId, a relative TxProfile without "
        "transactionId starting at 0",
        expected={
            "idTag": valid,
            "connectorId": connector_id,
            "chargingProfile": {
                "chargingProfilePurpose": "TxProfile",
                "transactionId": ABSENT,
                "chargingProfileKind": "Relative",
                "chargingSchedule": {"chargingSchedulePeriod": _STARTS_AT_ZERO},
            },
        },
        answer_step="2. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
    with step("3-4. Authorize with the idTag of step 1 is answered Accepted"):
        reply = await flows.authorize(station, valid)
        flows.conform_reply(reply, "idTagInfo Accepted", {"idTagInfo": {"status": "Accepted"}})
    with step("5-6. StatusNotification Preparing (cable plugged in) is acknowledged"):
        await flows.status_notification(station, connector_id, "Preparing")
    with step("7-8. StartTransaction is answered with idTagInfo Accepted"):
        await flows.start_transaction(station, connector_id, valid)
    with step("9-10. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, connector_id, "Charging")
