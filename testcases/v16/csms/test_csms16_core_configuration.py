"""OCPP 1.6 Core, the Central System under test: reading and changing configuration keys."""

from __future__ import annotations

from harness.expect import or_absent
from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.flows.v16.csms_configuration import UNKNOWN_KEY, get_configuration_answer
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_GET = "1. The Central System sends GetConfiguration"
_CHANGE = "1. The Central System sends ChangeConfiguration"


async def _get_configuration(
    trigger: CsmsTrigger,
    station: Session,
    dut: DutProfile,
    keys: list[str],
    *,
    request_step: str,
    check: tuple[str, dict[str, object]],
) -> None:
    def answer(call: IncomingCall) -> dict[str, object]:
        return get_configuration_answer(dut, call.payload.get("key"))

    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await acts.requested(
        trigger,
        station,
        "GetConfiguration",
        {"key": keys} if keys else {},
        description="Make the Central System read "
        + (f"the configuration key(s) {', '.join(keys)}" if keys else "every configuration key")
        + " of the charge point",
        request_step=request_step,
        answer_step="2. The charge point answers with its configuration keys",
        answer=answer,
        checks=[check],
    )


@testcase(
    "TC_019_1_CSMS",
    proof=[Mutant("get_configuration_other_key", step=_GET, says="$.key: expected 0 elements")],
)
async def test_TC_019_1_CSMS_get_all_configuration(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reads every configuration key of the charge point."""
    await _get_configuration(
        trigger,
        station,
        dut,
        [],
        request_step=f"{_GET} without keys",
        check=("no key (all of them)", {"key": or_absent([])}),
    )


@testcase(
    "TC_019_2_CSMS",
    proof=[Mutant("get_configuration_other_key", step=_GET, says="$.key[0]")],
)
async def test_TC_019_2_CSMS_get_one_configuration_key(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System reads the charge point's SupportedFeatureProfiles key."""
    await _get_configuration(
        trigger,
        station,
        dut,
        ["SupportedFeatureProfiles"],
        request_step=f"{_GET} for SupportedFeatureProfiles",
        check=("the key SupportedFeatureProfiles", {"key": ["SupportedFeatureProfiles"]}),
    )


async def _change_configuration(
    trigger: CsmsTrigger,
    station: Session,
    dut: DutProfile,
    key: str,
    value: str,
    *,
    status: str,
    checked: bool,
) -> None:
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await acts.requested(
        trigger,
        station,
        "ChangeConfiguration",
        {"key": key, "value": value},
        description=f"Make the Central System set the charge point's configuration key {key} "
        f"to {value}",
        request_step=f"{_CHANGE} for {key}",
        answer_step=f"2. The charge point answers {status}",
        answer={"status": status},
        checks=[(f"{key} = {value}", {"key": key, "value": value})] if checked else [],
    )


_OTHER_KEY = Mutant(
    "change_configuration_other_key",
    step=_CHANGE,
    says='$.key: expected "MeterValueSampleInterval"',
)
_OTHER_VALUE = Mutant("change_configuration_other_value", step=_CHANGE, says="$.value: expected")


@testcase("TC_021_CSMS", proof=[_OTHER_KEY, _OTHER_VALUE])
async def test_TC_021_CSMS_change_configuration(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sets MeterValueSampleInterval to 60 and the charge point accepts."""
    await _change_configuration(
        trigger, station, dut, "MeterValueSampleInterval", "60", status="Accepted", checked=True
    )


@testcase("TC_040_1_CSMS", proof=[Mutant("skip_trigger", step=_CHANGE, says="it did not arrive")])
async def test_TC_040_1_CSMS_change_unknown_key(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point answering NotSupported for an unknown key."""
    # The catalogue names no key: one the harness charge point does not have.
    await _change_configuration(
        trigger, station, dut, UNKNOWN_KEY, "1", status="NotSupported", checked=False
    )


@testcase("TC_040_2_CSMS", proof=[_OTHER_KEY, _OTHER_VALUE])
async def test_TC_040_2_CSMS_change_invalid_value(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point rejecting MeterValueSampleInterval = -1."""
    await _change_configuration(
        trigger, station, dut, "MeterValueSampleInterval", "-1", status="Rejected", checked=True
    )
