"""The hooks backend: commands with quoted placeholders, URLs, failures as rig errors."""

from __future__ import annotations

import ast
import asyncio
import json
import shlex
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rig_support import FakeStation

from harness.errors import ConfigurationError, RigError
from harness.rig import Capability, EvState, Fault
from harness.rig.emulator import RigEmulator
from harness.rig.hooks import HooksRig

PY = shlex.quote(sys.executable)
RECORD = "import sys; open(sys.argv[1], 'a').write(repr(sys.argv[2:]) + chr(10))"


def recorder(log: Path, *placeholders: str) -> str:
    """A hook command that appends its arguments, as received, to ``log``."""
    return " ".join([PY, "-c", shlex.quote(RECORD), shlex.quote(str(log)), *placeholders])


def recorded(log: Path) -> list[list[str]]:
    return [ast.literal_eval(line) for line in log.read_text().splitlines()]


async def test_placeholders_are_substituted_and_shell_quoted(tmp_path: Path) -> None:
    """Each placeholder reaches the command as exactly one argument, whatever it holds."""
    log = tmp_path / "calls.txt"
    rig = HooksRig(
        {
            "plug_in": recorder(log, "{action}", "{evse}", "{connector}"),
            "ev_state": recorder(log, "{state}", "{evse}"),
            "present_card": recorder(log, "{token}", "{evse}"),
            "inject_fault": recorder(log, "{fault}", "{connector}"),
        }
    )
    await rig.plug_in(2, 1)
    await rig.ev_state(EvState.C, 2, 1)
    await rig.present_card("a b;$(touch pwned)'\"x")
    await rig.inject_fault(Fault.GROUND_FAULT, 1, 2)
    assert recorded(log) == [
        ["plug_in", "2", "1"],
        ["C", "2"],
        ["a b;$(touch pwned)'\"x", ""],
        ["ground_fault", "2"],
    ]
    assert not (Path.cwd() / "pwned").exists()
    assert "> present_card:" in rig.log_text()


async def test_capabilities_are_the_actions_with_hooks() -> None:
    """Only hooked actions are capabilities; an unhooked action skips as not run."""
    rig = HooksRig({"plug_in": "true", "plug_out": "true", "power_on": "true"})
    assert rig.capabilities == {Capability.PLUG}
    with pytest.raises(pytest.skip.Exception, match=r"no \[rig.hooks\] power_off"):
        await rig.power(False)


async def test_a_failing_command_is_a_rig_error_quoting_stderr() -> None:
    """A non-zero exit raises RigError with the status, the command and stderr's tail."""
    rig = HooksRig({"power_off": "echo relay K3 stuck >&2; exit 3"})
    with pytest.raises(RigError, match="exit status 3") as raised:
        await rig.power(False)
    assert "relay K3 stuck" in str(raised.value)


async def test_a_hanging_command_is_ended_at_its_bound() -> None:
    """A command that outlives ``timeout`` is killed (with its children) and reported."""
    rig = HooksRig({"power_cycle": "sleep 30; true"}, {"timeout": 0.2})
    started = time.monotonic()
    with pytest.raises(RigError, match=r"did not finish within 0\.2 s"):
        await rig.power_cycle()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("hooks", "field", "message"),
    [
        ({"plug_inn": "true"}, "rig.hooks.plug_inn", "is not a rig action"),
        ({"plug_in": "x {token}"}, "rig.hooks.plug_in", "uses {token}"),
        ({"plug_in": "x {evse"}, "rig.hooks.plug_in", "plug_in"),
    ],
)
def test_bad_hooks_name_their_field(hooks: dict[str, str], field: str, message: str) -> None:
    """Unknown actions, unknown placeholders and broken templates are configuration errors."""
    with pytest.raises(ConfigurationError, match=message) as raised:
        HooksRig(hooks)
    assert raised.value.field == field


@pytest.fixture
async def http_rig() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A tiny HTTP endpoint on loopback that records JSON bodies; ``/fail`` answers 500."""
    bodies: list[dict[str, object]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        length = int(head.lower().split("content-length:")[1].split("\r\n")[0])
        bodies.append(json.loads(await reader.readexactly(length)))
        status = "500 Internal Server Error" if " /fail" in head else "200 OK"
        writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 4\r\n\r\ndone".encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", bodies
    server.close()
    await server.wait_closed()


async def test_url_hooks_post_the_action_as_json(
    http_rig: tuple[str, list[dict[str, object]]],
) -> None:
    """A URL hook receives POST with the action and its arguments; non-2xx is a RigError."""
    base, bodies = http_rig
    rig = HooksRig(
        {"present_card": base + "/card/{token}", "power_off": base + "/fail"}, {"timeout": 5}
    )
    await rig.present_card("04A1", evse=2)
    assert bodies == [{"token": "04A1", "evse": "2", "action": "present_card"}]
    with pytest.raises(RigError, match="HTTP 500"):
        await rig.power(False)


async def test_hooks_drive_a_wired_station_through_the_emulator(tmp_path: Path) -> None:
    """Hooks -> ``harness.rig.send`` -> TCP emulator -> the station's physical inputs."""
    station = FakeStation()
    emulator = RigEmulator(station=station)
    url = await emulator.start_tcp()
    send = f"{PY} -m harness.rig.send {url}"
    rig = HooksRig(
        {
            "plug_in": send + " PLUG IN {evse}",
            "ev_state": send + " CP {state} {evse}",
            "present_card": send + " RFID PRESENT {token} 500",
            "inject_fault": send + " ESTOP PRESS",
        },
        {"timeout": 20},
    )
    try:
        await rig.plug_in()
        await rig.ev_state(EvState.C)
        await rig.present_card("CAFE01")
        await rig.inject_fault(Fault.EMERGENCY_STOP)
        with pytest.raises(RigError, match="exit status 1"):
            await rig.present_card("not/a-uid")
    finally:
        await emulator.stop()
    assert station.calls == [
        ("plug_in", 1, 1),
        ("set_ev_state", 1, 1, "C"),
        ("present_card", "CAFE01", None),
        ("inject_fault", "emergency_stop", 1, 1),
    ]


async def test_the_hooks_example_profile_drives_every_action() -> None:
    """profiles/hooks-example.toml, pointed at an emulator, performs each act on the station."""
    from harness.profile import resolve_profile

    station = FakeStation()
    emulator = RigEmulator(station=station)
    url = await emulator.start_tcp()
    dut = resolve_profile(str(Path(__file__).parents[2] / "profiles" / "hooks-example.toml"))
    hooks = {
        action: command.replace("tcp://127.0.0.1:7777", url).replace("python ", f"{PY} ")
        for action, command in dut.rig.hooks.items()
    }
    rig = HooksRig(hooks, dut.rig.options)
    try:
        # Every capability but the user interface, which no hook (and no RIGP/1 command) drives.
        assert rig.capabilities == set(Capability) - {Capability.UI}
        await rig.plug_in()
        await rig.ev_state(EvState.C)
        for fault in Fault:
            await rig.inject_fault(fault)
            await rig.clear_fault(fault)
        await rig.present_card("CAFE0001")
    finally:
        await emulator.stop()
    faults = [call[1] for call in station.calls if call[0] == "inject_fault"]
    assert faults == [f.value for f in Fault if f is not Fault.POWER_LOSS]
    assert station.calls[-1] == ("present_card", "CAFE0001", None)
    assert ("power_off",) in station.calls
