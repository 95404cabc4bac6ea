"""The 1.6 reference charge point's answers to unlock, configuration and DataTransfer, and its meter stamps."""  # noqa: E501

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest
from test_station_v16_support import WAIT, profile, running, start_charging

from harness.errors import ConfigurationError
from harness.ocppj.replies import ErrorReply
from harness.sim.station.v16 import Station16
from harness.sim.variants import Variants

VALID = "SIMVALID0001"


def _station(features: frozenset[str] = frozenset(), **options: Any) -> Station16:
    """A charge point built (not started) from the builtin profile with PICS flags and variants."""
    base = profile()
    assert base.embedded is not None
    embedded = dataclasses.replace(base.embedded, options={**base.embedded.options, **options})
    dut = dataclasses.replace(base, features=base.features | features, embedded=embedded)
    return Station16(dut, csms_url="ws://127.0.0.1:1/ocpp")


def test_unlock_answers_by_connector_cable_and_lock() -> None:
    """Unlocked for a socket, NotSupported for an unknown connector or a fixed cable, UnlockFailed for a blocked lock."""  # noqa: E501
    station = _station()
    assert station.on_unlock({"connectorId": 1}).reply == {"status": "Unlocked"}
    assert station.on_unlock({"connectorId": 3}).reply == {"status": "NotSupported"}
    station.connectors[1].faults.add("lock_failure")
    assert station.on_unlock({"connectorId": 1}).reply == {"status": "UnlockFailed"}
    tethered = _station(frozenset({"fixed_cable"}))
    assert tethered.on_unlock({"connectorId": 1}).reply == {"status": "NotSupported"}


def test_invalid_configuration_value_rejected_or_refused_with_a_call_error() -> None:
    """An invalid value is Rejected, or a CALLERROR PropertyConstraintViolation with the variant; an unknown key stays NotSupported."""  # noqa: E501
    payload = {"key": "MeterValueSampleInterval", "value": "-1"}
    assert _station().on_change_configuration(payload).reply == {"status": "Rejected"}
    strict = _station(invalid_value_error=True)
    reply = strict.on_change_configuration(payload).reply
    assert isinstance(reply, ErrorReply)
    assert reply.code == "PropertyConstraintViolation"
    unknown = strict.on_change_configuration({"key": "Testing", "value": "true"})
    assert unknown.reply == {"status": "NotSupported"}


@pytest.mark.parametrize("status", ["UnknownVendorId", "UnknownMessageId", "Rejected", "Accepted"])
def test_data_transfer_answer_is_the_variant(status: str) -> None:
    """DataTransfer is answered with the status the variant data_transfer_status names."""
    station = _station(data_transfer_status=status)
    handler = station._handlers["DataTransfer"]
    assert handler({"vendorId": "x"}).reply == {"status": status}


def test_a_data_transfer_status_outside_the_enum_is_refused() -> None:
    """data_transfer_status must be a DataTransferStatus; another value names the option."""
    with pytest.raises(ConfigurationError) as raised:
        Variants.from_options({"data_transfer_status": "Maybe"})
    assert raised.value.field == "embedded.options.data_transfer_status"


async def test_clock_aligned_values_are_stamped_on_the_boundary() -> None:
    """With ClockAlignedDataInterval set, Sample.Clock values carry the boundary's time exactly."""
    async with running(config={"ClockAlignedDataInterval": "1"}) as (_station, csms):
        found = await csms.expect("MeterValues", timeout=WAIT)
        reading = found.payload["meterValue"][0]
        assert reading["sampledValue"][0]["context"] == "Sample.Clock"
        stamp = datetime.fromisoformat(reading["timestamp"].replace("Z", "+00:00"))
        assert stamp.microsecond == 0


async def test_soft_reset_in_place_stops_the_transaction_without_rebooting() -> None:
    """soft_reset_reboot false: StopTransaction SoftReset, and no new BootNotification."""
    async with running() as (station, csms):
        station.variants = Variants(soft_reset_reboot=False)
        start = await start_charging(station, csms, VALID)
        await csms.call("Reset", {"type": "Soft"}, status="Accepted")
        stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        assert stop.payload["reason"] == "SoftReset"
        await csms.expect_none("BootNotification", during=0.5, after=start)


#: OCPP 1.6 section 9.1, the Core profile's keys: whether each must be
#: read-only (True), writable (False) or may be either (None), and whether
#: the standard requires it.
CORE_KEYS: dict[str, tuple[bool | None, bool]] = {
    "AllowOfflineTxForUnknownId": (False, False),
    "AuthorizationCacheEnabled": (False, False),
    "AuthorizeRemoteTxRequests": (None, True),
    "ClockAlignedDataInterval": (False, True),
    "ConnectionTimeOut": (False, True),
    "ConnectorPhaseRotation": (False, True),
    "ConnectorPhaseRotationMaxLength": (True, False),
    "GetConfigurationMaxKeys": (True, True),
    "HeartbeatInterval": (False, True),
    "LocalAuthorizeOffline": (False, True),
    "LocalPreAuthorize": (False, True),
    "MeterValuesAlignedData": (False, True),
    "MeterValuesAlignedDataMaxLength": (True, False),
    "MeterValuesSampledData": (False, True),
    "MeterValuesSampledDataMaxLength": (True, False),
    "MeterValueSampleInterval": (False, True),
    "MinimumStatusDuration": (False, False),
    "NumberOfConnectors": (True, True),
    "ResetRetries": (False, True),
    "StopTransactionOnEVSideDisconnect": (False, True),
    "StopTransactionOnInvalidId": (False, True),
    "StopTxnAlignedData": (False, True),
    "StopTxnAlignedDataMaxLength": (True, False),
    "StopTxnSampledData": (False, True),
    "StopTxnSampledDataMaxLength": (True, False),
    "SupportedFeatureProfiles": (True, True),
    "SupportedFeatureProfilesMaxLength": (True, False),
    "TransactionMessageAttempts": (False, True),
    "TransactionMessageRetryInterval": (False, True),
    "UnlockConnectorOnEVSideDisconnect": (False, True),
    "WebSocketPingInterval": (False, False),
}


def test_core_keys_exist_with_the_access_rights_of_section_9_1() -> None:
    """Every required Core key exists, and every Core key the station has is R or RW as 9.1 says."""
    reported = {
        entry["key"]: entry["readonly"] for entry in _station().config.get([])["configurationKey"]
    }
    missing = [
        key for key, (_ro, required) in CORE_KEYS.items() if required and key not in reported
    ]
    assert not missing, f"required Core keys missing: {missing}"
    wrong = {
        key: reported[key]
        for key, (readonly, _required) in CORE_KEYS.items()
        if key in reported and readonly is not None and reported[key] != readonly
    }
    assert not wrong, f"Core keys with the wrong access (key: readonly): {wrong}"
