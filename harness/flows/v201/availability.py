"""ChangeAvailability for OCPP 2.0.1 ``_CS`` cases (use cases G03 and G04).

A target is the whole station (``evse`` 0), one EVSE, or one connector of
an EVSE. The station reports the state of each connector it concerns by a
StatusNotificationRequest or a NotifyEventRequest on ``AvailabilityState``
(either form, or both: :meth:`StationFlow.expect_availability`); a state
reported for the EVSE or the station in a NotifyEvent counts for each of its
connectors where the catalogue lists that component.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile

__all__ = [
    "ALL_LEVELS",
    "Place",
    "change_availability",
    "expect_states",
    "places",
    "states",
]

Place = tuple[int, int]
#: Components whose AvailabilityState may stand for a connector's.
ALL_LEVELS = ("ChargingStation", "EVSE", "Connector")


def places(dut: DutProfile, evse: int = 0, connector: int | None = None) -> list[Place]:
    """The (EVSE, connector) pairs a target concerns: ``evse`` 0 is the whole station."""
    return [(e, c) for e, c in dut.connectors if evse in (0, e) and connector in (None, c)]


def states(
    dut: DutProfile, status: str, evse: int = 0, connector: int | None = None
) -> dict[Place, str]:
    """Every connector's expected state: ``status`` in the target, Available elsewhere."""
    inside = set(places(dut, evse, connector))
    return {place: status if place in inside else "Available" for place in dut.connectors}


async def change_availability(
    flow: StationFlow,
    operational: str,
    status: str,
    *,
    evse: int = 0,
    connector: int | None = None,
) -> Reply:
    """ChangeAvailabilityRequest ``operational`` for the target, answered ``status``."""
    request: dict[str, Any] = {"operationalStatus": operational}
    if evse:
        request["evse"] = {"id": evse}
        if connector is not None:
            request["evse"]["connectorId"] = connector
    return await flow.csms.call("ChangeAvailability", request, status=status)


async def expect_states(
    flow: StationFlow,
    expected: Mapping[Place, str],
    after: IncomingCall | int,
    *,
    components: tuple[str, ...] = ("Connector",),
) -> list[IncomingCall]:
    """Each connector of ``expected`` reports its state (either form) after ``after``."""
    return [
        await flow.expect_availability(
            status, after, evse=evse, connector=connector, components=components
        )
        for (evse, connector), status in expected.items()
    ]
