"""The serial backend over the emulator wired to a fake station: each Rig operation's effect."""

from __future__ import annotations

from typing import Any

import pytest
from rig_support import TIMEOUT, FakeStation, MakeEmulator

from harness.errors import ConfigurationError, UsageError
from harness.profile import RigSettings
from harness.rig import Capability, EvState, Fault
from harness.rig.emulator import RigEmulator
from harness.rig.errors import RigCommandError
from harness.rig.serial_rig import SerialRig, open_serial_rig

CONNECTORS = [(1, 1), (2, 1)]


@pytest.fixture
async def serial_rig(make_emulator: MakeEmulator, station: FakeStation) -> Any:
    """A SerialRig on an emulator with two EVSEs wired to the fake station."""
    emulator, url = await make_emulator(connectors=CONNECTORS, station=station)
    settings = RigSettings(
        backend="serial",
        port=url,
        options={"timeout": TIMEOUT, "power_off_s": 0, "card_ms": 500},
    )
    rig = await open_serial_rig(settings, CONNECTORS)
    yield emulator, rig
    await rig.close()


async def test_operations_reach_the_station_as_physical_acts(
    serial_rig: tuple[RigEmulator, SerialRig], station: FakeStation
) -> None:
    """Plug, EV state, card and power each become the matching StationInputs call."""
    _, rig = serial_rig
    await rig.plug_in(2, 1)
    await rig.ev_state(EvState.C, 2, 1)
    await rig.ev_state(EvState.B, 2, 1)
    await rig.present_card("04A1B2C3")
    await rig.plug_out(2, 1)
    await rig.power_cycle()
    assert station.calls == [
        ("plug_in", 2, 1),
        ("set_ev_state", 2, 1, "C"),
        ("set_ev_state", 2, 1, "B"),
        ("present_card", "04A1B2C3", None),
        ("plug_out", 2, 1),
        ("power_off",),
        ("power_on",),
    ]


async def test_repeating_an_absolute_command_acts_once(
    serial_rig: tuple[RigEmulator, SerialRig], station: FakeStation
) -> None:
    """RIGP commands are absolute: plugging in twice plugs in once."""
    _, rig = serial_rig
    await rig.plug_in()
    await rig.plug_in()
    await rig.power(True)
    assert station.calls == [("plug_in", 1, 1)]


@pytest.mark.parametrize(
    ("fault", "prepare", "command"),
    [
        (Fault.GROUND_FAULT, ["PLUG IN"], "LEAK"),
        (Fault.OVERCURRENT, ["PLUG IN", "CP C"], "LOAD"),
        (Fault.OVER_TEMPERATURE, [], "TEMP"),
        (Fault.DIODE_SHORT, [], "DIODE"),
        (Fault.EMERGENCY_STOP, [], "ESTOP"),
        (Fault.LOCK_FAILURE, [], "LOCK"),
        (Fault.METER_LINK, [], "METERLINK"),
        (Fault.READER_FAILURE, [], "READER"),
    ],
)
async def test_faults_are_injected_and_cleared_on_the_station(
    serial_rig: tuple[RigEmulator, SerialRig],
    station: FakeStation,
    fault: Fault,
    prepare: list[str],
    command: str,
) -> None:
    """Each fault maps to its RIGP command and to inject_fault/clear_fault of the station."""
    emulator, rig = serial_rig
    for line in prepare:
        await rig.driver.command(*line.split())
    station.calls.clear()
    await rig.inject_fault(fault)
    await rig.clear_fault(fault)
    assert station.calls == [
        ("inject_fault", fault.value, 1, 1),
        ("clear_fault", fault.value, 1, 1),
    ]
    assert [c.verb for c in emulator.received[-2:]] == [command, command]


async def test_power_loss_is_mains_off(
    serial_rig: tuple[RigEmulator, SerialRig], station: FakeStation
) -> None:
    """The power_loss fault is the physical act of cutting mains."""
    _, rig = serial_rig
    await rig.inject_fault(Fault.POWER_LOSS)
    await rig.clear_fault(Fault.POWER_LOSS)
    assert station.calls == [("power_off",), ("power_on",)]


async def test_capabilities_follow_the_rigs_command_groups(
    make_emulator: MakeEmulator, station: FakeStation
) -> None:
    """CAPS? decides the capabilities; a missing group skips the test as not run."""
    _, url = await make_emulator(caps=("PLUG", "CP", "LOCK"), station=station)
    rig = await open_serial_rig(RigSettings(backend="serial", port=url), [(1, 1)])
    try:
        assert rig.capabilities == {Capability.PLUG, Capability.EV_STATE, Capability.FAULT}
        with pytest.raises(
            pytest.skip.Exception, match=r"cannot present a card \(it has no RFID command\)"
        ):
            await rig.present_card("04A1")
        with pytest.raises(pytest.skip.Exception, match="cannot inject ground_fault"):
            await rig.inject_fault(Fault.GROUND_FAULT)
        with pytest.raises(pytest.skip.Exception, match="not run: the serial rig cannot"):
            rig.require(Capability.POWER)
    finally:
        await rig.close()


async def test_refusals_and_unknown_connectors_are_errors(
    serial_rig: tuple[RigEmulator, SerialRig],
) -> None:
    """A refused operation is a RigCommandError; a connector outside the profile a UsageError."""
    _, rig = serial_rig
    with pytest.raises(RigCommandError, match="ERR 5 BAD_STATE"):
        await rig.ev_state(EvState.C)
    with pytest.raises(UsageError, match="EVSE 3 connector 1 is not in the profile"):
        await rig.plug_in(3, 1)


async def test_close_makes_the_rig_safe(make_emulator: MakeEmulator, station: FakeStation) -> None:
    """Teardown sends SAFE (injected faults cleared) and closes the port."""
    emulator, url = await make_emulator(station=station)
    rig = await open_serial_rig(RigSettings(backend="serial", port=url), [(1, 1)])
    await rig.inject_fault(Fault.EMERGENCY_STOP)
    await rig.close()
    assert emulator.received[-1].verb == "SAFE"
    assert station.calls[-1] == ("clear_fault", "emergency_stop", 1, 1)
    assert rig.driver.closed
    assert "> SAFE" in rig.log_text()


async def test_bad_serial_settings_name_their_field() -> None:
    """No port, or an unknown option, is a ConfigurationError naming the field."""
    with pytest.raises(ConfigurationError) as raised:
        await open_serial_rig(RigSettings(backend="serial"), [(1, 1)])
    assert raised.value.field == "rig.port"
    settings = RigSettings(backend="serial", port="loop://", options={"tiemout": 1})
    with pytest.raises(ConfigurationError, match="tiemout is not a setting") as raised:
        await open_serial_rig(settings, [(1, 1)])
    assert raised.value.field == "rig.options.tiemout"
