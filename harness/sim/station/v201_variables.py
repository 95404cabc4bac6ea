"""The variables of the 2.0.1 reference station's device model.

:func:`build_device_model` lists them: the controllers' configuration
(``OCPPCommCtrlr``, ``AuthCtrlr``, ``AuthCacheCtrlr``, ``TxCtrlr``,
``SampledDataCtrlr``, ``AlignedDataCtrlr``, ``DeviceDataCtrlr``,
``ClockCtrlr``, ``SecurityCtrlr``) and the state of the physical components
(``ChargingStation``, each ``EVSE``, each ``Connector``), seeded from the DUT
profile. ``docs/station-simulator-2.0.1.md`` has the same list as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.errors import ConfigurationError
from harness.profile import DutProfile
from harness.sim.station.v201_device_model import DeviceModel, Variable

__all__ = [
    "AVAILABILITY",
    "MEASURANDS",
    "TX_POINTS",
    "Seed",
    "build_device_model",
    "device_model_for",
]

TX_POINTS = (
    "ParkingBayOccupancy",
    "EVConnected",
    "Authorized",
    "DataSigned",
    "PowerPathClosed",
    "EnergyTransfer",
)
MEASURANDS = ("Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage")
AVAILABILITY = ("Available", "Occupied", "Reserved", "Unavailable", "Faulted")
PROTOCOLS = ("FTP", "FTPS", "HTTP", "HTTPS", "SFTP")
TIME_SOURCES = ("Heartbeat", "NTP", "GPS", "RealTimeClock", "MobileNetwork")
RW, RO = "ReadWrite", "ReadOnly"


@dataclass(frozen=True)
class Seed:
    """The profile values the device model starts from."""

    identity: str
    vendor: str
    model: str
    connectors: tuple[tuple[int, int], ...]
    heartbeat_interval: int
    message_timeout: float
    connection_timeout: int
    security_profile: int
    tx_start_point: str
    tx_stop_point: str
    tx_start_supported: tuple[str, ...]
    tx_updated_interval: int
    items_per_message: int
    bytes_per_message: int = 65000
    #: The TxStopPoint values the station offers (ParkingBayOccupancy with a bay sensor).
    tx_stop_supported: tuple[str, ...] = tuple(p for p in TX_POINTS if p != "ParkingBayOccupancy")


def _controllers(seed: Seed) -> list[tuple[Any, ...]]:
    """(component, variable, dataType, value, mutability, extra) for each controller variable."""
    stop_values = seed.tx_stop_supported
    lists = {"values_list": MEASURANDS}
    return [
        (
            "OCPPCommCtrlr",
            "HeartbeatInterval",
            "integer",
            seed.heartbeat_interval,
            RW,
            {"min_limit": 1},
        ),
        ("OCPPCommCtrlr", "OfflineThreshold", "integer", 300, RW, {}),
        (
            "OCPPCommCtrlr",
            "MessageTimeout",
            "integer",
            int(seed.message_timeout),
            RO,
            {"variable_instance": "Default", "min_limit": 1},
        ),
        (
            "OCPPCommCtrlr",
            "MessageAttempts",
            "integer",
            3,
            RW,
            {"variable_instance": "TransactionEvent"},
        ),
        (
            "OCPPCommCtrlr",
            "MessageAttemptInterval",
            "integer",
            10,
            RW,
            {"variable_instance": "TransactionEvent"},
        ),
        ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", "integer", 3, RW, {}),
        ("OCPPCommCtrlr", "ResetRetries", "integer", 2, RW, {}),
        ("OCPPCommCtrlr", "WebSocketPingInterval", "integer", 0, RW, {}),
        (
            "OCPPCommCtrlr",
            "NetworkConfigurationPriority",
            "SequenceList",
            "1",
            RW,
            {"values_list": ("0", "1", "2")},
        ),
        (
            "OCPPCommCtrlr",
            "FileTransferProtocols",
            "MemberList",
            "HTTPS",
            RO,
            {"values_list": PROTOCOLS},
        ),
        ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", "boolean", True, RW, {}),
        ("OCPPCommCtrlr", "QueueAllMessages", "boolean", False, RW, {}),
        ("AuthCtrlr", "AuthEnabled", "boolean", True, RW, {}),
        ("AuthCtrlr", "AuthorizeRemoteStart", "boolean", True, RW, {}),
        ("AuthCtrlr", "LocalAuthorizeOffline", "boolean", True, RW, {}),
        ("AuthCtrlr", "LocalPreAuthorize", "boolean", True, RW, {}),
        ("AuthCtrlr", "DisableRemoteAuthorization", "boolean", False, RW, {}),
        ("AuthCtrlr", "OfflineTxForUnknownIdEnabled", "boolean", False, RW, {}),
        ("AuthCtrlr", "MasterPassGroupId", "string", "", RW, {}),
        ("AuthCacheCtrlr", "Enabled", "boolean", True, RW, {}),
        ("AuthCacheCtrlr", "Available", "boolean", True, RO, {}),
        ("AuthCacheCtrlr", "LifeTime", "integer", 86400, RW, {}),
        ("AuthCacheCtrlr", "DisablePostAuthorize", "boolean", False, RW, {}),
        ("AuthCacheCtrlr", "Storage", "integer", 64000, RO, {"unit": "B"}),
        (
            "AuthCacheCtrlr",
            "Policy",
            "OptionList",
            "LRU",
            RW,
            {"values_list": ("LRU", "LFU", "FIFO", "CUSTOM")},
        ),
        ("TxCtrlr", "EVConnectionTimeOut", "integer", seed.connection_timeout, RW, {}),
        ("TxCtrlr", "StopTxOnEVSideDisconnect", "boolean", True, RW, {}),
        ("TxCtrlr", "StopTxOnInvalidId", "boolean", True, RW, {}),
        ("TxCtrlr", "TxBeforeAcceptedEnabled", "boolean", False, RW, {}),
        (
            "TxCtrlr",
            "TxStartPoint",
            "MemberList",
            seed.tx_start_point,
            RW,
            {"values_list": seed.tx_start_supported},
        ),
        (
            "TxCtrlr",
            "TxStopPoint",
            "MemberList",
            seed.tx_stop_point,
            RW,
            {"values_list": stop_values},
        ),
        ("SampledDataCtrlr", "Enabled", "boolean", True, RW, {}),
        ("SampledDataCtrlr", "TxStartedMeasurands", "MemberList", MEASURANDS[0], RW, lists),
        ("SampledDataCtrlr", "TxUpdatedMeasurands", "MemberList", MEASURANDS[0], RW, lists),
        ("SampledDataCtrlr", "TxEndedMeasurands", "MemberList", MEASURANDS[0], RW, lists),
        ("SampledDataCtrlr", "TxUpdatedInterval", "integer", seed.tx_updated_interval, RW, {}),
        ("SampledDataCtrlr", "SignReadings", "boolean", False, RW, {}),
        ("SampledDataCtrlr", "TxEndedInterval", "integer", 0, RW, {}),
        ("AlignedDataCtrlr", "Enabled", "boolean", True, RW, {}),
        ("AlignedDataCtrlr", "Measurands", "MemberList", MEASURANDS[0], RW, lists),
        ("AlignedDataCtrlr", "Interval", "integer", 0, RW, {}),
        ("AlignedDataCtrlr", "TxEndedMeasurands", "MemberList", MEASURANDS[0], RW, lists),
        ("AlignedDataCtrlr", "TxEndedInterval", "integer", 0, RW, {}),
        ("ClockCtrlr", "DateTime", "dateTime", "", RO, {}),
        ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "dateTime", "", RW, {}),
        (
            "ClockCtrlr",
            "TimeSource",
            "SequenceList",
            "Heartbeat",
            RW,
            {"values_list": TIME_SOURCES},
        ),
        ("SecurityCtrlr", "SecurityProfile", "integer", seed.security_profile, RO, {}),
        ("SecurityCtrlr", "Identity", "string", seed.identity, RO, {}),
        ("SecurityCtrlr", "OrganizationName", "string", seed.vendor, RW, {}),
        ("SecurityCtrlr", "CertificateEntries", "integer", 0, RO, {}),
        (
            "ChargingStation",
            "AvailabilityState",
            "OptionList",
            "Available",
            RO,
            {"values_list": AVAILABILITY},
        ),
        ("ChargingStation", "Available", "boolean", True, RO, {}),
        ("ChargingStation", "SupplyPhases", "integer", 3, RO, {}),
        ("ChargingStation", "Model", "string", seed.model, RO, {}),
        ("ChargingStation", "VendorName", "string", seed.vendor, RO, {}),
    ] + [
        ("DeviceDataCtrlr", name, "integer", value, RO, {"variable_instance": instance})
        for instance in ("GetReport", "GetVariables", "SetVariables")
        for name, value in (
            ("ItemsPerMessage", seed.items_per_message),
            ("BytesPerMessage", seed.bytes_per_message),
        )
    ]


def _physical(seed: Seed) -> list[tuple[Any, ...]]:
    """The same rows for the state of each EVSE and connector (all ReadOnly)."""
    rows: list[tuple[Any, ...]] = []
    availability = {"values_list": AVAILABILITY}
    for evse in sorted({e for e, _c in seed.connectors}):
        at = {"evse": evse}
        rows += [
            ("EVSE", "AvailabilityState", "OptionList", "Available", RO, {**at, **availability}),
            ("EVSE", "Available", "boolean", True, RO, at),
            ("EVSE", "SupplyPhases", "integer", 3, RO, at),
            ("EVSE", "Power", "decimal", 22000, RO, {**at, "max_limit": 22000, "unit": "W"}),
        ]
    for evse, connector in seed.connectors:
        at = {"evse": evse, "connector": connector}
        rows += [
            (
                "Connector",
                "AvailabilityState",
                "OptionList",
                "Available",
                RO,
                {**at, **availability},
            ),
            ("Connector", "Available", "boolean", True, RO, at),
            ("Connector", "ConnectorType", "string", "cType2", RO, at),
            ("Connector", "SupplyPhases", "integer", 3, RO, at),
            ("Connector", "Problem", "boolean", False, RO, at),
        ]
    return rows


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_device_model(seed: Seed) -> DeviceModel:
    """The station's device model, every variable at its starting value."""
    dm = DeviceModel()
    for component, name, data_type, value, mutability, extra in _controllers(seed) + _physical(
        seed
    ):
        options: dict[str, Any] = dict(extra)
        if data_type == "integer":
            options.setdefault("min_limit", 0)
        dm.add(Variable(component, name, _text(value), mutability, data_type, **options))
    return dm


