"""OCPP 1.6 Core, charge point under test: configuration keys (TC_019, TC_021)."""

from __future__ import annotations

from harness.flows.common import make_different
from harness.flows.v16.cs import (
    Setting16,
    answer_fails,
    booted,
    change_configuration,
    configuration,
    meter_value_interval,
)
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

R, RW = "R", "RW"

#: Keys every 1.6 charge point must have, per feature profile, and the
#: accessibility each may have (R: read-only, RW: read-write).
REQUIRED_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "Core": {
        "AuthorizeRemoteTxRequests": (R, RW),
        "ClockAlignedDataInterval": (RW,),
        "ConnectionTimeOut": (RW,),
        "ConnectorPhaseRotation": (RW,),
        "GetConfigurationMaxKeys": (R,),
        "HeartbeatInterval": (RW,),
        "LocalAuthorizeOffline": (RW,),
        "LocalPreAuthorize": (RW,),
        "MeterValuesAlignedData": (RW,),
        "MeterValuesSampledData": (RW,),
        "MeterValueSampleInterval": (RW,),
        "NumberOfConnectors": (R,),
        "ResetRetries": (RW,),
        "StopTransactionOnInvalidId": (RW,),
        "StopTxnAlignedData": (RW,),
        "StopTxnSampledData": (RW,),
        "SupportedFeatureProfiles": (R,),
        "TransactionMessageAttempts": (RW,),
        "TransactionMessageRetryInterval": (RW,),
        "UnlockConnectorOnEVSideDisconnect": (R, RW),
    },
    "LocalAuthListManagement": {
        "LocalAuthListEnabled": (RW,),
        "LocalAuthListMaxLength": (R,),
        "SendLocalListMaxLength": (R,),
    },
    "SmartCharging": {
        "ChargeProfileMaxStackLevel": (R,),
        "ChargingScheduleAllowedChargingRateUnit": (R,),
        "ChargingScheduleMaxPeriods": (R,),
        "MaxChargingProfilesInstalled": (R,),
    },
}


@testcase(
    "TC_019_CS",
    proof=[
        Mutant("readonly_writable", step="3-4. GetConfiguration without keys", says="it must be R"),
        Mutant(
            "hide_key:SupportedFeatureProfiles",
            step="1-2. GetConfiguration SupportedFeatureProfiles",
            says="unknown keys",
        ),
    ],
)
async def test_TC_019_CS_retrieve_configuration(csms: Session, dut: DutProfile) -> None:
    """The charge point reports every required key with the right accessibility, singly, all at once and in a list of the maximum size."""  # noqa: E501
    await booted(csms, dut)
    with step("1-2. GetConfiguration SupportedFeatureProfiles: known and reported"):
        reply = await csms.call("GetConfiguration", {"key": ["SupportedFeatureProfiles"]})
        if reply.payload.get("unknownKey"):
            raise answer_fails(reply, "lists unknown keys; the key list must be empty")
        entry = configuration(reply).get("SupportedFeatureProfiles")
        if entry is None:
            raise answer_fails(reply, "does not report the key SupportedFeatureProfiles")
        profiles = [p.strip() for p in str(entry.get("value", "")).split(",") if p.strip()]
    with step("3-4. GetConfiguration without keys: every required key, correct accessibility"):
        reply = await csms.call("GetConfiguration", {})
        reported = configuration(reply)
        problems: list[str] = []
        for profile in ["Core", *(p for p in profiles if p != "Core")]:
            for key, access in REQUIRED_KEYS.get(profile, {}).items():
                if key not in reported:
                    problems.append(f"{key} ({profile}) is missing")
                    continue
                actual = R if reported[key].get("readonly") else RW
                if actual not in access:
                    problems.append(f"{key} is {actual}; it must be {' or '.join(access)}")
        if problems:
            raise answer_fails(reply, "breaks the required keys: " + "; ".join(problems))
        all_keys = list(reported)
    with step("5-6. GetConfiguration GetConfigurationMaxKeys"):
        reply = await csms.call("GetConfiguration", {"key": ["GetConfigurationMaxKeys"]})
        entry = configuration(reply).get("GetConfigurationMaxKeys")
        value = str(entry.get("value", "")) if entry is not None else ""
        if not value.isdigit() or int(value) < 1:
            raise answer_fails(reply, "does not give GetConfigurationMaxKeys as a positive number")
        wanted = all_keys[: min(int(value), len(all_keys))]
    with step("7-8. GetConfiguration with that many keys: all reported, none unknown"):
        reply = await csms.call("GetConfiguration", {"key": wanted})
        missing = [key for key in wanted if key not in configuration(reply)]
        if reply.payload.get("unknownKey") or missing:
            raise answer_fails(
                reply,
                f"misses requested keys {missing} (unknownKey: {reply.payload.get('unknownKey')})",
            )


@testcase(
    "TC_021_CS",
    proof=[
        Mutant(
            "ignore_change",
            step="3-4. GetConfiguration MeterValueSampleInterval",
            says="the value set was",
        ),
        Mutant(
            "reject:ChangeConfiguration",
            step="1-2. ChangeConfiguration MeterValueSampleInterval",
            says="'Rejected'",
        ),
    ],
)
async def test_TC_021_CS_change_configuration(csms: Session, dut: DutProfile) -> None:
    """A changed MeterValueSampleInterval is accepted and then reported with its new value."""
    target = str(meter_value_interval(dut))
    key = "MeterValueSampleInterval"
    await booted(csms, dut)
    with step("Before: MeterValueSampleInterval is not the configured meter value interval"):
        reply = await csms.call("GetConfiguration", {"key": [key]})
        if configuration(reply).get(key) is None:
            raise answer_fails(reply, f"does not report the Core key {key}")
        # Changed away (and confirmed) when it already holds the value the case sets,
        # so a charge point that accepts and ignores the change cannot pass.
        await make_different(Setting16(csms, key), target, str(int(target) + 1))
    with step("1-2. ChangeConfiguration MeterValueSampleInterval is Accepted"):
        await change_configuration(csms, key, target, confirm=False)
    with step("3-4. GetConfiguration MeterValueSampleInterval gives the new value"):
        reply = await csms.call("GetConfiguration", {"key": [key]})
        entry = configuration(reply).get(key)
        if entry is None or str(entry.get("value")) != target:
            found = None if entry is None else entry.get("value")
            raise answer_fails(
                reply,
                f"gives {key} = {found!r}; the value set was {target!r} (TC_021_CS step 4)",
            )
