"""The parking bay capability: RIGP/1 ``BAY`` on the emulator, and each backend's drive in/out."""

from __future__ import annotations

from typing import Any

import pytest
from rig_support import TIMEOUT, FakeStation, MakeEmulator

from harness.errors import NotRun
from harness.profile import RigSettings
from harness.rig import Capability
from harness.rig.codec import Command, Event, encode_command, parse_command, parse_line
from harness.rig.manual import ManualRig
from harness.rig.null import NoRig
from harness.rig.serial_rig import open_serial_rig
from harness.rig.sim import SimRig

CONNECTORS = [(1, 1), (2, 1)]
NO_BAY = "not run: the serial rig cannot drive an EV into the parking bay (parking)"


class BayStation(FakeStation):
    """A fake 2.0.1 station with a parking bay occupancy sensor."""

    async def set_parking_bay(self, evse: int, connector: int, occupied: bool) -> None:
        self._record("set_parking_bay", evse, connector, occupied)


async def _serial(make_emulator: MakeEmulator, station: FakeStation) -> Any:
    emulator, url = await make_emulator(connectors=CONNECTORS, station=station)
    settings = RigSettings(backend="serial", port=url, options={"timeout": TIMEOUT})
    return emulator, await open_serial_rig(settings, CONNECTORS)


def test_the_bay_command_and_event_round_trip_through_the_codec() -> None:
    """``BAY OCCUPIED 2`` and ``!EVT BAY c=2 state=FREE`` parse as a rig and a host read them."""
    command = parse_command(encode_command("BAY", "OCCUPIED", "2", tag=5))
    assert isinstance(command, Command)
    assert (command.verb, command.args, command.tag) == ("BAY", ("OCCUPIED", "2"), 5)
    event = parse_line(b"!EVT BAY c=2 state=FREE t=17\n")
    assert isinstance(event, Event)
    assert (event.kind, event.fields["state"], event.fields["c"]) == ("EVT BAY", "FREE", "2")


async def test_the_serial_rig_drives_the_ev_into_and_out_of_the_bay(
    make_emulator: MakeEmulator,
) -> None:
    """drive_in/drive_out become BAY OCCUPIED/FREE, reach the station once each, show in STATUS?."""
    station = BayStation()
    emulator, rig = await _serial(make_emulator, station)
    try:
        assert Capability.PARKING in rig.capabilities
        await rig.drive_in(2, 1)
        await rig.drive_in(2, 1)  # absolute: the EV is already in the bay
        status = await rig.driver.command("STATUS?", "2")
        assert status.fields["bay"] == "OCCUPIED"
        await rig.drive_out(2, 1)
        assert station.calls == [
            ("set_parking_bay", 2, 1, True),
            ("set_parking_bay", 2, 1, False),
        ]
        events = [e.text for e in rig.log_entries() if "EVT BAY" in e.text]
        assert len(events) == 2, events
    finally:
        await rig.close()
    assert emulator.machine.conn[1].bay == "FREE"  # SAFE leaves the EV where it is


async def test_a_station_without_a_bay_sensor_gets_a_rig_without_bay(
    make_emulator: MakeEmulator,
) -> None:
    """Wired to a station without the sensor (1.6), the rig offers no BAY: the case is not run."""
    station = FakeStation()
    _, rig = await _serial(make_emulator, station)
    try:
        assert "BAY" not in rig.driver.capabilities
        assert Capability.PARKING not in rig.capabilities
        with pytest.raises(NotRun, match="parking bay"):
            await rig.drive_in(1, 1)
        with pytest.raises(NotRun) as skipped:
            rig.require(Capability.PARKING)
        assert skipped.value.reason == NO_BAY
    finally:
        await rig.close()
    assert station.calls == []


async def test_the_sim_rig_parks_only_on_a_station_with_a_sensor() -> None:
    """The sim rig drives the EV on a station with a sensor and is not run on one without."""
    with_bay, without = BayStation(), FakeStation()
    await SimRig(with_bay).drive_in(1, 1)
    await SimRig(with_bay).drive_out(1, 1)
    assert with_bay.calls == [("set_parking_bay", 1, 1, True), ("set_parking_bay", 1, 1, False)]
    rig = SimRig(without)
    assert Capability.PARKING not in rig.capabilities
    with pytest.raises(NotRun, match=r"cannot drive an EV into the parking bay \(parking\)"):
        await rig.drive_out(1, 1)


class _Operator:
    def __init__(self) -> None:
        self.instructions: list[str] = []

    def interactive(self) -> bool:
        return True

    async def ask(self, instruction: str, timeout: float) -> str | None:
        self.instructions.append(instruction)
        return ""


async def test_the_operator_is_told_to_drive_the_ev_in_and_out() -> None:
    """The manual rig names the EVSE whose parking bay the EV enters and leaves."""
    operator = _Operator()
    rig = ManualRig(5.0, operator)
    await rig.drive_in(2, 1)
    await rig.drive_out(2, 1)
    assert [i.split(",")[0] for i in operator.instructions] == [
        "Drive the EV into the parking bay of EVSE 2",
        "Drive the EV out of the parking bay of EVSE 2",
    ]


async def test_without_a_rig_driving_the_ev_is_not_run() -> None:
    """The none backend skips a parking case as not run."""
    with pytest.raises(NotRun, match="parking bay"):
        await NoRig().drive_in()


async def test_bay_is_listed_on_the_second_caps_page_of_a_1_1_rig(
    make_emulator: MakeEmulator, open_driver: Any
) -> None:
    """CAPS? keeps the 1.0 groups (a line holds 128 bytes), CAPS? 2 lists BAY; a 1.0 rig is not asked."""  # noqa: E501
    emulator, url = await make_emulator(station=BayStation())
    driver = await open_driver(url)
    assert "BAY" in driver.capabilities
    assert "BAY" not in (await driver.command("CAPS?")).fields["caps"].split(",")
    assert (await driver.command("CAPS?", "2")).fields == {"caps": "BAY"}
    old, old_url = await make_emulator(station=BayStation(), proto="1.0")
    assert "BAY" not in (await open_driver(old_url)).capabilities
    assert [c.args for c in old.received if c.verb == "CAPS?"] == [()]
    assert emulator.machine.proto == "1.1"
