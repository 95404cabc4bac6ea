"""The serial driver against the emulator, over a real pty and over TCP: every reply and failure."""

from __future__ import annotations

import asyncio
import os
import socket
import time

import pytest
from rig_support import TIMEOUT, WAIT, FakeStation, MakeEmulator, OpenDriver

from harness.rig.codec import ErrorCode
from harness.rig.emulator import RigEmulator
from harness.rig.errors import (
    RigChecksumError,
    RigCommandError,
    RigDisconnected,
    RigGarbled,
    RigLineTooLong,
    RigPortBusy,
    RigPortNotFound,
    RigRebooted,
    RigTimeout,
    RigVersionMismatch,
)
from harness.rig.serial_driver import RigDriver


async def test_greeting_reads_version_identity_and_capabilities(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """On connect the driver asks PROTO?, IDN?, CAPS? and (RIGP 1.1) CAPS? 2, in that order."""
    emulator, driver = rig_pair
    assert [c.verb for c in emulator.received] == ["PROTO?", "IDN?", "CAPS?", "CAPS?"]
    assert driver.proto == "1.1"
    assert driver.identity["model"] == "rig-emulator"
    assert {"PLUG", "CP", "RFID", "MAINS", "WDOG"} <= driver.capabilities
    assert driver.rig_info == {"conn": "2", "readers": "1"}


@pytest.mark.parametrize(
    ("commands", "expected"),
    [
        (["IDN?"], {"vendor": "ocpp-harness", "model": "rig-emulator", "fw": "1.0.0"}),
        (["PROTO?"], {"proto": "1.1"}),
        (["PLUG IN 2", "STATUS? 2"], {"c": "2", "plug": "IN", "cp": "B"}),
        (["PLUG IN", "CP C", "MEAS?"], {"cp": "C", "cpv": "6", "v": "230.0"}),
        (["MAINS OFF", "MEAS? 1"], {"v": "0.0"}),
        (["PP 13", "STATUS? 1"], {"pp": "13"}),
        (["DIODE SHORT", "STATUS?"], {"diode": "SHORT"}),
        (["CPFAULT PE_SHORT", "MEAS?"], {"cpv": "0"}),
        (["PLUG IN", "LEAK 35 AC", "STATUS?"], {"leak": "35AC"}),
        (["PLUG IN", "CP D", "LOAD 16.5", "STATUS?"], {"load": "16.5"}),
        (["ESTOP PRESS", "STATUS? 0"], {"estop": "PRESSED"}),
        (["TEMP 80", "STATUS? 0"], {"temp": "80"}),
        (["LOCK BLOCK", "STATUS?"], {"lock": "BLOCK"}),
        (["RFID PRESENT 04A1B2", "STATUS? 0"], {"card": "04A1B2"}),
        (["RFID PRESENT 04A1B2", "RFID REMOVE", "STATUS? 0"], {"card": "-"}),
        (["READER OFF", "STATUS? 0"], {"reader": "OFF"}),
        (["METERLINK OFF", "STATUS?"], {"meter": "OFF"}),
        (["WDOG 60000"], {"wdog": "60000"}),
        (["SAFE", "STATUS? 0"], {"estop": "RELEASED", "reader": "ON"}),
    ],
)
async def test_every_command_is_answered_ok_with_its_fields(
    rig_pair: tuple[RigEmulator, RigDriver], commands: list[str], expected: dict[str, str]
) -> None:
    """Each RIGP/1 command is accepted; the last reply carries the expected fields."""
    _, driver = rig_pair
    reply = None
    for line in commands:
        verb, *args = line.split()
        reply = await driver.command(verb, *args)
    assert reply is not None
    assert reply.ok
    assert expected.items() <= dict(reply.fields).items()


async def test_ping_answers_with_the_rig_clock(rig_pair: tuple[RigEmulator, RigDriver]) -> None:
    """PING is answered OK with the rig's millisecond clock."""
    _, driver = rig_pair
    assert int((await driver.command("PING")).fields["t"]) >= 0


@pytest.mark.parametrize(
    ("setup", "command", "code", "detail"),
    [
        ([], "FROB 1", ErrorCode.UNKNOWN_CMD, "no command FROB"),
        ([], "PLUG SIDEWAYS", ErrorCode.BAD_ARGS, "not one of IN|OUT"),
        ([], "PLUG IN 1 2", ErrorCode.BAD_ARGS, "unexpected 2"),
        ([], "PP 17", ErrorCode.OUT_OF_RANGE, "PP rating"),
        ([], "PLUG IN 3", ErrorCode.OUT_OF_RANGE, "connector 3"),
        ([], "CP C", ErrorCode.BAD_STATE, "needs the plug IN"),
        ([], "LOAD 10", ErrorCode.BAD_STATE, "needs CP C or D"),
        (["PLUG IN", "CP C", "LOAD 10"], "PLUG OUT", ErrorCode.INTERLOCK, "LOAD 0 first"),
        (["READER OFF"], "RFID PRESENT 04A1", ErrorCode.BAD_STATE, "reader is OFF"),
        ([], "WDOG 50", ErrorCode.OUT_OF_RANGE, "100..600000"),
    ],
)
async def test_refusals_raise_command_errors_with_code_name_and_detail(
    rig_pair: tuple[RigEmulator, RigDriver],
    setup: list[str],
    command: str,
    code: ErrorCode,
    detail: str,
) -> None:
    """An ERR reply becomes RigCommandError carrying the command, code, name and detail."""
    _, driver = rig_pair
    for line in setup:
        await driver.command(*line.split())
    with pytest.raises(RigCommandError, match=f"refused '{command}': ERR {int(code)}") as raised:
        await driver.command(*command.split())
    error = raised.value
    assert (error.code, error.name, error.command) == (int(code), code.name, command)
    assert detail in error.detail


async def test_not_supported_busy_and_hw_fault_errors(
    make_emulator: MakeEmulator, open_driver: OpenDriver, station: FakeStation
) -> None:
    """A missing group is NOT_SUPPORTED, a booting rig BUSY, a failing actuator HW_FAULT."""
    emulator, url = await make_emulator(caps=("PLUG", "CP"), station=station)
    driver = await open_driver(url)
    assert driver.capabilities == {"PLUG", "CP"}
    with pytest.raises(RigCommandError, match="ERR 9 NOT_SUPPORTED"):
        await driver.command("MAINS", "OFF")
    station.failing = "plug_in"
    with pytest.raises(RigCommandError, match="ERR 8 HW_FAULT") as raised:
        await driver.command("PLUG", "IN")
    assert "plug_in failed" in raised.value.detail
    async with emulator.rebooting():
        with pytest.raises(RigCommandError, match="ERR 7 BUSY"):
            await driver.command("PING")


async def test_badchk_is_retried_once_then_reported(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """ERR 1 BADCHK (line noise) is retried once; twice in a row is a RigCommandError."""
    emulator, driver = rig_pair
    with emulator.noisy_line(1):
        assert (await driver.command("PING")).ok
    with emulator.noisy_line(2), pytest.raises(RigCommandError, match="ERR 1 BADCHK"):
        await driver.command("PING")


@pytest.mark.parametrize(
    ("command", "kind", "fields"),
    [
        ("PLUG IN 2", "EVT PLUG", {"c": "2", "state": "IN"}),
        ("MAINS OFF", "EVT MAINS", {"state": "OFF"}),
        ("ESTOP PRESS", "EVT ESTOP", {"state": "PRESSED"}),
        ("TEMP 90", "EVT TEMP", {"c": "90"}),
        ("DIODE SHORT", "EVT DIODE", {"c": "1", "state": "SHORT"}),
        ("CPFAULT OPEN", "EVT CPFAULT", {"c": "1", "state": "OPEN"}),
        ("LOCK BLOCK", "EVT LOCK", {"c": "1", "state": "BLOCK"}),
        ("READER OFF", "EVT READER", {"state": "OFF"}),
        ("METERLINK OFF", "EVT METERLINK", {"c": "1", "state": "OFF"}),
        ("PP 63", "EVT PP", {"c": "1", "a": "63"}),
        ("RFID PRESENT CAFE01", "EVT RFID", {"r": "1", "state": "PRESENT", "uid": "CAFE01"}),
    ],
)
async def test_changes_arrive_as_timestamped_events(
    rig_pair: tuple[RigEmulator, RigDriver], command: str, kind: str, fields: dict[str, str]
) -> None:
    """Every state change is a ``!EVT`` line, logged with host times and the rig clock."""
    _, driver = rig_pair
    since = len(driver.events)
    before = time.monotonic()
    await driver.command(*command.split())
    logged = await driver.wait_event(kind, timeout=WAIT, since=since)
    assert dict(logged.event.fields) == fields
    assert logged.event.t is not None
    assert logged.event.t >= 0
    assert before <= logged.mono
    assert abs(logged.wall - time.time()) < WAIT
    assert any(e.kind == "!" and e.rig_t == logged.event.t for e in driver.log.entries)


async def test_cp_changes_report_from_and_to(rig_pair: tuple[RigEmulator, RigDriver]) -> None:
    """``!EVT CP`` names the state left and the state entered; repeats send nothing."""
    _, driver = rig_pair
    await driver.command("PLUG", "IN")
    await driver.command("CP", "C")
    since = len(driver.events)
    await driver.command("CP", "C")
    await driver.command("CP", "B")
    logged = await driver.wait_event("EVT CP", timeout=WAIT, since=since)
    assert dict(logged.event.fields) == {"c": "1", "from": "C", "to": "B"}


async def test_a_held_card_is_removed_after_its_hold_time(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """``RFID PRESENT uid ms`` is followed by ``!EVT RFID state=REMOVED`` after ms."""
    _, driver = rig_pair
    await driver.command("RFID", "PRESENT", "CAFE01", "30")
    logged = await driver.wait_event("EVT RFID", timeout=WAIT, since=len(driver.events) - 1)
    assert logged.event.fields["state"] == "PRESENT"
    removed = await driver.wait_event(
        "EVT RFID", timeout=WAIT, since=driver.events.index(logged) + 1
    )
    assert removed.event.fields == {"r": "1", "state": "REMOVED"}


async def test_the_watchdog_makes_a_silent_host_safe_and_the_driver_feeds_it(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """Armed and fed, the watchdog stays quiet; after silence the rig reports it and goes SAFE."""
    emulator, driver = rig_pair
    await driver.command("ESTOP", "PRESS")
    await driver.start_watchdog(150)
    with pytest.raises(RigTimeout, match="no !WDOG EXPIRED"):
        await driver.wait_event("WDOG EXPIRED", timeout=0.4)
    await driver.close()  # the host goes silent
    assert emulator.machine.wide.wdog_ms == 150
    deadline = time.monotonic() + WAIT
    while b"WDOG EXPIRED" not in b"".join(emulator.sent_events):  # bounded poll of the emulator
        assert time.monotonic() < deadline, "the watchdog never expired"
        await asyncio.sleep(0.01)
    assert emulator.machine.wide.estop == "RELEASED"


async def test_rst_reboots_without_an_unexpected_reboot_error(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """After RST the rig says !BOOT, which the driver expected: commands carry on."""
    _, driver = rig_pair
    await driver.command("ESTOP", "PRESS")
    since = len(driver.events)
    await driver.command("RST")
    boot = await driver.wait_event("BOOT", timeout=WAIT, since=since)
    assert boot.event.fields["reason"] == "RST"
    assert (await driver.command("STATUS?", "0")).fields["estop"] == "RELEASED"


async def test_a_reboot_mid_run_is_reported_once(rig_pair: tuple[RigEmulator, RigDriver]) -> None:
    """An unrequested !BOOT makes the next command raise RigRebooted; the one after works."""
    emulator, driver = rig_pair
    since = len(driver.events)
    async with emulator.rebooting():
        pass
    await driver.wait_event("BOOT", timeout=WAIT, since=since)
    with pytest.raises(RigRebooted, match="rebooted by itself"):
        await driver.command("PLUG", "IN")
    assert (await driver.command("PLUG", "IN")).ok


async def test_a_silent_rig_is_resynchronised_and_the_command_retried_once(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """One lost reply: flush, PING with a fresh tag, and the retry succeeds."""
    emulator, driver = rig_pair
    with emulator.dropping_replies(count=1):
        assert (await driver.command("PLUG", "IN")).ok
    verbs = [c.text for c in emulator.received[-3:]]
    assert verbs == ["PLUG IN", "PING", "PLUG IN"]
    tags = [c.tag for c in emulator.received[-3:]]
    assert len(set(tags)) == 3
    assert any("resynchronising" in e.text for e in driver.log.entries)


async def test_a_rig_that_stays_silent_raises_rig_timeout(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """No reply at all: RigTimeout names the command, the port and the bound, within bounds."""
    emulator, driver = rig_pair
    started = time.monotonic()
    with emulator.dropping_replies(only="CP"), pytest.raises(RigTimeout) as raised:
        await driver.command("CP", "A")
    error = raised.value
    assert (error.command, error.port, error.timeout) == ("CP A", driver.url, TIMEOUT)
    assert "'CP A' within 0.2 s (also after a resync and one retry)" in str(error)
    assert [c.text for c in emulator.received[-3:]] == ["CP A", "PING", "CP A"]
    assert time.monotonic() - started < 4 * TIMEOUT + 0.5
    assert (await driver.command("PING")).ok  # the rig is usable again


async def test_rig_timeout_when_even_the_resync_ping_is_lost(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """If PING after the flush goes unanswered too, the command is not retried."""
    emulator, driver = rig_pair
    with emulator.dropping_replies(), pytest.raises(RigTimeout, match="PING after a flush"):
        await driver.command("PLUG", "IN")
    assert [c.text for c in emulator.received[-2:]] == ["PLUG IN", "PING"]


async def test_a_late_reply_is_not_taken_for_the_next_command(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """A reply that arrives after its command gave up is dropped by tag, not misrouted."""
    emulator, driver = rig_pair
    with emulator.delaying(TIMEOUT * 1.5), pytest.raises(RigTimeout):
        await driver.command("STATUS?", "1")
    reply = await driver.command("STATUS?", "0")
    assert reply.fields["c"] == "0"


@pytest.mark.parametrize(
    ("seam", "error", "message"),
    [
        ("garbling", RigGarbled, "not printable ASCII"),
        ("corrupting_checksums", RigChecksumError, "does not match"),
        ("oversize_lines", RigLineTooLong, "longer than 128 bytes"),
    ],
)
async def test_bad_replies_raise_their_own_errors(
    rig_pair: tuple[RigEmulator, RigDriver], seam: str, error: type[Exception], message: str
) -> None:
    """Garbled, wrongly checksummed and oversize replies each raise a distinct rig error."""
    emulator, driver = rig_pair
    with getattr(emulator, seam)(), pytest.raises(error, match=message):
        await driver.command("PING")
    assert (await driver.command("PING")).ok


async def test_debug_and_unsolicited_lines_are_logged_not_routed(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """``%`` lines and stray replies are logged; the next command still gets its own reply."""
    emulator, driver = rig_pair
    emulator.send_raw(b"%adc=512\r\nOK #99999 stray=1\n")
    reply = await driver.command("STATUS?", "0")
    assert reply.fields["c"] == "0"
    texts = [(e.kind, e.text) for e in driver.log.entries]
    assert ("%", "%adc=512") in texts


async def test_a_major_version_mismatch_is_refused(
    make_emulator: MakeEmulator, open_driver: OpenDriver
) -> None:
    """A rig speaking RIGP 2.x is refused, naming both versions; 1.x minor versions are fine."""
    _, url = await make_emulator(proto="2.0")
    with pytest.raises(RigVersionMismatch, match=r"speaks RIGP 2\.0.*speaks RIGP 1\.1") as raised:
        await open_driver(url)
    assert (raised.value.rig_version, raised.value.host_version) == ("2.0", "1.1")
    _, url = await make_emulator(proto="1.7")
    assert (await open_driver(url)).proto == "1.7"


async def test_an_absent_port_is_reported_as_not_found(transport: str, tmp_path: object) -> None:
    """A missing device path, or a TCP port nobody listens on, is RigPortNotFound."""
    if transport == "pty":
        url = os.path.join(str(tmp_path), "ttyRIG0")
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            url = f"socket://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(RigPortNotFound, match="not found") as raised:
        await RigDriver.open(url, timeout=TIMEOUT)
    assert raised.value.port == url


async def test_a_busy_port_is_reported_as_busy(
    make_emulator: MakeEmulator, open_driver: OpenDriver
) -> None:
    """A second host is refused: the exclusive lock on a pty, ``!BUSY`` over TCP."""
    _, url = await make_emulator()
    await open_driver(url)
    with pytest.raises(RigPortBusy, match="busy") as raised:
        await open_driver(url)
    assert raised.value.port == url


async def test_a_port_closed_mid_run_is_reported_as_disconnected(
    rig_pair: tuple[RigEmulator, RigDriver],
) -> None:
    """The rig goes away while a command waits: RigDisconnected at once, and for later commands."""
    emulator, driver = rig_pair
    with emulator.dropping_replies():
        waiting = asyncio.ensure_future(driver.command("PLUG", "IN", timeout=WAIT))
        await driver.wait_event("EVT PLUG", timeout=WAIT)
        started = time.monotonic()
        await emulator.stop()
        with pytest.raises(RigDisconnected, match="closed mid-run"):
            await waiting
    assert time.monotonic() - started < WAIT
    with pytest.raises(RigDisconnected):
        await driver.command("PING")


async def test_close_is_bounded_and_idempotent(rig_pair: tuple[RigEmulator, RigDriver]) -> None:
    """close() joins the reader thread promptly and may be called twice."""
    _, driver = rig_pair
    started = time.monotonic()
    await driver.close()
    await driver.close()
    assert time.monotonic() - started < 1.0
    with pytest.raises(RigDisconnected, match="is closed"):
        await driver.command("PING")
