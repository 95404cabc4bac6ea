"""OCPP 2.0.1 building blocks for ``_CS`` cases: idTokens, event patterns, stop checks."""

from __future__ import annotations

from typing import Any

from harness.checks import conform
from harness.expect import Pattern, either, one_of
from harness.flows.common import token
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile

__all__ = [
    "availability_event",
    "connector_report",
    "id_token",
    "suspended_by_ev",
]


def id_token(dut: DutProfile, name: str = "valid") -> dict[str, str]:
    """The profile's ``[tokens].<name>`` as an ``IdTokenType`` with the configured type.

    Raises:
        ConfigurationError: the profile does not configure that token.
    """
    return {"idToken": token(dut, name), "type": dut.tokens.token_type}


def availability_event(
    status: str, evse: int, connector: int, *, components: tuple[str, ...] = ("Connector",)
) -> Pattern:
    """A NotifyEvent whose first event reports ``AvailabilityState`` = ``status`` (Delta)."""

    def reports(payload: dict[str, Any]) -> bool:
        events = payload.get("eventData") or [{}]
        event = events[0]
        component = event.get("component", {})
        place = component.get("evse", {})
        # A Connector names its EVSE and connector, an EVSE its id (the catalogue checks them).
        named = {"Connector": ("id", "connectorId"), "EVSE": ("id",)}
        if not all(key in place for key in named.get(component.get("name"), ())):
            return False
        return (
            event.get("trigger") == "Delta"
            and event.get("actualValue") == status
            and event.get("variable", {}).get("name") == "AvailabilityState"
            and component.get("name") in components
            and place.get("id", evse) == evse
            and place.get("connectorId", connector) == connector
        )

    names = "/".join(components)
    label = f"NotifyEvent: {names} AvailabilityState {status} (Delta) for EVSE {evse}/{connector}"
    return Pattern("NotifyEvent", where=reports, label=label)


def connector_report(
    status: str, evse: int, connector: int, components: tuple[str, ...] = ("Connector",)
) -> Pattern:
    """A connector's state report in either form OCPP 2.0.1 allows.

    A StatusNotificationRequest with ``connectorStatus`` = ``status``, or a
    NotifyEventRequest reporting ``AvailabilityState`` = ``status`` for the
    connector (or for a component above it, among ``components``).
    """
    place = {"evseId": evse, "connectorId": connector}
    return either(
        Pattern("StatusNotification", {**place, "connectorStatus": status}),
        availability_event(status, evse, connector, components=components),
        label=(
            f"StatusNotification {status} or NotifyEvent AvailabilityState {status} "
            f"for EVSE {evse} connector {connector}"
        ),
    )


def suspended_by_ev(found: IncomingCall, what: str, *, strict: bool) -> None:
    """Judge the TransactionEvent that follows the EV suspending the energy transfer.

    With ``EnergyTransfer`` as a stop point the transaction ends (chargingState
    ``EVConnected``, stoppedReason ``StoppedByEV``); otherwise it goes on as
    ``SuspendedEV``. ``strict`` (TC_E_22) ties each chargingState to its
    eventType and always wants triggerReason ``ChargingStateChanged``; the
    reusable state EnergyTransferSuspended accepts either state and wants the
    trigger only for ``SuspendedEV``.
    """
    __tracebackhide__ = True
    ended = found.payload.get("eventType") == "Ended"
    info: dict[str, Any] = {}
    expected: dict[str, Any] = {"transactionInfo": info}
    if strict:
        info["chargingState"] = "EVConnected" if ended else "SuspendedEV"
        expected["triggerReason"] = "ChargingStateChanged"
    else:
        info["chargingState"] = one_of("EVConnected", "SuspendedEV")
        if found.payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEV":
            expected["triggerReason"] = "ChargingStateChanged"
    if ended:
        info["stoppedReason"] = "StoppedByEV"
    conform(found, what, expected)
