"""The Local Authorization List of the OCPP 1.6 reference station (Local Auth List Management).

With the PICS flag ``local_auth_list`` in the profile's ``[dut].features``
the station keeps a list of idTags with their idTagInfo and a version, set by
the Central System (OCPP 1.6 section 3.5):

* SendLocalList ``Full`` replaces the list; ``Differential`` adds or updates
  the entries that carry an idTagInfo and removes those that do not, and is
  answered ``VersionMismatch`` when its listVersion is not above the current
  one. A request with more entries than ``SendLocalListMaxLength``, or a list
  that would outgrow ``LocalAuthListMaxLength``, is answered ``Failed`` and
  changes nothing; a Full update entry without idTagInfo is ``Failed`` too.
* GetLocalListVersion gives the version, 0 while the list is empty, and -1
  while ``LocalAuthListEnabled`` is false (the catalogue's TC_042_1_CS).
* While ``LocalAuthListEnabled`` is true, a listed idTag is authorized from
  the list, before the authorization cache.

The list survives reboots. Without the flag the station lacks the feature:
SupportedFeatureProfiles does not name it, its keys do not exist,
SendLocalList is answered ``NotSupported`` and GetLocalListVersion -1 (or a
CALLERROR ``NotSupported`` for both, with the ``unsupported_error`` variant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.replies import ErrorReply
from harness.sim.station.base import Handled
from harness.sim.station.v16_configuration import ConfigKey, boolean
from harness.sim.station.v16_handlers import Station16Handlers

__all__ = ["LIST_CAPACITY", "SEND_CAPACITY", "LocalList", "Station16LocalList"]

#: LocalAuthListMaxLength: how many idTags the list holds.
LIST_CAPACITY = 8
#: SendLocalListMaxLength: how many entries one SendLocalList may carry. Above the
#: list's capacity, so a Full update can be too big to store (TC_043_3_CS).
SEND_CAPACITY = 16


@dataclass
class LocalList:
    """The list itself: version and entries (idTag -> idTagInfo)."""

    version: int = 0
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def reported_version(self) -> int:
        """The version GetLocalListVersion gives: 0 for an empty list."""
        return self.version if self.entries else 0

    def update(self, payload: dict[str, Any]) -> str:
        """Apply a SendLocalList request; returns the UpdateStatus to answer."""
        items = list(payload.get("localAuthorizationList") or [])
        version = int(payload["listVersion"])
        full = payload.get("updateType") == "Full"
        if len(items) > SEND_CAPACITY:
            return "Failed"
        if not full and version <= self.reported_version():
            return "VersionMismatch"
        entries = {} if full else dict(self.entries)
        for item in items:
            tag, info = str(item["idTag"]), item.get("idTagInfo")
            if info is not None:
                entries[tag] = dict(info)
            elif full:
                return "Failed"  # a full list names every idTag with its idTagInfo
            else:
                entries.pop(tag, None)
        if len(entries) > LIST_CAPACITY:
            return "Failed"
        self.entries, self.version = entries, version
        return "Accepted"


class Station16LocalList(Station16Handlers):
    """The Local Auth List Management feature profile (when the profile declares it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.local_list = LocalList()
        self.has_local_list = self.dut.supports("local_auth_list")
        if self.has_local_list:
            self.config.add(
                [
                    ConfigKey("LocalAuthListEnabled", "true", valid=boolean),
                    ConfigKey("LocalAuthListMaxLength", str(LIST_CAPACITY), readonly=True),
                    ConfigKey("SendLocalListMaxLength", str(SEND_CAPACITY), readonly=True),
                ]
            )
            self.config.add_profile("LocalAuthListManagement")
        self._handlers["GetLocalListVersion"] = self.on_get_local_list_version
        self._handlers["SendLocalList"] = self.on_send_local_list

    def _enabled(self) -> bool:
        return self.has_local_list and self.config.boolean("LocalAuthListEnabled")

    def local_list_entry(self, id_tag: str) -> dict[str, Any] | None:
        if not self._enabled():
            return None
        found = self.local_list.entries.get(id_tag)
        return None if found is None else dict(found)

    def _lacking(self, answer: dict[str, Any]) -> Handled:
        if self.variants.unsupported_error:
            return Handled(ErrorReply("NotSupported", "no Local Authorization List"))
        return Handled(answer)

    def on_get_local_list_version(self, _payload: dict[str, Any]) -> Handled:
        if not self.has_local_list:
            return self._lacking({"listVersion": -1})
        if not self._enabled():
            return Handled({"listVersion": -1})
        return Handled({"listVersion": self.local_list.reported_version()})

    def on_send_local_list(self, payload: dict[str, Any]) -> Handled:
        if not self.has_local_list:
            return self._lacking({"status": "NotSupported"})
        return Handled({"status": self.local_list.update(payload)})
