"""OCPP 1.6 Core, charge point under test: remote start and stop (TC_011_1/2, TC_026-TC_028)."""

from __future__ import annotations

from harness.flows.common import answer_or_error
from harness.flows.v16.core_auth import charging_before, lapsed, remote_start_first
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    booted,
    change_configuration,
    expect_start,
    expect_status,
    plug_in,
    require_setting,
    token,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_011_1_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("skip_remote_authorize", step="5-6. Authorize.req", says="did not arrive"),
        Mutant("skip_status:Preparing", step="7-8. StatusNotification Preparing", says="Preparing"),
        Mutant("skip_status:Charging", step="11-12. StatusNotification Charging", says="Charging"),
    ],
)
async def test_TC_011_1_CS_remote_start_first(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A RemoteStartTransaction before the cable prepares the connector; plugging in starts charging."""  # noqa: E501
    rig.require(Capability.PLUG, Capability.EV_STATE)
    await booted(csms, dut)
    mark = csms.mark()
    started = await remote_start_first(csms, dut)
    number = started.connector_id
    with step("The EV driver plugs in the cable"):
        await plug_in(rig, number)
    with step("9-10. StartTransaction.req, answered Accepted"):
        await expect_start(csms, number, started.id_tag, after=mark)
    with step("11-12. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)


@testcase(
    "TC_011_2_CS",
    proof=[
        Mutant(
            "ignore_connection_timeout", step="9-10. After ConnectionTimeOut", says="did not arrive"
        ),
        Mutant(
            "connection_timeout_early",
            step="9-10. After ConnectionTimeOut",
            says="must keep the connector Preparing",
        ),
        Mutant(
            "reject:RemoteStartTransaction", step="3-4. RemoteStartTransaction", says="Rejected"
        ),
    ],
)
async def test_TC_011_2_CS_remote_start_times_out(csms: Session, dut: DutProfile) -> None:
    """A remote start without a cable lapses after ConnectionTimeOut: the connector is Available again."""  # noqa: E501
    timeout = dut.timing.connection_timeout
    await booted(csms, dut)
    with step(f"Before: ConnectionTimeOut is the configured connection timeout ({timeout} s)"):
        await change_configuration(csms, "ConnectionTimeOut", str(timeout))
    started = await remote_start_first(csms, dut)
    with step("9-10. After ConnectionTimeOut, StatusNotification Available"):
        # ConnectionTimeOut runs from the beginning of Preparing (OCPP 1.6 configuration key).
        await lapsed(
            csms,
            dut,
            started.connector_id,
            started.preparing,
            what="the connector became Preparing; the Charge Point must keep the connector "
            "Preparing for ConnectionTimeOut",
        )


@testcase(
    "TC_026_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "accept_busy_remote_start",
            step="1-2. RemoteStartTransaction",
            says="Rejected",
        ),
    ],
)
async def test_TC_026_CS_remote_start_rejected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A RemoteStartTransaction for the connector of a running transaction is Rejected."""
    await booted(csms, dut)
    with step("Before: LocalPreAuthorize is false"):
        await require_setting(csms, "LocalPreAuthorize", "false")
    running = await charging_before(csms, rig, dut)
    with step("1-2. RemoteStartTransaction for the connector of the transaction is Rejected"):
        await csms.call(
            "RemoteStartTransaction",
            {"connectorId": running.connector_id, "idTag": token(dut, "valid")},
            status="Rejected",
        )


@testcase(
    "TC_027_CS",
    proof=[
        Mutant(
            "accept_blindly:RemoteStartTransaction",
            step="1-2. RemoteStartTransaction for connector 0",
            says="Rejected",
        ),
    ],
)
async def test_TC_027_CS_remote_start_connector_zero(csms: Session, dut: DutProfile) -> None:
    """A RemoteStartTransaction for connector 0 is refused: answered Rejected, or with a CALLERROR."""  # noqa: E501
    await booted(csms, dut)
    with step("1-2. RemoteStartTransaction for connector 0 is Rejected (or a CALLERROR)"):
        await answer_or_error(
            csms,
            "RemoteStartTransaction",
            {"connectorId": 0, "idTag": token(dut, "valid")},
            "status Rejected (TC_027_CS step 2)",
            {"status": "Rejected"},
            error_codes=None,
        )


@testcase(
    "TC_028_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant(
            "accept_blindly:RemoteStopTransaction",
            step="1-2. RemoteStopTransaction",
            says="Rejected",
        ),
    ],
)
async def test_TC_028_CS_remote_stop_rejected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A RemoteStopTransaction for a transactionId the charge point does not know is Rejected."""
    await booted(csms, dut)
    running = await charging_before(csms, rig, dut)
    unknown = running.transaction_id + 1_000_000
    with step(f"1-2. RemoteStopTransaction for the unknown transactionId {unknown} is Rejected"):
        await csms.call("RemoteStopTransaction", {"transactionId": unknown}, status="Rejected")
