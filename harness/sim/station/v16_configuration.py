"""Configuration keys of the OCPP 1.6 reference station (Core and Remote Trigger).

The keys, their access rights and the validation of new values follow the
specification's list of standard configuration keys. The store answers
GetConfiguration and ChangeConfiguration; the station reads typed values from
it (:meth:`Configuration.boolean`, :meth:`Configuration.integer`,
:meth:`Configuration.csl`).

The initial values can be overridden per DUT profile with an
``[embedded.options.configuration]`` table of key = value strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.sim.faults import Faults

__all__ = ["MEASURANDS", "SUPPORTED_PROFILES", "ConfigKey", "Configuration", "boolean", "integer"]

#: Measurands the simulated meter can sample.
MEASURANDS = (
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "Voltage",
)

#: The feature profiles this simulator implements.
SUPPORTED_PROFILES = "Core,RemoteTrigger"

_PHASE_ROTATIONS = {"NotApplicable", "Unknown", "RST", "RTS", "SRT", "STR", "TRS", "TSR"}
_CSL_MAX = 8

Validator = Callable[[str], bool]


def _boolean(value: str) -> bool:
    return value.lower() in ("true", "false")


def _integer(value: str) -> bool:
    return value.isdigit() and len(value) <= 9


def _measurands(value: str) -> bool:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return len(items) <= _CSL_MAX and all(v in MEASURANDS for v in items)


def _phase_rotation(value: str) -> bool:
    for item in (v.strip() for v in value.split(",") if v.strip()):
        connector, dot, rotation = item.partition(".")
        if not (dot and connector.isdigit() and rotation in _PHASE_ROTATIONS):
            return False
    return True


@dataclass
class ConfigKey:
    """One configuration key.

    Attributes:
        key: the name, as in the specification.
        value: the current value, as a string (as on the wire).
        readonly: whether the Central System may change it.
        valid: checks a new value; None accepts any string.
        reboot: a change takes effect only after a reboot (``RebootRequired``).
    """

    key: str
    value: str
    readonly: bool = False
    valid: Validator | None = None
    reboot: bool = False


def _core_keys(connectors: int) -> list[ConfigKey]:
    rotation = ",".join(f"{n}.RST" for n in range(connectors + 1))
    return [
        ConfigKey("AllowOfflineTxForUnknownId", "false", valid=_boolean),
        ConfigKey("AuthorizationCacheEnabled", "true", valid=_boolean),
        ConfigKey("AuthorizeRemoteTxRequests", "true", valid=_boolean),
        ConfigKey("ClockAlignedDataInterval", "0", valid=_integer),
        ConfigKey("ConnectionTimeOut", "60", valid=_integer),
        ConfigKey("ConnectorPhaseRotation", rotation, valid=_phase_rotation),
        ConfigKey("ConnectorPhaseRotationMaxLength", str(connectors + 1), readonly=True),
        ConfigKey("GetConfigurationMaxKeys", "10", readonly=True),
        ConfigKey("HeartbeatInterval", "300", valid=_integer),
        ConfigKey("LocalAuthorizeOffline", "true", valid=_boolean),
        ConfigKey("LocalPreAuthorize", "false", valid=_boolean),
        ConfigKey("MaxEnergyOnInvalidId", "0", valid=_integer),
        ConfigKey("MeterValuesAlignedData", "Energy.Active.Import.Register", valid=_measurands),
        ConfigKey("MeterValuesAlignedDataMaxLength", str(_CSL_MAX), readonly=True),
        ConfigKey("MeterValuesSampledData", "Energy.Active.Import.Register", valid=_measurands),
        ConfigKey("MeterValuesSampledDataMaxLength", str(_CSL_MAX), readonly=True),
        ConfigKey("MeterValueSampleInterval", "10", valid=_integer),
        ConfigKey("NumberOfConnectors", str(connectors), readonly=True),
        ConfigKey("ResetRetries", "3", valid=_integer),
        ConfigKey("StopTransactionOnEVSideDisconnect", "true", valid=_boolean),
        ConfigKey("StopTransactionOnInvalidId", "true", valid=_boolean),
        ConfigKey("StopTxnAlignedData", "", valid=_measurands),
        ConfigKey("StopTxnAlignedDataMaxLength", str(_CSL_MAX), readonly=True),
        ConfigKey("StopTxnSampledData", "Energy.Active.Import.Register", valid=_measurands),
        ConfigKey("StopTxnSampledDataMaxLength", str(_CSL_MAX), readonly=True),
        ConfigKey("SupportedFeatureProfiles", SUPPORTED_PROFILES, readonly=True),
        ConfigKey("TransactionMessageAttempts", "3", valid=_integer),
        ConfigKey("TransactionMessageRetryInterval", "10", valid=_integer),
        ConfigKey("UnlockConnectorOnEVSideDisconnect", "true", valid=_boolean),
        ConfigKey("WebSocketPingInterval", "0", valid=_integer, reboot=True),
    ]


#: The validators of boolean and integer keys, for keys other modules add.
boolean: Validator = _boolean
integer: Validator = _integer


class Configuration:
    """The station's configuration keys; survives reboots (non-volatile).

    Args:
        connectors: the number of connectors (NumberOfConnectors).
        faults: the station's fault knobs (``readonly_writable``,
            ``hide_key:<Key>``, ``ignore_change``).
        initial: values overriding the defaults (key -> string).
        readonly: keys made read-only (the ``readonly_keys`` variant).
    """

    def __init__(
        self,
        connectors: int,
        faults: Faults,
        initial: Mapping[str, Any] | None = None,
        readonly: Iterable[str] = (),
    ) -> None:
        self.faults = faults
        self._keys: dict[str, ConfigKey] = {}
        self._initial = dict(initial or {})
        self._readonly_keys = frozenset(readonly)
        self.add(_core_keys(connectors))

    def add(self, keys: Iterable[ConfigKey]) -> None:
        """Add the keys of a feature profile, with the profile's initial values and variants."""
        for entry in keys:
            self._keys[entry.key] = entry
            if entry.key in self._readonly_keys:
                entry.readonly = True
            if entry.key in self._initial:
                value = self._initial[entry.key]
                entry.value = str(value).lower() if isinstance(value, bool) else str(value)

    # -- typed reads ----------------------------------------------------------

    def text(self, key: str) -> str:
        return self._keys[key].value

    def boolean(self, key: str) -> bool:
        return self._keys[key].value.lower() == "true"

    def integer(self, key: str) -> int:
        value = self._keys[key].value
        return int(value) if value.isdigit() else 0

    def csl(self, key: str) -> list[str]:
        return [v.strip() for v in self._keys[key].value.split(",") if v.strip()]

    def set(self, key: str, value: str) -> None:
        """Set a value from the station itself (e.g. the heartbeat interval at boot)."""
        self._keys[key].value = value

    def add_profile(self, name: str) -> None:
        """List one more feature profile in SupportedFeatureProfiles."""
        profiles = self.csl("SupportedFeatureProfiles")
        if name not in profiles:
            self.set("SupportedFeatureProfiles", ",".join([*profiles, name]))

    # -- the Central System's view ---------------------------------------------

    def _visible(self, key: str) -> bool:
        return key in self._keys and not self.faults.on("hide_key", key)

    def _readonly(self, entry: ConfigKey) -> bool:
        return entry.readonly and not self.faults.on("readonly_writable")

    def get(self, keys: Iterable[str]) -> dict[str, Any]:
        """The GetConfiguration.conf payload for the requested keys (all when empty)."""
        wanted = list(keys)
        names = wanted or [k for k in self._keys if self._visible(k)]
        known = [
            {"key": k, "readonly": self._readonly(self._keys[k]), "value": self._keys[k].value}
            for k in names
            if self._visible(k)
        ]
        unknown = [k for k in names if not self._visible(k)]
        reply: dict[str, Any] = {}
        if known:
            reply["configurationKey"] = known
        if unknown:
            reply["unknownKey"] = unknown
        return reply

    def refuses_value(self, key: str, value: str) -> bool:
        """Whether ``value`` is invalid for a known, writable key (not for an unknown one)."""
        if not self._visible(key) or self._readonly(self._keys[key]):
            return False
        valid = self._keys[key].valid
        return valid is not None and not valid(value)

    def change(self, key: str, value: str) -> str:
        """Apply ChangeConfiguration; returns the status to answer."""
        if not self._visible(key):
            return "NotSupported"
        entry = self._keys[key]
        if self._readonly(entry):
            return "Rejected"
        if entry.valid is not None and not entry.valid(value):
            return "Rejected"
        if not self.faults.on("ignore_change"):
            entry.value = value.lower() if entry.valid is _boolean else value
        return "RebootRequired" if entry.reboot else "Accepted"
