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

from harness.checks import conform
from harness.errors import NotRun
from harness.flows.v201.cs import StationFlow
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.steps import step

__all__ = [
    "ALL_LEVELS",
    "Place",
    "change_availability",
    "expect_states",
    "places",
    "reset_reboots",
    "states",
    "unavailable_after_transaction",
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


async def _report_if_ended(
    flow: StationFlow, was_open: bool, number: int, inside: list[Place], mark: int
) -> bool:
    """After a state that may end the transaction: its connectors report Unavailable if so."""
    if not (was_open and flow.ended):
        return False
    with step(f"{number}-{number + 1}. The connectors of the target report Unavailable"):
        await expect_states(flow, dict.fromkeys(inside, "Unavailable"), mark)
    return True


async def unavailable_after_transaction(
    flow: StationFlow, first: int, evse: int, connector: int | None = None
) -> None:
    """The scheduled Inoperative takes effect once the running transaction has ended.

    The catalogue walks StopAuthorized, EVConnectedPostSession,
    EVDisconnected and ParkingBayUnoccupied from step ``first`` on; after the
    state that ended the transaction (which one depends on TxStopPoint), the
    connectors of the target report Unavailable, and only then. Once they
    are Unavailable, the cable coming out changes nothing a station reports.
    """
    inside = places(flow.dut, evse, connector)
    number = first
    mark = flow.csms.mark()
    with step(f"{number}. Execute Reusable State StopAuthorized"):
        await flow.stop_authorized_remote()
    done = await _report_if_ended(flow, True, number + 1, inside, mark)
    number += 3
    mark = flow.csms.mark()
    with step(f"{number}. Execute Reusable State EVConnectedPostSession"):
        was_open = not flow.ended
        await flow.ev_connected_post_session()
    done = done or await _report_if_ended(flow, was_open, number + 1, inside, mark)
    number += 3
    mark = flow.csms.mark()
    with step(f"{number}. Execute Reusable State EVDisconnected"):
        was_open = not flow.ended
        if done:
            # Unavailable already: the EVDisconnected report of Available cannot come.
            await flow.rig.plug_out(flow.evse, flow.connector)
            flow.ev_connected = False
        else:
            await flow.ev_disconnected()
    done = done or await _report_if_ended(flow, was_open, number + 1, inside, mark)
    number += 3
    if not done:
        raise NotRun(
            f"{number}. ParkingBayUnoccupied: the transaction ends only when the EV leaves the "
            "parking bay (TxStopPoint ParkingBayOccupancy), which the rig cannot make happen"
        )


async def reset_reboots(
    flow: StationFlow,
    kind: str,
    titles: tuple[str, str, str],
    expected: Mapping[Place, str],
    *,
    components: tuple[str, ...] = ("Connector",),
    reason: str | None = None,
) -> IncomingCall:
    """A ResetRequest of ``kind`` (Accepted) reboots the station; the boot reports ``expected``.

    ``titles`` name the steps of the reset, of the BootNotification (checked
    for ``reason`` when given) and of the connectors' reports.
    """

    async def reset() -> None:
        await flow.csms.call("Reset", {"type": kind}, status="Accepted")

    boot = await flow.rebooted_by(titles[0], reset, titles[1])
    if reason is not None:
        with step(titles[1]):
            conform(boot, f"the boot reason after a {kind} reset", {"reason": reason})
    with step(titles[2]):
        await expect_states(flow, expected, boot, components=components)
    return boot


async def booting_keeps(
    flow: StationFlow, expected: Mapping[Place, str], *, components: tuple[str, ...]
) -> None:
    """Reusable State Booting (Reset Immediate), then the boot reports ``expected`` states."""
    titles = (
        "1. Execute Reusable State Booting: ResetRequest Immediate is answered Accepted",
        "2-3. The station sends a BootNotificationRequest, answered Accepted",
        "4-5. Every connector reports its state after the boot",
    )
    boot = await reset_reboots(flow, "Immediate", titles, expected, components=components)
    await flow.startup_event("6-7.", boot)
