"""OCPP 1.6 reusable states for ``_CSMS`` cases: the harness plays the charge point.

Each function performs one reusable state of the catalogue against the
Central System under test, checks its answers and returns what later steps
need. States: :func:`booted`, :func:`authorized`, :func:`charging`,
:func:`stopped`; and :func:`start_transaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.checks import conform, conform_reply
from harness.errors import UnexpectedStatus
from harness.flows.common import token
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.steps import step

__all__ = [
    "Transaction",
    "authorize",
    "authorized",
    "boot",
    "booted",
    "charging",
    "conform",
    "conform_reply",
    "first_connector",
    "start_transaction",
    "status_notification",
    "stopped",
    "token",
]


@dataclass
class Transaction:
    """A transaction the Central System started for the harness charge point.

    Attributes:
        id: the transactionId the Central System allocated.
        connector_id: the connector it runs on.
        id_tag: the idTag that started it.
        meter_start: the meter value at the start, in Wh.
    """

    id: int
    connector_id: int
    id_tag: str
    meter_start: int = 0


def first_connector(dut: DutProfile) -> int:
    """The configured connector the test cases use."""
    return dut.connectors[0][1]


async def boot(station: Session, dut: DutProfile) -> dict[str, Any]:
    """Send BootNotification; require Accepted and a usable heartbeat interval.

    Returns:
        The BootNotification.conf payload.
    """
    __tracebackhide__ = True
    reply = await station.call(
        "BootNotification",
        {
            "chargePointVendor": dut.vendor or "OCPP Harness",
            "chargePointModel": dut.model or "Harness charge point",
        },
        status="Accepted",
    )
    interval = reply.payload["interval"]
    if interval < 0:
        raise UnexpectedStatus(
            f"The Central System answered BootNotification with interval {interval}; the "
            f"heartbeat interval is a number of seconds and cannot be negative.\n"
            f"  received: {reply.entry.raw[:400]}",
            action="BootNotification",
            unique_id=reply.call.unique_id,
        )
    return reply.payload


async def status_notification(
    station: Session, connector_id: int, status: str, *, error_code: str = "NoError"
) -> None:
    """Report a connector's status (errorCode NoError unless given); the answer must be valid."""
    __tracebackhide__ = True
    await station.call(
        "StatusNotification",
        {
            "connectorId": connector_id,
            "errorCode": error_code,
            "status": status,
            "timestamp": utc_now(),
        },
    )


async def authorize(station: Session, id_tag: str) -> Reply:
    """Send Authorize for ``id_tag`` and return the answer (status not judged)."""
    __tracebackhide__ = True
    return await station.call("Authorize", {"idTag": id_tag})


async def start_transaction(
    station: Session,
    connector_id: int,
    id_tag: str,
    *,
    timestamp: str | None = None,
    status: str = "Accepted",
    reservation_id: int | None = None,
) -> Transaction:
    """StartTransaction for ``id_tag``; the answer's ``idTagInfo.status`` must be ``status``.

    Args:
        timestamp: when the transaction started (a transaction started
            offline reports the time it happened); default now.
        reservation_id: the reservation the transaction uses, if any.

    Returns:
        The transaction with the id the Central System allocated.
    """
    __tracebackhide__ = True
    payload: dict[str, Any] = {
        "connectorId": connector_id,
        "idTag": id_tag,
        "meterStart": 0,
        "timestamp": timestamp or utc_now(),
    }
    if reservation_id is not None:
        payload["reservationId"] = reservation_id
    reply = await station.call("StartTransaction", payload)
    conform_reply(reply, f"idTagInfo {status}", {"idTagInfo": {"status": status}})
    return Transaction(int(reply.payload["transactionId"]), connector_id, id_tag)


async def booted(station: Session, dut: DutProfile) -> dict[str, Any]:
    """Reusable state Booted: boot accepted; connector 0 and every connector Available."""
    with step("Booted 1-2. BootNotification is answered Accepted"):
        answer = await boot(station, dut)
    with step("Booted 3-4. StatusNotification Available for connector 0 and each connector"):
        for connector_id in (0, *(c for _e, c in dut.connectors)):
            await status_notification(station, connector_id, "Available")
    return answer


async def authorized(station: Session, dut: DutProfile, id_tag: str | None = None) -> str:
    """Reusable state Authorized: Authorize with the valid idTag is answered Accepted.

    Returns:
        The idTag authorized.
    """
    tag = id_tag or str(dut.tokens.valid)
    with step("Authorized 1-2. Authorize with the valid idTag is answered Accepted"):
        reply = await authorize(station, tag)
        conform_reply(reply, "idTagInfo Accepted", {"idTagInfo": {"status": "Accepted"}})
    return tag


async def charging(
    station: Session,
    dut: DutProfile,
    id_tag: str | None = None,
    *,
    reservation_id: int | None = None,
) -> Transaction:
    """Reusable state Charging: Authorized, Preparing, StartTransaction accepted, Charging.

    ``reservation_id``: the reservation the transaction uses (its StartTransaction says so).

    Returns:
        The transaction the Central System started.
    """
    tag = await authorized(station, dut, id_tag)
    connector_id = first_connector(dut)
    with step("Charging 1-2. StatusNotification Preparing is acknowledged"):
        await status_notification(station, connector_id, "Preparing")
    with step("Charging 3-4. StartTransaction is answered with idTagInfo Accepted"):
        tx = await start_transaction(station, connector_id, tag, reservation_id=reservation_id)
    with step("Charging 5-6. StatusNotification Charging is acknowledged"):
        await status_notification(station, connector_id, "Charging")
    return tx


async def stopped(
    station: Session, tx: Transaction, *, reason: str = "Local", meter_stop: int = 1000
) -> dict[str, Any]:
    """Stop ``tx``: StopTransaction, then StatusNotification Finishing.

    Returns:
        The StopTransaction.conf payload.
    """
    with step("Stopped 1-2. StopTransaction is acknowledged"):
        payload: dict[str, Any] = {
            "transactionId": tx.id,
            "meterStop": meter_stop,
            "timestamp": utc_now(),
            "reason": reason,
        }
        if reason == "Local":
            payload["idTag"] = tx.id_tag
        reply = await station.call("StopTransaction", payload)
    with step("Stopped 3-4. StatusNotification Finishing is acknowledged"):
        await status_notification(station, tx.connector_id, "Finishing")
    return reply.payload
