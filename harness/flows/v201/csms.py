"""OCPP 2.0.1 reusable states for ``_CSMS`` cases: the harness plays the station.

Each function performs one reusable state of the catalogue against the CSMS
under test, step by step, checks the CSMS's answers and returns what later
steps need (the boot answer, the transaction). Transactions are described by
a :class:`Transaction`, which also numbers the TransactionEvent ``seqNo``.

States: :func:`booted`, :func:`authorized`, :func:`ev_connected_pre_session`,
:func:`energy_transfer_started`, :func:`stop_authorized`,
:func:`ev_connected_post_session`, :func:`ev_disconnected`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from harness.checks import conform, conform_reply
from harness.errors import (
    UnexpectedStatus,
)
from harness.flows.common import stay_connected, token
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.steps import step

__all__ = [
    "Transaction",
    "authorized",
    "boot",
    "booted",
    "conform",
    "conform_reply",
    "connector_reports",
    "delta_event",
    "energy_transfer_started",
    "energy_transfer_suspended",
    "ev_connected_post_session",
    "ev_connected_pre_session",
    "ev_connection_timeout_elapsed",
    "ev_disconnected",
    "id_token",
    "report_connector",
    "retry_interval_elapsed",
    "stop_authorized",
    "token",
    "transaction_duration_elapsed",
    "transaction_event",
]


@dataclass
class Transaction:
    """A transaction of the harness station, as the CSMS has been told about it.

    Attributes:
        id: the transaction id the station generated.
        evse_id: the EVSE it runs on.
        connector_id: the connector it runs on.
        token: the idToken that authorized it, once authorized.
        ev_connected: whether the cable is plugged in.
        started: whether a ``Started`` event was sent.
        seq_no: the ``seqNo`` of the next TransactionEvent.
    """

    id: str
    evse_id: int
    connector_id: int
    token: dict[str, str] | None = None
    ev_connected: bool = False
    started: bool = False
    seq_no: int = 0

    @classmethod
    def new(cls, dut: DutProfile) -> Transaction:
        """A fresh transaction on the profile's first connector."""
        evse_id, connector_id = dut.connectors[0]
        return cls(str(uuid.uuid4()), evse_id, connector_id)

    def next_seq(self) -> int:
        seq, self.seq_no = self.seq_no, self.seq_no + 1
        return seq


def id_token(dut: DutProfile, token: str | None = None) -> dict[str, str]:
    """An ``IdTokenType`` for ``token`` (default: the profile's valid token)."""
    value = token if token is not None else dut.tokens.valid
    return {"idToken": str(value), "type": dut.tokens.token_type}


async def boot(
    station: Session,
    dut: DutProfile,
    *,
    status: str | Collection[str] = "Accepted",
    reason: str = "PowerUp",
) -> dict[str, Any]:
    """Send BootNotification (``reason``, PowerUp by default); check the status and interval.

    Returns:
        The BootNotificationResponse payload.
    """
    __tracebackhide__ = True
    reply = await station.call(
        "BootNotification",
        {
            "reason": reason,
            "chargingStation": {
                "model": dut.model or "Harness station",
                "vendorName": dut.vendor or "OCPP Harness",
            },
        },
        status=status,
    )
    interval = reply.payload["interval"]
    if interval < 0:
        raise UnexpectedStatus(
            f"The CSMS answered BootNotification with interval {interval}; an interval is a "
            f"number of seconds and cannot be negative.\n  received: {reply.entry.raw[:400]}",
            action="BootNotification",
            unique_id=reply.call.unique_id,
        )
    return reply.payload


def connector_reports(
    station: Session, evse_id: int, connector_id: int, status: str
) -> list[tuple[str, dict[str, Any]]]:
    """The two requests that report a connector's status: StatusNotification, NotifyEvent."""
    now = utc_now()
    return [
        (
            "StatusNotification",
            {
                "timestamp": now,
                "connectorStatus": status,
                "evseId": evse_id,
                "connectorId": connector_id,
            },
        ),
        (
            "NotifyEvent",
            delta_event(station, "Connector", "AvailabilityState", status, evse_id, connector_id),
        ),
    ]


def delta_event(
    station: Session,
    component: str,
    variable: str,
    value: str,
    evse_id: int,
    connector_id: int,
) -> dict[str, Any]:
    """A NotifyEventRequest: ``component.variable`` became ``value`` on the connector (Delta)."""
    now = utc_now()
    return {
        "generatedAt": now,
        "seqNo": 0,
        "eventData": [
            {
                "eventId": station.mark(),
                "timestamp": now,
                "trigger": "Delta",
                "actualValue": value,
                "component": {
                    "name": component,
                    "evse": {"id": evse_id, "connectorId": connector_id},
                },
                "variable": {"name": variable},
                "eventNotificationType": "HardWiredNotification",
            }
        ],
    }


