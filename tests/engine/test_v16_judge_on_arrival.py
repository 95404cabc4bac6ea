"""1.6 flows judge on arrival: a wrong value in the step's frame fails at once, with the difference.

The harness plays the Central System; a bare channel end plays the charge
point and sends the frames. Every wait is given a long bound (``LONG``): a
failure that came from the wait running out would take that long, so each
test shows the verdict comes well before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any

import pytest
from engine_support import NOW, V16, WAIT, OpenRaw, RawPeer, status_request

from harness.errors import ExpectationFailed, UnexpectedMessage
from harness.expect import or_absent
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    Charging,
    authorized,
    expect_start,
    expect_status,
    expect_statuses,
    expect_stop,
)
from harness.ocppj import Role
from harness.profile.loader import resolve_profile
from harness.session import Session
from harness.steps import set_case, step

#: The bound of every wait here: a verdict at its end would come this late.
LONG = 30.0


@pytest.fixture
async def csms_and_station(open_raw: OpenRaw) -> tuple[Session, RawPeer]:
    """The harness as a 1.6 Central System, facing a raw charge point."""
    return open_raw(V16, Role.CSMS, message_timeout=LONG)


@pytest.fixture
def case() -> Iterator[str]:
    """A certification case named as running, so failures cite it."""
    set_case("TC_003_CS")
    yield "TC_003_CS"
    set_case(None)


@contextlib.asynccontextmanager
async def _running(work: Coroutine[Any, Any, object]) -> AsyncIterator[None]:
    """``work`` runs beside the block (the charge point acting while the step waits)."""
    task = asyncio.ensure_future(work)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await task


async def _status(peer: RawPeer, status: str, connector: int = 1) -> None:
    await peer.call("StatusNotification", status_request(V16, status, connector))


def _stop(transaction_id: int, **extra: Any) -> dict[str, Any]:
    return {"transactionId": transaction_id, "meterStop": 10, "timestamp": NOW, **extra}


async def test_a_wrong_status_fails_at_once_naming_step_field_expected_and_received(
    csms_and_station: tuple[Session, RawPeer], case: str
) -> None:
    """The connector's next status, Available where Charging is awaited, fails at once citing the step, $.status, both values."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()
    await _status(peer, "Available")
    started = time.monotonic()
    with pytest.raises(UnexpectedMessage) as failed, step("7-8. StatusNotification Charging"):
        await expect_status(csms, 1, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)
    assert time.monotonic() - started < WAIT
    message = str(failed.value)
    assert message.startswith(f"Step '7-8. StatusNotification Charging' of {case} failed:")
    assert '$.status: expected "Charging", got "Available"' in message


async def test_a_wrong_status_arriving_later_fails_when_it_arrives(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """A wrong status sent while the step already waits fails the step as it arrives, not at the deadline."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()

    async def later() -> None:
        await asyncio.sleep(0.05)  # the step is already waiting when the frame comes
        await _status(peer, "Faulted")

    started = time.monotonic()
    with pytest.raises(UnexpectedMessage, match='expected "Finishing", got "Faulted"'):
        async with _running(later()):
            await expect_status(csms, 1, "Finishing", after=mark)
    assert time.monotonic() - started < WAIT


async def test_statuses_the_flow_allows_on_the_way_are_passed_over(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """SuspendedEV and SuspendedEVSE before Charging are passed over, as the flow says; Charging is the step's frame."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()
    for status in ("SuspendedEV", "SuspendedEVSE", "Charging"):
        await _status(peer, status)
    found = await expect_status(csms, 1, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)
    assert found.payload["status"] == "Charging"


async def test_only_the_statuses_named_are_passed_over(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """A status the flow does not allow on the way (Finishing) fails at once even after an allowed one."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()
    await _status(peer, "SuspendedEV")
    await _status(peer, "Finishing")
    with pytest.raises(UnexpectedMessage, match='expected "Charging", got "Finishing"'):
        await expect_status(csms, 1, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)


async def test_other_connectors_are_not_the_step_frame(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """Statuses of connector 0 and of another connector are not judged for connector 1; nothing for it is a timeout."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()
    await _status(peer, "Unavailable", connector=0)
    await _status(peer, "Faulted", connector=2)
    with pytest.raises(ExpectationFailed, match="StatusNotification for connector 1: status"):
        await expect_status(csms, 1, "Charging", after=mark, timeout=0.05)


async def test_one_wrong_connector_fails_a_boot_report_before_the_others_arrive(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """expect_statuses judges each connector's status as it arrives: one wrong fails at once, the others still missing."""  # noqa: E501
    csms, peer = csms_and_station
    mark = csms.mark()
    await _status(peer, "Available", connector=1)
    started = time.monotonic()
    with pytest.raises(UnexpectedMessage, match='expected "Unavailable", got "Available"'):
        await expect_statuses(csms, {0: "Available", 1: "Unavailable", 2: "Available"}, after=mark)
    assert time.monotonic() - started < WAIT


async def test_a_stop_with_another_reason_fails_at_once_and_an_absent_reason_means_local(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """StopTransaction reason Other where Remote is required fails at once; an absent reason passes as Local (its default)."""  # noqa: E501
    csms, peer = csms_and_station
    running = Charging(1, 7, "TAG", start=None)  # type: ignore[arg-type]
    mark = csms.mark()
    await peer.call("StopTransaction", _stop(7, reason="Other"))
    with pytest.raises(UnexpectedMessage, match='reason: expected "Remote", got "Other"'):
        await expect_stop(csms, running, "Remote", after=mark)
    mark = csms.mark()
    await peer.call("StopTransaction", _stop(7))
    await expect_stop(csms, running, or_absent("Local"), after=mark)


async def test_a_start_for_another_idtag_fails_at_once(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """StartTransaction with another idTag than presented fails at once, naming $.idTag."""
    csms, peer = csms_and_station
    mark = csms.mark()
    start = {"connectorId": 1, "idTag": "OTHER", "meterStart": 0, "timestamp": NOW}
    async with _running(peer.call("StartTransaction", start)):
        with pytest.raises(UnexpectedMessage, match='idTag: expected "VALID", got "OTHER"'):
            await expect_start(csms, 1, "VALID", after=mark)


async def test_authorized_fails_at_once_on_an_authorize_for_another_idtag(
    csms_and_station: tuple[Session, RawPeer],
) -> None:
    """The Authorized state judges the first Authorize: another idTag fails at once with the difference."""  # noqa: E501
    csms, peer = csms_and_station
    dut = resolve_profile("builtin:station-1.6")

    class Rig:
        async def present_card(self, token: str, connector: int) -> None:
            await peer.send([2, "a-1", "Authorize", {"idTag": "SOMEONE-ELSE"}])

    started = time.monotonic()
    with pytest.raises(UnexpectedMessage, match=r'\$\.idTag: expected ".+", got "SOMEONE-ELSE"'):
        await authorized(csms, Rig(), dut, connector=1)  # type: ignore[arg-type]
    assert time.monotonic() - started < WAIT
