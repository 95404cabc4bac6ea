"""OCPP 1.6 Smart Charging, charge point under test: composite schedules (TC_066, TC_067, TC_072).

Each case installs the catalogue's profiles (its Memory State), all starting
<Configured Max Time Deviation> ago, and judges the composite schedules
(:func:`~harness.flows.v16.smart_charging.judge_composite`).
"""

from __future__ import annotations

import time

from harness.errors import NotApplicable
from harness.flows.v16.cs import booted, read_key
from harness.flows.v16.smart_charging import (
    Segment,
    charging_profile,
    charging_with_pixit,
    get_composite,
    judge_composite,
    set_profile,
    smart_pixit,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: validTo of the catalogue's profiles: 401 s after they began.
_VALID_FOR = 401


async def _at_least(csms: Session, key: str, needed: int) -> None:
    """Prerequisite: the configuration key allows ``needed``, else the case is not applicable."""
    value = await read_key(csms, key)
    if value is None or not value.strip().isdigit() or int(value) < needed:
        raise NotApplicable(f"{key} is {value!r}; the case needs at least {needed}")


@testcase(
    "TC_066_CS",
    requires=("smart_charging",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "profile_ignored:ChargePointMaxProfile",
            step="1-2. GetCompositeSchedule",
            says="periods",
        ),
        Mutant("profile_ignored:TxProfile", step="1-2. GetCompositeSchedule", says="periods"),
    ],
)
async def test_TC_066_CS_get_composite_schedule(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A ChargePointMaxProfile, a TxDefaultProfile and a TxProfile combine into one composite schedule."""  # noqa: E501
    await booted(csms, dut)
    with step("Prerequisite: MaxChargingProfilesInstalled >= 3, ChargingScheduleMaxPeriods >= 5"):
        await _at_least(csms, "MaxChargingProfilesInstalled", 3)
        await _at_least(csms, "ChargingScheduleMaxPeriods", 5)
    running, pixit = await charging_with_pixit(csms, rig, dut)
    began = time.time() - pixit.deviation
    valid = (began, began + _VALID_FOR)
    with step("Before: SetChargingProfile 1 (ChargePointMaxProfile, connector 0) is Accepted"):
        cap = charging_profile(
            pixit, "ChargePointMaxProfile", [(0, 10)], duration=86400, start=began
        )
        await set_profile(csms, 0, cap)
    with step("Before: SetChargingProfile 2 (TxDefaultProfile) is Accepted"):
        default = charging_profile(
            pixit,
            "TxDefaultProfile",
            [(0, 6), (60, 10), (120, 8), (180, 15), (260, 8)],
            duration=300,
            start=began,
            valid=valid,
        )
        second = await set_profile(csms, pixit.connector, default)
    with step("Before: SetChargingProfile 3 (TxProfile of the transaction) is Accepted"):
        tx = charging_profile(
            pixit,
            "TxProfile",
            [(0, 8), (50, 11), (140, 16), (200, 6), (240, 12)],
            duration=260,
            start=began,
            valid=valid,
            transaction_id=running.transaction_id,
        )
        await set_profile(csms, pixit.connector, tx)
    with step("1-2. GetCompositeSchedule for 400 s combines the three profiles"):
        reply = await get_composite(csms, pixit, 400)
        judge_composite(
            reply,
            pixit,
            duration=400,
            expected=[Segment(0, 8), Segment(50, 10), Segment(200, 6), Segment(240, 10)],
            began=began,
            sent=second.call_entry.wall,
            rule="TC_066_CS step 2",
        )


@testcase(
    "TC_067_CS",
    requires=("smart_charging",),
    proof=[
        Mutant("clear_ignored", step="3-4. GetCompositeSchedule", says="periods"),
        Mutant("reject:ClearChargingProfile", step="1-2. ClearChargingProfile", says="CALLERROR"),
    ],
)
async def test_TC_067_CS_clear_charging_profile(csms: Session, dut: DutProfile) -> None:
    """Profiles cleared by id, by purpose and stack level, and all at once leave the composite schedule."""  # noqa: E501
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    began = time.time() - pixit.deviation
    valid = (began, began + _VALID_FOR)
    with step("Before: SetChargingProfile 1 (TxDefaultProfile, stack level 1) is Accepted"):
        first = charging_profile(
            pixit,
            "TxDefaultProfile",
            [(0, 6), (60, 8), (200, 10)],
            duration=400,
            stack_level=1,
            start=began,
        )
        await set_profile(csms, pixit.connector, first)
    with step("Before: SetChargingProfile 2 (TxDefaultProfile, stack level 0) is Accepted"):
        default = charging_profile(
            pixit, "TxDefaultProfile", [(0, 7), (100, 9)], duration=400, start=began, valid=valid
        )
        second = await set_profile(csms, pixit.connector, default)
    with step("Before: SetChargingProfile 3 (ChargePointMaxProfile, connector 0) is Accepted"):
        cap = charging_profile(
            pixit,
            "ChargePointMaxProfile",
            [(0, 11), (200, 12)],
            duration=86400,
            start=began,
            valid=valid,
        )
        await set_profile(csms, 0, cap)
    sent = second.call_entry.wall
    clears: list[tuple[int, str, dict[str, object], list[Segment]]] = [
        (1, "the first profile's id", {"id": first["chargingProfileId"]}, [
            Segment(0, 7), Segment(100, 9)
        ]),
        (5, "the second profile's purpose and stack level", {
            "chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 0
        }, [Segment(0, 11), Segment(200, 12)]),
        (9, "no field: every profile", {}, [Segment(0, None)]),
    ]  # fmt: skip
    for first_step, what, payload, expected in clears:
        with step(f"{first_step}-{first_step + 1}. ClearChargingProfile by {what} is Accepted"):
            await csms.call("ClearChargingProfile", payload, status="Accepted")
        with step(f"{first_step + 2}-{first_step + 3}. GetCompositeSchedule for 350 s"):
            reply = await get_composite(csms, pixit, 350)
            judge_composite(
                reply,
                pixit,
                duration=350,
                expected=expected,
                began=began,
                sent=sent,
                rule=f"TC_067_CS step {first_step + 3}",
            )


@testcase(
    "TC_072_CS",
    requires=("smart_charging",),
    proof=[
        Mutant("stack_lowest_prevails", step="1-2. GetCompositeSchedule", says="periods"),
        Mutant(
            "profile_ignored:TxDefaultProfile", step="1-2. GetCompositeSchedule", says="periods"
        ),
    ],
)
async def test_TC_072_CS_stacking_charging_profiles(csms: Session, dut: DutProfile) -> None:
    """Of two TxDefaultProfiles the higher stack level prevails while its schedule runs."""
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    began = time.time() - pixit.deviation
    valid = (began, began + _VALID_FOR)
    with step("Before: SetChargingProfile 1 (TxDefaultProfile, stack level 0) is Accepted"):
        low = charging_profile(
            pixit,
            "TxDefaultProfile",
            [(0, 6), (100, 8), (200, 10)],
            duration=400,
            start=began,
            valid=valid,
        )
        await set_profile(csms, pixit.connector, low)
    with step("Before: SetChargingProfile 2 (TxDefaultProfile, stack level 1) is Accepted"):
        high = charging_profile(
            pixit,
            "TxDefaultProfile",
            [(0, 7), (100, 9)],
            duration=150,
            stack_level=1,
            start=began,
            valid=valid,
        )
        second = await set_profile(csms, pixit.connector, high)
    with step("1-2. GetCompositeSchedule for 350 s stacks the two profiles"):
        reply = await get_composite(csms, pixit, 350)
        judge_composite(
            reply,
            pixit,
            duration=350,
            expected=[Segment(0, 7), Segment(100, 9), Segment(150, 8), Segment(200, 10)],
            began=began,
            sent=second.call_entry.wall,
            rule="TC_072_CS step 2",
        )
