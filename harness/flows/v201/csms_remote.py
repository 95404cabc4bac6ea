"""OCPP 2.0.1 remote control (block F) for ``_CSMS`` cases: the harness plays the station.

The CSMS under test is made to send RequestStartTransaction or a
TriggerMessage (:func:`~harness.flows.requested.requested`); the station
answers as the catalogue prescribes and then sends what was asked for
(:func:`triggered_meter_values`, :func:`triggered_transaction_event`), each
acknowledged by the CSMS.
"""

from __future__ import annotations

from typing import Any

from harness.flows.requested import requested
from harness.flows.v201.csms import Transaction, id_token
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.trigger import CsmsTrigger

__all__ = [
    "remote_start",
    "trigger_message",
    "triggered_meter_values",
    "triggered_transaction_event",
]

# The remoteStartId suggested to the CSMS; the station uses the one the CSMS actually sends.
_REMOTE_START_ID = 1


def _trigger_reading() -> list[dict[str, Any]]:
    """One meter value whose first sampled value has context Trigger."""
    return [
        {
            "timestamp": utc_now(),
            "sampledValue": [
                {
                    "value": 0.0,
                    "context": "Trigger",
                    "measurand": "Energy.Active.Import.Register",
                    "unitOfMeasure": {"unit": "Wh"},
                }
            ],
        }
    ]


async def remote_start(
    trigger: CsmsTrigger, station: Session, dut: DutProfile, tx: Transaction
) -> IncomingCall:
    """Steps 1-2 of a remote start first: RequestStartTransaction, Accepted without a transactionId.

    Returns:
        The CSMS's request (its ``remoteStartId`` goes into the Started event).
    """
    valid = id_token(dut)
    return await requested(
        trigger,
        station,
        "RequestStartTransaction",
        {"idToken": valid, "evseId": tx.evse_id, "remoteStartId": _REMOTE_START_ID},
        description=f"Make the CSMS start a transaction remotely on EVSE {tx.evse_id} "
        f"for idToken {valid['idToken']}",
        request_step="1. The CSMS sends RequestStartTransactionRequest for the valid idToken",
        answer_step="2. The station answers Accepted, transactionId omitted",
        answer={"status": "Accepted"},
        checks=[("idToken <Configured valid_idtoken>", {"idToken": valid})],
    )


async def trigger_message(
    trigger: CsmsTrigger,
    station: Session,
    message: str,
    *,
    evse: int | None = None,
    connector: int | None = None,
    status: str = "Accepted",
    numbers: tuple[str, str] = ("1.", "2."),
    checked: bool = True,
) -> IncomingCall:
    """The CSMS is made to send TriggerMessage for ``message``; the station answers ``status``.

    With ``evse`` the request must name that EVSE (``evse.id``, the catalogue's
    check); ``connector`` is only asked for, not checked. ``checked=False``: the
    case validates nothing of the request (TC_F_27_CSMS).
    """
    payload: dict[str, Any] = {"requestedMessage": message}
    expected: dict[str, Any] = {"requestedMessage": message}
    where = ""
    if evse is not None:
        payload["evse"] = {"id": evse}
        expected["evse"] = {"id": evse}
        where = f" for EVSE {evse}"
        if connector is not None:
            payload["evse"]["connectorId"] = connector
    return await requested(
        trigger,
        station,
        "TriggerMessage",
        payload,
        description=f"Make the CSMS send a TriggerMessage asking the station for {message}{where}",
        request_step=f"{numbers[0]} The CSMS sends TriggerMessageRequest for {message}{where}",
        answer_step=f"{numbers[1]} The station answers {status}",
        answer={"status": status},
        checks=[(f"requestedMessage {message}{where}", expected)] if checked else [],
    )


async def triggered_meter_values(station: Session, evse: int) -> Reply:
    """The triggered MeterValues (context Trigger) of ``evse``, acknowledged by the CSMS."""
    return await station.call("MeterValues", {"evseId": evse, "meterValue": _trigger_reading()})


async def triggered_transaction_event(station: Session, tx: Transaction, *, evse: bool) -> Reply:
    """The triggered TransactionEvent of ``tx``: Trigger, Charging, a Trigger reading.

    Args:
        evse: whether the event names its EVSE (``evse.id`` may be omitted after the first).
    """
    payload: dict[str, Any] = {
        "eventType": "Updated",
        "timestamp": utc_now(),
        "triggerReason": "Trigger",
        "seqNo": tx.next_seq(),
        "transactionInfo": {"transactionId": tx.id, "chargingState": "Charging"},
        "meterValue": _trigger_reading(),
    }
    if evse:
        payload["evse"] = {"id": tx.evse_id}
    return await station.call("TransactionEvent", payload)
