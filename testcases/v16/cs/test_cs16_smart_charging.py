"""OCPP 1.6 Smart Charging, charge point under test: profiles and their schedules.

TC_056 (TxDefaultProfile), TC_057 (TxProfile), TC_058_1/TC_058_2 (a TxProfile
without its transaction), TC_082 (TxDefaultProfile during a transaction),
TC_059/TC_060 (remote start with a charging profile). The composite-schedule
cases (TC_066, TC_067, TC_072) are in ``test_cs16_smart_charging_composite.py``.
"""

from __future__ import annotations

import time

from harness.flows.v16.cs import booted, charging, token
from harness.flows.v16.smart_charging import (
    case_profile,
    charging_with_pixit,
    expect_case_limit,
    limit_followed,
    refused,
    smart_pixit,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.EV_STATE)


@testcase(
    "TC_056_CS",
    requires=("smart_charging",),
    proof=[
        Mutant(
            "profile_ignored:TxDefaultProfile",
            step="3-4. GetCompositeSchedule",
            says="periods",
        ),
        Mutant("reject:SetChargingProfile", step="1-2. SetChargingProfile", says="'Rejected'"),
    ],
)
async def test_TC_056_CS_tx_default_profile(csms: Session, dut: DutProfile) -> None:
    """A TxDefaultProfile is accepted and is what the composite schedule of the connector gives."""
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    await limit_followed(
        csms, pixit, "TxDefaultProfile", connector=pixit.connector, case="TC_056_CS"
    )


@testcase(
    "TC_057_CS",
    requires=("smart_charging",),
    rig=_RIG,
    proof=[
        Mutant("profile_ignored:TxProfile", step="3-4. GetCompositeSchedule", says="periods"),
    ],
)
async def test_TC_057_CS_tx_profile(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A TxProfile for the running transaction is accepted and rules its composite schedule."""
    await booted(csms, dut)
    running, pixit = await charging_with_pixit(csms, rig, dut)
    await limit_followed(
        csms,
        pixit,
        "TxProfile",
        connector=running.connector_id,
        case="TC_057_CS",
        transaction_id=running.transaction_id,
    )


@testcase(
    "TC_058_1_CS",
    requires=("smart_charging",),
    proof=[
        Mutant("profile_ignored:TxProfile", step="1-2. SetChargingProfile", says="Rejected"),
    ],
)
async def test_TC_058_1_CS_tx_profile_without_transaction(csms: Session, dut: DutProfile) -> None:
    """With no transaction running, a TxProfile is rejected (status or CALLERROR)."""
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    profile = case_profile(
        pixit, "TxProfile", began=time.time() - pixit.deviation, transaction_id=1
    )
    with step("1-2. SetChargingProfile with a TxProfile is Rejected"):
        await refused(
            csms,
            "SetChargingProfile",
            {"connectorId": pixit.connector, "csChargingProfiles": profile},
            rule="TC_058_1_CS step 2",
            error="PropertyConstraintViolation",
        )


@testcase(
    "TC_058_2_CS",
    requires=("smart_charging",),
    rig=_RIG,
    proof=[
        Mutant("profile_ignored:TxProfile", step="1-2. SetChargingProfile", says="Rejected"),
    ],
)
async def test_TC_058_2_CS_tx_profile_wrong_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TxProfile naming another transaction than the running one is rejected."""
    await booted(csms, dut)
    running, pixit = await charging_with_pixit(csms, rig, dut)
    profile = case_profile(
        pixit,
        "TxProfile",
        began=time.time() - pixit.deviation,
        transaction_id=running.transaction_id + 1,
    )
    with step("1-2. SetChargingProfile with a TxProfile for another transaction is Rejected"):
        await refused(
            csms,
            "SetChargingProfile",
            {"connectorId": running.connector_id, "csChargingProfiles": profile},
            rule="TC_058_2_CS step 2",
            error=None,
        )


@testcase(
    "TC_082_CS",
    requires=("smart_charging",),
    rig=_RIG,
    proof=[
        Mutant(
            "profile_ignored:TxDefaultProfile",
            step="3-4. GetCompositeSchedule",
            says="periods",
        ),
    ],
)
async def test_TC_082_CS_tx_default_profile_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TxDefaultProfile set during a transaction is accepted and rules its composite schedule."""
    await booted(csms, dut)
    running, pixit = await charging_with_pixit(csms, rig, dut)
    await limit_followed(
        csms, pixit, "TxDefaultProfile", connector=running.connector_id, case="TC_082_CS"
    )


@testcase(
    "TC_059_CS",
    requires=("smart_charging",),
    rig=_RIG,
    proof=[
        Mutant("remote_profile_ignored", step="2-3. GetCompositeSchedule", says="periods"),
        Mutant(
            "reject:RemoteStartTransaction",
            step="Charging 5-6: RemoteStartTransaction",
            says="'Rejected'",
        ),
    ],
)
async def test_TC_059_CS_remote_start_with_profile(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A remote start carrying a TxProfile starts a transaction that follows the profile."""
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    began = time.time() - pixit.deviation
    profile = case_profile(pixit, "TxProfile", began=began)
    sent = time.time()
    with step("1. Execute Charging with a ChargingProfile with purpose TxProfile"):
        await charging(csms, rig, dut, profile=profile)
    with step("2-3. GetCompositeSchedule gives the profile's limit for the duration"):
        await expect_case_limit(csms, pixit, began=began, sent=sent, rule="TC_059_CS step 3")


@testcase(
    "TC_060_CS",
    requires=("smart_charging",),
    proof=[
        Mutant("remote_profile_any_purpose", step="1-2. RemoteStartTransaction", says="Rejected"),
    ],
)
async def test_TC_060_CS_remote_start_with_wrong_purpose(csms: Session, dut: DutProfile) -> None:
    """A remote start carrying a profile that is not a TxProfile is refused."""
    await booted(csms, dut)
    pixit = await smart_pixit(csms, dut)
    profile = case_profile(pixit, "TxDefaultProfile", began=time.time() - pixit.deviation)
    payload = {"connectorId": pixit.connector, "idTag": token(dut), "chargingProfile": profile}
    with step("1-2. RemoteStartTransaction with a TxDefaultProfile is Rejected"):
        await refused(
            csms,
            "RemoteStartTransaction",
            payload,
            rule="TC_060_CS step 2",
            error="PropertyConstraintViolation",
        )
