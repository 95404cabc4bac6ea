"""The 2.0.1 availability patterns: which NotifyEvent stands for a connector's state."""

from __future__ import annotations

from typing import Any

import pytest

from harness.flows.v201.checks import availability_event


def _event(component: dict[str, Any], value: str = "Unavailable") -> dict[str, Any]:
    event = {
        "eventId": 1,
        "timestamp": "2024-01-01T00:00:00Z",
        "trigger": "Delta",
        "actualValue": value,
        "eventNotificationType": "HardWiredNotification",
        "component": component,
        "variable": {"name": "AvailabilityState"},
    }
    return {"generatedAt": "2024-01-01T00:00:00Z", "seqNo": 0, "eventData": [event]}


LEVELS = ("ChargingStation", "EVSE", "Connector")


@pytest.mark.parametrize(
    ("component", "counts"),
    [
        ({"name": "Connector", "evse": {"id": 1, "connectorId": 1}}, True),
        ({"name": "Connector", "evse": {"id": 2, "connectorId": 1}}, False),
        ({"name": "Connector", "evse": {"id": 1}}, False),
        ({"name": "Connector"}, False),
        ({"name": "EVSE", "evse": {"id": 1}}, True),
        ({"name": "EVSE"}, False),
        ({"name": "ChargingStation"}, True),
    ],
)
def test_a_component_counts_for_the_connector_only_where_it_names_it(
    component: dict[str, Any], counts: bool
) -> None:
    """A Connector event names its EVSE and connector, an EVSE event its EVSE, to count."""
    pattern = availability_event("Unavailable", 1, 1, components=LEVELS)
    assert pattern.matches("NotifyEvent", _event(component)) is counts
