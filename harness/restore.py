"""Restore idle after a test case, whatever its outcome, on a station that stays.

:func:`restore_idle` undoes what :class:`~harness.idle.IdleTracker` and
:class:`~harness.idle.TrackedRig` saw the case leave behind, in an order a
charger accepts:

1. the case's reply overrides and holds are dropped (a held BootNotification
   is answered Accepted);
2. the rig clears injected faults and switches mains power back on;
3. a station left Rejected, Pending or rebooting is awaited (bounded) until
   its next BootNotification, which the default policy accepts;
4. transactions left open are stopped (1.6 RemoteStopTransaction, 2.0.1
   RequestStopTransaction);
5. the EV goes to state A and the cable out, and out of the parking bay;
6. connectors made inoperative become Operative, reservations are cancelled,
   changed configuration values are put back, a local list set is emptied;
7. idle is verified: no open transaction, every connector Available as the
   station last reported it.

Each action is an Allure step under "Restore idle"; its outcome never changes
the case's verdict. When idle cannot be reached, :class:`StationNotIdle` says
why, and the next case errors with it instead of failing on the leftovers.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from harness.errors import NonConformance, StationNotIdle
from harness.idle import IdleTracker, Place, TrackedRig
from harness.profile import DutProfile
from harness.rig import EvState
from harness.session import Session
from harness.steps import step

__all__ = ["idle_problems", "restore_idle"]


def _places(dut: DutProfile, tracker: IdleTracker) -> list[Place]:
    if tracker.v16:
        return [(number, number) for _evse, number in dut.connectors]
    return list(dut.connectors)


def idle_problems(dut: DutProfile, tracker: IdleTracker, session: Session) -> list[str]:
    """What keeps the station from being idle, as the harness last saw it (empty: idle)."""
    problems: list[str] = []
    if session.is_closed:
        problems.append("the station is not connected")
    status = session.registration_status()
    boot = session.last_boot
    if status is not None and status != "Accepted":
        problems.append(f"the station's registration is {status}")
    elif status is None and boot is not None and boot.connection is session.connection:
        problems.append("the station's BootNotification is unanswered")
    for place, ident in tracker.open_transactions():
        problems.append(f"transaction {ident} on connector {place} is still open")
    for place in _places(dut, tracker):
        status = tracker.statuses.get(place)
        if status is not None and status != "Available":
            problems.append(f"connector {place} is {status}")
    return problems


async def _until(session: Session, condition: Callable[[], bool], seconds: float) -> bool:
    """Wait (bounded) until ``condition`` holds, re-checking on each frame from the station."""
    deadline = time.monotonic() + seconds * session.time_factor
    with session.disconnect_allowed():
        while not condition():
            if time.monotonic() >= deadline:
                return False
            await session._wait_arrival(deadline)
    return True


async def restore_idle(
    session: Session, tracker: IdleTracker, rig: TrackedRig | None, dut: DutProfile
) -> None:
    """Bring the station back to idle (see the module docstring).

    Raises:
        StationNotIdle: idle was not reached; the message lists what is left.
    """
    timing = dut.timing
    with step("Restore idle"):
        with step("Restore idle: drop the case's reply overrides and holds"):
            await session.release_all()
        if rig is not None and (rig.faults or rig.power_off):
            with step("Restore idle: clear faults, mains power on"):
                for fault, evse, connector in sorted(rig.faults, key=str):
                    await rig.clear_fault(fault, evse, connector)
                if rig.power_off:
                    await rig.power(True)
        if session.is_closed or session.registration_status() not in ("Accepted", None):
            with step("Restore idle: wait for the station's next BootNotification and accept it"):
                await _until(session, lambda: _registered(session), _boot_bound(session, dut))
        if _registered(session):
            await _stop_transactions(session, tracker)
        if rig is not None and rig.plugged:
            with step("Restore idle: EV state A, cable out"):
                for evse, connector in sorted(rig.plugged):
                    await rig.ev_state(EvState.A, evse, connector)
                    await rig.plug_out(evse, connector)
        if rig is not None and rig.parked:
            with step("Restore idle: the EV out of the parking bay"):
                for evse, connector in sorted(rig.parked):
                    await rig.drive_out(evse, connector)
        if _registered(session):
            await _put_back(session, tracker, dut)
        with step("Restore idle: verify every connector Available, no transaction open"):
            idle = lambda: not idle_problems(dut, tracker, session)  # noqa: E731
            if not await _until(session, idle, timing.message_timeout) and _registered(session):
                # An idTag still waiting for a cable lapses after the station's connection timeout.
                lapse = await _connection_timeout(session, tracker)
                await _until(session, idle, lapse + timing.message_timeout)
            problems = idle_problems(dut, tracker, session)
    if problems:
        raise StationNotIdle(
            "the station could not be brought back to idle after the previous case: "
            + "; ".join(problems)
        )


async def _connection_timeout(session: Session, tracker: IdleTracker) -> float:
    """The station's own connection timeout (1.6 ConnectionTimeOut, 2.0.1 EVConnectionTimeOut)."""
    values: list[object] = []
    with contextlib.suppress(NonConformance):  # unknown: no extra wait
        if tracker.v16:
            reply = await session.call(
                "GetConfiguration", {"key": ["ConnectionTimeOut"]}, allow_error=True
            )
            values = [e.get("value") for e in reply.payload.get("configurationKey", [])]
        else:
            variable = {
                "component": {"name": "TxCtrlr"},
                "variable": {"name": "EVConnectionTimeOut"},
            }
            reply = await session.call(
                "GetVariables", {"getVariableData": [variable]}, allow_error=True
            )
            values = [r.get("attributeValue") for r in reply.payload.get("getVariableResult", [])]
    text = str(values[0]) if values else ""
    return float(text) if text.isdigit() else 0.0


