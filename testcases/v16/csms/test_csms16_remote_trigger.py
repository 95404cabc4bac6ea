"""OCPP 1.6 Remote Trigger, the Central System under test (harness: charge point)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from harness.flows.v16 import csms as flows
from harness.flows.v16.csms_features import judged_request
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_NOT_METER_VALUES = Mutant(
    "trigger_wrong_message",
    step="1. The Central System sends TriggerMessage for MeterValues",
    says='$.requestedMessage: expected "MeterValues", got "BootNotification"',
)


async def _trigger(
    station: Session,
    trigger: CsmsTrigger,
    message: str,
    connector_id: int | None,
    *,
    first: int,
    answer: str = "Accepted",
) -> None:
    payload: dict[str, Any] = {"requestedMessage": message}
    if connector_id is not None:
        payload["connectorId"] = connector_id
    where = f" for connector {connector_id}" if connector_id is not None else ""
    await judged_request(
        station,
        trigger,
        "TriggerMessage",
        payload,
        description=f"Make the Central System trigger a {message} from the charge point{where}",
        request_step=f"{first}. The Central System sends TriggerMessage for {message}",
        what=f"requestedMessage {message}" + (f", connectorId {connector_id}" if where else ""),
        expected=payload,
        answer_step=f"{first + 1}. The charge point answers {answer}",
        answer={"status": answer},
    )


@testcase(
    "TC_054_CSMS",
    requires=("remote_trigger",),
    proof=[_NOT_METER_VALUES],
)
async def test_TC_054_CSMS_trigger_message(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System triggers each message a charge point can be asked for."""
    connector_id = flows.first_connector(dut)
    meter = {
        "connectorId": connector_id,
        "meterValue": [{"timestamp": utc_now(), "sampledValue": [{"value": "0"}]}],
    }
    messages: list[tuple[str, int | None, str, Callable[[], Awaitable[Any]]]] = [
        ("MeterValues", connector_id, "", lambda: station.call("MeterValues", meter)),
        ("Heartbeat", None, "", lambda: station.call("Heartbeat", {})),
        (
            "StatusNotification",
            connector_id,
            " Available",
            lambda: flows.status_notification(station, connector_id, "Available"),
        ),
        (
            "DiagnosticsStatusNotification",
            None,
            " Idle",
            lambda: station.call("DiagnosticsStatusNotification", {"status": "Idle"}),
        ),
        # "if implemented": the harness charge point implements it (Accepted, not NotImplemented)
        (
            "FirmwareStatusNotification",
            None,
            " Idle",
            lambda: station.call("FirmwareStatusNotification", {"status": "Idle"}),
        ),
    ]
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    for index, (message, connector, status, send) in enumerate(messages):
        first = 4 * index + 1
        await _trigger(station, trigger, message, connector, first=first)
        with step(f"{first + 2}-{first + 3}. {message}{status} is acknowledged"):
            await send()


@testcase(
    "TC_055_CSMS",
    requires=("remote_trigger",),
    proof=[_NOT_METER_VALUES],
)
async def test_TC_055_CSMS_trigger_message_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System triggers MeterValues of a connector the charge point lacks."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _trigger(
        station, trigger, "MeterValues", len(dut.connectors) + 1, first=1, answer="Rejected"
    )
