"""Fault knobs of the 1.6 reference station's Smart Charging: wire mutants and behaviour knobs.

Added to the station's tables in :mod:`harness.sim.station.v16_mutants`.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import REPLY, Answer, Rule, Where

__all__ = ["SMART_CHARGING_BEHAVIOUR", "SMART_CHARGING_MUTANTS"]

_ACCEPT = Answer({"status": "Accepted"})
_PURPOSE = ("csChargingProfiles", "chargingProfilePurpose")
_REMOTE_PURPOSE = ("chargingProfile", "chargingProfilePurpose")

#: The Smart Charging wire mutants.
SMART_CHARGING_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "profile_ignored",
        "answers SetChargingProfile with purpose `<Purpose>` `Accepted` and installs nothing "
        "(a TxProfile too without, or for another, transaction)",
        lambda purpose, _side: [
            Rule(REPLY, "SetChargingProfile", _ACCEPT, (Where(_PURPOSE, purpose),))
        ],
        "<Purpose>",
    ),
    WireMutant(
        "clear_ignored",
        "answers ClearChargingProfile `Accepted` and clears nothing",
        lambda _a, _side: [Rule(REPLY, "ClearChargingProfile", _ACCEPT)],
    ),
    WireMutant(
        "remote_profile_any_purpose",
        "answers RemoteStartTransaction `Accepted` when its chargingProfile is not a TxProfile "
        "(and starts nothing)",
        lambda _a, _side: [
            Rule(REPLY, "RemoteStartTransaction", _ACCEPT, (Where(_REMOTE_PURPOSE, purpose),))
            for purpose in ("TxDefaultProfile", "ChargePointMaxProfile")
        ],
    ),
)

#: Smart Charging knobs a wire rule cannot say, each with (after ``—``) why.
SMART_CHARGING_BEHAVIOUR: dict[str, str] = {
    "stack_lowest_prevails": "lets the profile with the lowest stackLevel prevail in the "
    "composite schedule — which installed profile prevails is decided inside the station; "
    "the wire carries only the result",
    "remote_profile_ignored": "starts a remote transaction without installing the "
    "chargingProfile its RemoteStartTransaction carried — part of a request the station "
    "accepted; the mutation layer cannot take it out of the request",
}
