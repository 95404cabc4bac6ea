"""OCPP 2.0.1 Remote Control (block F): remote start first, remote stop, station under test."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from harness.errors import NotApplicable
from harness.flows.common import not_before
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.remote_control import settable_or_holds
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The TxStartPoints with which a remote start without a cable starts the transaction.
_STARTS_AT_AUTHORIZATION = frozenset({"Authorized", "ParkingBayOccupancy"})


async def _remote_start_first(flow: StationFlow, authorize_remote_start: str) -> None:
    """TC_F_02/03_CS: the Before, then Authorized (remote) and EnergyTransferStarted."""
    with step("Before: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite)"):
        await settable_or_holds(flow, "AuthCtrlr", "AuthEnabled", "true")
    with step("Before: AuthCtrlr.DisableRemoteAuthorization false (if implemented)"):
        await flow.prefer({("AuthCtrlr", "DisableRemoteAuthorization"): "false"})
    with step(f"Before: AuthCtrlr.AuthorizeRemoteStart {authorize_remote_start} (if ReadWrite)"):
        await settable_or_holds(flow, "AuthCtrlr", "AuthorizeRemoteStart", authorize_remote_start)
    with step("1. Execute Reusable State Authorized (remote)"):
        await flow.authorized_remote()
    with step("2. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_F_02_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("skip_authorize", step="EnergyTransferStarted 7-8.", says="did not arrive"),
        Mutant("no_remote_start_id", step="EnergyTransferStarted 7-8.", says="remoteStartId"),
    ],
)
async def test_TC_F_02_CS_remote_start_first_authorized(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With AuthorizeRemoteStart true, a remote start is authorized first, then the cable comes."""
    await _remote_start_first(StationFlow(csms, dut, rig), "true")


@testcase(
    "TC_F_03_CS",
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[Mutant("no_remote_start_id", step="EnergyTransferStarted 7-8.", says="remoteStartId")],
)
async def test_TC_F_03_CS_remote_start_first_unauthorized(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With AuthorizeRemoteStart false, a remote start is trusted at once; the cable comes later."""
    await _remote_start_first(StationFlow(csms, dut, rig), "false")


def _has_start_at_authorization(value: str) -> bool:
    return bool(_STARTS_AT_AUTHORIZATION & {p.strip() for p in value.split(",")})


@testcase(
    "TC_F_04_CS",
    proof=[
        Mutant("tx_not_ended", step="1-2. TransactionEventRequest Ended", says="did not arrive"),
        Mutant(
            "ended_trigger:Deauthorized",
            step="1-2. TransactionEventRequest Ended",
            says="triggerReason",
        ),
    ],
)
async def test_TC_F_04_CS_remote_start_cable_timeout(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A remote start whose cable never comes is ended at EVConnectionTimeOut; the EVSE is free."""
    flow = StationFlow(csms, dut, rig)
    timeout = dut.timing.connection_timeout
    async with contextlib.AsyncExitStack() as configuration:
        with step(f"Before: TxCtrlr.EVConnectionTimeOut is {timeout}"):
            await flow.prefer({("TxCtrlr", "EVConnectionTimeOut"): str(timeout)})
        with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
            await flow.prefer(
                {
                    ("AuthCtrlr", "AuthEnabled"): "true",
                    ("AuthCtrlr", "DisableRemoteAuthorization"): "false",
                }
            )
        # The errata (2024-06, TC_F_04_CS) drop the prerequisite: a station that
        # cannot start there runs the case without a transaction.
        start_point = step("Before: TxCtrlr.TxStartPoint is ParkingBayOccupancy or Authorized")
        with start_point, contextlib.suppress(NotApplicable):
            await configuration.enter_async_context(
                flow.configured(
                    "TxCtrlr", "TxStartPoint", "Authorized", holds=_has_start_at_authorization
                )
            )
        with step("Before: State is Authorized (remote)"):
            authorized = await flow.authorized_remote()
        bound = timeout + dut.timing.early_by(timeout) + dut.timing.message_timeout
        if authorized is not None:
            with step("1-2. TransactionEventRequest Ended, triggerReason EVConnectTimeout"):
                ended = await flow.expect_tx(
                    "the cable did not come within EVConnectionTimeOut: Ended, EVConnectTimeout",
                    {"eventType": "Ended", "triggerReason": "EVConnectTimeout"},
                    timeout=bound,
                )
                not_before(
                    ended,
                    authorized.entry.mono,
                    timeout,
                    dut.timing,
                    what="the remote start's authorization",
                    rule="TC_F_04_CS step 1: after EVConnectionTimeOut",
                )
        else:
            with step("1-2. No transaction started: EVConnectionTimeOut elapses"):
                await csms.expect_none("TransactionEvent", where=_started, during=bound)
        with step("3. Execute Reusable State Authorized (remote)"):
            await StationFlow(csms, dut, rig).authorized_remote()


def _started(payload: dict[str, Any]) -> bool:
    return payload.get("eventType") == "Started"


@testcase(
    "TC_F_09_CS",
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant(
            "stop_any_transaction",
            step="1-2. RequestStopTransactionRequest for another transactionId",
            says="Rejected",
        )
    ],
)
async def test_TC_F_09_CS_remote_stop_rejected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A RequestStopTransaction for a transaction the station does not run is Rejected."""
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EnergyTransferStarted"):
        await flow.authorized_local()
        await flow.energy_transfer_started()
    other = str(uuid.uuid4())
    while other == flow.transaction_id:
        other = str(uuid.uuid4())
    with step("1-2. RequestStopTransactionRequest for another transactionId"):
        await csms.call("RequestStopTransaction", {"transactionId": other}, status="Rejected")
