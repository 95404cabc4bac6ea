"""The 2.0.1 reference station's availability and reset details (G03, G04, B11, B12)."""

from __future__ import annotations

from dataclasses import replace

from harness.expect import Pattern
from harness.session import Session
from tests.sim.test_station_v201 import WAIT, _charging, running, tx


def _status(status: str) -> Pattern:
    return Pattern("StatusNotification", {"evseId": 1, "connectorId": 1, "connectorStatus": status})


async def _inoperative(session: Session, payload: dict[str, object], status: str) -> None:
    request = {"operationalStatus": "Inoperative", **payload}
    await session.call("ChangeAvailability", request, status=status)


async def test_the_same_state_again_is_accepted_and_reported_again() -> None:
    """An Inoperative station set Inoperative again answers Accepted and reports its connectors."""
    async with running() as (session, _station):
        await _inoperative(session, {}, "Accepted")
        await session.expect(_status("Unavailable"))
        mark = session.mark()
        await _inoperative(session, {}, "Accepted")
        await session.expect(_status("Unavailable"), after=mark)


async def test_station_inoperative_while_charging_waits_for_the_transaction() -> None:
    """A station-wide Inoperative during a transaction is Scheduled, and applied once it ends."""
    async with running() as (session, station):
        tid = await _charging(session, station)
        await _inoperative(session, {}, "Scheduled")
        await session.call("RequestStopTransaction", {"transactionId": tid}, status="Accepted")
        ended = await session.expect(tx(eventType="Ended"))
        await session.expect(_status("Unavailable"), after=ended)


async def test_an_evse_reset_ends_its_transaction_without_a_reboot() -> None:
    """Reset Immediate of one EVSE ends its transaction (ImmediateReset); the station stays up."""
    async with running() as (session, station):
        await _charging(session, station)
        await session.call("Reset", {"type": "Immediate", "evseId": 1}, status="Accepted")
        ended = await session.expect(tx(eventType="Ended", triggerReason="ResetCommand"))
        assert ended.payload["transactionInfo"]["stoppedReason"] == "ImmediateReset"
        await session.expect(_status("Occupied"), after=ended)
        await session.expect_none("BootNotification", during=0.5)


async def test_an_evse_reset_is_rejected_without_the_pics_flag() -> None:
    """Without reset_evse in the profile's features a Reset naming an EVSE is Rejected."""
    async with running() as (session, station):
        station.dut = replace(station.dut, features=station.dut.features - {"reset_evse"})
        await session.call("Reset", {"type": "OnIdle", "evseId": 1}, status="Rejected")


async def test_forget_availability_comes_back_operative() -> None:
    """The forget_availability mutant reports Available after a reboot it was Inoperative before."""
    async with running("forget_availability") as (session, station):
        await _inoperative(session, {"evse": {"id": 1}}, "Accepted")
        await session.expect(_status("Unavailable"))
        mark = session.mark()
        async with session.reconnection(timeout=WAIT):
            await station.reboot()
        await session.expect(_status("Available"), after=mark)
