"""OCPP 1.6 behaviour of the reference CSMS.

Answers: BootNotification, Heartbeat and DataTransfer (shared rules),
Authorize and StartTransaction/StopTransaction with ``idTagInfo`` from the
token list, transaction ids allocated by the CSMS, StatusNotification
recorded; MeterValues, DiagnosticsStatusNotification,
FirmwareStatusNotification and the security extension's notifications
acknowledged. Other charge point requests (SignCertificate) are not
supported (``NotSupported``). Requests the CSMS sends on a trigger are completed here: a
RemoteStopTransaction without ``transactionId`` stops the station's active
transaction.
"""

from __future__ import annotations

from typing import Any

from harness.errors import UsageError
from harness.sim.csms.policy import CsmsPolicy
from harness.sim.csms.state import StationState, Transaction

__all__ = ["ACKNOWLEDGED", "V16Policy", "prepare_request_v16"]

#: Notifications the reference answers with an empty payload, taking no action.
ACKNOWLEDGED = (
    "MeterValues",
    "DiagnosticsStatusNotification",
    "FirmwareStatusNotification",
    "SecurityEventNotification",
    "LogStatusNotification",
    "SignedFirmwareStatusNotification",
)


class V16Policy(CsmsPolicy):
    """The 1.6 reply policy of one station connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers.update(
            {
                "Authorize": self.authorize,
                "StartTransaction": self.start_transaction,
                "StopTransaction": self.stop_transaction,
                "StatusNotification": self.status_notification,
                **dict.fromkeys(ACKNOWLEDGED, self.acknowledge),
            }
        )

    def authorize(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {"idTagInfo": self.state.authorizer.id_tag_info(str(payload["idTag"]))}

    def start_transaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        # An id is allocated even for a refused tag: the station needs it to stop.
        transaction_id = self.state.new_transaction_id()
        tag = str(payload["idTag"])
        self.station.transactions[str(transaction_id)] = Transaction(
            str(transaction_id), connector=int(payload["connectorId"]), token=tag
        )
        return {
            "transactionId": transaction_id,
            "idTagInfo": self.state.authorizer.id_tag_info(tag),
        }

    def stop_transaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        known = self.station.transactions.get(str(payload["transactionId"]))
        if known is not None:
            known.ended = True
        tag = payload.get("idTag")
        return {"idTagInfo": self.state.authorizer.id_tag_info(str(tag))} if tag else {}

    def status_notification(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.station.connectors[str(payload["connectorId"])] = str(payload["status"])
        return {}


def prepare_request_v16(
    station: StationState, action: str, payload: dict[str, Any]
) -> dict[str, Any]:
    """The request the CSMS sends for a trigger of ``action`` with ``payload``.

    Raises:
        UsageError: a RemoteStopTransaction without id while no transaction runs.
    """
    request = dict(payload)
    if action == "RemoteStopTransaction" and "transactionId" not in request:
        active = station.active_transaction()
        if active is None:
            raise UsageError(f"station {station.identity!r} has no active transaction to stop")
        request["transactionId"] = int(active.id)
    return request
