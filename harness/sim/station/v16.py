"""The OCPP 1.6 reference charge point: :class:`Station16`.

The station is built in layers, one concept per module:

* :mod:`~harness.sim.station.v16_core` — state, boot, heartbeat, status;
* :mod:`~harness.sim.station.v16_transactions` — authorization cache,
  transactions, meter values;
* :mod:`~harness.sim.station.v16_handlers` — the Central System's requests;
* :mod:`~harness.sim.station.v16_smart_charging` — charging profiles (Smart Charging);
* :mod:`~harness.sim.station.v16_reservations` — ReserveNow, CancelReservation;
* this module — the physical inputs (the :class:`~harness.rig.StationInputs`
  API the ``sim`` rig drives): cable, EV state, card reader, mains, faults.

Connector ids come from the DUT profile (in 1.6 the EVSE id equals the
connector id); connector 0 is the charge point as a whole. Behaviour, the
configuration keys and every fault knob are described in
``docs/station-simulator-1.6.md``.

Fault knobs (``[embedded].faults`` of the profile) are data in
:mod:`harness.sim.station.v16_mutants`: wire mutants applied by the mutation
layer between the station and its connection, and the behaviour knobs read
here and in the other layers, each with why a wire rule cannot say it.

With the PICS flag ``backup_power`` in the profile's ``[dut].features`` the
charge point stops its transactions (``PowerLoss``) before it goes down when
the mains fail (rig ``power(False)`` or the ``power_loss`` fault).
"""

from __future__ import annotations

from typing import Any

from harness.sim.station.v16_connectors import CHARGE_POINT_FAULTS, Connector
from harness.sim.station.v16_firmware import Station16Firmware
from harness.sim.station.v16_handlers import Station16Handlers
from harness.sim.station.v16_local_list import Station16LocalList
from harness.sim.station.v16_offline import Station16Offline
from harness.sim.station.v16_reservations import Station16Reservations
from harness.sim.station.v16_smart_charging import Station16SmartCharging

__all__ = ["Station16"]

_EV_FAULTS = {"E": "ev_error", "F": "evse_error"}
_BLOCKING = ("Unavailable", "Faulted")


