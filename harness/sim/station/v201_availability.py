"""Availability and reset details of the 2.0.1 reference station (G03, G04, B11, B12).

* A ChangeAvailability to the state the target already has is Accepted and
  the target's connectors are reported again (the catalogue's TC_G_13 waits
  for that report); the setting survives a reboot (G03.FR.06, G04.FR.06: the
  station keeps it in its memory, which :class:`Station201` does not clear).
* A station-wide Inoperative while a transaction runs is ``Scheduled``: the
  EVSEs without a transaction go Unavailable at once, the others once their
  transaction ends.
* With the PICS flag ``reset_evse`` in ``[dut].features`` the station resets
  one EVSE on request: at once (Immediate, or OnIdle
  when the EVSE is idle), ending its transaction with ``ImmediateReset``, or
  ``Scheduled`` until its transaction ends. The EVSE restarts on its own: the
  connection stays up and its connectors are reported again. Without the
  flag a Reset naming an EVSE is ``Rejected``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.sim.station.base import Handled
from harness.sim.station.v201_state import Evse201

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = [
    "EVSE_RESET_FLAG",
    "after_transaction",
    "already",
    "forget_on_power_off",
    "reset_evse",
    "station_scheduled",
]

#: The PICS flag that says the station resets a single EVSE.
EVSE_RESET_FLAG = "reset_evse"


def _rejected(reason: str) -> dict[str, Any]:
    return {"status": "Rejected", "statusInfo": {"reasonCode": reason}}


def already(st: Station201, evse_id: int, connector_id: int | None, operative: bool) -> bool:
    """Whether the target of a ChangeAvailability already has the requested setting."""
    if evse_id == 0:
        return st.station_operative == operative
    evse = st.evses[evse_id]
    if connector_id is None:
        return evse.operative == operative
    return evse.connectors[connector_id].operative == operative


def station_scheduled(st: Station201) -> None:
    """A station-wide Inoperative waits for transactions: idle EVSEs go Unavailable now."""
    st.going_inoperative = {e.id for e in st.evses.values() if e.tx is None}

    async def report() -> None:
        for evse_id in sorted(st.going_inoperative):
            for connector in st.evses[evse_id].connectors.values():
                await st.reports.connector(connector)

    st.react(report, "station inoperative soon")


def forget_on_power_off(st: Station201) -> None:
    """The ``forget_availability`` mutant loses its availability settings with the power."""
    if not st.faults.on("forget_availability"):
        return
    st.station_operative = True
    for evse in st.evses.values():
        evse.operative = True
        for connector in evse.connectors.values():
            connector.operative = True


def reset_evse(st: Station201, evse_id: int, kind: str) -> Handled:
    """B11/B12 for one EVSE: Accepted (now), Scheduled (after its transaction), or Rejected."""
    if EVSE_RESET_FLAG not in st.dut.features:
        return Handled(_rejected("UnsupportedRequest"))
    evse = st.evses.get(evse_id)
    if evse is None:
        return Handled(_rejected("UnknownEvse"))
    if kind == "OnIdle" and evse.tx is not None:
        st.evse_resets.add(evse_id)
        return Handled({"status": "Scheduled"})

    async def restart() -> None:
        await _restart(st, evse)

    return Handled({"status": "Accepted"}, after=st.later(restart, "reset EVSE"))


async def _restart(st: Station201, evse: Evse201) -> None:
    st.evse_resets.discard(evse.id)
    await st.tx.end(evse, "ResetCommand", "ImmediateReset")
    for connector in evse.connectors.values():
        await st.reports.connector(connector, force=True)


async def after_transaction(st: Station201, evse: Evse201) -> None:
    """A transaction ended: a scheduled reset of its EVSE is due now."""
    if evse.id in st.evse_resets and evse.tx is None:
        await _restart(st, evse)
