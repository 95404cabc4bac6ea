"""OCPP 2.0.1 device-model building blocks for ``_CS`` cases (B05 SetVariables, B06 GetVariables).

The addresses and expected results the Get/SetVariables cases judge, written
once: a result echoes the component and variable it answers, ``attributeType``
absent means ``Actual`` (the schema's default), and a status-specific
``attributeStatusInfo`` is allowed where the catalogue allows it.
"""

from __future__ import annotations

from typing import Any

from harness.checks import conform_reply
from harness.expect import or_absent
from harness.ocppj.connection import Reply
from harness.session import Session

__all__ = ["address", "answered_one", "get_one", "result", "set_one"]


def address(
    component: str, variable: str, *, instance: str | None = None
) -> dict[str, dict[str, str]]:
    """A ``component``/``variable`` pair as it goes on the wire (variable ``instance`` if named)."""
    named: dict[str, str] = {"name": variable}
    if instance is not None:
        named["instance"] = instance
    return {"component": {"name": component}, "variable": named}


def result(
    where: dict[str, dict[str, str]],
    status: Any,
    *,
    value: str | None = None,
    attribute: str = "Actual",
    info: Any = None,
) -> dict[str, Any]:
    """The expected Get/SetVariableResult for ``where``: names echoed, ``status``, optional value.

    Args:
        where: the address asked for (:func:`address`); its names must come back.
        status: the attributeStatus (a value or any matcher of :mod:`harness.expect`).
        value: the attributeValue a GetVariableResult must carry, when given.
        attribute: the attributeType asked for; ``Actual`` may also come back absent.
        info: what attributeStatusInfo may be (None: not judged).
    """
    expected: dict[str, Any] = {
        "component": {"name": where["component"]["name"]},
        "variable": dict(where["variable"]),
        "attributeStatus": status,
        # An absent attributeType means Actual (the schema's default).
        "attributeType": or_absent("Actual") if attribute == "Actual" else attribute,
    }
    if value is not None:
        expected["attributeValue"] = value
    if info is not None:
        expected["attributeStatusInfo"] = info
    return expected


async def get_one(
    csms: Session,
    where: dict[str, dict[str, str]],
    attribute: str | None = None,
    *,
    while_pending: bool = False,
) -> Reply:
    """GetVariables for one variable; ``attribute`` None leaves attributeType out."""
    data: dict[str, Any] = dict(where)
    if attribute is not None:
        data["attributeType"] = attribute
    payload = {"getVariableData": [data]}
    return await csms.call("GetVariables", payload, while_pending=while_pending)


async def set_one(
    csms: Session,
    where: dict[str, dict[str, str]],
    value: str,
    attribute: str | None = None,
    *,
    while_pending: bool = False,
) -> Reply:
    """SetVariables for one variable; ``attribute`` None leaves attributeType out."""
    data: dict[str, Any] = {**where, "attributeValue": value}
    if attribute is not None:
        data["attributeType"] = attribute
    payload = {"setVariableData": [data]}
    return await csms.call("SetVariables", payload, while_pending=while_pending)


async def answered_one(
    csms: Session,
    action: str,
    where: dict[str, dict[str, str]],
    status: str,
    rule: str,
    *,
    value: str = "",
    attribute: str | None = None,
) -> Reply:
    """Get/SetVariables (``action``) for one variable: its one result echoes it with ``status``.

    Args:
        value: the attributeValue a SetVariables writes.
        attribute: the attributeType asked for (None: left out, which means Actual).
        rule: the catalogue step the result is judged for (``TC_B_32_CS step 2``).
    """
    __tracebackhide__ = True
    if action == "GetVariables":
        reply = await get_one(csms, where, attribute)
    else:
        reply = await set_one(csms, where, value, attribute)
    key = "getVariableResult" if action == "GetVariables" else "setVariableResult"
    expected = [result(where, status, attribute=attribute or "Actual")]
    conform_reply(reply, f"attributeStatus {status} ({rule})", {key: expected})
    return reply
