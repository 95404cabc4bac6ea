"""OCPP 2.0.1 behaviour of the reference CSMS.

Answers: BootNotification, Heartbeat and DataTransfer (shared rules),
Authorize with ``idTokenInfo`` from the token list, TransactionEvent (Started
/ Updated / Ended, tracked per transaction id with its ``seqNo``;
``idTokenInfo`` whenever the event carries an idToken), StatusNotification
recorded; NotifyEvent, MeterValues, NotifyReport, NotifyMonitoringReport,
SecurityEventNotification, FirmwareStatusNotification and
LogStatusNotification acknowledged. Other station requests are not
supported (``NotSupported``). Requests the CSMS sends on a trigger are completed
here: a RequestStartTransaction gets a fresh ``remoteStartId``, a
RequestStopTransaction without ``transactionId`` stops the active transaction.
A station whose registration is Pending or Rejected gets ``SecurityError``
for what it may not send then (:mod:`~harness.sim.csms.v201_registration`).
"""

from __future__ import annotations

from typing import Any

from harness.errors import UsageError
from harness.ocppj.connection import IncomingCall
from harness.sim.csms import v201_registration, v201_seq_numbers
from harness.sim.csms.policy import Answer, CsmsPolicy
from harness.sim.csms.state import CsmsState, StationState, Transaction

__all__ = ["ACKNOWLEDGED", "V201Policy", "prepare_request_v201"]

#: Notifications the reference answers with an empty payload, taking no action.
ACKNOWLEDGED = (
    "NotifyEvent",
    "MeterValues",
    "NotifyReport",
    "NotifyMonitoringReport",
    "SecurityEventNotification",
    "FirmwareStatusNotification",
    "LogStatusNotification",
)


class V201Policy(CsmsPolicy):
    """The 2.0.1 reply policy of one station connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers.update(
            {
                "Authorize": self.authorize,
                "TransactionEvent": self.transaction_event,
                "StatusNotification": self.status_notification,
                **dict.fromkeys(ACKNOWLEDGED, self.acknowledge),
            }
        )

    def __call__(self, incoming: IncomingCall) -> Answer:
        refused = v201_registration.refusal(self.station, incoming.action)
        if (
            refused is None
            and incoming.action == "TransactionEvent"
            and self.faults.on(v201_seq_numbers.KNOB)
        ):
            refused = v201_seq_numbers.refusal(self.station, incoming.payload)
        if refused is not None:
            return Answer(refused)
        return super().__call__(incoming)

    def authorize(self, payload: dict[str, Any]) -> dict[str, Any]:
        token = str(payload["idToken"]["idToken"])
        return {"idTokenInfo": self.state.authorizer.id_token_info(token)}

    def transaction_event(self, payload: dict[str, Any]) -> dict[str, Any]:
        info = payload["transactionInfo"]
        transaction_id = str(info["transactionId"])
        transaction = self.station.transactions.get(transaction_id)
        if transaction is None:
            evse = payload.get("evse", {})
            transaction = Transaction(transaction_id, connector=int(evse.get("id", 0)))
            self.station.transactions[transaction_id] = transaction
        transaction.seq_no = int(payload["seqNo"])
        if "remoteStartId" in info:
            transaction.remote_start_id = int(info["remoteStartId"])
        if payload["eventType"] == "Ended":
            transaction.ended = True
        token = payload.get("idToken")
        if not token:
            return {}
        transaction.token = str(token["idToken"])
        return {"idTokenInfo": self.state.authorizer.id_token_info(str(token["idToken"]))}

    def status_notification(self, payload: dict[str, Any]) -> dict[str, Any]:
        key = f"{payload['evseId']}/{payload['connectorId']}"
        self.station.connectors[key] = str(payload["connectorStatus"])
        return {}


def prepare_request_v201(
    state: CsmsState,
    station: StationState,
    action: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """The request the CSMS sends for a trigger of ``action`` with ``payload``.

    Raises:
        UsageError: a RequestStopTransaction without id while no transaction runs.
    """
    request = dict(payload)
    v201_registration.note_request(station, action, request)
    if action == "RequestStartTransaction":
        request.setdefault("remoteStartId", state.new_remote_start_id())
    if action == "RequestStopTransaction" and "transactionId" not in request:
        active = station.active_transaction()
        if active is None:
            raise UsageError(f"station {station.identity!r} has no active transaction to stop")
        request["transactionId"] = active.id
    return request