class Station16(
    Station16SmartCharging,
    Station16Reservations,
    Station16Firmware,
    Station16LocalList,
    Station16Offline,
    Station16Handlers,
):
    """The OCPP 1.6 reference charge point, with its physical inputs.

    Every input returns at once; the station reacts in the background, one
    reaction at a time and in the order the inputs came, as a real charge
    point's controller would.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._going_down = False  # a reboot or shutdown, not a mains failure

    def _blocking(self) -> tuple[str, ...]:
        """Statuses in which no transaction may start (``start_when_faulted`` allows Faulted)."""
        return ("Unavailable",) if self.faults.on("start_when_faulted") else _BLOCKING

    def _target(self, connector: int) -> Connector:
        found = self.connector(connector)
        if found is None:
            raise ValueError(f"the station has no connector {connector}")
        return found

    # -- cable and EV --------------------------------------------------------------

    async def plug_in(self, evse: int, connector: int) -> None:
        """Plug the cable in; the EV is connected but not yet charging (state B)."""
        target = self._target(connector)
        self.spawn(self.controlled(lambda: self._plugged(target, "B"))())

    async def plug_out(self, evse: int, connector: int) -> None:
        """Unplug the cable (the EV is gone: state A)."""
        target = self._target(connector)
        self.spawn(self.controlled(lambda: self._unplugged(target))())

    async def set_ev_state(self, evse: int, connector: int, state: str) -> None:
        """Set the control-pilot state: A gone, B connected, C/D charging, E/F error."""
        target = self._target(connector)
        if state == "A":
            work = lambda: self._ev_gone(target)  # noqa: E731
        elif state in _EV_FAULTS:
            work = lambda: self._fault(_EV_FAULTS[state], target, on=True)  # noqa: E731
        else:
            work = lambda: self._plugged(target, state)  # noqa: E731
        self.spawn(self.controlled(work)())

    async def _plugged(self, connector: Connector, state: str) -> None:
        for fault in _EV_FAULTS.values():
            connector.faults.discard(fault)
        first = not connector.plugged
        connector.plugged = True
        connector.ev_state = state
        usable = connector.status(self.cp_operative) not in self._blocking()
        tag = connector.authorized_tag
        if first and tag is not None and usable and self.accepted:
            await self.begin_transaction(connector, tag)
        else:
            await self.refresh()

    async def _ev_gone(self, connector: Connector) -> None:
        """Pilot state A: the EV is gone, the cable may still be in the socket (EV side out)."""
        for fault in _EV_FAULTS.values():
            connector.faults.discard(fault)
        connector.ev_state = "A"
        stops = self.config.boolean("StopTransactionOnEVSideDisconnect") or self.faults.on(
            "ev_disconnect_stops"
        )
        stops = stops and not self.faults.on("ignore_ev_disconnect")
        if connector.transaction is not None and stops:
            await self.end_transaction(connector, "EVDisconnected")
        else:
            await self.refresh()

    async def _unplugged(self, connector: Connector) -> None:
        connector.plugged = False
        connector.ev_state = "A"
        connector.finishing = False
        if connector.transaction is not None and self.config.boolean(
            "StopTransactionOnEVSideDisconnect"
        ):
            await self.end_transaction(connector, "EVDisconnected")
        else:
            await self.refresh()

    # -- card reader ----------------------------------------------------------------

    async def present_card(self, token: str, evse: int | None = None) -> None:
        """Hold a card to the reader (of one connector, when ``evse`` is given)."""
        self.spawn(self.controlled(lambda: self._card(token, evse))())

    def _card_target(self, evse: int | None) -> Connector | None:
        if evse is not None:
            return self.connector(evse)
        waiting = [c for c in self.connectors.values() if c.transaction is None]
        for connector in waiting:
            if connector.plugged and connector.status(self.cp_operative) == "Preparing":
                return connector
        for connector in waiting:
            if connector.status(self.cp_operative) == "Available":
                return connector
        return None

    async def _card(self, token: str, evse: int | None) -> None:
        if not self.accepted or "reader_failure" in self.cp_faults:
            return
        running = [c for c in self.connectors.values() if c.transaction is not None]
        for connector in running:
            transaction = connector.transaction
            if transaction is not None and transaction.id_tag == token:
                await self.end_transaction(connector, "Local", token)
                return
        target = self._card_target(evse)
        if target is not None and self._presented_again(target, token):
            await self.withdraw(target)
            return
        info = self.granted(target, token) or await self.authorize(token)
        if info is None or info.get("status") != "Accepted":
            if not self.faults.on("start_unauthorized"):
                return
            info = {}
        for connector in running:
            transaction = connector.transaction
            if transaction is not None and self._may_stop(connector, target, token, info):
                await self.end_transaction(connector, "Local", token)
                return
        if target is None or target.transaction is not None:
            return
        allowed: tuple[str, ...] = ("Available", "Preparing", "Finishing")
        if self.faults.on("start_when_faulted"):
            allowed = (*allowed, "Faulted")
        status = target.status(self.cp_operative)
        if status not in allowed and not (
            status == "Reserved" and self.reserved_for(target, token, info)
        ):
            return
        if target.plugged:
            await self.begin_transaction(target, token)
        else:
            target.authorized_tag = token
            await self.refresh()
            self.await_cable(target)

    def _presented_again(self, target: Connector, token: str) -> bool:
        """The idTag waiting for the cable is presented again: the driver withdraws it.

        The variant ``card_again_keeps`` keeps it waiting until ConnectionTimeOut instead
        (both are allowed: TC_061_CS step 3).
        """
        waiting = target.authorized_tag == token and not target.plugged
        return waiting and target.transaction is None and not self.variants.card_again_keeps

    def _may_stop(
        self, connector: Connector, target: Connector | None, token: str, info: dict[str, Any]
    ) -> bool:
        """Whether ``token``, accepted and presented at ``target``, stops this transaction."""
        transaction = connector.transaction
        if transaction is None:
            return False
        if self.faults.on("stop_with_any_tag") and target in (None, connector):
            return True
        return bool(info) and self.same_owner(transaction, token, info)

    # -- faults -------------------------------------------------------------------------

    async def inject_fault(self, fault: str, evse: int, connector: int) -> None:
        """Inject a rig fault; ``power_loss`` cuts the mains."""
        if fault == "power_loss":
            await self.power_off()
            return
        target = self._target(connector)
        if self.faults.on("ignore_fault", fault):
            return
        if fault == "lock_failure":
            target.faults.add(fault)  # the lock is blocked now: an UnlockConnector fails at once
        self.spawn(self.controlled(lambda: self._fault(fault, target, on=True))())

    async def clear_fault(self, fault: str, evse: int, connector: int) -> None:
        """Clear an injected fault; ``power_loss`` restores the mains."""
        if fault == "power_loss":
            await self.power_on()
            return
        target = self._target(connector)
        self.spawn(self.controlled(lambda: self._fault(fault, target, on=False))())

    async def _fault(self, fault: str, connector: Connector, *, on: bool) -> None:
        affected = [connector]
        if fault in CHARGE_POINT_FAULTS:
            (self.cp_faults.add if on else self.cp_faults.discard)(fault)
            affected = list(self.connectors.values()) if fault == "emergency_stop" else []
        for target in affected:
            (target.faults.add if on else target.faults.discard)(fault)
        if on:
            reason = "EmergencyStop" if fault == "emergency_stop" else "Other"
            for target in affected:
                await self.end_transaction(target, reason)
        await self.refresh()

    # -- mains ----------------------------------------------------------------------------

    @property
    def backup_power(self) -> bool:
        """The PICS flag ``backup_power``: transactions are stopped before a power loss."""
        return self.dut.supports("backup_power") and not self.faults.on("power_loss_abrupt")

    async def power_off(self) -> None:
        """Mains off; with backup power, stop every transaction (``PowerLoss``) first."""
        if self.powered and self.accepted and self.backup_power and not self._going_down:
            async with self._control:
                for connector in self.connectors.values():
                    await self.end_transaction(connector, "PowerLoss")
        await super().power_off()

    async def reboot(self) -> None:
        """A reset reboots the controller: no mains failure, so no backup-power stop."""
        self._going_down = True
        try:
            await super().reboot()
        finally:
            self._going_down = False

    async def stop(self) -> None:
        """Shut the simulator down without talking to the Central System any more."""
        self._going_down = True
        await super().stop()
