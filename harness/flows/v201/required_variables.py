"""The device-model variables OCPP 2.0.1 requires of a Core charging station, as data.

One list, read by every case that checks a report for them (TC_B_12_CS,
TC_B_13_CS, TC_B_53_CS): the variables OCPP 2.0.1 Part 2 (Appendices,
"Referenced Components and Variables") marks *required* for the Core blocks
(general, B provisioning, C authorization, E transactions, F remote control,
G availability, J meter values), and those of the section "Charging
Infrastructure Related" for the station, each EVSE and each connector.
Optional functional blocks (authorization cache, local list, smart charging,
reservation, ...) add variables only a station implementing them must have;
they are not listed here.

``writable`` marks the required variables the specification makes ReadWrite
(TC_B_12_CS wants them in a ConfigurationInventory); those it lets a station
keep ReadOnly are not marked.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REQUIRED", "Required", "infrastructure"]


@dataclass(frozen=True)
class Required:
    """One required variable: where it lives and whether it must be writable."""

    component: str
    variable: str
    instance: str | None = None
    writable: bool = False

    def __str__(self) -> str:
        named = f"{self.component}.{self.variable}"
        return f"{named}[{self.instance}]" if self.instance else named


def _of(component: str, *names: str, writable: bool = False) -> tuple[Required, ...]:
    return tuple(Required(component, name, writable=writable) for name in names)


#: The controllers' required variables (Core blocks).
REQUIRED: tuple[Required, ...] = (
    *(
        Required("DeviceDataCtrlr", name, instance)
        for name in ("ItemsPerMessage", "BytesPerMessage")
        for instance in ("GetReport", "GetVariables", "SetVariables")
    ),
    Required("OCPPCommCtrlr", "MessageTimeout", "Default"),
    Required("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent", writable=True),
    Required("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent", writable=True),
    Required("OCPPCommCtrlr", "OfflineThreshold", writable=True),
    *_of(
        "OCPPCommCtrlr",
        "FileTransferProtocols",
        "ResetRetries",
        "RetryBackOffRandomRange",
        "RetryBackOffRepeatTimes",
        "RetryBackOffWaitMinimum",
        "UnlockOnEVSideDisconnect",
        "WebSocketPingInterval",
    ),
    *_of("AuthCtrlr", "AuthorizeRemoteStart", "LocalAuthorizeOffline", "LocalPreAuthorize"),
    *_of(
        "TxCtrlr",
        "EVConnectionTimeOut",
        "StopTxOnEVSideDisconnect",
        "StopTxOnInvalidId",
        "TxStartPoint",
        "TxStopPoint",
    ),
    *_of(
        "SampledDataCtrlr",
        "TxStartedMeasurands",
        "TxUpdatedMeasurands",
        "TxUpdatedInterval",
        "TxEndedMeasurands",
        "TxEndedInterval",
        writable=True,
    ),
    *_of(
        "AlignedDataCtrlr",
        "Measurands",
        "Interval",
        "TxEndedMeasurands",
        "TxEndedInterval",
        writable=True,
    ),
    *_of("ClockCtrlr", "DateTime", "TimeSource"),
    *_of("SecurityCtrlr", "OrganizationName", "CertificateEntries", "SecurityProfile"),
)

#: "Charging Infrastructure Related": the station's, each EVSE's and each connector's.
_STATION = ("AvailabilityState", "Available", "SupplyPhases")
_EVSE = ("AvailabilityState", "Available", "Power", "SupplyPhases")
_CONNECTOR = ("AvailabilityState", "Available", "ConnectorType", "SupplyPhases")


def infrastructure(
    connectors: tuple[tuple[int, int], ...],
) -> list[tuple[str, int | None, int | None, str]]:
    """(component, evse, connector, variable) the station must report for its hardware."""
    found: list[tuple[str, int | None, int | None, str]] = [
        ("ChargingStation", None, None, name) for name in _STATION
    ]
    for evse in sorted({e for e, _c in connectors}):
        found += [("EVSE", evse, None, name) for name in _EVSE]
    for evse, connector in connectors:
        found += [("Connector", evse, connector, name) for name in _CONNECTOR]
    return found
