"""Fault knobs of the 2.0.1 reference station's network connection (B09, B10, Part 4 5.3).

Added to the tables of :mod:`harness.sim.station.v201_mutants` with one line each.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import REPLY, Answer, Rule

__all__ = ["NETWORK_KNOBS", "NETWORK_MUTANTS"]

#: Wire mutants: answers the station gives to the CSMS's network requests.
NETWORK_MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "accept_network_profile",
        "answers every SetNetworkProfile `Accepted`, whatever its slot or data, and stores nothing",
        lambda _a, _side: [Rule(REPLY, "SetNetworkProfile", Answer({"status": "Accepted"}))],
    ),
)

#: Behaviour knobs: what each does — why it is not a wire rule.
NETWORK_KNOBS: dict[str, str] = {
    "reconnect_at_once": "reconnects at once after losing its connection, without the "
    "RetryBackOffWaitMinimum back-off — a timer before a connection attempt, not a message",
    "ignore_network_priority": "accepts a new NetworkConfigurationPriority but keeps connecting "
    "with the profile it used before — which endpoint it connects to is no message",
    "backoff_not_doubled": "waits RetryBackOffWaitMinimum before every reconnection attempt, "
    "never doubling it — a timer before a connection attempt, not a message",
}
