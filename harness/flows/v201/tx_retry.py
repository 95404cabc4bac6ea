"""OCPP 2.0.1 retries of a failed transaction message (E13), charging station under test.

The harness, as CSMS, fails one TransactionEvent (a CALLERROR, or no answer
at all) as the case's plan says, and watches the station send the same
message again: n times ``MessageAttemptInterval[TransactionEvent]`` after the
n-th transmission (plus ``OCPPCommCtrlr.MessageTimeout`` when it went
unanswered), up to ``MessageAttempts[TransactionEvent]`` transmissions in all,
and then no more. The catalogue lets the station first report a signed start
reading (``SignedDataReceived``) and a ``SuspendedEVSE`` state, which are
answered normally; the next TransactionEvent is the one that fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from harness.errors import UnexpectedMessage
from harness.expect import Pattern
from harness.flows.common import confirm_setting
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall
from harness.responders import NO_REPLY, ErrorReply, ReplySpec

__all__ = [
    "FailingPlan",
    "TxSetting",
    "call_error",
    "no_more",
    "retries_configured",
    "transmissions",
]

#: What the harness answers to the n-th transmission (1-based) of the failed message.
Plan = Callable[[int], ReplySpec]


def _optional_first(payload: dict[str, Any]) -> bool:
    """Steps 1 and 3 of the retry cases: events the catalogue lets come first, answered."""
    info = payload.get("transactionInfo", {})
    trigger = payload.get("triggerReason")
    return trigger == "SignedDataReceived" or (
        trigger == "ChargingStateChanged" and info.get("chargingState") == "SuspendedEVSE"
    )


def _key(payload: dict[str, Any]) -> tuple[Any, Any]:
    """One transaction message: its transaction and its seqNo (a retry repeats both)."""
    return (payload.get("transactionInfo", {}).get("transactionId"), payload.get("seqNo"))


@dataclass
class FailingPlan:
    """The harness's answers to TransactionEvents: the first one due fails as ``plan`` says.

    Attributes:
        plan: the answer to the n-th transmission of the failed message.
        target: the failed message (transactionId, seqNo), once it came.
        sent: each transmission of it, as received.
    """

    plan: Plan
    target: tuple[Any, Any] | None = None
    sent: list[IncomingCall] = field(default_factory=list)

    def __call__(self, call: IncomingCall) -> ReplySpec:
        payload = call.payload
        if self.target is None and _optional_first(payload):
            return {}
        if self.target is None:
            self.target = _key(payload)
        if _key(payload) != self.target:
            return {}
        self.sent.append(call)
        return self.plan(len(self.sent))

    def unanswered(self, n: int) -> bool:
        """Whether the n-th transmission (1-based) went without any answer."""
        return self.plan(n) is NO_REPLY


def call_error(_n: int) -> ReplySpec:
    """Every transmission is answered with a CALLERROR InternalError."""
    return ErrorReply("InternalError", "the harness fails this transaction message on purpose")


@dataclass(frozen=True)
class TxSetting:
    """``OCPPCommCtrlr.<variable>`` of an instance, as :class:`~harness.flows.common.Setting`."""

    flow: StationFlow
    variable: str
    instance: str

    @property
    def name(self) -> str:
        return f"OCPPCommCtrlr.{self.variable}[{self.instance}]"

    def _data(self) -> dict[str, Any]:
        return {
            "component": {"name": "OCPPCommCtrlr"},
            "variable": {"name": self.variable, "instance": self.instance},
        }

    async def read(self) -> str | None:
        reply = await self.flow.csms.call("GetVariables", {"getVariableData": [self._data()]})
        result = (reply.payload.get("getVariableResult") or [{}])[0]
        if result.get("attributeStatus") != "Accepted":
            return None
        return str(result.get("attributeValue", ""))

    async def write(self, value: str) -> bool:
        data = {**self._data(), "attributeValue": value, "attributeType": "Actual"}
        reply = await self.flow.csms.call("SetVariables", {"setVariableData": [data]})
        result = (reply.payload.get("setVariableResult") or [{}])[0]
        return bool(result.get("attributeStatus") == "Accepted")

    def source(self) -> str:
        return "OCPP 2.0.1 SetVariableStatusEnumType Accepted: the variable was set"


@contextlib.asynccontextmanager
async def retries_configured(flow: StationFlow) -> AsyncIterator[float]:
    """MessageAttempts/MessageAttemptInterval[TransactionEvent] as configured, for the block.

    Yields the station's ``OCPPCommCtrlr.MessageTimeout[Default]`` in seconds
    (the profile's message timeout when the station does not report it).
    """
    timing = flow.dut.timing
    wanted = [
        (TxSetting(flow, "MessageAttempts", "TransactionEvent"), str(timing.message_attempts)),
        (
            TxSetting(flow, "MessageAttemptInterval", "TransactionEvent"),
            str(timing.message_attempt_interval),
        ),
    ]
    before: list[tuple[TxSetting, str | None, str]] = []
    try:
        for setting, value in wanted:
            old = await setting.read()
            before.append((setting, old, value))
            if not await setting.write(value) and old != value:
                raise UnexpectedMessage(f"{setting.name} cannot be set to {value}")
            await confirm_setting(setting, value)
        timeout = await TxSetting(flow, "MessageTimeout", "Default").read()
        yield float(timeout) if timeout else timing.message_timeout
    finally:
        for setting, old, value in before:
            if old is not None and old != value:
                with contextlib.suppress(Exception):
                    await setting.write(old)


async def transmissions(
    flow: StationFlow, failing: FailingPlan, count: int, station_timeout: float, after: int
) -> list[IncomingCall]:
    """The ``count`` transmissions of the failed message, each after its retry interval.

    Raises:
        UnexpectedMessage: a retry came sooner than its interval, or was not the same message.
    """
    timing = flow.dut.timing
    interval = timing.message_attempt_interval

    def due(n: int) -> float:
        """The pause after the n-th transmission: n intervals, plus the timeout if unanswered."""
        return interval * n + (station_timeout if failing.unanswered(n) else 0.0)

    scope = Pattern(
        "TransactionEvent",
        where=lambda p: failing.target is None or _key(p) == failing.target,
        label="the failed TransactionEvent (again)",
    )
    last: IncomingCall | int = after
    # The plan records each transmission as it arrives; the expectation only waits for it.
    while len(failing.sent) < count:
        n = len(failing.sent)
        bound = (due(n) if n else 0.0) + timing.message_timeout + timing.tolerance
        last = await flow.csms.expect(scope, after=last, timeout=bound)
    sent = failing.sent[:count]
    for n in range(1, count):
        gap = sent[n].entry.mono - sent[n - 1].entry.mono
        if gap < timing.not_before(due(n)):
            raise UnexpectedMessage(
                f"transmission {n + 1} of the failed TransactionEvent came {gap:.2f} s after "
                f"transmission {n}; OCPP 2.0.1 E13 (MessageAttemptInterval): it must wait "
                f"{due(n):g} s (tolerance {timing.early_by(due(n)):.2g} s).\n"
                f"  received: {sent[n].entry.raw[:300]}"
            )
        if sent[n].payload != sent[0].payload:
            raise UnexpectedMessage(
                f"transmission {n + 1} of the failed TransactionEvent differs from the first "
                f"(OCPP 2.0.1 E13: the same message is sent again).\n"
                f"  first:    {sent[0].entry.raw[:300]}\n  received: {sent[n].entry.raw[:300]}"
            )
    return sent[:count]


async def no_more(
    flow: StationFlow, failing: FailingPlan, last: IncomingCall, station_timeout: float
) -> None:
    """One more retry iteration passes without the message being sent again."""
    n = len(failing.sent)
    quiet = flow.dut.timing.message_attempt_interval * n + station_timeout
    await flow.csms.expect_none(
        Pattern("TransactionEvent", where=lambda p: _key(p) == failing.target),
        during=quiet + flow.dut.timing.tolerance,
        after=last,
    )
