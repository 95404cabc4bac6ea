"""Fixtures for the rig tests: emulators on a real pty and on TCP, drivers, a fake station."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rig_support import TIMEOUT, FakeStation, MakeEmulator, OpenDriver

from harness.rig.emulator import RigEmulator
from harness.rig.serial_driver import RigDriver


@pytest.fixture
def station() -> FakeStation:
    """A fake station simulator that records the physical acts done to it."""
    return FakeStation()


@pytest.fixture(params=["pty", "tcp"])
def transport(request: pytest.FixtureRequest) -> str:
    """Each driver test runs over a real pseudo-terminal and over TCP (socket://)."""
    return str(request.param)


@pytest.fixture
async def make_emulator(transport: str) -> AsyncIterator[MakeEmulator]:
    """Start emulators on the test's transport; all stopped at teardown."""
    started: list[RigEmulator] = []

    async def make(**options: Any) -> tuple[RigEmulator, str]:
        emulator = RigEmulator(**options)
        started.append(emulator)
        url = await (emulator.start_pty() if transport == "pty" else emulator.start_tcp())
        return emulator, url

    yield make
    for emulator in started:
        await emulator.stop()


@pytest.fixture
async def open_driver() -> AsyncIterator[OpenDriver]:
    """Open drivers with the tests' short timeout; all closed at teardown."""
    opened: list[RigDriver] = []

    async def open_(url: str, **options: Any) -> RigDriver:
        options.setdefault("timeout", TIMEOUT)
        driver = await RigDriver.open(url, **options)
        opened.append(driver)
        return driver

    yield open_
    for driver in opened:
        await driver.close()


@pytest.fixture
async def rig_pair(
    make_emulator: MakeEmulator, open_driver: OpenDriver, station: FakeStation
) -> tuple[RigEmulator, RigDriver]:
    """An emulator with two connectors wired to the fake station, and a driver greeting it."""
    emulator, url = await make_emulator(connectors=((1, 1), (2, 1)), station=station)
    return emulator, await open_driver(url)
