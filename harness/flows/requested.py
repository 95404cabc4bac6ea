"""A request the CSMS under test is made to send, judged and answered by the harness station.

The shape of every ``_CSMS`` step pair "the CSMS sends X" / "the station
answers", in every version: the trigger asks the CSMS (embedded, HTTP hook,
command or operator) to send the request; the step awaits it and judges it
against the step's tool validations; the harness station answers as the
catalogue prescribes; the trigger must finish, with one request sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from harness.checks import conform
from harness.ocppj.connection import IncomingCall
from harness.session import Session
from harness.steps import step
from harness.trigger import CsmsTrigger

__all__ = ["Answer", "requested"]

Answer = Mapping[str, Any] | Callable[[IncomingCall], Mapping[str, Any]]


async def requested(
    trigger: CsmsTrigger,
    station: Session,
    action: str,
    payload: dict[str, Any],
    *,
    description: str,
    request_step: str,
    answer_step: str,
    answer: Answer,
    checks: Sequence[tuple[str, Mapping[str, Any]]] = (),
) -> IncomingCall:
    """The Central System is made to send ``action``; the charge point answers it.

    Args:
        payload: what the trigger asks the Central System to send.
        description: the instruction an operator reads.
        request_step: the title of the step in which the request arrives.
        answer_step: the title of the step in which the charge point answers.
        answer: the answer (or a function of the request giving it).
        checks: the step's tool validations of the request, ``(what, partial payload)``.

    Returns:
        The Central System's request.
    """
    async with trigger.requesting(station, action, payload, description=description) as request:
        with step(request_step):
            call = await request.received()
            for what, match in checks:
                conform(call, what, match)
        with step(answer_step):
            await call.reply(dict(answer(call) if callable(answer) else answer))
            await request.completed()
    return call
