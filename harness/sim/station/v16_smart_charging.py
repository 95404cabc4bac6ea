"""Smart Charging of the OCPP 1.6 reference station: charging profiles and composite schedules.

:class:`Station16SmartCharging` adds the Smart Charging feature profile to
the station's handlers (OCPP 1.6 sections 3.13, 5.5, 5.7, 5.16):

* SetChargingProfile installs a ChargePointMaxProfile (connector 0 only), a
  TxDefaultProfile (connector 0: every connector) or a TxProfile (only for the
  connector's running transaction, and its transactionId when one is given);
  a profile with the same id, or the same connector, purpose and stackLevel,
  is replaced. Limits of the configuration keys (stack level, periods,
  profiles installed, allowed rate units) are held: else ``Rejected``.
* ClearChargingProfile removes the profile with the given id, or those that
  match every criterion given (none: all); ``Unknown`` when none matched.
* GetCompositeSchedule answers the composite schedule
  (:mod:`~harness.sim.station.v16_composite`) in the requested unit, or the
  first the station allows.
* RemoteStartTransaction may carry a TxProfile: it is installed for the
  transaction it starts; another purpose is refused.

TxProfiles end with their transaction; the other profiles survive reboots.
The allowed alternatives are ``[embedded.options]`` (see :class:`SmartOptions`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.errors import ConfigurationError
from harness.ocppj.replies import ErrorReply
from harness.sim.station.base import Handled
from harness.sim.station.v16_composite import (
    VOLTAGE,
    Profile,
    composite_schedule,
    epoch,
    profile_from_wire,
)
from harness.sim.station.v16_configuration import ConfigKey
from harness.sim.station.v16_connectors import Connector
from harness.sim.station.v16_handlers import Station16Handlers

__all__ = ["SmartOptions", "Station16SmartCharging", "smart_charging_keys"]

_UNITS = {"Current": "A", "Power": "W"}
_CHOICES = {
    "composite_periods": ("merged", "boundaries"),
    "composite_start": ("both", "schedule", "top"),
    "profile_refusal": ("status", "error"),
}


def smart_charging_keys() -> list[ConfigKey]:
    """The Smart Charging configuration keys (all read-only), with the reference's values."""
    return [
        ConfigKey("ChargeProfileMaxStackLevel", "8", readonly=True),
        ConfigKey("ChargingScheduleAllowedChargingRateUnit", "Current", readonly=True),
        ConfigKey("ChargingScheduleMaxPeriods", "24", readonly=True),
        ConfigKey("MaxChargingProfilesInstalled", "16", readonly=True),
    ]


@dataclass(frozen=True)
class SmartOptions:
    """The allowed alternatives of the station's Smart Charging, from ``[embedded.options]``.

    Attributes:
        composite_periods: ``merged`` (one period per limit) or ``boundaries``
            (a period at every moment a profile could change the limit, the
            same limit repeated).
        composite_start: where a composite schedule says when it starts:
            ``both``, ``schedule`` (chargingSchedule.startSchedule only) or
            ``top`` (scheduleStart only).
        profile_refusal: how a TxProfile without its transaction, or a remote
            start with another purpose, is refused: ``status`` (Rejected) or
            ``error`` (CALLERROR PropertyConstraintViolation).
        local_limit: the charge point's own limit in amperes.
    """

    composite_periods: str = "merged"
    composite_start: str = "both"
    profile_refusal: str = "status"
    local_limit: float = 32.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SmartOptions:
        """Read the options; a value they do not allow is a ConfigurationError naming it."""
        chosen: dict[str, str] = {}
        for key, allowed in _CHOICES.items():
            value = options.get(key, allowed[0])
            if value not in allowed:
                raise ConfigurationError(
                    f"[embedded.options] {key} must be one of {', '.join(allowed)}, not {value!r}",
                    field=f"embedded.options.{key}",
                )
            chosen[key] = str(value)
        limit = options.get("local_limit", cls.local_limit)
        if isinstance(limit, bool) or not isinstance(limit, int | float) or limit <= 0:
            raise ConfigurationError(
                f"[embedded.options] local_limit must be a positive number of amperes, "
                f"not {limit!r}",
                field="embedded.options.local_limit",
            )
        return cls(**chosen, local_limit=float(limit))


