"""The 1.6 reference charge point's rig-driven behaviour: EV-side unplug, mains loss, faults."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Mapping, Sequence

import pytest
from test_station_v16_support import QUIET, WAIT, profile, running, start_charging, status

from harness.expect import Pattern
from harness.roles import CsmsRole
from harness.session import Session
from harness.sim.station.v16 import Station16

VALID = "SIMVALID0001"


@contextlib.asynccontextmanager
async def with_backup_power(
    faults: Sequence[str] = (), config: Mapping[str, str] | None = None
) -> AsyncIterator[tuple[Station16, Session]]:
    """Like ``running``, for a charge point that declares the PICS flag ``backup_power``."""
    base = profile(faults, config)
    dut = dataclasses.replace(base, features=base.features | {"backup_power"})
    role = CsmsRole(dut)
    await role.start()
    station = Station16(dut, csms_url=role.url)
    try:
        await station.start()
        csms = await role.session()
        first = await csms.expect("BootNotification", timeout=WAIT)
        await csms.expect_all(
            *(Pattern("StatusNotification", {"connectorId": n}) for n in (0, 1, 2)),
            after=first,
            timeout=WAIT,
        )
        yield station, csms
    finally:
        await station.stop()
        await role.stop()
    assert station.errors == []


# -- EV side and connection timeout ------------------------------------------------------


async def test_ev_side_unplug_stops_the_transaction_and_leaves_finishing() -> None:
    """Pilot A, the cable still in the socket: StopTransaction EVDisconnected, then Finishing."""
    async with running() as (station, csms):
        start = await start_charging(station, csms, VALID)
        await station.set_ev_state(1, 1, "A")
        stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        assert stop.payload["reason"] == "EVDisconnected"
        await status(csms, 1, "Finishing")
        await station.plug_out(1, 1)
        await status(csms, 1, "Available")


async def test_ev_side_unplug_suspends_when_not_configured_to_stop() -> None:
    """With StopTransactionOnEVSideDisconnect false the transaction goes on, SuspendedEV."""
    async with running(config={"StopTransactionOnEVSideDisconnect": "false"}) as (station, csms):
        start = await start_charging(station, csms, VALID)
        await station.set_ev_state(1, 1, "A")
        await status(csms, 1, "SuspendedEV")
        await csms.expect_none("StopTransaction", during=QUIET, after=start)


async def test_ev_side_unplug_is_ignored_by_the_mutant() -> None:
    """ignore_ev_disconnect: the transaction is only suspended whatever the key says."""
    async with running(["ignore_ev_disconnect"]) as (station, csms):
        start = await start_charging(station, csms, VALID)
        await station.set_ev_state(1, 1, "A")
        await status(csms, 1, "SuspendedEV")
        await csms.expect_none("StopTransaction", during=QUIET, after=start)


@pytest.mark.parametrize(
    ("knobs", "least", "most"),
    [((), 1.0, WAIT), (["connection_timeout_early"], 0.0, 0.5)],
)
async def test_idtag_without_cable_lapses_after_connection_timeout(
    knobs: list[str], least: float, most: float
) -> None:
    """An idTag waiting for the cable lapses after ConnectionTimeOut (the mutant: at once)."""
    async with running(knobs, config={"ConnectionTimeOut": "1"}) as (station, csms):
        began = time.monotonic()
        await station.present_card(VALID, 1)
        await status(csms, 1, "Preparing")
        await status(csms, 1, "Available")
        assert least <= time.monotonic() - began <= most


async def test_ignore_connection_timeout_keeps_the_idtag() -> None:
    """ignore_connection_timeout: the connector stays Preparing after ConnectionTimeOut."""
    async with running(["ignore_connection_timeout"], config={"ConnectionTimeOut": "1"}) as (
        station,
        csms,
    ):
        await station.present_card(VALID, 1)
        prepared = await status(csms, 1, "Preparing")
        await csms.expect_none("StatusNotification", during=1.5, after=prepared)


# -- mains -----------------------------------------------------------------------------------


async def test_backup_power_stops_the_transaction_before_going_down() -> None:
    """backup_power: mains off sends StopTransaction PowerLoss and Finishing, then disconnects."""
    async with with_backup_power() as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.reconnection(timeout=WAIT):
            await station.power_off()
            stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
            assert stop.payload["reason"] == "PowerLoss"
            finishing = await status(csms, 1, "Finishing")
            await station.power_on()
        boot = await csms.expect("BootNotification", after=finishing, timeout=WAIT)
        await csms.expect("StatusNotification", match={"status": "Finishing"}, after=boot)
        await csms.expect_none("StopTransaction", during=QUIET, after=boot)


async def test_hard_reset_with_backup_power_is_no_power_loss() -> None:
    """A hard reset is not a mains failure: the transaction is stopped HardReset after the boot."""
    async with with_backup_power() as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.reconnection(timeout=WAIT):
            await csms.call("Reset", {"type": "Hard"}, status="Accepted")
        boot = await csms.expect("BootNotification", after=start, timeout=WAIT)
        stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        assert stop.entry.seq > boot.entry.seq
        assert stop.payload["reason"] == "HardReset"


async def test_power_loss_abrupt_goes_down_at_once() -> None:
    """power_loss_abrupt: no StopTransaction before going down; it comes after the reboot."""
    async with with_backup_power(["power_loss_abrupt"]) as (station, csms):
        start = await start_charging(station, csms, VALID)
        async with csms.reconnection(timeout=WAIT):
            await station.inject_fault("power_loss", 1, 1)
            await station.clear_fault("power_loss", 1, 1)
        boot = await csms.expect("BootNotification", after=start, timeout=WAIT)
        stop = await csms.expect("StopTransaction", after=start, timeout=WAIT)
        assert stop.entry.seq > boot.entry.seq
        assert stop.payload["reason"] == "PowerLoss"


# -- faults ------------------------------------------------------------------------------------


async def test_faulted_connector_starts_no_transaction() -> None:
    """A Faulted connector: cable and card start nothing (the mutant starts anyway)."""
    async with running() as (station, csms):
        await station.inject_fault("ground_fault", 1, 1)
        faulted = await status(csms, 1, "Faulted", errorCode="GroundFailure")
        await station.plug_in(1, 1)
        await station.present_card(VALID, 1)
        await csms.expect_none("StartTransaction", during=QUIET * 2, after=faulted)
    async with running(["start_when_faulted"]) as (station, csms):
        await station.inject_fault("ground_fault", 1, 1)
        await status(csms, 1, "Faulted")
        await station.plug_in(1, 1)
        await station.present_card(VALID, 1)
        await csms.expect("StartTransaction", timeout=WAIT)


async def test_lock_failure_before_the_cable_blocks_a_remote_start() -> None:
    """Remote start, then a lock that cannot close: Faulted ConnectorLockFailure, no transaction."""
    async with running() as (station, csms):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": 1, "idTag": VALID}, status="Accepted"
        )
        await status(csms, 1, "Preparing")
        await station.inject_fault("lock_failure", 1, 1)
        await station.plug_in(1, 1)
        faulted = await status(csms, 1, "Faulted", errorCode="ConnectorLockFailure")
        await csms.expect_none("StartTransaction", during=QUIET * 2, after=faulted)


async def test_ignore_fault_knob_hides_only_its_fault() -> None:
    """ignore_fault:<f>: that fault changes nothing; another fault is still reported."""
    async with running(["ignore_fault:ground_fault"]) as (station, csms):
        mark = csms.mark()
        await station.inject_fault("ground_fault", 1, 1)
        await csms.expect_none("StatusNotification", during=QUIET, after=mark)
        await station.inject_fault("overcurrent", 1, 1)
        await status(csms, 1, "Faulted", errorCode="OverCurrentFailure")


async def test_generic_error_code_knob() -> None:
    """generic_error_code: every fault is reported as OtherError, NoError stays NoError."""
    async with running(["generic_error_code"]) as (station, csms):
        await station.inject_fault("lock_failure", 1, 1)
        await status(csms, 1, "Faulted", errorCode="OtherError")
        await station.clear_fault("lock_failure", 1, 1)
        await status(csms, 1, "Available", errorCode="NoError")