def device_model_for(dut: DutProfile, options: Mapping[str, Any]) -> DeviceModel:
    """The device model of the station a profile describes (``[embedded.options]`` included).

    Raises:
        ConfigurationError: ``tx_start_point`` names an unknown value.
    """
    start = str(options.get("tx_start_point", "PowerPathClosed"))
    for point in start.split(","):
        if point not in TX_POINTS:
            raise ConfigurationError(
                f"unknown TxStartPoint value {point!r}", field="embedded.options.tx_start_point"
            )
    declared = {p for p in TX_POINTS if f"tx_start_point:{p}" in dut.features}
    supported = tuple(p for p in TX_POINTS if p in declared or p in start.split(","))
    return build_device_model(
        Seed(
            identity=dut.identity,
            vendor=dut.vendor or "OCPP Harness",
            model=dut.model or "Reference Station",
            connectors=dut.connectors,
            heartbeat_interval=dut.timing.heartbeat_interval,
            message_timeout=dut.timing.message_timeout,
            connection_timeout=dut.timing.connection_timeout,
            security_profile=dut.connection.security_profile,
            tx_start_point=start,
            tx_stop_point=str(options.get("tx_stop_point", "EVConnected,Authorized")),
            tx_start_supported=supported,
            tx_stop_supported=tuple(
                p
                for p in TX_POINTS
                if p != "ParkingBayOccupancy" or "tx_stop_point:ParkingBayOccupancy" in dut.features
            ),
            tx_updated_interval=int(str(options.get("tx_updated_interval", 5))),
            items_per_message=int(str(options.get("items_per_message", 20))),
            bytes_per_message=int(str(options.get("bytes_per_message", 65000))),
        )
    )
