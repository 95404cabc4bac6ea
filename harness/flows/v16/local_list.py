"""OCPP 1.6 Local Auth List Management, the harness as Central System: list updates and versions.

:func:`send_local_list` sends one SendLocalList and requires its status;
:func:`expect_list_version` asks GetLocalListVersion and requires the version;
:func:`list_entry` writes one entry of the list; :func:`list_capacity` reads
the two size keys (LocalAuthListMaxLength, SendLocalListMaxLength).
"""

from __future__ import annotations

from typing import Any

from harness.checks import conform_reply
from harness.flows.v16.cs import answer_fails, configuration, require_setting
from harness.ocppj.connection import Reply
from harness.session import Session

__all__ = [
    "expect_list_version",
    "list_capacity",
    "list_enabled",
    "list_entry",
    "send_local_list",
]


def list_entry(id_tag: str, status: str = "Accepted") -> dict[str, Any]:
    """One entry of a local authorization list: the idTag with its idTagInfo."""
    return {"idTag": id_tag, "idTagInfo": {"status": status}}


async def list_enabled(csms: Session) -> None:
    """Configuration State: LocalAuthListEnabled is true."""
    await require_setting(csms, "LocalAuthListEnabled", "true")


async def send_local_list(
    csms: Session,
    version: int,
    update_type: str,
    entries: list[dict[str, Any]] | None = None,
    *,
    status: str = "Accepted",
) -> Reply:
    """SendLocalList with ``listVersion`` and ``updateType`` (no list when ``entries`` is None).

    Raises:
        CallFailed: the answer is not ``status`` (the catalogue's validation).
    """
    __tracebackhide__ = True
    payload: dict[str, Any] = {"listVersion": version, "updateType": update_type}
    if entries is not None:
        payload["localAuthorizationList"] = entries
    return await csms.call("SendLocalList", payload, status=status)


async def expect_list_version(csms: Session, version: int, *, rule: str) -> Reply:
    """GetLocalListVersion, whose answer must give ``version`` (``rule`` cites the step)."""
    __tracebackhide__ = True
    reply = await csms.call("GetLocalListVersion", {})
    conform_reply(reply, f"listVersion {version} ({rule})", {"listVersion": version})
    return reply


async def list_capacity(csms: Session) -> tuple[int, int]:
    """(LocalAuthListMaxLength, SendLocalListMaxLength), read with one GetConfiguration.

    Raises:
        CallFailed: a key of the Local Auth List Management profile is missing
            or not a number.
    """
    keys = ["LocalAuthListMaxLength", "SendLocalListMaxLength"]
    reply = await csms.call("GetConfiguration", {"key": keys})
    found = configuration(reply)
    values: list[int] = []
    for key in keys:
        text = str(found.get(key, {}).get("value", ""))
        if not text.isdigit():
            raise answer_fails(
                reply, f"does not give {key} (Local Auth List Management) as a number"
            )
        values.append(int(text))
    return values[0], values[1]
