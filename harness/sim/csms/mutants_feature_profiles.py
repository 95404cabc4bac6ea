"""The reference CSMS's wire mutants for the 1.6 optional feature profiles.

Local Auth List Management, Firmware Management, Reservation, Remote Trigger
and Smart Charging: each mutant changes one field of a request the CSMS sends
when triggered, so that it breaks one tool validation of a ``_CSMS`` case
(the wrong update type, connector, purpose, ...). They join
:data:`harness.sim.csms.mutants.MUTANTS` with one line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.ocppj.clock import parse_time
from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Rule, Set, Unset

__all__ = ["FEATURE_PROFILE_MUTANTS"]

#: How much later ``reserve_late_expiry`` moves a reservation's expiryDate.
LATE_EXPIRY = timedelta(hours=1)


def _flip(first: str, second: str) -> Any:
    return lambda current: second if current == first else first


def _other_tag(current: Any) -> str:
    token = str(current or "")
    return ("X" + token)[:20] if not token.startswith("X") else ("Y" + token[1:])[:20]


def _later(current: Any) -> str:
    try:
        when = parse_time(str(current))
    except ValueError:
        when = datetime.now(UTC)
    return (when + LATE_EXPIRY).isoformat(timespec="seconds").replace("+00:00", "Z")


def _elsewhere(current: Any) -> str:
    return str(current).rstrip("/") + "/elsewhere.bin"


def _one(action: str, op: Set | Unset) -> Any:
    return lambda _a, _side: [Rule(CALL, action, op)]


_PURPOSE = ("csChargingProfiles", "chargingProfilePurpose")

#: Requests of the optional feature profiles, each with one field wrong.
FEATURE_PROFILE_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "local_list_wrong_update_type",
        "sends SendLocalList with the other `updateType` (Full for Differential and back)",
        _one("SendLocalList", Set(("updateType",), _flip("Full", "Differential"))),
    ),
    WireMutant(
        "local_list_without_id_tag_info",
        "leaves the `idTagInfo` out of the first entry of a SendLocalList (a removal)",
        _one("SendLocalList", Unset(("localAuthorizationList", 0, "idTagInfo"))),
    ),
    WireMutant(
        "firmware_wrong_location",
        "sends UpdateFirmware with another `location` than it was asked for",
        _one("UpdateFirmware", Set(("location",), _elsewhere)),
    ),
    WireMutant(
        "reserve_wrong_connector",
        "reserves the next connector (`connectorId` + 1) in ReserveNow",
        _one("ReserveNow", Set(("connectorId",), lambda current: int(current) + 1)),
    ),
    WireMutant(
        "reserve_connector_zero",
        "reserves the whole charge point (`connectorId` 0) in ReserveNow",
        _one("ReserveNow", Set(("connectorId",), 0)),
    ),
    WireMutant(
        "reserve_wrong_id_tag",
        "reserves for another `idTag` in ReserveNow than it was asked for",
        _one("ReserveNow", Set(("idTag",), _other_tag)),
    ),
    WireMutant(
        "reserve_late_expiry",
        "sends ReserveNow with an `expiryDate` an hour later than it was asked for",
        _one("ReserveNow", Set(("expiryDate",), _later)),
    ),
    WireMutant(
        "cancel_wrong_reservation",
        "names another `reservationId` (+ 1000) in CancelReservation",
        _one("CancelReservation", Set(("reservationId",), lambda current: int(current) + 1000)),
    ),
    WireMutant(
        "cancel_previous_reservation",
        "names the reservation before the one asked for (`reservationId` - 1) in CancelReservation",
        _one("CancelReservation", Set(("reservationId",), lambda current: int(current) - 1)),
    ),
    WireMutant(
        "authorize_other_parent",
        "answers Authorize with another `parentIdTag` than the token's group",
        lambda _a, _side: [Rule(REPLY, "Authorize", Set(("idTagInfo", "parentIdTag"), _other_tag))],
    ),
    WireMutant(
        "trigger_wrong_message",
        "asks for a BootNotification in every TriggerMessage",
        _one("TriggerMessage", Set(("requestedMessage",), "BootNotification")),
    ),
    WireMutant(
        "profile_wrong_purpose",
        "sends SetChargingProfile with the other purpose (TxProfile for TxDefaultProfile and back)",
        _one("SetChargingProfile", Set(_PURPOSE, _flip("TxDefaultProfile", "TxProfile"))),
    ),
    WireMutant(
        "remote_start_profile_transaction_id",
        "puts a `transactionId` into the charging profile of RemoteStartTransaction",
        _one("RemoteStartTransaction", Set(("chargingProfile", "transactionId"), 1)),
    ),
    WireMutant(
        "composite_wrong_unit",
        "asks GetCompositeSchedule in the other `chargingRateUnit` (W for A and back)",
        _one("GetCompositeSchedule", Set(("chargingRateUnit",), _flip("A", "W"))),
    ),
    WireMutant(
        "clear_profile_whole_station",
        "adds `connectorId` 0 to a ClearChargingProfile that names no connector",
        _one(
            "ClearChargingProfile",
            Set(("connectorId",), lambda current: 0 if current is None else current),
        ),
    ),
)
