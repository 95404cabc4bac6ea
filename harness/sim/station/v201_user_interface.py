"""The station's user interface: what a master-pass holder picks to stop (C16).

A station with a user interface (the PICS flag ``user_interface`` in
``[dut].features``) does not stop anything when a master pass is accepted: it
offers the holder the running transactions, and stops the one selected
(``ui_stop(evse)``) or all of them (``ui_stop(None)``), each with
``stoppedReason`` ``MasterPass``. A station without one stops every running
transaction at once (:func:`~harness.sim.station.v201_group_auth.master_pass`).
The offer lasts until a selection is made or another card is presented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_group_auth import stop_by_other_token

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["USER_INTERFACE_FLAG", "UserInterface"]

#: The PICS flag of a station with a user interface.
USER_INTERFACE_FLAG = "user_interface"


class UserInterface:
    """The screen of the station: the stop a master pass offers, until one is picked."""

    def __init__(self, station: Station201) -> None:
        self.station = station
        self._master: dict[str, Any] | None = None

    @property
    def present(self) -> bool:
        """Whether the station has a user interface (the profile's PICS flag)."""
        return USER_INTERFACE_FLAG in self.station.dut.features

    def offer_stop(self, id_token: dict[str, Any]) -> None:
        """A master pass was accepted: offer its holder the running transactions."""
        self._master = dict(id_token)

    def withdraw(self) -> None:
        """Another card came: the offer of the master pass before it is gone."""
        self._master = None

    async def select_stop(self, evse_id: int | None) -> None:
        """The holder picked the transaction on ``evse_id`` (None: all) to stop.

        Without an accepted master pass the screen offers no stop: nothing happens.
        The ``ui_stops_all`` knob stops every transaction whatever was picked.
        """
        st = self.station
        master, self._master = self._master, None
        if master is None:
            return
        every = evse_id is None or st.faults.on("ui_stops_all")
        for evse in st.evses.values():
            if (every or evse.id == evse_id) and evse.tx is not None and evse.auth is not None:
                await stop_by_other_token(st, evse, master, "MasterPass")
