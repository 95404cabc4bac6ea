"""Wire mutants of the reference CSMS for the OCPP 1.6 Core cases (Central System under test).

Each breaks one tool validation of a Core ``_CSMS`` case in a request the
Central System sends when triggered: the Reset type, the keys GetConfiguration
asks for, the key or value ChangeConfiguration sets. They join
:data:`harness.sim.csms.mutants.MUTANTS`.
"""

from __future__ import annotations

from typing import Any

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, Rule, Set

__all__ = ["CORE_MUTANTS", "OTHER_KEY"]

#: The key the mutants put where the case asked for another one.
OTHER_KEY = "HeartbeatInterval"


def _other_reset(current: Any) -> str:
    return "Soft" if current == "Hard" else "Hard"


def _other_value(current: Any) -> str:
    return f"{current or ''}0"


#: The Core mutants of the reference CSMS.
CORE_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "reset_other_type",
        "sends Reset `Soft` when a `Hard` one was triggered, and `Hard` for `Soft`",
        lambda _a, _side: [Rule(CALL, "Reset", Set(("type",), _other_reset))],
    ),
    WireMutant(
        "get_configuration_other_key",
        f"asks GetConfiguration for `{OTHER_KEY}` whatever keys (or none) were triggered",
        lambda _a, _side: [Rule(CALL, "GetConfiguration", Set(("key",), [OTHER_KEY]))],
    ),
    WireMutant(
        "change_configuration_other_key",
        f"sends ChangeConfiguration for `{OTHER_KEY}` whatever key was triggered",
        lambda _a, _side: [Rule(CALL, "ChangeConfiguration", Set(("key",), OTHER_KEY))],
    ),
    WireMutant(
        "change_configuration_other_value",
        "sends ChangeConfiguration with a `0` appended to the triggered value (`60` becomes `600`)",
        lambda _a, _side: [Rule(CALL, "ChangeConfiguration", Set(("value",), _other_value))],
    ),
)
