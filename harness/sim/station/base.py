"""What every reference charging station shares, whatever its OCPP version.

:class:`StationBase` owns the connection to the CSMS and the station's life:
power (connect, boot, heartbeats), a serialized outbox (one CALL outstanding
at a time, as OCPP-J requires), background tasks, and the dispatch of the
CSMS's requests to handler methods. Version classes add the messages.

A handler for a CSMS request returns a :class:`Handled`: the reply, and
optionally a follow-up coroutine that runs after the reply has been sent (a
RemoteStart is confirmed before the transaction starts). Handlers never await
the CSMS themselves: the engine's reader calls them.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from ssl import SSLContext
from typing import Any

from harness.errors import HarnessError, TransportError
from harness.ocppj.channel import ChannelClosed
from harness.ocppj.connection import IncomingCall, OcppConnection
from harness.ocppj.replies import NO_REPLY, ErrorReply, ReplySpec
from harness.ocppj.versions import Role
from harness.profile import DutProfile, mask
from harness.sim.faults import Faults
from harness.sim.mutants import Side, WireMutant, wire_rules
from harness.sim.mutation import MutationLayer
from harness.sim.variants import Variants
from harness.trace import Trace
from harness.transport import connect_station

__all__ = ["CallRejected", "Handled", "StationBase"]

logger = logging.getLogger("harness.sim.station")

FollowUp = Callable[[], Awaitable[None]]


@dataclass
class Handled:
    """A handler's answer: the reply, and work to do once it is sent."""

    reply: ReplySpec
    after: FollowUp | None = None


class CallRejected(Exception):
    """The CSMS answered a CALL of the station with a CALLERROR."""

    def __init__(self, action: str, code: str, description: str) -> None:
        super().__init__(f"{action} answered with CALLERROR {code}: {description}")
        self.code = code


