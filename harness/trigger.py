"""Triggers: the "Manual Action: trigger the CSMS to ..." steps of ``_CSMS`` cases.

When the CSMS is under test, some steps start on the CSMS's side: an operator
makes it send a request (start a transaction, trigger a message) to the
station the harness plays. :class:`CsmsTrigger` performs that action in the
way the DUT profile's ``[trigger].kind`` says:

* ``sim`` — the embedded reference CSMS is told directly
  (:meth:`harness.sim.csms.CsmsSimulator.trigger`).
* ``http`` — a JSON ``POST`` to ``[trigger].url``:
  ``{"identity": ..., "action": ..., "payload": {...}}`` for a request, and
  ``{"identity": ..., "setting": ..., "value": ...}`` for a configuration
  change. Any 2xx answer is success; a JSON object in the body is returned.
* ``command`` — ``[trigger].command`` runs under ``/bin/sh`` with
  placeholders ``{identity}``, ``{action}``, ``{payload}`` (the payload as
  JSON), ``{setting}`` and ``{value}`` shell-quoted, and the same JSON body as
  the http kind on its standard input. Exit status 0 is success (a JSON
  object on stdout is returned).
* ``manual`` — the exact instruction is printed on the terminal and the
  operator presses Enter once done (bounded by ``[trigger].options.timeout``,
  default ``[rig].prompt_timeout``). Without an interactive terminal the test
  is skipped as "not run" (the trigger cannot be performed in this run).

``[trigger].options.timeout`` bounds an http or command trigger (default:
twice the message timeout). Every request payload is checked against the
action's schema before it goes out: the CSMS is asked for a complete, valid
request (a case asking for less is a harness bug, an ERROR).

A CSMS that cannot perform an action says so: HTTP 501 Not Implemented, or
exit status :data:`UNSUPPORTED_EXIT` (69, ``EX_UNAVAILABLE``) from the command.
The test is then skipped as "not applicable: the CSMS does not support
<action> ...". Any other failure (another status, unreachable, timed out) is a
:class:`TriggerError`, an ERROR: the CSMS is not blamed for the trigger.

The CSMS's request arrives while the trigger is still running (the embedded
CSMS waits for the station's answer), so a test case never awaits a trigger
before handling the request. :meth:`CsmsTrigger.requesting` starts it in the
background and hands over the incoming request::

    async with trigger.requesting(station, "TriggerMessage", {...}, description="...") as request:
        with step("1. The CSMS sends TriggerMessageRequest"):
            call = await request.received()
        with step("2. The station answers Accepted"):
            await call.reply({"status": "Accepted"})
            await request.completed()
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import sys
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from harness.errors import (
    CaseSkipped,
    ConfigurationError,
    HarnessError,
    NotApplicable,
    NotRun,
    UnexpectedMessage,
    UsageError,
)
from harness.expect import Pattern
from harness.explain import trace_tail
from harness.hookcall import TAIL, HookFailure, post_json, run_command
from harness.ocppj.connection import IncomingCall
from harness.ocppj.validation import validate_payload
from harness.profile import DutProfile
from harness.responders import ErrorReply
from harness.session import Session

__all__ = [
    "UNSUPPORTED_EXIT",
    "CsmsTrigger",
    "TriggerError",
    "TriggerTarget",
    "TriggeredRequest",
]

MANUAL_SKIP = (
    "not run: the manual trigger needs an operator at a terminal, "
    "and this run has no interactive terminal"
)

UNSUPPORTED_EXIT = 69
"""The exit status of a trigger command that means "the CSMS does not support this"."""

NOT_IMPLEMENTED = 501
"""The HTTP status of a trigger URL that means "the CSMS does not support this"."""


class TriggerError(HarnessError):
    """The trigger could not be performed (hook unreachable, refused, operator absent)."""


class TriggerTarget(Protocol):
    """What the ``sim`` kind needs from the embedded CSMS."""

    async def trigger(
        self, action: str, payload: dict[str, Any], identity: str | None = None
    ) -> dict[str, Any]: ...

    def configure(self, identity: str, setting: str, value: object) -> None: ...


class CsmsTrigger:
    """Makes the CSMS under test act, as the profile's ``[trigger]`` says.

    Args:
        dut: the CSMS profile (trigger kind, url, options; identity; timing).
        sim: the embedded CSMS, needed by kind ``sim``.
        time_factor: stretches the trigger's timeouts.

    Raises:
        ConfigurationError: kind ``sim`` without an embedded CSMS, ``http``
            without a URL, or an unknown kind.
    """

    def __init__(
        self, dut: DutProfile, *, sim: TriggerTarget | None = None, time_factor: float = 1.0
    ) -> None:
        self.dut = dut
        self.kind = dut.trigger.kind
        self.sim = sim
        self.time_factor = time_factor
        if self.kind == "sim" and sim is None:
            raise ConfigurationError(
                "trigger kind 'sim' drives the embedded CSMS, but none is running",
                field="trigger.kind",
            )
        if self.kind == "http" and not dut.trigger.url:
            raise ConfigurationError("trigger kind 'http' needs a url", field="trigger.url")
        if self.kind == "command" and not dut.trigger.command:
            raise ConfigurationError(
                "trigger kind 'command' needs a command", field="trigger.command"
            )
        if self.kind not in ("sim", "http", "command", "manual"):
            raise ConfigurationError(
                f"unknown trigger kind {self.kind!r} (sim, http, command, manual)",
                field="trigger.kind",
            )

    @property
    def timeout(self) -> float:
        """Seconds a trigger may take (stretched by the time factor)."""
        return self.base_timeout * self.time_factor

    @property
    def base_timeout(self) -> float:
        """Seconds a trigger may take, before the time factor: the CSMS's request too."""
        default = (
            self.dut.rig.prompt_timeout
            if self.kind == "manual"
            else 2 * self.dut.timing.message_timeout
        )
        value = self.dut.trigger.options.get("timeout", default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ConfigurationError(
                f"trigger timeout must be a positive number of seconds, not {value!r}",
                field="trigger.options.timeout",
            )
        return float(value)

    def require_operator(self) -> None:
        """Skip the test when the manual trigger has no operator at a terminal."""
        if self.kind == "manual" and not _interactive():
            raise NotRun(MANUAL_SKIP)

    # -- the kinds ------------------------------------------------------

    async def request(
        self, action: str, payload: dict[str, Any], *, description: str
    ) -> dict[str, Any]:
        """Make the CSMS send ``action`` with ``payload`` (complete, schema-valid) to the station.

        Args:
            action: the OCPP request the CSMS must send.
            payload: what the request should carry (the CSMS completes it).
            description: the instruction an operator reads, in plain words.

        Returns:
            The station's answer as the trigger reports it (``{}`` when unknown).

        Raises:
            TriggerError: the trigger failed or timed out.
            UsageError: ``payload`` breaks the request's schema (a bug of the case).
            CaseSkipped: "not applicable": the trigger answered that the
                CSMS does not support ``action``; "not run": no operator.
        """
        self._check_payload(action, payload)
        if self.kind == "sim":
            return await self._sim().trigger(action, payload, self.dut.identity)
        body = {"identity": self.dut.identity, "action": action, "payload": payload}
        if self.kind in ("http", "command"):
            return await self._send(body, subject=action)
        await self._ask_operator(f"{description} (station {self.dut.identity!r}: {action})")
        return {}

    async def configure(self, setting: str, value: object, *, description: str) -> None:
        """Change a setting of the CSMS for the station (a test case's prerequisite).

        The embedded CSMS knows ``next_boot_status``; an http or command
        trigger receives ``{"identity", "setting", "value"}``; an operator
        reads ``description``.

        Raises:
            TriggerError: the change could not be made.
            CaseSkipped: the trigger answered "not supported".
        """
        if self.kind == "sim":
            self._sim().configure(self.dut.identity, setting, value)
        elif self.kind in ("http", "command"):
            body = {"identity": self.dut.identity, "setting": setting, "value": value}
            await self._send(body, subject=f"setting {setting} = {json.dumps(value)}")
        else:
            await self._ask_operator(description)

    def _check_payload(self, action: str, payload: dict[str, Any]) -> None:
        """A request the CSMS is asked to send must be complete and valid by its schema."""
        try:
            violations = validate_payload(self.dut.version, action, payload, response=False)
        except KeyError:
            raise UsageError(
                f"the trigger cannot ask for {action}: OCPP {self.dut.version.value} has no "
                "such request"
            ) from None
        if violations:
            found = "; ".join(f"{v.path}: {v.message}" for v in violations)
            raise UsageError(
                f"the test case asks the CSMS for a {action} that breaks the schema "
                f"(OCPP {self.dut.version.value}): {found}"
            )

    def _sim(self) -> TriggerTarget:
        if self.sim is None:
            raise ConfigurationError("no embedded CSMS to trigger", field="trigger.kind")
        return self.sim

    async def _send(self, body: Mapping[str, object], *, subject: str) -> dict[str, Any]:
        """Hand ``body`` to the http or command trigger; its JSON answer, or ``{}``."""
        if self.kind == "http":
            text = await self._post(body, subject)
        else:
            text = await self._run(body, subject)
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            return {}
        return answer if isinstance(answer, dict) else {}

    async def _post(self, body: Mapping[str, object], subject: str) -> str:
        url = str(self.dut.trigger.url)
        try:
            status, text = await post_json("trigger hook", url, body, timeout=self.timeout)
        except HookFailure as failure:
            raise TriggerError(str(failure)) from None
        if status == NOT_IMPLEMENTED:
            raise NotApplicable(
                f"the CSMS does not support {subject} (trigger answered {NOT_IMPLEMENTED})"
            )
        if not 200 <= status < 300:
            raise TriggerError(f"trigger hook {url} answered HTTP {status}: {text.strip()[:TAIL]}")
        return text

    async def _run(self, body: Mapping[str, object], subject: str) -> str:
        values = {
            "identity": self.dut.identity,
            "action": str(body.get("action", "")),
            "payload": json.dumps(body["payload"]) if "payload" in body else "",
            "setting": str(body.get("setting", "")),
            "value": json.dumps(body["value"]) if "value" in body else "",
        }
        template = str(self.dut.trigger.command)
        command = template.format_map({k: shlex.quote(v) for k, v in values.items()})
        try:
            output = await run_command(
                "trigger command",
                command,
                timeout=self.timeout,
                stdin=json.dumps(body).encode("utf-8"),
            )
        except HookFailure as failure:
            if failure.status == UNSUPPORTED_EXIT:
                raise NotApplicable(
                    f"the CSMS does not support {subject} "
                    f"(trigger command exited with {UNSUPPORTED_EXIT})"
                ) from None
            raise TriggerError(str(failure)) from None
        return output.stdout

    async def _ask_operator(self, instruction: str) -> None:
        self.require_operator()
        timeout = self.timeout
        sys.stdout.write(f"\n>>> OPERATOR: {instruction}\n>>> Press Enter when done ")
        sys.stdout.write(f"(within {timeout:g} s).\n")
        sys.stdout.flush()
        try:
            async with asyncio.timeout(timeout):
                await _read_line()
        except TimeoutError:
            raise TriggerError(
                f"the operator did not confirm within {timeout:g} s: {instruction}"
            ) from None

    # -- the background pattern ----------------------------------------------------

    @contextlib.asynccontextmanager
    async def requesting(
        self,
        station: Session,
        action: str,
        payload: dict[str, Any],
        *,
        description: str,
    ) -> AsyncIterator[TriggeredRequest]:
        """Trigger ``action`` in the background while the test handles the request.

        On entry the station holds ``action`` CALLs (the test answers them)
        and the trigger starts as a task. On exit the hold is released and
        the task is awaited (bounded) or, when the block failed, cancelled.
        """
        self.require_operator()
        handle = TriggeredRequest(self, station, action)
        station.hold(action)
        handle.task = asyncio.get_running_loop().create_task(
            self.request(action, payload, description=description),
            name=f"trigger {action}",
        )
        try:
            yield handle
        except BaseException:
            handle.cancel()
            raise
        finally:
            handle.release()
        if not handle.finished:
            await handle.completed()


class TriggeredRequest:
    """A trigger running in the background; see :meth:`CsmsTrigger.requesting`."""

    def __init__(self, trigger: CsmsTrigger, station: Session, action: str) -> None:
        self.trigger = trigger
        self.station = station
        self.action = action
        self.mark = station.mark()
        self.task: asyncio.Task[dict[str, Any]] | None = None
        self._held = True
        #: Whether :meth:`completed` ran (else the block's exit runs it).
        self.finished = False

    async def received(
        self, *, match: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> IncomingCall:
        """The CSMS's request, once it arrives (unanswered: the test replies).

        Args:
            match: partial payload it must carry (the tool validations).
            timeout: seconds to wait; default the trigger's timeout.

        Raises:
            ExpectationFailed: the CSMS did not send it in time.
            ProtocolViolation: it breaks its schema.
        """
        __tracebackhide__ = True
        # The session stretches the wait by its own time factor.
        wait = self.trigger.base_timeout if timeout is None else timeout
        pattern = Pattern(self.action, match)
        expecting = asyncio.ensure_future(
            self.station.expect(pattern, timeout=wait, after=self.mark)
        )
        watched: set[asyncio.Future[Any]] = {expecting}
        if self.task is not None:
            watched.add(self.task)
        # A trigger that fails first explains a missing request better than a timeout.
        while not expecting.done():
            await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
            task = self.task
            if task is not None and task.done() and not expecting.done():
                watched.discard(task)
                if not task.cancelled() and task.exception() is not None:
                    expecting.cancel()
                    error = task.exception()
                    # "not supported" and "no operator" skip the case; harness errors stay ERRORs.
                    if isinstance(error, HarnessError | CaseSkipped):
                        raise error
                    raise TriggerError(f"the trigger of {self.action} failed: {error}") from error
        return expecting.result()

    async def completed(self) -> dict[str, Any]:
        """Wait (bounded) until the trigger finished; the CSMS must have sent one request.

        Returns:
            The station's answer as the trigger reports it.

        Raises:
            UnexpectedMessage: the CSMS sent the request more than once.
            TriggerError: the trigger failed or did not finish in time.
        """
        __tracebackhide__ = True
        if self.task is None:
            raise UsageError("the trigger was not started")
        self.finished = True
        self.release()
        await self._answer_waiting()
        try:
            async with asyncio.timeout(self.trigger.timeout):
                answer = await asyncio.shield(self.task)
        except TimeoutError:
            self.cancel()
            raise TriggerError(
                f"the trigger of {self.action} did not finish within {self.trigger.timeout:g} s"
            ) from None
        except AssertionError as error:  # the embedded CSMS judged the station's answer
            raise TriggerError(f"the trigger of {self.action} failed: {error}") from error
        sent = [
            c for c in self.station.inbound if c.action == self.action and c.entry.seq >= self.mark
        ]
        if len(sent) > 1:
            raise UnexpectedMessage(
                f"The CSMS sent {self.action} {len(sent)} times for one trigger; one request "
                f"was expected.\n\n{trace_tail(self.station.trace)}"
            )
        return answer

    def release(self) -> None:
        """Stop holding the action: later requests get the station's default answer."""
        if self._held:
            self._held = False
            self.station.release(self.action)

    def cancel(self) -> None:
        """Stop the trigger; a failure it already had is superseded by the block's."""
        task = self.task
        if task is None:
            return
        if not task.done():
            task.cancel()
        elif not task.cancelled():
            task.exception()  # retrieved: the block's own failure is the one reported

    async def _answer_waiting(self) -> None:
        """Answer requests that arrived while held and that the test left unanswered."""
        for call in list(self.station.inbound):
            if call.action != self.action or call.replied or call.entry.seq < self.mark:
                continue
            spec = self.station.policy(call)
            if isinstance(spec, dict):
                await call.reply(spec)
            elif isinstance(spec, ErrorReply):
                await call.reply_error(spec.code, spec.description, dict(spec.details))


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


async def _read_line() -> None:
    """Wait for the operator's Enter without a thread that outlives a timeout."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    fd = sys.stdin.fileno()

    def readable() -> None:
        sys.stdin.readline()
        if not done.done():
            done.set_result(None)

    try:
        loop.add_reader(fd, readable)
    except NotImplementedError:  # event loops without add_reader (Windows)
        await asyncio.to_thread(sys.stdin.readline)
        return
    try:
        await done
    finally:
        loop.remove_reader(fd)
