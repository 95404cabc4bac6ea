"""Fault knobs of the OCPP 1.6 reference station and how messages are broken.

:data:`KNOBS` documents every knob the 1.6 simulator understands (the same
table is in ``docs/station-simulator-1.6.md``). Knobs that break a message's
content are applied here, in one place, to the requests the station sends
(:func:`mutate_request`) and to its answers (:func:`mutate_reply`); knobs
that change behaviour are read where the behaviour lives.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.sim.faults import Faults

__all__ = ["BAD_TIMESTAMP", "KNOBS", "mutate_reply", "mutate_request", "negative_reply"]

#: Every knob, with what it does (``<Action>`` etc. mark an argument).
KNOBS: dict[str, str] = {
    "skip_status[:<Status>]": "never sends StatusNotification for connectors 1..n "
    "(only those with status <Status>, when given)",
    "skip_connector0_status": "never sends StatusNotification for connector 0",
    "boot_no_retry": "after a Pending or Rejected boot, never sends BootNotification again",
    "boot_ignore_interval": "retries a refused BootNotification at once, ignoring the interval",
    "no_heartbeat": "never sends Heartbeat on its own (a triggered one is still sent)",
    "wrong_enum:<Action>": "puts an unknown value in the status/reason enum of <Action> "
    "(a request it sends or its answer to a request)",
    "schema_violation:<Action>": "leaves a required field out of <Action> (request or answer)",
    "bad_timestamp": "writes timestamps without a time zone (not RFC 3339)",
    "duplicate:<Action>": "sends each <Action> request twice with the same message id",
    "ignore_call:<Action>": "never answers the Central System's <Action>",
    "reply_late:<Action>": "answers <Action> only after the message timeout has passed",
    "reject:<Action>": "answers <Action> with its negative status (Rejected, NotSupported, "
    "UnlockFailed, ...) and does nothing",
    "ignore_reset": "accepts Reset but does not reboot",
    "no_stop_transaction": "ends transactions without sending StopTransaction",
    "wrong_stop_reason": "sends StopTransaction with reason Other whatever the cause",
    "wrong_order": "sends StatusNotification Charging before StartTransaction, and the "
    "boot-time status notifications before the BootNotification is accepted",
    "readonly_writable": "reports read-only keys as writable and accepts changes to them",
    "hide_key:<Key>": "does not know configuration key <Key>",
    "ignore_change": "accepts ChangeConfiguration but keeps the old value",
    "unlock_fails": "answers UnlockConnector with UnlockFailed",
    "forget_availability": "loses the connectors' availability (Inoperative) on reboot",
    "skip_remote_authorize": "starts remote transactions without Authorize even when "
    "AuthorizeRemoteTxRequests is true",
    "trigger_ignored:<Message>": "accepts TriggerMessage for <Message> but never sends it",
    "ignore_fault:<Fault>": "does not notice the rig fault <Fault> (harness.rig.Fault value): "
    "no status change, transactions go on or start",
    "generic_error_code": "reports every fault with errorCode OtherError",
    "start_when_faulted": "starts transactions on a Faulted connector (card and cable)",
    "power_loss_abrupt": "goes down at once on a power loss despite backup power "
    "(PICS backup_power); the transactions are stopped after the reboot",
    "ignore_ev_disconnect": "keeps the transaction going when the EV side is unplugged, "
    "whatever StopTransactionOnEVSideDisconnect says",
    "ignore_connection_timeout": "keeps an idTag waiting for the cable for ever "
    "(ConnectionTimeOut is not applied)",
    "connection_timeout_early": "drops an idTag waiting for the cable at once, "
    "not after ConnectionTimeOut",
}

#: A timestamp that breaks the date-time format (no time zone, space separator).
BAD_TIMESTAMP = "2024-01-01 12:00:00"

_NEGATIVE = {
    "UnlockConnector": "UnlockFailed",
    "ChangeConfiguration": "Rejected",
    "DataTransfer": "Rejected",
    "TriggerMessage": "Rejected",
}


def negative_reply(action: str) -> dict[str, Any] | None:
    """The refusing answer to ``action``, or None when the answer has no status."""
    if action in ("GetConfiguration", "GetDiagnostics", "GetLocalListVersion"):
        return None
    return {"status": _NEGATIVE.get(action, "Rejected")}


def _break_enum(payload: dict[str, Any]) -> None:
    for key in ("status", "reason", "errorCode"):
        if key in payload:
            payload[key] = "Bogus"
            return
    payload["status"] = "Bogus"


def _drop_required(payload: dict[str, Any]) -> None:
    if payload:
        payload.pop(next(iter(payload)))


def _bad_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: BAD_TIMESTAMP if k == "timestamp" else _bad_timestamps(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_bad_timestamps(v) for v in value]
    return value


def mutate_request(faults: Faults, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The request as the mutant sends it (a copy; unchanged for the reference)."""
    if not faults:
        return payload
    payload = copy.deepcopy(payload)
    if faults.on("wrong_enum", action):
        _break_enum(payload)
    if faults.on("schema_violation", action):
        _drop_required(payload)
    if faults.on("bad_timestamp"):
        payload = _bad_timestamps(payload)
    return payload


def mutate_reply(faults: Faults, action: str, reply: dict[str, Any]) -> dict[str, Any]:
    """The answer as the mutant sends it (a copy; unchanged for the reference)."""
    if not faults:
        return reply
    reply = copy.deepcopy(reply)
    if faults.on("wrong_enum", action):
        _break_enum(reply)
    if faults.on("schema_violation", action):
        _drop_required(reply)
    return reply
