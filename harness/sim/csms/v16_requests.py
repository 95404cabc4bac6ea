"""How the reference 1.6 CSMS builds the feature profiles' requests, with its allowed choices.

An operator asks the CSMS for a request (a reservation, a local list, a
charging profile); the CSMS sends it as its own records say. By default the
reference sends what it was asked for. Where OCPP 1.6 leaves the CSMS a
choice, ``[embedded.options]`` of the CSMS profile selects another allowed
form, so the self-tests prove the cases accept each:

========================  ====================================================
option                    the allowed behaviour it selects
========================  ====================================================
``own_ids``               ``true``: the CSMS numbers reservations and charging
                          profiles itself (its own ``reservationId`` and
                          ``chargingProfileId``), not as proposed
``local_list_version_first``  ``true``: before a SendLocalList the CSMS asks
                          GetLocalListVersion and sends the list one version
                          above the station's (TC_043_5_CSMS steps 1-2)
``omit_default_phases``   ``true``: a charging schedule period on three phases
                          leaves ``numberPhases`` out (3 is the default)
========================  ====================================================

The CSMS also remembers what it sent: the reservations it made and the
charging profiles it set, per station (:class:`Records16`).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.errors import ConfigurationError

__all__ = ["OPTIONS", "Records16", "RequestChoices", "complete_request_v16"]

#: The ``[embedded.options]`` keys this module reads.
OPTIONS = ("own_ids", "local_list_version_first", "omit_default_phases")

#: Sends a request to the station and returns its answer's payload.
Ask = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class RequestChoices:
    """The CSMS's allowed choices in building requests (see the module docstring)."""

    own_ids: bool = False
    local_list_version_first: bool = False
    omit_default_phases: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> RequestChoices:
        """Read the choices; a value that is not a boolean is a ConfigurationError."""
        values: dict[str, bool] = {}
        for key in OPTIONS:
            value = options.get(key, False)
            if not isinstance(value, bool):
                raise ConfigurationError(
                    f"[embedded.options] {key} must be true or false, not {value!r}",
                    field=f"embedded.options.{key}",
                )
            values[key] = value
        return cls(**values)


@dataclass
class Records16:
    """What the CSMS sent a station: reservations and charging profiles by id.

    Attributes:
        reservations: ReserveNow payloads by ``reservationId``.
        profiles: charging profiles (with their connector) by ``chargingProfileId``.
    """

    reservations: dict[int, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[int, dict[str, Any]] = field(default_factory=dict)

    def clear_profiles(self, request: Mapping[str, Any]) -> None:
        """Forget the profiles a ClearChargingProfile names (by id, or by its criteria)."""
        if "id" in request:
            self.profiles.pop(int(request["id"]), None)
            return
        criteria = {
            key: request[key]
            for key in ("connectorId", "chargingProfilePurpose", "stackLevel")
            if key in request
        }
        for known, profile in list(self.profiles.items()):
            if all(profile.get(key) == value for key, value in criteria.items()):
                del self.profiles[known]


# One numbering for every station, as a CSMS's database gives.
_IDS = itertools.count(1)


def _phases(profile: dict[str, Any]) -> None:
    for period in profile.get("chargingSchedule", {}).get("chargingSchedulePeriod", []):
        if period.get("numberPhases") == 3:
            del period["numberPhases"]


def _profile(request: dict[str, Any], key: str, choices: RequestChoices) -> None:
    profile = request.get(key)
    if not isinstance(profile, dict):
        return
    if choices.own_ids:
        profile["chargingProfileId"] = next(_IDS)
    if choices.omit_default_phases:
        _phases(profile)


async def complete_request_v16(
    records: Records16,
    choices: RequestChoices,
    action: str,
    payload: dict[str, Any],
    ask: Ask,
) -> dict[str, Any]:
    """The request the CSMS sends for ``action`` (a copy of ``payload``, as chosen).

    Args:
        records: what the CSMS sent this station before (updated).
        choices: the allowed forms the CSMS takes.
        action: the request.
        payload: what the operator asked for (schema-valid).
        ask: sends a preliminary request (GetLocalListVersion) to the station.
    """
    request = copy.deepcopy(payload)
    if action == "ReserveNow":
        if choices.own_ids:
            request["reservationId"] = next(_IDS)
        records.reservations[int(request["reservationId"])] = request
    elif action == "CancelReservation":
        records.reservations.pop(int(request["reservationId"]), None)
    elif action == "SetChargingProfile":
        _profile(request, "csChargingProfiles", choices)
        profile = request["csChargingProfiles"]
        records.profiles[int(profile["chargingProfileId"])] = {
            "connectorId": request["connectorId"],
            **profile,
        }
    elif action == "ClearChargingProfile":
        records.clear_profiles(request)
    elif action == "RemoteStartTransaction":
        _profile(request, "chargingProfile", choices)
    elif action == "SendLocalList" and choices.local_list_version_first:
        answer = await ask("GetLocalListVersion", {})
        version = answer.get("listVersion")
        if isinstance(version, int) and request["updateType"] == "Differential":
            request["listVersion"] = max(version, 0) + 1
    return request
