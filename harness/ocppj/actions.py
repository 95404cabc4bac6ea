"""Which actions each version defines, and who may send them.

Actions are read from the ``ocpp`` package's official schema files; the
direction tables below are the specification's: a charging station may only
start the actions listed for it, a CSMS only the others (``DataTransfer``
goes both ways).
"""

from __future__ import annotations

import functools

from harness.ocppj.schemas import schema_folder
from harness.ocppj.versions import OcppVersion, Role

__all__ = ["actions", "initiator_allowed"]

_V16_FROM_STATION = frozenset(
    {
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
        "LogStatusNotification",
        "SecurityEventNotification",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
    }
)
_V201_FROM_STATION = frozenset(
    {
        "Authorize",
        "BootNotification",
        "ClearedChargingLimit",
        "DataTransfer",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetCertificateStatus",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "ReservationStatusUpdate",
        "SecurityEventNotification",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
    }
)
_V21_FROM_STATION = _V201_FROM_STATION | frozenset(
    {
        "BatterySwap",
        "ClosePeriodicEventStream",
        "GetCertificateChainStatus",
        "NotifyDERAlarm",
        "NotifyDERStartStop",
        "NotifyPeriodicEventStream",
        "NotifyPriorityCharging",
        "NotifySettlement",
        "OpenPeriodicEventStream",
        "PullDynamicScheduleUpdate",
        "ReportDERControl",
        "VatNumberValidation",
    }
)
_FROM_STATION = {
    OcppVersion.V16: _V16_FROM_STATION,
    OcppVersion.V201: _V201_FROM_STATION,
    OcppVersion.V21: _V21_FROM_STATION,
}
_BOTH_WAYS = frozenset({"DataTransfer"})


@functools.cache
def actions(version: OcppVersion) -> frozenset[str]:
    """Every action the version defines, read from its schema file names."""
    names: set[str] = set()
    for entry in schema_folder(version).iterdir():
        stem = entry.name.removesuffix(".json")
        if not entry.name.endswith(".json") or stem.endswith("Response"):
            continue
        names.add(stem.removesuffix("Request"))
    return frozenset(names)


def initiator_allowed(version: OcppVersion, action: str, sender: Role) -> bool:
    """Whether ``sender`` may start ``action`` (assumes the action exists)."""
    if action in _BOTH_WAYS:
        return True
    from_station = action in _FROM_STATION[version]
    return from_station if sender is Role.STATION else not from_station