class StationBase(abc.ABC):
    """A simulated charging station: connection, power, outbox, dispatch."""

    #: Behaviour knobs this simulator understands (names without arguments).
    KNOWN_FAULTS: frozenset[str] = frozenset()
    #: Knobs said on the wire: the mutation layer applies them (data, not behaviour).
    WIRE_MUTANTS: tuple[WireMutant, ...] = ()

    def __init__(self, dut: DutProfile, *, csms_url: str) -> None:
        self.dut = dut
        self.csms_url = csms_url
        names = dut.embedded.faults if dut.embedded else ()
        rules, behaviour = wire_rules(names, self.WIRE_MUTANTS, Side(dut.version, Role.STATION))
        wire_names = {mutant.name for mutant in self.WIRE_MUTANTS}
        self.faults = Faults(behaviour, self.KNOWN_FAULTS | wire_names)
        #: Between the behaviour and the connection: what the mutant changes on the wire.
        self.mutation = MutationLayer(
            rules,
            late_after=lambda: self.dut.timing.message_timeout,
            time_factor=dut.timing.time_factor,
            spawn=self.spawn,
        )
        self.variants = Variants.from_options(dut.embedded.options if dut.embedded else {})
        self.trace = Trace(f"sim station {dut.identity}", mask=mask)
        self.connection: OcppConnection | None = None
        self.powered = False
        self.accepted = False
        self.heartbeat_interval = float(dut.timing.heartbeat_interval)
        self._outbox = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._life: set[asyncio.Task[None]] = set()
        self._connected = asyncio.Event()
        self.errors: list[BaseException] = []

    # -- life -----------------------------------------------------------------

    async def start(self) -> None:
        """Power the station on: connect and boot (the boot runs in the background)."""
        await self.power_on()

    async def stop(self) -> None:
        """Power off and forget every task; idempotent."""
        await self.power_off()

    async def power_on(self) -> None:
        if self.powered:
            return
        self.powered = True
        self.on_power_on()
        await self._connect()
        self.spawn(self.boot_sequence(), life=True)

    async def power_off(self) -> None:
        if not self.powered:
            return
        self.powered = False
        self.accepted = False
        for task in list(self._tasks | self._life):
            task.cancel()
        for task in list(self._tasks | self._life):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._life.clear()
        if self.connection is not None:
            await self.connection.close(1001, "power off")
            self.connection = None
        self._connected.clear()
        self.on_power_off()

    async def reboot(self) -> None:
        """A reset: go down and come back up."""
        await self.power_off()
        await self.power_on()

    def on_power_on(self) -> None:  # noqa: B027 - optional hook, empty by design
        """Reset volatile state when power returns (override as needed)."""

    def on_power_off(self) -> None:  # noqa: B027 - optional hook, empty by design
        """Hook for state to drop when power is cut (override as needed)."""

    async def _connect(self, url: str | None = None) -> None:
        """Open the connection to ``url`` (default: the CSMS the station was launched for)."""
        await self.open_connection(url or self.csms_url, None)

    async def open_connection(self, url: str, ssl: SSLContext | None) -> None:
        """Open the connection to ``url``; ``ssl`` validates a ``wss://`` CSMS's certificate."""
        password = None
        secret = self.dut.connection.basic_auth_password
        if secret is not None and self.dut.connection.security_profile in (1, 2):
            password = secret.reveal()
        try:
            channel = await connect_station(
                url,
                self.dut.identity,
                [self.dut.version],
                password=password,
                ssl=ssl,
                timeout=self.dut.timing.connect_timeout,
            )
        except HarnessError as error:
            logger.warning("station %s cannot connect: %s", self.dut.identity, error)
            raise
        self.connection = OcppConnection(
            channel, self.dut.version, Role.STATION, trace=self.trace, on_call=self._dispatch
        )
        self.connection.start()
        self._connected.set()

    # -- tasks ----------------------------------------------------------------

    def spawn(self, work: Awaitable[None], *, life: bool = False) -> asyncio.Task[None]:
        """Run ``work`` in the background; errors are kept, cancelled on power off."""

        async def guarded() -> None:
            try:
                await work
            except (asyncio.CancelledError, ChannelClosed):
                raise
            except Exception as error:  # a simulator bug must surface, not vanish
                logger.exception("station %s task failed", self.dut.identity)
                self.errors.append(error)

        task = asyncio.get_running_loop().create_task(guarded())

        def close_unstarted(done: asyncio.Task[None]) -> None:
            # cancelled before it ran: close the coroutine so it is not reported as never awaited
            if done.cancelled() and inspect.iscoroutine(work):
                work.close()

        task.add_done_callback(close_unstarted)
        bucket = self._life if life else self._tasks
        bucket.add(task)
        task.add_done_callback(bucket.discard)
        return task

    # -- outbox ---------------------------------------------------------------

    async def send(self, action: str, payload: dict[str, Any], *, validate: bool = True) -> Any:
        """Send a CALL to the CSMS, one at a time, and return the reply payload.

        The mutation layer may change, delay or drop it; a CALL the mutant
        does not send gets an empty answer.

        Raises:
            CallRejected: the CSMS answered with a CALLERROR.
            TransportError: the station is not connected.
            TimeoutError: the CSMS did not answer within the message timeout.
        """
        async with self._outbox:
            connection = self.connection
            if connection is None or connection.is_closed:
                raise TransportError(f"station {self.dut.identity} is not connected")
            reply = await self.mutation.call(
                connection,
                action,
                payload,
                timeout=self.dut.timing.message_timeout,
                validate=validate,
            )
        if reply is None:
            return {}
        if reply.is_error:
            frame = reply.frame
            raise CallRejected(
                action, getattr(frame, "error_code", ""), getattr(frame, "error_description", "")
            )
        return reply.payload

    async def send_raw(self, text: str) -> None:
        """Send text as it is (for mutants that break the framing)."""
        async with self._outbox:
            if self.connection is not None:
                await self.connection.send_raw(text, note="mutant")

    # -- dispatch ---------------------------------------------------------------

    async def _dispatch(self, incoming: IncomingCall) -> None:
        if incoming.replied or not incoming.expects_reply:
            return
        intercepted = self.mutation.intercept(incoming)
        try:
            handled = Handled(intercepted) if intercepted is not None else self.handle(incoming)
        except Exception as error:  # a simulator bug: answer InternalError, keep it
            logger.exception("station %s handler for %s failed", self.dut.identity, incoming.action)
            self.errors.append(error)
            handled = Handled(ErrorReply("InternalError", f"simulator error: {error}"))
        if self.mutation.defers(incoming):
            # the reader must go on meanwhile: a late answer is sent by a task
            self.spawn(self._answer(incoming, handled))
        else:
            await self._answer(incoming, handled)

    async def _answer(self, incoming: IncomingCall, handled: Handled) -> None:
        if handled.reply is not NO_REPLY or self.mutation:
            await self.mutation.answer(
                incoming, handled.reply, validate=self.validate_replies(incoming.action)
            )
        if handled.after is not None:
            self.spawn(handled.after())

    def validate_replies(self, action: str) -> bool:
        """Whether replies to ``action`` are schema-checked (mutants may turn it off)."""
        return True

    @abc.abstractmethod
    def handle(self, incoming: IncomingCall) -> Handled:
        """Answer one request of the CSMS."""

    @abc.abstractmethod
    async def boot_sequence(self) -> None:
        """Boot (with retries per the CSMS's answer), then report status and beat."""

    # -- helpers ----------------------------------------------------------------

    async def heartbeat_loop(self) -> None:
        """Send Heartbeat every ``heartbeat_interval`` seconds while powered."""
        while self.powered:
            await asyncio.sleep(self.variants.timer(self.heartbeat_interval))
            with contextlib.suppress(CallRejected, TimeoutError, TransportError, ChannelClosed):
                await self.send("Heartbeat", {})

    @staticmethod
    def listed(values: Iterable[str]) -> str:
        return ", ".join(sorted(values))