async def report_connector(station: Session, evse_id: int, connector_id: int, status: str) -> None:
    """Report a connector's status: StatusNotification and NotifyEvent AvailabilityState."""
    __tracebackhide__ = True
    for action, payload in connector_reports(station, evse_id, connector_id, status):
        await station.call(action, payload)


async def transaction_event(
    station: Session,
    tx: Transaction,
    event_type: str,
    trigger_reason: str,
    *,
    charging_state: str | None = None,
    token: dict[str, str] | None = None,
    extra_info: dict[str, Any] | None = None,
    seq_no: int | None = None,
    fields: dict[str, Any] | None = None,
) -> Reply:
    """Send one TransactionEvent for ``tx`` and return the answer.

    Args:
        seq_no: the ``seqNo`` (default: the transaction's next one).
        fields: further top-level fields (``offline``, ``meterValues``, the
            ``timestamp`` of an event that happened earlier).
    """
    __tracebackhide__ = True
    info: dict[str, Any] = {"transactionId": tx.id, **(extra_info or {})}
    if charging_state is not None:
        info["chargingState"] = charging_state
    payload: dict[str, Any] = {
        "eventType": event_type,
        "timestamp": utc_now(),
        "triggerReason": trigger_reason,
        "seqNo": tx.next_seq() if seq_no is None else seq_no,
        "transactionInfo": info,
        "evse": {"id": tx.evse_id, "connectorId": tx.connector_id},
        **(fields or {}),
    }
    if token is not None:
        payload["idToken"] = token
    if event_type == "Started":
        tx.started = True
    return await station.call("TransactionEvent", payload)


async def booted(station: Session, dut: DutProfile) -> dict[str, Any]:
    """Reusable state Booted: boot accepted, every connector reported Available.

    Returns:
        The BootNotificationResponse payload.
    """
    with step("Booted 1-2. BootNotification (PowerUp) is answered Accepted"):
        answer = await boot(station, dut)
    with step("Booted 3-4. Every connector is reported Available and acknowledged"):
        for evse_id, connector_id in dut.connectors:
            await report_connector(station, evse_id, connector_id, "Available")
    return answer


async def authorized(
    station: Session, dut: DutProfile, tx: Transaction | None = None, *, name: str = "valid"
) -> Transaction:
    """Reusable state Authorized: Authorize, then a TransactionEvent triggered by it.

    Args:
        tx: the transaction when the EV is already connected (event Updated);
            None starts a new one (event Started).
        name: the profile's idToken that authorizes (``valid``, ``valid2``).
    """
    tx = tx or Transaction.new(dut)
    token = id_token(dut, getattr(dut.tokens, name))
    with step(f"Authorized 1-2. Authorize with the {name} idToken is answered Accepted"):
        reply = await station.call("Authorize", {"idToken": token})
        conform_reply(reply, "idTokenInfo Accepted", {"idTokenInfo": {"status": "Accepted"}})
    with step("Authorized 3-4. TransactionEvent (Authorized) is answered with Accepted"):
        event = "Updated" if tx.started else "Started"
        reply = await transaction_event(station, tx, event, "Authorized", token=token)
        conform_reply(reply, "idTokenInfo Accepted", {"idTokenInfo": {"status": "Accepted"}})
    tx.token = token
    return tx


async def ev_connected_pre_session(
    station: Session, dut: DutProfile, tx: Transaction | None = None
) -> Transaction:
    """Reusable state EVConnectedPreSession: cable plugged in, transaction reported.

    Args:
        tx: the transaction when already authorized (event Updated); None
            starts a new one (event Started, TxStartPoint EVConnected).
    """
    tx = tx or Transaction.new(dut)
    with step("EVConnectedPreSession 1-2. The connector is reported Occupied"):
        await report_connector(station, tx.evse_id, tx.connector_id, "Occupied")
    with step("EVConnectedPreSession 3-4. TransactionEvent (CablePluggedIn) is acknowledged"):
        event = "Updated" if tx.started else "Started"
        await transaction_event(station, tx, event, "CablePluggedIn", charging_state="EVConnected")
    tx.ev_connected = True
    return tx


