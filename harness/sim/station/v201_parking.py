"""The parking bay occupancy sensor of the 2.0.1 reference station (E01.S1, E06.S1).

Each EVSE has a sensor that sees an EV standing in its parking bay. The bay
being occupied is the ``ParkingBayOccupancy`` condition of
``TxCtrlr.TxStartPoint`` / ``TxStopPoint``: an EV arriving starts a
transaction there (triggerReason ``EVDetected``), an EV leaving ends it
(``EVDeparted``; the stoppedReason of the authorization that ended before,
``Local`` or ``Remote``, else ``EVDisconnected``). Elsewhere in a running
transaction an arrival or departure is reported as an Updated event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["parking_bay"]


async def parking_bay(st: Station201, evse: int, connector: int, occupied: bool) -> None:
    """The sensor of ``evse``'s bay sees an EV arrive (``occupied``) or leave."""
    st._connector(evse, connector)  # a bay the profile does not have is a configuration error
    target = st.evses[evse]
    if target.bay_occupied == occupied or st.faults.on("ignore_parking_bay"):
        return
    target.bay_occupied = occupied
    trigger = "EVDetected" if occupied else "EVDeparted"

    async def react() -> None:
        await st.tx.changed(target, trigger, "EVDisconnected")

    st.react(react, f"EV {'in' if occupied else 'out of'} the parking bay")
