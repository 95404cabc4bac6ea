"""OCPP 2.0.1 remote control (block F) for ``_CS`` cases: settings a case's prerequisite guards.

A Configuration State such as "AuthorizeRemoteStart is true (If ReadWrite)"
comes with a prerequisite "AuthorizeRemoteStart is NOT implemented with
mutability ReadOnly and the value set to false": the station may keep its
own value only when it already is the wanted one (or the variable is absent).
"""

from __future__ import annotations

from harness.errors import NotApplicable
from harness.flows.common import confirm_setting
from harness.flows.v201.cs import StationFlow

__all__ = ["settable_or_holds"]


async def settable_or_holds(flow: StationFlow, component: str, variable: str, value: str) -> None:
    """Set ``component.variable`` to ``value``; a station that refuses must already hold it.

    Raises:
        NotApplicable: the variable is implemented, cannot be set, and holds another value
            (the case's prerequisite excludes such a station).
    """
    setting = flow.setting(component, variable)
    if await setting.write(value):
        await confirm_setting(setting, value)
        return
    current = await setting.read()
    if current is not None and current != value:
        raise NotApplicable(f"{component}.{variable} is read-only with the value {current!r}")
