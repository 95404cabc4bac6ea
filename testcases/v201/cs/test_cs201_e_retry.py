"""OCPP 2.0.1 retrying a failed transaction message (E13), charging station under test."""

from __future__ import annotations

import contextlib

from harness.errors import ConfigurationError
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.tx_retry import (
    FailingPlan,
    call_error,
    no_more,
    retries_configured,
    transmissions,
)
from harness.profile import DutProfile
from harness.responders import NO_REPLY, ReplySpec
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD)
_STEP5 = "5-6. TransactionEventRequest sent again"


async def _retried(
    csms: Session, rig: Rig, dut: DutProfile, plan: FailingPlan, count: int, needs: int
) -> None:
    """Before, the failed message and its retries, then one quiet iteration."""
    flow = StationFlow(csms, dut, rig)
    if dut.timing.message_attempts < needs:
        raise _too_few(needs)
    async with contextlib.AsyncExitStack() as stack:
        with step("Before: MessageAttempts and MessageAttemptInterval[TransactionEvent]"):
            station_timeout = await stack.enter_async_context(retries_configured(flow))
        with step("Before: State is Authorized"):
            await flow.authorized_local()
        mark = csms.mark()
        stack.enter_context(csms.responding("TransactionEvent", plan))
        with step("Before: State is EVConnectedPreSession"):
            await flow.ev_connected_pre_session()
        with step(f"{_STEP5} {count} times, each after its interval"):
            sent = await transmissions(flow, plan, count, station_timeout, mark)
        with step(f"{_STEP5}: no further transmission in one more iteration"):
            await no_more(flow, plan, sent[-1], station_timeout)


def _too_few(needs: int) -> Exception:
    return ConfigurationError(
        f"[timing] message_attempts must be at least {needs} for this case",
        field="timing.message_attempts",
    )


def _second_answered(n: int) -> ReplySpec:
    """A CALLERROR InternalError for every transmission but the second, which is answered."""
    return {} if n == 2 else call_error(n)


def _first_ignored(n: int) -> ReplySpec:
    """No answer to the first transmission; the second is answered."""
    return NO_REPLY if n == 1 else {}


@testcase(
    "TC_E_50_CS",
    rig=_RIG,
    proof=[
        Mutant("no_tx_retry", step=_STEP5, says="did not arrive"),
        Mutant("tx_retry_early", step=_STEP5, says="MessageAttemptInterval"),
    ],
)
async def test_TC_E_50_CS_retry_until_max_call_error(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent answered with CALLERRORs is sent MessageAttempts times, then no more."""
    await _retried(csms, rig, dut, FailingPlan(call_error), dut.timing.message_attempts, 2)


@testcase(
    "TC_E_51_CS",
    rig=_RIG,
    proof=[Mutant("no_tx_retry", step=_STEP5, says="did not arrive")],
)
async def test_TC_E_51_CS_retry_success_after_call_error(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent answered after one CALLERROR is sent twice, then no more."""
    await _retried(csms, rig, dut, FailingPlan(_second_answered), 2, 3)


@testcase(
    "TC_E_42_CS",
    rig=_RIG,
    proof=[Mutant("no_tx_retry", step=_STEP5, says="did not arrive")],
)
async def test_TC_E_42_CS_retry_success_after_no_answer(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent left unanswered once is sent again after the timeout, then no more."""
    await _retried(csms, rig, dut, FailingPlan(_first_ignored), 2, 3)


def _never_answered(_n: int) -> ReplySpec:
    """No transmission is answered."""
    return NO_REPLY


@testcase(
    "TC_E_41_CS",
    rig=_RIG,
    proof=[Mutant("no_tx_retry", step=_STEP5, says="did not arrive")],
)
async def test_TC_E_41_CS_retry_until_max_no_answer(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A TransactionEvent never answered is sent MessageAttempts times, then no more."""
    await _retried(csms, rig, dut, FailingPlan(_never_answered), dut.timing.message_attempts, 2)
