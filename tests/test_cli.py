"""The ``ocpp-harness`` command line: the reference CSMS runs standalone and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import pytest

from harness.cli import main
from harness.profile import resolve_profile
from harness.roles import new_trace, open_station

ROOT = Path(__file__).resolve().parents[1]
BOUND = 20.0


@pytest.fixture
def csms_process() -> Iterator[subprocess.Popen[str]]:
    """``ocpp-harness sim csms`` on an ephemeral port, killed if a test leaves it running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "sim", "csms", "--version", "2.0.1", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=BOUND)


async def _listening_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), BOUND)
    assert line.startswith("listening on ws://127.0.0.1:"), line
    return line.split("listening on ", 1)[1].strip()


async def test_csms_cli_serves_a_station_and_exits_cleanly_on_sigint(
    csms_process: subprocess.Popen[str],
) -> None:
    """A station boots against the CLI's CSMS; SIGINT then ends it with status 0."""
    url = await _listening_url(csms_process)
    dut = resolve_profile("builtin:csms-2.0.1")
    station = await open_station(dut, url, new_trace("cli"), time_factor=1.0)
    boot = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}
    await station.call("BootNotification", boot, status="Accepted")
    csms_process.send_signal(signal.SIGINT)
    code = await asyncio.wait_for(asyncio.to_thread(csms_process.wait), BOUND)
    await station.close()
    _, stderr = csms_process.communicate(timeout=BOUND)
    assert code == 0, stderr
    assert f"station '{dut.identity}' connected" in stderr
    assert "BootNotification" in stderr  # frames are logged


def test_profiles_lists_the_builtin_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    """``ocpp-harness profiles`` prints every builtin profile name."""
    assert main(["profiles"]) == 0
    listed = capsys.readouterr().out.split()
    assert "builtin:csms-2.0.1" in listed
    assert "builtin:csms-1.6" in listed


def test_non_loopback_host_is_refused_without_allow_remote(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Binding a non-loopback address needs --allow-remote; the error names the option."""
    code = main(["sim", "csms", "--version", "1.6", "--host", "0.0.0.0", "--port", "0"])
    assert code == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_unknown_fault_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt --fault stops the CLI with the list of known knobs."""
    code = main(["sim", "csms", "--version", "2.0.1", "--port", "0", "--fault", "boot_rejectd"])
    assert code == 2
    assert "embedded.faults" in capsys.readouterr().err


def _read_until(stream: IO[str], needle: str, seen: list[str]) -> bool:
    for line in stream:
        seen.append(line)
        if needle in line:
            return True
    return False


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_station_cli_boots_against_the_csms_cli_and_both_exit_cleanly(version: str) -> None:
    """Two standalone processes, the reference station and CSMS, talk; SIGINT ends both with 0."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "harness.cli", "sim"]
    csms = subprocess.Popen(
        [*command, "csms", "--version", version, "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    station: subprocess.Popen[str] | None = None
    # Reads happen in a thread so each is bounded; the processes are killed before the
    # pool is joined, which ends any read still blocked.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        assert csms.stdout is not None
        assert csms.stderr is not None
        url = pool.submit(csms.stdout.readline).result(BOUND).split("listening on ", 1)[1]
        station = subprocess.Popen(
            [*command, "station", "--version", version, "--csms", url.strip(),
             "--id", "CLI-STATION-1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        seen: list[str] = []
        # The station reports its connectors only once the CSMS accepted its boot.
        booted = pool.submit(_read_until, csms.stderr, "StatusNotification", seen)
        assert booted.result(BOUND), "".join(seen)
        assert any("CLI-STATION-1" in line and "connected" in line for line in seen)
        for process in (station, csms):
            process.send_signal(signal.SIGINT)
            assert process.wait(BOUND) == 0, process.communicate(timeout=BOUND)[1]
    finally:
        for process in (station, csms):
            if process is not None:
                if process.poll() is None:
                    process.kill()
                process.communicate(timeout=BOUND)
        pool.shutdown(wait=True)
