"""The configuration keys of the harness charge point, for ``_CSMS`` cases.

When the Central System is under test, the harness plays a charge point and
must answer GetConfiguration as a conforming one does: every key the
catalogue requires (TC_019_1_CSMS lists them with their accessibility) with
its read-only flag and a value, and unknown keys in ``unknownKey``.
ChangeConfiguration is answered by the case with the status its step
prescribes; :data:`UNKNOWN_KEY` is a key this charge point does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.profile import DutProfile

__all__ = ["FEATURE_PROFILES", "UNKNOWN_KEY", "configuration", "get_configuration_answer"]

#: The feature profiles the harness charge point reports (all but Security, which is not a key).
FEATURE_PROFILES = (
    "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"
)

#: A configuration key the harness charge point does not know (TC_040_1_CSMS).
UNKNOWN_KEY = "HarnessUnknownKey"

# key: (read-only, value); the accessibility is the catalogue's (TC_019_1_CSMS step 2).
_KEYS: dict[str, tuple[bool, str]] = {
    # Core
    "AuthorizeRemoteTxRequests": (False, "true"),
    "ClockAlignedDataInterval": (False, "0"),
    "ConnectionTimeOut": (False, "60"),
    "ConnectorPhaseRotation": (False, "NotApplicable"),
    "GetConfigurationMaxKeys": (True, "50"),
    "HeartbeatInterval": (False, "60"),
    "LocalAuthorizeOffline": (False, "true"),
    "LocalPreAuthorize": (False, "false"),
    "MeterValuesAlignedData": (False, "Energy.Active.Import.Register"),
    "MeterValuesSampledData": (False, "Energy.Active.Import.Register"),
    "MeterValueSampleInterval": (False, "0"),
    "NumberOfConnectors": (True, "1"),
    "ResetRetries": (False, "1"),
    "StopTransactionOnEVSideDisconnect": (False, "true"),
    "StopTransactionOnInvalidId": (False, "true"),
    "StopTxnAlignedData": (False, ""),
    "StopTxnSampledData": (False, ""),
    "SupportedFeatureProfiles": (True, FEATURE_PROFILES),
    "TransactionMessageAttempts": (False, "3"),
    "TransactionMessageRetryInterval": (False, "10"),
    "UnlockConnectorOnEVSideDisconnect": (False, "true"),
    # Local Auth List Management
    "LocalAuthListEnabled": (False, "true"),
    "LocalAuthListMaxLength": (True, "100"),
    "SendLocalListMaxLength": (True, "100"),
    # Smart Charging
    "ChargeProfileMaxStackLevel": (True, "10"),
    "ChargingScheduleAllowedChargingRateUnit": (True, "Current,Power"),
    "ChargingScheduleMaxPeriods": (True, "24"),
    "MaxChargingProfilesInstalled": (True, "10"),
}


def configuration(dut: DutProfile) -> dict[str, tuple[bool, str]]:
    """Every key of the harness charge point: ``key -> (read-only, value)``."""
    keys = dict(_KEYS)
    keys["NumberOfConnectors"] = (True, str(len(dut.connectors)))
    keys["HeartbeatInterval"] = (False, str(dut.timing.heartbeat_interval))
    return keys


def get_configuration_answer(dut: DutProfile, requested: Sequence[str] | None) -> dict[str, Any]:
    """GetConfiguration.conf for the keys ``requested`` (every key when None or empty)."""
    keys = configuration(dut)
    wanted = list(requested or keys)
    known = [k for k in wanted if k in keys]
    answer: dict[str, Any] = {
        "configurationKey": [{"key": k, "readonly": keys[k][0], "value": keys[k][1]} for k in known]
    }
    unknown = [k for k in wanted if k not in keys]
    if unknown:
        answer["unknownKey"] = unknown
    return answer
