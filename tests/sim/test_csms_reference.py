"""The reference CSMS answers from its own behaviour, independent of the judge's default replies."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from harness.ocppj.versions import OcppVersion
from harness.profile import resolve_profile
from harness.responders import TokenBook
from harness.sim import launch_embedded
from harness.sim.csms import start_csms
from harness.sim.csms.state import Authorizer
from harness.sim.timing import stretch_timers
from tests.sim.test_csms_sim import V16, V201, connect, profile

#: An action each version defines that the reference CSMS does not support, with a valid request.
UNSUPPORTED = {
    V16: ("SignCertificate", {"csr": "-----BEGIN CERTIFICATE REQUEST-----"}),
    V201: ("ReservationStatusUpdate", {"reservationId": 1, "reservationUpdateStatus": "Expired"}),
}


@pytest.mark.parametrize("version", [V16, V201])
async def test_an_unsupported_action_is_answered_not_supported(version: str) -> None:
    """A request the reference does not support gets CALLERROR NotSupported, no invented answer."""
    dut = profile(version)
    action, payload = UNSUPPORTED[version]
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        reply = await station.connection.call(action, payload, timeout=5)
        await station.close()
    assert reply.is_error
    assert getattr(reply.frame, "error_code", None) == "NotSupported"


@pytest.mark.parametrize("version", [V16, V201])
async def test_data_transfer_names_an_unknown_vendor(version: str) -> None:
    """The reference knows no vendor extension: DataTransfer is answered UnknownVendorId."""
    dut = profile(version)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        reply = await station.connection.call("DataTransfer", {"vendorId": "acme"}, timeout=5)
        await station.close()
    assert reply.payload == {"status": "UnknownVendorId"}


async def test_a_handler_error_is_answered_internal_error_and_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in a reference handler becomes an InternalError answer and is kept in ``errors``."""
    from harness.sim.csms.policy import CsmsPolicy

    def broken(self: CsmsPolicy, payload: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(CsmsPolicy, "heartbeat", broken)
    dut = profile(V201)
    async with start_csms(dut) as csms:
        station = await connect(dut, csms)
        reply = await station.connection.call("Heartbeat", {}, timeout=5)
        await station.close()
        assert [str(e) for e in csms.errors] == ["boom"]
    assert getattr(reply.frame, "error_code", None) == "InternalError"


@pytest.mark.parametrize("builtin", ["csms-1.6", "csms-2.0.1", "station-1.6", "station-2.0.1"])
def test_the_reference_and_the_judge_read_the_tokens_alike(builtin: str) -> None:
    """Read independently, the profile's [tokens] give both sides the same statuses and groups."""
    dut = resolve_profile(f"builtin:{builtin}")
    reference = Authorizer(dut.tokens)
    judge = TokenBook.of(dut.tokens)
    tokens = dataclasses.asdict(dut.tokens)
    for token in (value for key, value in tokens.items() if key != "token_type" and value):
        assert reference.status(token) == judge.status(token), token
        assert reference.id_tag_info(token) == judge.info_v16(token), token
        assert reference.id_token_info(token) == judge.info_v2(token, dut.tokens.token_type), token


def test_stretching_multiplies_timeouts_and_keeps_wire_values() -> None:
    """Timeouts grow with the factor; intervals the protocol exchanges stay as configured."""
    dut = resolve_profile("builtin:station-2.0.1")
    stretched = stretch_timers(dut, 3).timing
    timing = dut.timing
    assert stretched.message_timeout == 3 * timing.message_timeout
    assert stretched.boot_timeout == 3 * timing.boot_timeout
    assert stretched.connect_timeout == 3 * timing.connect_timeout
    assert stretched.heartbeat_interval == timing.heartbeat_interval
    assert stretched.connection_timeout == timing.connection_timeout
    assert stretched.meter_value_interval == timing.meter_value_interval
    assert stretch_timers(dut, 1) is dut


async def test_the_embedded_csms_runs_on_stretched_timers() -> None:
    """launch_embedded hands the reference CSMS the judge's time factor."""
    dut = profile(V201)
    assert dut.version is OcppVersion.V201
    async with launch_embedded(dut, csms_url=None, time_factor=3) as embedded:
        assert embedded.csms.dut.timing.message_timeout == 3 * dut.timing.message_timeout