def _now_text(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Station16SmartCharging(Station16Handlers):
    """The 1.6 reference station with the Smart Charging feature profile."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = self.dut.embedded.options if self.dut.embedded else {}
        self.smart = SmartOptions.from_options(options)
        self.config.add(smart_charging_keys())
        self.config.add_profile("SmartCharging")
        self.charging_profiles: dict[int, Profile] = {}
        self._remote_profiles: dict[int, dict[str, Any]] = {}
        self._handlers["SetChargingProfile"] = self.on_set_charging_profile
        self._handlers["ClearChargingProfile"] = self.on_clear_charging_profile
        self._handlers["GetCompositeSchedule"] = self.on_get_composite_schedule

    # -- limits -----------------------------------------------------------------------

    def _allowed_units(self) -> list[str]:
        listed = self.config.csl("ChargingScheduleAllowedChargingRateUnit")
        return [_UNITS[u] for u in listed if u in _UNITS] or ["A"]

    def _refusal(self) -> Handled:
        if self.smart.profile_refusal == "error":
            return Handled(
                ErrorReply("PropertyConstraintViolation", "no transaction for this TxProfile")
            )
        return Handled({"status": "Rejected"})

    def _fits(self, wire: dict[str, Any]) -> bool:
        """Whether a profile respects the station's limits (stack, periods, unit, kind)."""
        schedule = wire["chargingSchedule"]
        return (
            int(wire["stackLevel"]) <= self.config.integer("ChargeProfileMaxStackLevel")
            and len(schedule["chargingSchedulePeriod"])
            <= self.config.integer("ChargingScheduleMaxPeriods")
            and schedule["chargingRateUnit"] in self._allowed_units()
            and (wire["chargingProfileKind"] != "Recurring" or "recurrencyKind" in wire)
        )

    # -- SetChargingProfile --------------------------------------------------------------

    def on_set_charging_profile(self, payload: dict[str, Any]) -> Handled:
        number = int(payload["connectorId"])
        wire: dict[str, Any] = payload["csChargingProfiles"]
        purpose = wire["chargingProfilePurpose"]
        connector = self.connector(number)
        if (number != 0 and connector is None) or not self._fits(wire):
            return Handled({"status": "Rejected"})
        if purpose == "ChargePointMaxProfile" and number != 0:
            return Handled({"status": "Rejected"})
        transaction_id = None
        if purpose == "TxProfile":
            running = connector.transaction if connector is not None else None
            if running is None:
                return self._refusal()
            wanted = wire.get("transactionId")
            if wanted is not None and wanted != running.transaction_id:
                return Handled({"status": "Rejected"})
            transaction_id = running.transaction_id
        profile = profile_from_wire(
            number, wire, installed=time.time(), transaction_id=transaction_id
        )
        return Handled({"status": "Accepted" if self.install(profile) else "Rejected"})

    def install(self, profile: Profile) -> bool:
        """Install ``profile``, replacing the one it supersedes; False when there is no room."""
        kept = {
            pid: p
            for pid, p in self.charging_profiles.items()
            if pid != profile.id
            and (p.connector, p.purpose, p.stack_level)
            != (profile.connector, profile.purpose, profile.stack_level)
        }
        if len(kept) >= self.config.integer("MaxChargingProfilesInstalled"):
            return False
        kept[profile.id] = profile
        self.charging_profiles = kept
        return True

    # -- ClearChargingProfile ------------------------------------------------------------

    def on_clear_charging_profile(self, payload: dict[str, Any]) -> Handled:
        if "id" in payload:
            gone = [pid for pid in self.charging_profiles if pid == payload["id"]]
        else:
            gone = [
                pid
                for pid, p in self.charging_profiles.items()
                if all(
                    key not in payload or value == payload[key]
                    for key, value in (
                        ("connectorId", p.connector),
                        ("chargingProfilePurpose", p.purpose),
                        ("stackLevel", p.stack_level),
                    )
                )
            ]
        for pid in gone:
            del self.charging_profiles[pid]
        return Handled({"status": "Accepted" if gone else "Unknown"})

    # -- GetCompositeSchedule ------------------------------------------------------------

    def on_get_composite_schedule(self, payload: dict[str, Any]) -> Handled:
        number = int(payload["connectorId"])
        connector = self.connector(number)
        if number != 0 and connector is None:
            return Handled({"status": "Rejected"})
        unit = {"A": "A", "W": "W"}.get(payload.get("chargingRateUnit", ""))
        unit = unit or self._allowed_units()[0]
        begin = float(math.floor(time.time()))
        duration = int(payload["duration"])
        local = self.smart.local_limit
        running = connector.transaction if connector is not None else None
        periods = composite_schedule(
            self.charging_profiles.values(),
            connector=number,
            begin=begin,
            duration=duration,
            unit=unit,
            local_limit=local if unit == "A" else local * VOLTAGE * 3,
            transaction=None
            if running is None
            else (running.transaction_id, epoch(running.started)),
            merge=self.smart.composite_periods == "merged",
            choose=min if self.faults.on("stack_lowest_prevails") else max,
        )
        start = _now_text(begin)
        schedule: dict[str, Any] = {
            "duration": duration,
            "chargingRateUnit": unit,
            "chargingSchedulePeriod": [{"startPeriod": s, "limit": v} for s, v in periods],
        }
        answer: dict[str, Any] = {"status": "Accepted", "connectorId": number}
        if self.smart.composite_start in ("both", "top"):
            answer["scheduleStart"] = start
        if self.smart.composite_start in ("both", "schedule"):
            schedule["startSchedule"] = start
        answer["chargingSchedule"] = schedule
        return Handled(answer)

    # -- remote start with a TxProfile ----------------------------------------------------

    def on_remote_start(self, payload: dict[str, Any]) -> Handled:
        wire = payload.get("chargingProfile")
        if wire is not None:
            if wire["chargingProfilePurpose"] != "TxProfile":
                return self._refusal()
            if not self._fits(wire):
                return Handled({"status": "Rejected"})
        handled = super().on_remote_start(payload)
        accepted = isinstance(handled.reply, dict) and handled.reply.get("status") == "Accepted"
        target = self._pick_connector(payload.get("connectorId"))
        ignored = self.faults.on("remote_profile_ignored")
        if wire is not None and accepted and target is not None and not ignored:
            self._remote_profiles[target.id] = wire
        return handled

    async def begin_transaction(self, connector: Connector, id_tag: str) -> None:
        waiting = self._remote_profiles.pop(connector.id, None)
        await super().begin_transaction(connector, id_tag)
        running = connector.transaction
        if waiting is not None and running is not None:
            self.install(
                profile_from_wire(
                    connector.id,
                    waiting,
                    installed=time.time(),
                    transaction_id=running.transaction_id,
                )
            )

    async def end_transaction(
        self, connector: Connector, reason: str, id_tag: str | None = None, *, unlock: bool = False
    ) -> None:
        running = connector.transaction
        await super().end_transaction(connector, reason, id_tag, unlock=unlock)
        if running is not None:
            self._drop_tx_profiles(connector.id)

    def on_power_off(self) -> None:
        for connector in self.connectors.values():
            if connector.transaction is not None:
                self._drop_tx_profiles(connector.id)
        self._remote_profiles.clear()
        super().on_power_off()

    def _drop_tx_profiles(self, number: int) -> None:
        """A transaction ended: its TxProfiles go with it (OCPP 1.6 section 3.13.1)."""
        self.charging_profiles = {
            pid: p
            for pid, p in self.charging_profiles.items()
            if not (p.purpose == "TxProfile" and p.connector == number)
        }
