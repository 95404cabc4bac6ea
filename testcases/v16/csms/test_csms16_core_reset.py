"""OCPP 1.6 Core, the Central System under test: resets and a power failure of the charge point."""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_REQUEST = "1. The Central System sends Reset"
_REBOOT_REJECTED = Mutant(
    "reject_reboot", step="3-4. BootNotification is answered Accepted", says="'Rejected'"
)


async def _reset(
    trigger: CsmsTrigger, station: Session, link: StationLink, dut: DutProfile, kind: str
) -> None:
    """The Central System resets the charge point (``kind``), which reboots and registers."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await acts.requested(
        trigger,
        station,
        "Reset",
        {"type": kind},
        description=f"Make the Central System reset the charge point ({kind})",
        request_step=f"{_REQUEST} {kind}",
        answer_step="2. The charge point answers Accepted",
        answer={"status": "Accepted"},
        checks=[(f"type {kind}", {"type": kind})],
    )
    await link.cut("charge point resets")
    await acts.rebooted(
        station,
        link,
        dut,
        boot_step="3-4. BootNotification is answered Accepted",
        status_step="5-6. StatusNotification Available for connector 0 and each connector",
    )


@testcase(
    "TC_013_CSMS",
    proof=[
        Mutant("reset_other_type", step=_REQUEST, says='$.type: expected "Hard", got "Soft"'),
        _REBOOT_REJECTED,
    ],
)
async def test_TC_013_CSMS_hard_reset(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The Central System hard-resets the charge point and accepts it when it boots again."""
    await _reset(trigger, station, station_link, dut, "Hard")


@testcase(
    "TC_014_CSMS",
    proof=[
        Mutant("reset_other_type", step=_REQUEST, says='$.type: expected "Soft", got "Hard"'),
        _REBOOT_REJECTED,
    ],
)
async def test_TC_014_CSMS_soft_reset(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, station_link: StationLink
) -> None:
    """The Central System soft-resets the charge point and accepts it when it boots again."""
    await _reset(trigger, station, station_link, dut, "Soft")


@testcase(
    "TC_032_1_CSMS",
    proof=[
        Mutant(
            "token_invalid:StartTransaction",
            step="Charging 3-4. StartTransaction is answered with idTagInfo Accepted",
            says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
        ),
        Mutant(
            "reject_reboot", step="1-2. BootNotification is answered Accepted", says="'Rejected'"
        ),
        Mutant(
            "ignore_call:StopTransaction",
            step="5-6. StopTransaction with reason PowerLoss is acknowledged",
            says="did not answer StopTransaction",
        ),
    ],
)
async def test_TC_032_1_CSMS_power_failure_stops_transaction(
    station: Session, dut: DutProfile, station_link: StationLink
) -> None:
    """The Central System accepts a charge point that lost power and then stops its transaction."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    await station_link.cut("power failure")
    power_lost = utc_now()
    await acts.rebooted(
        station,
        station_link,
        dut,
        boot_step="1-2. BootNotification is answered Accepted",
        status_step="3-4. StatusNotification Finishing for the transaction's connector, "
        "Available for the others",
        statuses={tx.connector_id: "Finishing"},
    )
    with step("5-6. StopTransaction with reason PowerLoss is acknowledged"):
        await acts.stop_transaction(station, tx, "PowerLoss", timestamp=power_lost)
