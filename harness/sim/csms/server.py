"""The reference CSMS: a websocket server holding many stations, with a trigger API.

:class:`CsmsSimulator` listens (loopback by default) with the project's
:class:`~harness.transport.CsmsServer`; each station connection is an
engine :class:`~harness.ocppj.OcppConnection` whose CALLs the version's reply
policy answers. :meth:`CsmsSimulator.trigger` makes the CSMS send a request
to a connected station, as an operator would from a CSMS's user interface.

The reference stands on the engine alone: it never imports the judge (the
session, expectations, flows, default replies or roles), so the two cannot
share a wrong assumption (an import-linter contract keeps it so).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from harness.errors import ConfigurationError, HarnessError, UsageError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.connection import IncomingCall, OcppConnection
from harness.ocppj.replies import ErrorReply
from harness.ocppj.versions import OcppVersion, Role
from harness.profile import DutProfile, mask
from harness.sim.csms.faults import CsmsFaults
from harness.sim.csms.policy import Answer, CsmsOptions, CsmsPolicy
from harness.sim.csms.state import CsmsState, StationState
from harness.sim.csms.v16 import V16Policy, prepare_request_v16
from harness.sim.csms.v16_requests import Records16, RequestChoices, complete_request_v16
from harness.sim.csms.v201 import V201Policy, prepare_request_v201
from harness.sim.mutation import MutationLayer
from harness.trace import Trace
from harness.transport import WebsocketChannel
from harness.wiring import csms_server

__all__ = ["CsmsSimulator", "TriggerFailed", "is_loopback", "start_csms"]

logger = logging.getLogger("harness.sim.csms")


class TriggerFailed(HarnessError):
    """A triggered request could not be delivered or was not answered."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the local machine only (``localhost``, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class CsmsSimulator:
    """The reference CSMS for OCPP 1.6 and 2.0.1 (see the package docstring).

    Args:
        dut: a CSMS profile: version, tokens, timing, security profile,
            ``[embedded]`` faults and options.
        host: the address to bind; loopback unless ``allow_remote``.
        port: the TCP port; 0 picks a free one.
        allow_remote: permit a non-loopback ``host``.

    Raises:
        ConfigurationError: a non-loopback host, an unsupported version, or
            bad faults/options.
    """

    def __init__(
        self, dut: DutProfile, *, host: str = "127.0.0.1", port: int = 0, allow_remote: bool = False
    ) -> None:
        if dut.version not in (OcppVersion.V16, OcppVersion.V201):
            raise ConfigurationError(
                f"the reference CSMS speaks OCPP 1.6 and 2.0.1, not {dut.version.value}",
                field="dut.ocpp_version",
            )
        if not allow_remote and not is_loopback(host):
            raise ConfigurationError(
                f"the reference CSMS listens on loopback only, not {host!r}",
                field="connection.host",
            )
        embedded = dut.embedded
        self.dut = dut
        self.faults = CsmsFaults(embedded.faults if embedded else (), dut.version)
        self.options = CsmsOptions.from_profile(embedded.options if embedded else {})
        #: The allowed forms the 1.6 CSMS takes in building requests, and what it sent.
        self.choices16 = RequestChoices.from_options(embedded.options if embedded else {})
        self._records16: dict[str, Records16] = {}
        self.state = CsmsState(dut, accept_all=self.faults.on("authorize_all"))
        self._tasks: set[asyncio.Task[None]] = set()
        self._outboxes: dict[str, asyncio.Lock] = {}
        #: Per station connection: the mutation layer between the CSMS and the wire.
        self._layers: dict[str, MutationLayer] = {}
        #: Exceptions raised by the reference's own handlers (simulator bugs).
        self.errors: list[Exception] = []
        self.server = csms_server(dut, host=host, port=port, on_connect=self._serve)

    @property
    def url(self) -> str:
        """Where stations connect, without their identity, e.g. ``ws://127.0.0.1:9000/ocpp``."""
        return self.server.url

    @property
    def version(self) -> OcppVersion:
        return self.dut.version

    # -- life cycle -----------------------------------------------------------

    async def start(self) -> None:
        """Bind and serve. Raises TransportError when the address is taken."""
        await self.server.start()

    async def stop(self) -> None:
        """Close every station connection and stop listening; idempotent."""
        for task in list(self._tasks):
            task.cancel()
        for station in self.state.connected():
            if station.connection is not None:
                with contextlib.suppress(HarnessError, ChannelClosed):
                    await station.connection.close(1001, "CSMS shutting down")
        await self.server.stop()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            # a reference bug must surface, not vanish with its task
            logger.error("reference CSMS task failed: %r", error)
            if isinstance(error, Exception):
                self.errors.append(error)

    # -- connections ----------------------------------------------------------

    def _policy(self, station: StationState) -> CsmsPolicy:
        kind = V16Policy if self.dut.version is OcppVersion.V16 else V201Policy
        return kind(self.dut, self.state, station, self.faults, self.options)

    async def _serve(self, channel: WebsocketChannel) -> None:
        identity = channel.identity
        station = self.state.station(identity)
        previous = station.connection
        policy = self._policy(station)
        layer = MutationLayer(
            self.faults.rules,
            late_after=lambda: self.dut.timing.message_timeout,
            time_factor=self.dut.timing.time_factor,
            spawn=self._spawn,
        )
        self._layers[identity] = layer

        async def answer(incoming: IncomingCall) -> None:
            if incoming.replied or not incoming.expects_reply:
                return  # the engine refused it already, or a 2.1 SEND
            intercepted = layer.intercept(incoming)
            decided = (
                Answer(intercepted) if intercepted is not None else self._answer(policy, incoming)
            )
            sending = layer.answer(incoming, decided.reply, validate=decided.validate)
            if layer.defers(incoming):
                self._spawn(sending)  # the reader must go on meanwhile: a task answers late
            else:
                await sending

        connection = OcppConnection(
            channel,
            self.dut.version,
            Role.CSMS,
            trace=Trace(f"reference CSMS <-> {identity}", mask=mask),
            on_call=answer,
        )
        station.connection = connection
        connection.start()
        logger.info(
            "station %r connected from %s (%s)", identity, channel.remote, channel.subprotocol
        )
        if previous is not None and not previous.is_closed:
            await previous.close(1000, "superseded by a new connection")
        closed = await connection.closed
        logger.info(
            "station %r disconnected (code %s, reason %r)", identity, closed.code, closed.reason
        )
        if station.connection is connection:
            station.connection = None

    def _answer(self, policy: CsmsPolicy, incoming: IncomingCall) -> Answer:
        try:
            return policy(incoming)
        except Exception as error:  # a reference bug: answer InternalError and keep it
            logger.exception("reference CSMS handler for %s failed", incoming.action)
            self.errors.append(error)
            return Answer(ErrorReply("InternalError", f"reference CSMS error: {error}"[:255]))

    # -- configuration and triggers ----------------------------------------------

    def configure(self, identity: str, setting: str, value: object) -> None:
        """Change how the CSMS treats ``identity`` from now on.

        Settings: ``next_boot_status`` (``Accepted``, ``Pending`` or
        ``Rejected``): the status given to that station's next boot only.

        Raises:
            UsageError: an unknown setting or value.
        """
        if setting != "next_boot_status":
            raise UsageError(f"the reference CSMS has no setting {setting!r} (next_boot_status)")
        if value not in ("Accepted", "Pending", "Rejected"):
            raise UsageError(f"next_boot_status must be Accepted, Pending or Rejected: {value!r}")
        self.state.station(identity).next_boot_status = str(value)

    def station(self, identity: str | None = None) -> StationState:
        """The connected station ``identity`` (or the only connected one).

        Raises:
            TriggerFailed: no such station is connected, or several are and
                none was named.
        """
        connected = self.state.connected()
        if identity is not None:
            for station in connected:
                if station.identity == identity:
                    return station
            names = [s.identity for s in connected] or "none"
            raise TriggerFailed(
                f"station {identity!r} is not connected to the reference CSMS at {self.url} "
                f"(connected: {names})"
            )
        if not connected:
            raise TriggerFailed(f"no station is connected to the reference CSMS at {self.url}")
        if len(connected) > 1:
            raise TriggerFailed(
                f"{len(connected)} stations are connected ({[s.identity for s in connected]}); "
                "name the one to trigger"
            )
        return connected[0]

    async def trigger(
        self, action: str, payload: dict[str, Any], identity: str | None = None
    ) -> dict[str, Any]:
        """Send the request ``action`` to a connected station and return its answer.

        The payload is completed as a CSMS would (a fresh ``remoteStartId``,
        the active transaction's id for a stop without one).

        Returns:
            The station's reply payload (``{}`` when a mutant did not send it).

        Raises:
            TriggerFailed: no station connected, or it did not answer properly.
            UsageError: the request is invalid for the version.
        """
        station = self.station(identity)
        connection = station.connection
        if connection is None:  # disconnected between the lookup and now
            raise TriggerFailed(f"station {station.identity!r} just disconnected")
        if self.dut.version is OcppVersion.V16:
            request = prepare_request_v16(station, action, payload)
            request = self.options.variants.complete_v16(action, request)
            request = await complete_request_v16(
                self._records16.setdefault(station.identity, Records16()),
                self.choices16,
                action,
                request,
                lambda ask, body: self._send(station.identity, connection, ask, body),
            )
        else:
            request = prepare_request_v201(self.state, station, action, payload)
        return await self._send(station.identity, connection, action, request)

    async def _send(
        self, identity: str, connection: OcppConnection, action: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        # One CALL at a time per station, as OCPP-J requires of the sender.
        outbox = self._outboxes.setdefault(identity, asyncio.Lock())
        timeout = self.dut.timing.message_timeout
        layer = self._layers[identity]
        async with outbox:
            try:
                reply = await layer.call(connection, action, request, timeout=timeout)
            except TimeoutError:
                raise TriggerFailed(
                    f"station {identity!r} did not answer {action} within {timeout:g} s"
                ) from None
            except ChannelClosed as closed:
                raise TriggerFailed(
                    f"station {identity!r} disconnected before answering {action}: {closed}"
                ) from closed
        if reply is None:
            logger.info("mutant: %s to %r not sent", action, identity)
            return {}
        if reply.is_error:
            raise TriggerFailed(
                f"station {identity!r} answered {action} with a CALLERROR: {reply.entry.raw[:300]}"
            )
        if reply.violations:
            listed = "; ".join(str(v) for v in reply.violations)
            raise TriggerFailed(f"station {identity!r} answered {action} invalidly: {listed}")
        return reply.payload


@contextlib.asynccontextmanager
async def start_csms(
    dut: DutProfile, *, host: str = "127.0.0.1", port: int = 0, allow_remote: bool = False
) -> AsyncIterator[CsmsSimulator]:
    """Run the reference CSMS for the duration of the block.

    Yields:
        The running simulator; ``url`` is where stations connect (append ``/identity``).
    """
    simulator = CsmsSimulator(dut, host=host, port=port, allow_remote=allow_remote)
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()