async def energy_transfer_started(
    station: Session, dut: DutProfile, tx: Transaction | None = None, *, name: str = "valid"
) -> Transaction:
    """Reusable state EnergyTransferStarted: authorized (if needed), plugged in, charging.

    ``name`` is the profile's idToken that authorizes (``valid``, ``valid2``).
    """
    if tx is None or tx.token is None:
        tx = await authorized(station, dut, tx, name=name)
    if not tx.ev_connected:
        with step("EnergyTransferStarted 1-2. The connector is reported Occupied"):
            await report_connector(station, tx.evse_id, tx.connector_id, "Occupied")
        with step("EnergyTransferStarted 3-4. TransactionEvent (CablePluggedIn) is acknowledged"):
            await transaction_event(
                station, tx, "Updated", "CablePluggedIn", charging_state="EVConnected"
            )
        tx.ev_connected = True
    with step("EnergyTransferStarted 5-6. TransactionEvent (Charging) is acknowledged"):
        await transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="Charging"
        )
    return tx


async def energy_transfer_suspended(
    station: Session, dut: DutProfile, tx: Transaction | None = None
) -> Transaction:
    """Reusable state EnergyTransferSuspended: after the transaction duration, the EV suspends."""
    if tx is None:
        tx = await energy_transfer_started(station, dut)
    with step(
        "EnergyTransferSuspended. The transaction runs for <Configured Transaction Duration>"
    ):
        await transaction_duration_elapsed(station, dut)
    with step("EnergyTransferSuspended 1-2. TransactionEvent (SuspendedEV) is acknowledged"):
        await transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV"
        )
    return tx


async def stop_authorized(station: Session, dut: DutProfile, tx: Transaction) -> Transaction:
    """Reusable state StopAuthorized: the driver's token stops the transaction."""
    with step("StopAuthorized 1-2. TransactionEvent (StopAuthorized) is answered Accepted"):
        reply = await transaction_event(
            station, tx, "Updated", "StopAuthorized", token=tx.token or id_token(dut)
        )
        conform_reply(reply, "idTokenInfo Accepted", {"idTokenInfo": {"status": "Accepted"}})
    return tx


async def ev_connected_post_session(
    station: Session, dut: DutProfile, tx: Transaction
) -> Transaction:
    """Reusable state EVConnectedPostSession: energy transfer stopped, cable still in."""
    with step("EVConnectedPostSession 1-2. TransactionEvent (EVConnected) is acknowledged"):
        await transaction_event(
            station, tx, "Updated", "ChargingStateChanged", charging_state="EVConnected"
        )
    return tx


async def ev_disconnected(
    station: Session, dut: DutProfile, tx: Transaction, *, ended: bool = True
) -> Transaction:
    """Reusable state EVDisconnected: cable unplugged, the transaction ends.

    Args:
        ended: False where the transaction outlives the cable (TxStopPoint
            ParkingBayOccupancy, errata 2025-01 fig. 56): the event is an
            ``Updated`` one and the EV leaving the bay ends it later.
    """
    with step("EVDisconnected 1-2. The connector is reported Available"):
        await report_connector(station, tx.evse_id, tx.connector_id, "Available")
    event = "Ended" if ended else "Updated"
    with step(
        f"EVDisconnected 3-4. TransactionEvent {event} (EVCommunicationLost) is acknowledged"
    ):
        await transaction_event(
            station,
            tx,
            event,
            "EVCommunicationLost",
            charging_state="Idle",
            extra_info={"stoppedReason": "EVDisconnected"} if ended else None,
        )
    tx.ev_connected = False
    return tx


async def retry_interval_elapsed(station: Session, dut: DutProfile, interval: int) -> None:
    """Let the retry interval of a Pending boot pass, watching the connection.

    A station must not boot again before the interval the CSMS gave (0: its
    own heartbeat interval). The wait is the protocol's, capped at the
    profile's ``boot_timeout``; requests the CSMS sends meanwhile are
    answered by the station's default policy.

    Raises:
        DutDisconnected: the CSMS closed the connection during the interval.
    """
    __tracebackhide__ = True
    seconds = min(float(interval or dut.timing.heartbeat_interval), dut.timing.boot_timeout)
    await stay_connected(station, seconds, "the retry interval of a Pending boot")


async def transaction_duration_elapsed(station: Session, dut: DutProfile) -> None:
    """Let the <Configured Transaction Duration> pass while the transaction runs.

    The catalogue's "Wait for <Configured Transaction Duration>": the station
    charges; requests the CSMS sends meanwhile get the default answers.

    Raises:
        DutDisconnected: the CSMS closed the connection meanwhile.
    """
    __tracebackhide__ = True
    seconds = dut.timing.transaction_duration * station.time_factor
    await stay_connected(station, seconds, "the configured transaction duration")


async def ev_connection_timeout_elapsed(station: Session, dut: DutProfile) -> None:
    """Let the <Configured EV connection timeout> pass with no cable plugged in.

    Raises:
        DutDisconnected: the CSMS closed the connection meanwhile.
    """
    __tracebackhide__ = True
    seconds = dut.timing.connection_timeout * station.time_factor
    await stay_connected(station, seconds, "the configured EV connection timeout")
