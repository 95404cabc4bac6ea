"""The OCPP 2.0.1 reference charging station.

:class:`Station201` is a correct 2.0.1 station for the harness to test itself
against (and a station simulator for CSMS developers). It boots, beats,
reports the availability of every connector, authorizes cards and remote
starts, runs transactions by ``TxStartPoint``/``TxStopPoint``, and serves the
device model. Its physical inputs (cable, EV state, card reader, mains, faults)
are the :class:`~harness.rig.StationInputs` API that the ``sim`` rig drives.

Physical inputs change the state at once and queue the station's reaction;
one worker runs the reactions in order, once the boot is accepted, so the
messages follow the physical events in the order they happened. See
``docs/station-simulator-2.0.1.md`` for the behaviour and the device model.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from harness.errors import ConfigurationError, TransportError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.clock import utc_now
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.sim.station import v201_availability as availability
from harness.sim.station.base import CallRejected, FollowUp, Handled, StationBase
from harness.sim.station.v201_auth import AuthCache, present_card, watch_connection_timeout
from harness.sim.station.v201_cable import cable_left_behind, cable_removed
from harness.sim.station.v201_certificates import certificates_for, open_tls
from harness.sim.station.v201_device_model import DeviceModel
from harness.sim.station.v201_ev_side import ev_side_stopped_reason
from harness.sim.station.v201_handlers import dispatch
from harness.sim.station.v201_invalid_id import InvalidIdPolicy
from harness.sim.station.v201_mutants import (
    BEHAVIOUR_KNOBS,
    EV_STATES,
    MUTANTS,
    check_behaviour,
)
from harness.sim.station.v201_network import Network201
from harness.sim.station.v201_offline import OfflineLink
from harness.sim.station.v201_parking import parking_bay
from harness.sim.station.v201_reports import Reports
from harness.sim.station.v201_state import FAULTS, Connector201, Evse201
from harness.sim.station.v201_transactions import TxEngine
from harness.sim.station.v201_transfers import Transfers201
from harness.sim.station.v201_tx_queue import TxQueue
from harness.sim.station.v201_user_interface import UserInterface
from harness.sim.station.v201_variables import device_model_for

__all__ = ["Station201"]

logger = logging.getLogger("harness.sim.station.v201")

Work = Callable[[], Awaitable[None]]


class Station201(StationBase):
    """The OCPP 2.0.1 reference station; fault knobs turn it into a mutant.

    The knobs are data in :mod:`harness.sim.station.v201_mutants`: wire
    mutants the mutation layer applies, and the behaviour knobs read here
    (each with why it cannot be said on the wire).
    """

    KNOWN_FAULTS = frozenset(name.partition(":")[0] for name in BEHAVIOUR_KNOBS)
    WIRE_MUTANTS = MUTANTS

    def __init__(self, dut: DutProfile, *, csms_url: str) -> None:
        super().__init__(dut, csms_url=csms_url)
        check_behaviour(dut.embedded.faults if dut.embedded else ())
        self.options: dict[str, Any] = dict(dut.embedded.options) if dut.embedded else {}
        self.ev_side_reason = ev_side_stopped_reason(self.options)
        self.evses: dict[int, Evse201] = {
            e.id: Evse201(e.id, {c: Connector201(e.id, c) for c in e.connectors}) for e in dut.evses
        }
        self.dm: DeviceModel = device_model_for(dut, self.options)
        self.cache = AuthCache(disabled=self.faults.on("cache_disabled"))
        self.tx = TxEngine(self)
        self.txq = TxQueue(self)
        self.reports = Reports(self)
        self.transfers = Transfers201(self)
        self.offline = OfflineLink(self)
        self.invalid_id = InvalidIdPolicy(self)
        self.station_operative = True
        self.registration: str | None = None
        self.reset_pending = False
        self.pending_availability: dict[tuple[int, int | None], bool] = {}
        #: EVSEs Unavailable ahead of a station-wide Inoperative that waits for a transaction.
        self.going_inoperative: set[int] = set()
        #: EVSEs whose OnIdle reset waits for their transaction to end.
        self.evse_resets: set[int] = set()
        self.event_ids = itertools.count(1)
        self._boot_reason = "PowerUp"
        self._boot_wake = asyncio.Event()
        self._ready = asyncio.Event()
        self._reactions: asyncio.Queue[tuple[str, Work]] = asyncio.Queue()
        self._reboot: asyncio.Task[None] | None = None
        self.network = Network201(self, dut.timing.retry_backoff_wait_minimum)
        self.ui = UserInterface(self)
        self.certificates = certificates_for(self)

    # -- helpers used by the other modules ------------------------------------------

    def timestamp(self) -> str:
        """Now, as the station writes it."""
        return utc_now()

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Send a request (through the mutation layer); None when the CSMS could not answer."""
        if self.txq.keep(action, payload):
            return None  # QueueAllMessages: offline, it goes with the queue once back
        try:
            reply: dict[str, Any] = await self.send(action, payload)
        except (CallRejected, TimeoutError, TransportError, ChannelClosed) as error:
            logger.info("station %s: %s failed: %s", self.dut.identity, action, error)
            return None
        return reply

    def react(self, work: Work, label: str = "") -> None:
        """Queue the station's reaction to an event (runs once the boot is accepted)."""
        if self.powered:
            self._reactions.put_nowait((label, work))

    def later(self, work: Work, label: str) -> FollowUp:
        """A handler follow-up that queues ``work`` once the answer is sent."""

        async def queue() -> None:
            self.react(work, label)

        return queue

    def operative(self, evse: Evse201) -> bool:
        return self.station_operative and evse.operative and evse.id not in self.going_inoperative

    def busy(self, evse_id: int | None = None) -> bool:
        """Whether a transaction runs (on ``evse_id``, or anywhere)."""
        return any(e.tx is not None for e in self.evses.values() if evse_id in (None, e.id))

    def watch_connection_timeout(self, evse: Evse201) -> None:
        """E03: drop an authorization whose cable does not come within EVConnectionTimeOut."""
        watch_connection_timeout(self, evse)

    def _connector(self, evse: int, connector: int) -> Connector201:
        found = self.evses.get(evse)
        if found is None or connector not in found.connectors:
            raise ConfigurationError(
                f"the station has no connector {connector} on EVSE {evse}", field="evse"
            )
        return found.connectors[connector]

    # -- power and boot -------------------------------------------------------------------

    async def _connect(self, url: str | None = None) -> None:
        """B10: connect by NetworkConfigurationPriority, reconnecting after a loss."""

        async def open_url(target: str) -> None:
            if not target.startswith("wss://"):
                await self.open_connection(target, None)
                return
            await open_tls(self, target)

        await self.network.connect(open_url)

    def on_power_on(self) -> None:
        self._reactions = asyncio.Queue()
        self._ready = asyncio.Event()
        self._boot_wake = asyncio.Event()
        self.registration = None

    def on_power_off(self) -> None:
        for evse in self.evses.values():
            if evse.tx is not None:
                evse.tx.interrupted = True
            evse.auth = None
            for connector in evse.connectors.values():
                connector.reported = None
            self.tx.forget(evse)
        availability.forget_on_power_off(self)

    def schedule_reboot(self, reason: str) -> None:
        """Reboot outside the station's own tasks (power off cancels those)."""
        self._boot_reason = reason
        self._reboot = asyncio.get_running_loop().create_task(self.reboot())

    async def stop(self) -> None:
        if self._reboot is not None and not self._reboot.done():
            with contextlib.suppress(Exception):
                await self._reboot
        await super().stop()

    async def boot_sequence(self) -> None:
        """B01-B03: boot until accepted, then report every connector and beat."""
        self.spawn(self._reaction_loop(), life=True)
        reason, self._boot_reason = self._boot_reason, "PowerUp"
        retry = float(str(self.options.get("boot_retry_interval", 2)))
        while True:
            reply = await self.call("BootNotification", self.reports.boot_payload(reason))
            if reply is None:
                await asyncio.sleep(retry)
                continue
            self.registration = reply["status"]
            if reply["status"] == "Accepted":
                break
            if self.faults.on("boot_no_retry"):
                return
            if reply["status"] == "Rejected" and self.faults.on("send_while_rejected"):
                await self.call("Heartbeat", {})
            wait = float(reply["interval"]) or retry
            wait = self.variants.timer(wait)
            if self.faults.on("boot_retry_early"):
                wait = 0.2
            self._boot_wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._boot_wake.wait()
                    reason = "Triggered"
        self.accepted = True
        if reply["interval"] > 0:
            self.heartbeat_interval = float(reply["interval"])
            self.dm.update("OCPPCommCtrlr", "HeartbeatInterval", str(reply["interval"]))
        await self.reports.all_connectors()
        kind = "StartupOfTheDevice" if reason == "PowerUp" else "ResetOrReboot"
        await self.call("SecurityEventNotification", {"type": kind, "timestamp": self.timestamp()})
        for evse in self.evses.values():
            if evse.tx is not None and evse.tx.interrupted:
                await self.tx.end(evse, "AbnormalCondition", "PowerLoss")
        self._ready.set()
        self.spawn(self.txq.drain(), life=True)  # E04: what a reboot kept in the queue
        self.spawn(self.heartbeat_loop(), life=True)

    async def wait_ready(self, timeout: float) -> None:
        """Wait until the boot is accepted and the connectors are reported.

        Raises:
            TimeoutError: not within ``timeout`` seconds.
        """
        async with asyncio.timeout(timeout):
            await self._ready.wait()

    def wake_boot(self) -> None:
        """TriggerMessage(BootNotification) while Pending: boot again now."""
        self._boot_wake.set()

    async def _reaction_loop(self) -> None:
        while True:
            label, work = await self._reactions.get()
            await self._ready.wait()
            try:
                await work()
            except (TransportError, ChannelClosed):
                logger.info("station %s: %s cut short by the connection", self.dut.identity, label)
            except Exception as error:  # a simulator bug must surface, not vanish
                logger.exception("station %s: reaction %s failed", self.dut.identity, label)
                self.errors.append(error)

    # -- availability, transactions ending, reset --------------------------------------------

    async def set_operative(self, evse_id: int, connector_id: int | None, operative: bool) -> None:
        """G01-G04: apply an operational status and report what changed."""
        value = "Available" if operative else "Unavailable"
        if evse_id == 0:
            self.station_operative = operative
            self.going_inoperative.clear()
            await self.reports.component_state({"name": "ChargingStation"}, value)
            evses = list(self.evses.values())
        else:
            evse = self.evses[evse_id]
            evses = [evse]
            if connector_id is None:
                evse.operative = operative
                await self.reports.component_state({"name": "EVSE", "evse": {"id": evse_id}}, value)
            else:
                evse.connectors[connector_id].operative = operative
        for evse in evses:
            for connector in evse.connectors.values():
                if connector_id in (None, connector.id):
                    # reported even when unchanged: the CSMS asked about these connectors
                    await self.reports.connector(connector, force=True)
            await self.tx.changed(evse, "ChargingStateChanged")

    async def after_transaction(self, evse: Evse201) -> None:
        """Apply what waited for a transaction to end: availability, an OnIdle reset."""
        for (evse_id, connector_id), operative in list(self.pending_availability.items()):
            if not self.busy(evse_id or None):
                del self.pending_availability[(evse_id, connector_id)]
                await self.set_operative(evse_id, connector_id, operative)
        await availability.after_transaction(self, evse)
        if self.reset_pending and not self.busy():
            self.reset_pending = False
            self.schedule_reboot("ScheduledReset")

    async def reset_now(self) -> None:
        """B11/B12: end every transaction (ImmediateReset) and reboot."""
        self.reset_pending = False
        for evse in self.evses.values():
            await self.tx.end(evse, "ResetCommand", "ImmediateReset")
        self.schedule_reboot("RemoteReset")

    # -- CSMS requests ------------------------------------------------------------------------

    async def _dispatch(self, incoming: IncomingCall) -> None:
        if self.registration != "Accepted":
            # Frames count in wire order: the answer to our BootNotification read just
            # before this request sets the registration it is answered in, once the boot
            # task, woken by that answer, has had its turns of the loop.
            for _ in range(3):
                await asyncio.sleep(0)
        await super()._dispatch(incoming)

    def handle(self, incoming: IncomingCall) -> Handled:
        return dispatch(self, incoming)

    # -- physical inputs (StationInputs) -------------------------------------------------------

    async def plug_in(self, evse: int, connector: int) -> None:
        plug = self._connector(evse, connector)
        if plug.plugged:
            return
        plug.plugged, plug.ev_state = True, "B"
        plug.cable_left, plug.locked_for = False, None  # the EV is back on its cable

        async def react() -> None:
            await self.reports.connector(plug)
            await self.tx.changed(self.evses[evse], "CablePluggedIn")

        self.react(react, "cable plugged in")

    async def plug_out(self, evse: int, connector: int) -> None:
        plug = self._connector(evse, connector)
        if plug.cable_left and not plug.plugged:
            await cable_removed(self, plug)
            return
        await self._disconnected(evse, connector, ev_side=False)

    async def _disconnected(self, evse: int, connector: int, *, ev_side: bool) -> None:
        """The EV and the EVSE part, at the station (cable out) or at the EV (CP state A).

        E10: on the EV side, ``TxCtrlr.StopTxOnEVSideDisconnect`` true withdraws
        the authorization too (stoppedReason ``EVDisconnected``); either way
        the transaction ends when ``EVConnected`` is a stop point.
        """
        plug = self._connector(evse, connector)
        if not plug.plugged:
            return
        plug.plugged, plug.ev_state = False, "A"
        target = self.evses[evse]
        if ev_side:
            cable_left_behind(self, plug, target)

        async def react() -> None:
            await self.reports.connector(plug)
            deauthorize = ev_side and (
                self.dm.flag("TxCtrlr", "StopTxOnEVSideDisconnect")
                or self.faults.on("ev_side_disconnect_stops")
            )
            if deauthorize and target.tx is not None and target.auth is not None:
                target.auth = None
                target.tx.stop_cause = target.tx.stop_cause or "EVDisconnected"
            reason = self.ev_side_reason if ev_side else "EVDisconnected"
            await self.tx.changed(target, "EVCommunicationLost", reason)
            if ev_side and not deauthorize and "fixed_cable" in self.dut.features:
                # E10: a fixed cable may come back to the EV within EVConnectionTimeOut.
                self.watch_connection_timeout(target)

        self.react(react, "EV disconnected at the EV" if ev_side else "cable unplugged")

    async def set_ev_state(self, evse: int, connector: int, state: str) -> None:
        if state not in EV_STATES:
            raise ConfigurationError(f"unknown EV state {state!r}", field="ev_state")
        if self.faults.on("ignore_ev_state", state):
            return  # the mutant's control-pilot input misses this state
        if state == "A":
            await self._disconnected(evse, connector, ev_side=True)
            return
        plug = self._connector(evse, connector)
        if not plug.plugged:
            await self.plug_in(evse, connector)
        plug.ev_state = state

        async def react() -> None:
            await self.tx.changed(self.evses[evse], "ChargingStateChanged", "StoppedByEV")

        self.react(react, f"EV state {state}")

    async def present_card(self, token: str, evse: int | None = None) -> None:
        async def react() -> None:
            await present_card(self, token, evse)

        self.react(react, "card presented")

    async def ui_stop(self, evse: int | None = None) -> None:
        """C16: on the user interface, select to stop the transaction on ``evse`` (None: all)."""

        async def react() -> None:
            await self.ui.select_stop(evse)

        self.react(react, "stop selected on the user interface")

    async def set_parking_bay(self, evse: int, connector: int, occupied: bool) -> None:
        await parking_bay(self, evse, connector, occupied)

    async def inject_fault(self, fault: str, evse: int, connector: int) -> None:
        report = FAULTS.get(fault)
        if report is None:
            raise ConfigurationError(f"the station cannot simulate fault {fault!r}", field="fault")
        plug = self._connector(evse, connector)
        plug.faults.add(fault)

        async def react() -> None:
            await self.reports.problem(plug, report.component, True)
            await self.reports.connector(plug)
            target = self.evses[evse]
            if report.stopped_reason is not None and target.tx is not None:
                await self.tx.end(target, "AbnormalCondition", report.stopped_reason)
            else:
                await self.tx.changed(target, "ChargingStateChanged")

        self.react(react, f"fault {fault}")

    async def clear_fault(self, fault: str, evse: int, connector: int) -> None:
        report = FAULTS.get(fault)
        plug = self._connector(evse, connector)
        if report is None or fault not in plug.faults:
            return
        plug.faults.discard(fault)

        async def react() -> None:
            await self.reports.problem(plug, report.component, False)
            await self.reports.connector(plug)
            await self.tx.changed(self.evses[evse], "ChargingStateChanged")

        self.react(react, f"fault {fault} cleared")