def _boot_bound(session: Session, dut: DutProfile) -> float:
    """How long the station's next BootNotification may take.

    After a Rejected or Pending answer, the retry comes after the interval it
    was given; otherwise within the boot timeout.
    """
    timing = dut.timing
    bound = timing.boot_timeout + timing.message_timeout
    boot = session.last_boot
    answered = boot.reply_payload if boot is not None else None
    if answered is not None and answered.get("status") != "Accepted":
        bound += float(answered.get("interval") or timing.heartbeat_interval)
    return bound


def _registered(session: Session) -> bool:
    return not session.is_closed and session.registration_status() == "Accepted"


async def _stop_transactions(session: Session, tracker: IdleTracker) -> None:
    for _place, ident in tracker.open_transactions():
        if ident is None:
            continue
        with step(f"Restore idle: stop transaction {ident}"):
            if tracker.v16:
                await session.call(
                    "RemoteStopTransaction", {"transactionId": ident}, allow_error=True
                )
            else:
                await session.call(
                    "RequestStopTransaction", {"transactionId": ident}, allow_error=True
                )
            await _until(session, _ended(tracker, ident), session.message_timeout)


def _ended(tracker: IdleTracker, ident: str | int) -> Callable[[], bool]:
    return lambda: all(i != ident for _p, i in tracker.open_transactions())


async def _put_back(session: Session, tracker: IdleTracker, dut: DutProfile) -> None:
    changes = list(tracker.restores.values())
    operative = {"type": "Operative"} if tracker.v16 else {"operationalStatus": "Operative"}
    targeted = {str(c.payload) for c in changes if c.action == "ChangeAvailability"}
    for place in _places(dut, tracker):
        if tracker.statuses.get(place) != "Unavailable":
            continue
        target = (
            {"connectorId": place[1]}
            if tracker.v16
            else {"evse": {"id": place[0], "connectorId": place[1]}}
        )
        if str({**target, **operative}) not in targeted:
            with step(f"Restore idle: connector {place} Operative again"):
                await session.call("ChangeAvailability", {**target, **operative}, allow_error=True)
    for change in changes:
        with step(f"Restore idle: {change.label}"):
            await session.call(change.action, change.payload, allow_error=True)
    tracker.restores.clear()
