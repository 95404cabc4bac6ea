"""Fault knobs of the 2.0.1 reference station: what each one breaks, and how.

The knobs without an argument are read where the behaviour lives (boot,
status, transactions, handlers). The knobs that take an OCPP action act on
the wire, here: :class:`Mutations` rewrites the station's requests before they
are sent and its answers before they go back to the CSMS. Arguments are
checked when the station is built, so a typo in a self-test is refused
instead of silently testing the reference behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.errors import ConfigurationError
from harness.ocppj.actions import actions, initiator_allowed
from harness.ocppj.validation import response_schema
from harness.ocppj.versions import OcppVersion, Role
from harness.sim.faults import Faults

__all__ = ["EV_STATES", "FAULT_KNOBS", "Mutations"]

#: Every knob, with what it breaks (rendered in the docs and the class docstring).
FAULT_KNOBS: dict[str, str] = {
    "skip_status": "sends no StatusNotification (``skip_status:<connectorStatus>``: only those)",
    "skip_notify_event": "sends no NotifyEvent (``skip_notify_event:<actualValue>``: only those)",
    "skip_security_event": "sends no SecurityEventNotification after boot",
    "boot_wrong_reason": "boots with RemoteReset after power-up and PowerUp after a reset",
    "boot_no_retry": "never repeats a BootNotification answered Pending or Rejected",
    "boot_retry_early": "repeats a Pending/Rejected BootNotification at once, ignoring interval",
    "send_while_rejected": "sends a Heartbeat while its boot is Rejected",
    "bad_timestamp": "writes every timestamp without date/time separator and time zone",
    "ignore_reset": "accepts Reset but never reboots",
    "no_seqno_increment": "sends seqNo 0 in every TransactionEvent of a transaction",
    "tx_not_ended": "forgets a transaction without sending its Ended event",
    "no_remote_start_id": "omits remoteStartId after a RequestStartTransaction",
    "cache_disabled": "never stores nor uses the authorization cache (while reporting it enabled)",
    "accept_any_token": "authorizes an idToken whatever the CSMS answered to Authorize",
    "wrong_trigger_reason": "sends triggerReason Trigger in every TransactionEvent",
    "ignore_trigger": "accepts TriggerMessage but sends nothing",
    "ignore_availability": "accepts ChangeAvailability but changes and reports nothing",
    "ignore_set_variables": "answers SetVariables Accepted but keeps every old value",
    "ignore_tx_start_point": "accepts a new TxCtrlr.TxStartPoint but keeps using the old one",
    "ignore_ev_state": "``ignore_ev_state:<A-F>``: does not notice the EV entering that CP state",
    "wrong_stopped_reason": "ends every transaction with stoppedReason Other",
    "stale_charging_state": "reports the chargingState from before the change in an Ended event",
    "wrong_enum": "``wrong_enum:<Action>``: an invalid enum value in that request or answer",
    "schema_violation": "``schema_violation:<Action>``: drops a required field of that message",
    "duplicate": "``duplicate:<Action>``: sends that request twice",
    "ignore_call": "``ignore_call:<Action>``: never answers that CSMS request",
    "reply_late": "``reply_late:<Action>``: answers that request after the message timeout",
    "reject": "``reject:<Action>``: answers that request Rejected without acting on it",
}

# Where each request the station sends carries an enum value, and a required field.
_REQUEST_ENUM: dict[str, tuple[str | int, ...]] = {
    "BootNotification": ("reason",),
    "StatusNotification": ("connectorStatus",),
    "TransactionEvent": ("triggerReason",),
    "NotifyEvent": ("eventData", 0, "trigger"),
    "Authorize": ("idToken", "type"),
    "MeterValues": ("meterValue", 0, "sampledValue", 0, "context"),
}
_REQUEST_REQUIRED: dict[str, str] = {
    "BootNotification": "reason",
    "StatusNotification": "connectorStatus",
    "TransactionEvent": "triggerReason",
    "NotifyEvent": "eventData",
    "Authorize": "idToken",
    "SecurityEventNotification": "type",
    "MeterValues": "meterValue",
    "NotifyReport": "generatedAt",
}
_LIST_RESULTS = {"GetVariables": "getVariableResult", "SetVariables": "setVariableResult"}
_ARG_KNOBS = ("wrong_enum", "schema_violation", "duplicate", "ignore_call", "reply_late", "reject")
#: The IEC 61851-1 control-pilot states an EV can be switched to (``ignore_ev_state``).
EV_STATES = ("A", "B", "C", "D", "E", "F")
BOGUS = "Bogus"


def _from_station(action: str) -> bool:
    return initiator_allowed(OcppVersion.V201, action, Role.STATION)


def _reply_status_path(action: str) -> tuple[str | int, ...] | None:
    if action in _LIST_RESULTS:
        return (_LIST_RESULTS[action], 0, "attributeStatus")
    properties = response_schema(OcppVersion.V201, action).get("properties", {})
    return ("status",) if "status" in properties else None


def _refuse(knob: str, why: str) -> ConfigurationError:
    return ConfigurationError(f"fault knob {knob!r}: {why}", field="embedded.faults")


def check_knobs(names: Sequence[str]) -> None:
    """Refuse knob arguments the station cannot honour.

    Raises:
        ConfigurationError: naming the knob and the reason.
    """
    known = actions(OcppVersion.V201)
    for name in names:
        key, _, arg = name.partition(":")
        if key == "ignore_ev_state" and arg and arg not in EV_STATES:
            raise _refuse(name, f"{arg!r} is not a control-pilot state ({', '.join(EV_STATES)})")
        if key not in _ARG_KNOBS:
            continue
        if arg not in known:
            raise _refuse(name, f"{arg!r} is not an OCPP 2.0.1 action")
        station_sends = _from_station(arg)
        if key == "duplicate" and not station_sends:
            raise _refuse(name, "the station only duplicates requests it sends")
        if key in ("ignore_call", "reply_late", "reject") and station_sends:
            raise _refuse(name, "that request comes from the station, not the CSMS")
        if key == "reject" and _reply_status_path(arg) is None:
            raise _refuse(name, f"a {arg} answer has no status to reject with")
        if key == "wrong_enum" and station_sends and arg not in _REQUEST_ENUM:
            raise _refuse(name, f"choose one of {', '.join(sorted(_REQUEST_ENUM))}")
        if key == "wrong_enum" and not station_sends and _reply_status_path(arg) is None:
            raise _refuse(name, f"a {arg} answer has no enum value to break")
        if key == "schema_violation" and station_sends and arg not in _REQUEST_REQUIRED:
            raise _refuse(name, f"choose one of {', '.join(sorted(_REQUEST_REQUIRED))}")


def _set_path(payload: Any, path: tuple[str | int, ...], value: Any) -> bool:
    target = payload
    for part in path[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    if isinstance(target, dict) and isinstance(last, str) and last in target:
        target[last] = value
        return True
    if isinstance(target, list) and isinstance(last, int) and last < len(target):
        target[last] = value
        return True
    return False


class Mutations:
    """The wire-level knobs of one station: rewrite requests and answers."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults

    def request(self, action: str, payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The request as the (mutant) station sends it, and whether to schema-check it."""
        valid = not self.faults.on("bad_timestamp")
        if self.faults.on("wrong_enum", action) and _set_path(
            payload, _REQUEST_ENUM[action], BOGUS
        ):
            valid = False
        if self.faults.on("schema_violation", action):
            payload.pop(_REQUEST_REQUIRED[action], None)
            valid = False
        return payload, valid

    def duplicated(self, action: str) -> bool:
        return self.faults.on("duplicate", action)

    def ignored(self, action: str) -> bool:
        return self.faults.on("ignore_call", action)

    def late(self, action: str) -> bool:
        return self.faults.on("reply_late", action)

    def rejection(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """A Rejected answer that skips the real work, when ``reject:<action>`` is on."""
        if not self.faults.on("reject", action):
            return None
        if action in _LIST_RESULTS:
            data_key = "getVariableData" if action == "GetVariables" else "setVariableData"
            return {
                _LIST_RESULTS[action]: [
                    {
                        "attributeStatus": "Rejected",
                        "component": item["component"],
                        "variable": item["variable"],
                    }
                    for item in payload.get(data_key, [])
                ]
            }
        return {"status": "Rejected"}

    def reply(self, action: str, reply: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The answer as the (mutant) station sends it, and whether to schema-check it."""
        valid = True
        if self.faults.on("wrong_enum", action):
            path = _reply_status_path(action)
            if path is not None and _set_path(reply, path, BOGUS):
                valid = False
        if self.faults.on("schema_violation", action):
            required = response_schema(OcppVersion.V201, action).get("required", [])
            if required:
                reply.pop(required[0], None)
                valid = False
        return reply, valid

    def replies_checked(self, action: str) -> bool:
        return not (
            self.faults.on("wrong_enum", action) or self.faults.on("schema_violation", action)
        )
