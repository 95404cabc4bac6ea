"""The OCPP 1.6 reference charge point's Smart Charging: profiles, clearing, composite schedules."""

from __future__ import annotations

import time
from typing import Any

import pytest
from test_station_v16_support import WAIT, running, start_charging, status

from harness.errors import ConfigurationError
from harness.sim.station.v16_smart_charging import SmartOptions

VALID = "SIMVALID0001"


def _stamp(at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


def _profile(pid: int, purpose: str, limit: float, **extra: Any) -> dict[str, Any]:
    schedule = {
        "duration": 300,
        "startSchedule": _stamp(time.time() - 5),
        "chargingRateUnit": extra.pop("unit", "A"),
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
    }
    return {
        "chargingProfileId": pid,
        "stackLevel": extra.pop("stack", 0),
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": schedule,
        **extra,
    }


def _set(connector: int, profile: dict[str, Any]) -> dict[str, Any]:
    return {"connectorId": connector, "csChargingProfiles": profile}


async def _limits(csms: Any, connector: int = 1) -> list[float]:
    reply = await csms.call(
        "GetCompositeSchedule",
        {"connectorId": connector, "duration": 60, "chargingRateUnit": "A"},
        status="Accepted",
    )
    return [p["limit"] for p in reply.payload["chargingSchedule"]["chargingSchedulePeriod"]]


async def test_keys_are_read_only_and_declared() -> None:
    """The four Smart Charging keys are reported read-only; SmartCharging is a supported profile."""
    async with running() as (_station, csms):
        reply = await csms.call("GetConfiguration", {})
        keys = {k["key"]: k for k in reply.payload["configurationKey"]}
        for name in (
            "ChargeProfileMaxStackLevel",
            "ChargingScheduleAllowedChargingRateUnit",
            "ChargingScheduleMaxPeriods",
            "MaxChargingProfilesInstalled",
        ):
            assert keys[name]["readonly"] is True
        assert "SmartCharging" in keys["SupportedFeatureProfiles"]["value"].split(",")


async def test_tx_profile_needs_its_transaction() -> None:
    """A TxProfile is Rejected without a transaction or for another one, Accepted for the running one."""  # noqa: E501
    async with running() as (station, csms):
        tx = _profile(1, "TxProfile", 6, transactionId=5)
        await csms.call("SetChargingProfile", _set(1, tx), status="Rejected")
        start = await start_charging(station, csms, VALID)
        running_id = start.reply_payload["transactionId"] if start.reply_payload else 0
        await csms.call(
            "SetChargingProfile", _set(1, tx | {"transactionId": running_id + 1}), status="Rejected"
        )
        await csms.call(
            "SetChargingProfile", _set(1, tx | {"transactionId": running_id}), status="Accepted"
        )
        assert await _limits(csms) == [6]
        await csms.call("RemoteStopTransaction", {"transactionId": running_id}, status="Accepted")
        await csms.expect("StopTransaction", timeout=WAIT)
        await status(csms, 1, "Finishing")
        assert await _limits(csms) == [32]  # the TxProfile ended with its transaction


async def test_limits_of_the_keys_reject_profiles() -> None:
    """A stack level, a unit or a connector the station does not allow is Rejected."""
    async with running(config={"ChargeProfileMaxStackLevel": "2"}) as (_station, csms):
        for connector, profile in (
            (1, _profile(1, "TxDefaultProfile", 6, stack=3)),
            (1, _profile(2, "TxDefaultProfile", 6000, unit="W")),
            (9, _profile(3, "TxDefaultProfile", 6)),
            (1, _profile(4, "ChargePointMaxProfile", 6)),
        ):
            await csms.call("SetChargingProfile", _set(connector, profile), status="Rejected")


async def test_same_purpose_and_stack_level_replaces() -> None:
    """A profile with the same connector, purpose and stack level replaces the installed one."""
    async with running() as (_station, csms):
        await csms.call("SetChargingProfile", _set(1, _profile(1, "TxDefaultProfile", 6)))
        await csms.call("SetChargingProfile", _set(1, _profile(2, "TxDefaultProfile", 9)))
        assert await _limits(csms) == [9]
        await csms.call("ClearChargingProfile", {"id": 1}, status="Unknown")


async def test_clear_by_id_by_criteria_and_all() -> None:
    """ClearChargingProfile by id, by purpose and stack level, or all; Unknown when none matches."""
    async with running() as (_station, csms):
        await csms.call("SetChargingProfile", _set(0, _profile(1, "ChargePointMaxProfile", 11)))
        await csms.call("SetChargingProfile", _set(1, _profile(2, "TxDefaultProfile", 7)))
        await csms.call("SetChargingProfile", _set(1, _profile(3, "TxDefaultProfile", 6, stack=1)))
        assert await _limits(csms) == [6]
        await csms.call("ClearChargingProfile", {"id": 3}, status="Accepted")
        assert await _limits(csms) == [7]
        await csms.call(
            "ClearChargingProfile",
            {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1},
            status="Unknown",
        )
        await csms.call(
            "ClearChargingProfile",
            {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 0},
            status="Accepted",
        )
        assert await _limits(csms) == [11]
        await csms.call("ClearChargingProfile", {}, status="Accepted")
        assert await _limits(csms) == [32]
        await csms.call("ClearChargingProfile", {}, status="Unknown")


async def test_composite_answer_in_the_requested_or_own_unit() -> None:
    """The composite names connector, start, duration and unit; without a unit the station's own."""
    async with running() as (_station, csms):
        reply = await csms.call(
            "GetCompositeSchedule", {"connectorId": 1, "duration": 60}, status="Accepted"
        )
        schedule = reply.payload["chargingSchedule"]
        assert reply.payload["connectorId"] == 1
        assert "scheduleStart" in reply.payload
        assert (schedule["duration"], schedule["chargingRateUnit"]) == (60, "A")
        await csms.call(
            "GetCompositeSchedule", {"connectorId": 9, "duration": 60}, status="Rejected"
        )


async def _remote_start_limits(faults: list[str]) -> list[float]:
    """A remote start with a TxProfile of 8 A (after one with a TxDefaultProfile, Rejected)."""
    async with running(faults=faults) as (station, csms):
        wrong = _profile(1, "TxDefaultProfile", 6)
        await csms.call(
            "RemoteStartTransaction",
            {"connectorId": 1, "idTag": VALID, "chargingProfile": wrong},
            status="Rejected",
        )
        await station.plug_in(1, 1)
        await status(csms, 1, "Preparing")
        await csms.call(
            "RemoteStartTransaction",
            {"connectorId": 1, "idTag": VALID, "chargingProfile": _profile(2, "TxProfile", 8)},
            status="Accepted",
        )
        await csms.expect("StartTransaction", timeout=WAIT)
        await status(csms, 1, "SuspendedEV")
        return await _limits(csms)


async def test_remote_start_installs_a_tx_profile_and_refuses_other_purposes() -> None:
    """A remote start's TxProfile rules the transaction; a TxDefaultProfile makes it Rejected."""
    assert await _remote_start_limits([]) == [8]


async def test_remote_profile_ignored_mutant_leaves_the_local_limit() -> None:
    """The ``remote_profile_ignored`` mutant starts the transaction without the profile."""
    assert await _remote_start_limits(["remote_profile_ignored"]) == [32]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"composite_periods": "split"}, "embedded.options.composite_periods"),
        ({"profile_refusal": "silence"}, "embedded.options.profile_refusal"),
        ({"local_limit": 0}, "embedded.options.local_limit"),
    ],
)
def test_bad_options_are_refused_naming_them(options: dict[str, Any], field: str) -> None:
    """A Smart Charging option outside its allowed values is a configuration error naming it."""
    with pytest.raises(ConfigurationError) as raised:
        SmartOptions.from_options(options)
    assert raised.value.field == field
