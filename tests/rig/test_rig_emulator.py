"""The emulator itself: raw lines, interlocks, station wiring, its CLI and the send tool."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from rig_support import WAIT, FakeStation

from harness.rig.codec import ErrorCode, Reply, encode_command, parse_line
from harness.rig.emulator import RigEmulator
from harness.rig.send import send


@dataclass
class Raw:
    """An emulator, the fake station it drives, and a raw line client: ``await ask(line)``."""

    emulator: RigEmulator
    station: FakeStation
    ask: Callable[[bytes], Awaitable[Reply]]


@pytest.fixture
async def raw() -> AsyncIterator[Raw]:
    """A TCP emulator wired to a fake station and a raw line client for it."""
    station = FakeStation()
    emulator = RigEmulator(connectors=((1, 1), (1, 2)), readers=2, station=station)
    url = await emulator.start_tcp()
    host, port = url.removeprefix("socket://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))

    async def ask(line: bytes) -> Reply:
        writer.write(line)
        async with asyncio.timeout(WAIT):
            while True:
                parsed = parse_line(await reader.readline())
                if isinstance(parsed, Reply):
                    return parsed

    yield Raw(emulator, station, ask)
    writer.close()
    await writer.wait_closed()
    await emulator.stop()


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"PING #7*00\n", ErrorCode.BADCHK),
        (b"PING " + b"x" * 140 + b"\n", ErrorCode.OVERFLOW),
        (b"\xffPING\n", ErrorCode.UNKNOWN_CMD),
        (b"ping\r\n", ErrorCode.UNKNOWN_CMD),
        (b"PING?\n", ErrorCode.UNKNOWN_CMD),
    ],
)
async def test_damaged_lines_get_their_error_code(raw: Raw, line: bytes, code: ErrorCode) -> None:
    """Bad checksum, overflow and unparsable lines get BADCHK, OVERFLOW, UNKNOWN_CMD."""
    ask = raw.ask
    reply = await ask(line)
    assert (reply.ok, reply.code, reply.name) == (False, int(code), code.name)


async def test_badchk_echoes_the_tag_and_crlf_is_accepted(raw: Raw) -> None:
    """The rig salvages the tag of a damaged line; CR and CRLF terminate lines too."""
    ask = raw.ask
    assert (await ask(b"PING #41*00\n")).tag == 41
    assert (await ask(b"PING #42\r\n")).tag == 42
    assert (await ask(b"PING #43\r")).tag == 43


async def test_readers_belong_to_evses_when_there_are_several(raw: Raw) -> None:
    """With two readers, ``RFID PRESENT uid ms r`` presents at EVSE r."""
    station = raw.station
    ask = raw.ask
    assert (await ask(encode_command("RFID", "PRESENT", "CAFE", "5000", "2"))).ok
    assert (await ask(encode_command("RFID", "PRESENT", "CAFE", "5000", "2"))).ok
    assert station.calls == [("present_card", "CAFE", 2)]


async def test_cp_faults_show_as_ev_states_on_the_station(raw: Raw) -> None:
    """CPFAULT PE_SHORT is state E to the station, OPEN state A, NONE restores the EV's state."""
    station = raw.station
    ask = raw.ask
    for line in ("PLUG IN 2", "CPFAULT PE_SHORT 2", "CPFAULT OPEN 2", "CPFAULT NONE 2"):
        assert (await ask(encode_command(*line.split()))).ok
    assert station.calls == [
        ("plug_in", 1, 2),
        ("set_ev_state", 1, 2, "E"),
        ("set_ev_state", 1, 2, "A"),
        ("set_ev_state", 1, 2, "B"),
    ]


async def test_thresholds_decide_when_a_fault_starts(raw: Raw) -> None:
    """Leakage below the trip level, a load within the PP rating, mild heat: no fault."""
    station = raw.station
    ask = raw.ask
    for line in ("PLUG IN", "CP C", "LEAK 10 AC", "LOAD 32", "TEMP 60", "LEAK 6 DC", "LOAD 33"):
        assert (await ask(encode_command(*line.split()))).ok
    assert station.calls[2:] == [
        ("inject_fault", "ground_fault", 1, 1),
        ("inject_fault", "overcurrent", 1, 1),
    ]


async def test_safe_neutralises_everything_but_plug_and_mains(raw: Raw) -> None:
    """SAFE clears faults, stops the load and leaves the EV connected in state B."""
    emulator = raw.emulator
    ask = raw.ask
    for line in ("PLUG IN", "CP C", "LOAD 10", "ESTOP PRESS", "MAINS OFF", "SAFE"):
        assert (await ask(encode_command(*line.split()))).ok
    state = emulator.machine.conn[0]
    assert (state.plug, state.cp, state.load) == ("IN", "B", 0.0)
    assert (emulator.machine.wide.estop, emulator.machine.wide.mains) == ("RELEASED", "OFF")


def test_the_tcp_emulator_listens_on_loopback_only() -> None:
    """Binding anywhere but loopback is refused: the rig has no authentication."""
    with pytest.raises(ValueError, match="loopback only"):
        asyncio.run(RigEmulator().start_tcp("0.0.0.0"))


async def test_send_tool_speaks_to_a_rig() -> None:
    """``harness.rig.send`` sends commands in order and returns each reply."""
    emulator = RigEmulator()
    url = await emulator.start_tcp()
    try:
        replies = await send(url.replace("socket://", "tcp://"), ["PLUG IN", "STATUS? 1"])
        assert replies[0] == "OK"
        assert "plug=IN" in replies[1]
    finally:
        await emulator.stop()


async def test_the_cli_serves_until_terminated() -> None:
    """``python -m harness.rig.emulator_cli --tcp`` prints its URL, serves, exits 0 on SIGTERM."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harness.rig.emulator_cli", "--tcp", "127.0.0.1:0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        async with asyncio.timeout(10):
            ready = (await process.stdout.readline()).decode()  # type: ignore[union-attr]
        assert ready.startswith("rig emulator ready: socket://127.0.0.1:")
        url = ready.split(": ", 1)[1].strip()
        sender = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "harness.rig.send", url, "PLUG IN;", "CP", "Z",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(10):
            out, err = await sender.communicate()
        assert sender.returncode == 1
        assert out.decode().splitlines() == ["OK"]
        assert err.decode().startswith("ERR 3 BAD_ARGS")
    finally:
        process.terminate()
        async with asyncio.timeout(10):
            await process.communicate()
    assert process.returncode == 0


def test_the_cli_refuses_a_public_address(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tcp 0.0.0.0:…`` exits 2 with the reason."""
    from harness.rig.emulator_cli import main

    assert main(["--tcp", "0.0.0.0:0", "--duration", "0"]) == 2
    assert "loopback only" in capsys.readouterr().err
