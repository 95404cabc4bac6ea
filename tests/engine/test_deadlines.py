"""The one-timer reply deadlines of a connection (harness.ocppj.deadlines)."""

from __future__ import annotations

import asyncio
import time

import pytest

from harness.ocppj.deadlines import Deadlines


async def test_deadline_fails_its_future_in_time() -> None:
    """A future not done by its deadline gets TimeoutError, at about that time."""
    deadlines = Deadlines(asyncio.get_running_loop())
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    start = time.monotonic()
    deadlines.add("a", 0.05, future)
    with pytest.raises(TimeoutError):
        await future
    assert 0.04 <= time.monotonic() - start < 1.0


async def test_earlier_deadline_rearms_and_later_ones_still_fire() -> None:
    """A shorter deadline added after a longer one fires first; the longer one still fires."""
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    slow: asyncio.Future[None] = loop.create_future()
    fast: asyncio.Future[None] = loop.create_future()
    deadlines.add("slow", 0.2, slow)
    deadlines.add("fast", 0.02, fast)
    with pytest.raises(TimeoutError):
        await fast
    assert not slow.done()
    with pytest.raises(TimeoutError):
        await slow


async def test_done_or_discarded_futures_are_left_alone() -> None:
    """A future answered in time keeps its result; a discarded key never expires."""
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    answered: asyncio.Future[str] = loop.create_future()
    forgotten: asyncio.Future[str] = loop.create_future()
    deadlines.add("answered", 0.02, answered)
    deadlines.add("forgotten", 0.02, forgotten)
    answered.set_result("reply")
    deadlines.discard("forgotten")
    await asyncio.sleep(0.06)
    assert answered.result() == "reply"
    assert not forgotten.done()


async def test_close_stops_the_timer() -> None:
    """After close, pending deadlines no longer fire; a later add re-arms the timer."""
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(loop)
    first: asyncio.Future[None] = loop.create_future()
    deadlines.add("first", 0.02, first)
    deadlines.close()
    await asyncio.sleep(0.05)
    assert not first.done()
    first.cancel()
    second: asyncio.Future[None] = loop.create_future()
    deadlines.add("second", 0.02, second)
    with pytest.raises(TimeoutError):
        await second
