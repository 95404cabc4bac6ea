"""The detachable cable of the 2.0.1 reference station after the EV side disconnected (E10).

When the EV parts at its side, a detachable cable stays in the station's
socket: the connector is still ``Occupied`` until the cable is taken out at
the station. With ``OCPPCommCtrlr.UnlockOnEVSideDisconnect`` false the socket
keeps it locked for the idToken of the transaction: presenting that idToken
unlocks it (and authorizes nothing). A station with a fixed cable (the
``fixed_cable`` feature) has no socket: the connector is free at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_state import Connector201, Evse201

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["cable_left_behind", "cable_removed", "unlock_with"]


def cable_left_behind(st: Station201, plug: Connector201, evse: Evse201) -> None:
    """The EV left at its side: a detachable cable stays in the socket (locked, if configured)."""
    if "fixed_cable" in st.dut.features or st.faults.on("cable_gone_with_ev"):
        return
    plug.cable_left = True
    locked = not st.dm.flag("OCPPCommCtrlr", "UnlockOnEVSideDisconnect")
    plug.locked_for = evse.auth.id_token if locked and evse.auth is not None else None


async def cable_removed(st: Station201, plug: Connector201) -> None:
    """The cable left behind is taken out at the station: the connector is free."""

    async def react() -> None:
        # In turn with the inputs before it (an idToken presented to unlock the cable).
        plug.cable_left, plug.locked_for = False, None
        await st.reports.connector(plug)

    st.react(react, "cable taken out of the socket")


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a.get("idToken"), a.get("type")) == (b.get("idToken"), b.get("type"))


def unlock_with(st: Station201, id_token: dict[str, Any]) -> bool:
    """Whether ``id_token`` unlocks a cable left locked after an EV side disconnect."""
    for evse in st.evses.values():
        for plug in evse.connectors.values():
            locked = plug.locked_for
            if locked is not None and _same(locked, id_token):
                plug.locked_for = None
                return True
    return False
