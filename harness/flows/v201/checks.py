"""OCPP 2.0.1 building blocks for ``_CS`` cases: idTokens from the profile, event patterns."""

from __future__ import annotations

from typing import Any

from harness.expect import Pattern
from harness.flows.common import token
from harness.profile import DutProfile

__all__ = ["availability_event", "id_token"]


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
