"""Wire mutants of the reference CSMS for the 2.0.1 network-profile cases (B09).

Each breaks one tool validation of a ``_CSMS`` case on the SetNetworkProfile
the CSMS sends when triggered, with values the schema allows.
"""

from __future__ import annotations

from typing import Any

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set

__all__ = ["V201_NETWORK_MUTANTS"]


def _next_slot(slot: Any) -> Any:
    return int(slot) + 1


_WRONG_SLOT = Set(("configurationSlot",), _next_slot)

V201_NETWORK_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "network_profile_wrong_slot",
        "puts a triggered SetNetworkProfile in the next configurationSlot (+ 1)",
        lambda _a, _side: [
            Rule(CALL, "SetNetworkProfile", Set(("configurationSlot",), _next_slot))
        ],
    ),
)
