"""OCPP 2.0.1 TriggerMessage (F06) for ``_CS`` cases: the request and the triggered message.

Every trigger case opens with the same two steps, a TriggerMessageRequest
and the status it must be answered with; :func:`trigger` sends it and
returns the trace position the triggered message is awaited after.
"""

from __future__ import annotations

from typing import Any

from harness.session import Session
from harness.steps import step

__all__ = ["first_context", "trigger"]


async def trigger(
    csms: Session,
    requested: str,
    *,
    evse: int | None = None,
    connector: int | None = None,
    status: str = "Accepted",
    numbers: str = "1-2.",
) -> int:
    """Steps 1-2 (or ``numbers``): TriggerMessageRequest for ``requested``, answered ``status``.

    Returns:
        The trace position before the request: the triggered message comes after it.
    """
    payload: dict[str, Any] = {"requestedMessage": requested}
    where = ""
    if evse is not None:
        payload["evse"] = {"id": evse}
        where = f" for EVSE {evse}"
        if connector is not None:
            payload["evse"]["connectorId"] = connector
            where += f" connector {connector}"
    mark = csms.mark()
    with step(f"{numbers} TriggerMessageRequest {requested}{where} is answered {status}"):
        await csms.call("TriggerMessage", payload, status=status)
    return mark


class first_context:
    """``meterValue[0].sampledValue[0].context`` is ``context`` (the catalogue's check)."""

    def __init__(self, context: str) -> None:
        self.context = context

    def __call__(self, value: Any) -> bool:
        try:
            return bool(value[0]["sampledValue"][0].get("context") == self.context)
        except (LookupError, TypeError, AttributeError):
            return False

    def __repr__(self) -> str:
        return f"meterValue[0].sampledValue[0].context {self.context!r}"
