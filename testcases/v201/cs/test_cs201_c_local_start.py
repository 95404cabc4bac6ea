"""OCPP 2.0.1 block C, station under test: refused local starts, a stop with another idToken."""

from __future__ import annotations

from typing import Any

from harness.errors import NotApplicable
from harness.flows.v201.auth import (
    AUTH_ON,
    answer_authorize,
    authorize_at_reader,
    no_transaction_follows,
)
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The proof of a refused local start: a station that charges whatever the CSMS answered.
_STARTS_ANYWAY = Mutant(
    "accept_any_token", step="No TransactionEventRequest follows", says="must not send"
)


async def _refused_after_connect(
    csms: Session, rig: Rig, dut: DutProfile, token: str, status: str
) -> None:
    """TC_C_06/07/56_CS: EV connected, the ``token`` idToken answered ``status``, no transaction."""
    rig.require(Capability.PLUG, Capability.CARD)
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    answer_authorize(csms, {"status": status})
    request = await authorize_at_reader(
        csms, rig, dut, token, f"1-2. AuthorizeRequest with the {token} idToken, answered {status}"
    )
    await no_transaction_follows(
        csms, dut, request, "2. (note) No TransactionEventRequest follows the refused authorization"
    )


@testcase(
    "TC_C_06_CS",
    excludes=("cable_lock",),
    rig=(Capability.PLUG, Capability.CARD),
    proof=[_STARTS_ANYWAY],
)
async def test_TC_C_06_CS_local_start_blocked(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken the CSMS calls Blocked is asked about once and starts no transaction."""
    await _refused_after_connect(csms, rig, dut, "blocked", "Blocked")


@testcase(
    "TC_C_07_CS",
    excludes=("cable_lock",),
    rig=(Capability.PLUG, Capability.CARD),
    proof=[_STARTS_ANYWAY],
)
async def test_TC_C_07_CS_local_start_expired(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken the CSMS calls Expired is asked about once and starts no transaction."""
    await _refused_after_connect(csms, rig, dut, "expired", "Expired")


@testcase(
    "TC_C_56_CS",
    excludes=("cable_lock",),
    rig=(Capability.PLUG, Capability.CARD),
    proof=[_STARTS_ANYWAY],
)
async def test_TC_C_56_CS_local_start_unknown(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken the CSMS calls Unknown is asked about once and starts no transaction."""
    await _refused_after_connect(csms, rig, dut, "invalid", "Unknown")


@testcase(
    "TC_C_05_CS",
    requires=("cable_lock",),
    rig=(Capability.CARD,),
    proof=[
        Mutant(
            "accept_any_token",
            step="No TransactionEventRequest follows",
            says="must not send",
            builtin="station-2.0.1-serial-rig",
        )
    ],
)
async def test_TC_C_05_CS_local_start_invalid_cable_lock(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """With a cable lock, an idToken the CSMS calls Invalid starts no transaction."""
    rig.require(Capability.CARD)
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: TxCtrlr.TxStartPoint contains Authorized"):
        # Prerequisite: a station whose TxStartPoint is ReadOnly without Authorized is out of
        # scope; a writable one is given Authorized, where an accepted idToken would start.
        points = await flow.points("TxStartPoint")
        if "Authorized" not in points:
            wanted = ",".join(sorted(points | {"Authorized"}))
            await flow.prefer({("TxCtrlr", "TxStartPoint"): wanted})
            current = await flow.get_variable("TxCtrlr", "TxStartPoint") or ""
            if "Authorized" not in current.split(","):
                raise NotApplicable("TxCtrlr.TxStartPoint is ReadOnly and lacks Authorized")
    answer_authorize(csms, {"status": "Invalid"})
    request = await authorize_at_reader(
        csms,
        rig,
        dut,
        "invalid",
        "1-2. AuthorizeRequest with the invalid idToken, answered Invalid",
    )
    await no_transaction_follows(
        csms, dut, request, "2. (note) No TransactionEventRequest follows the refused authorization"
    )


def _stops_or_names_token(payload: dict[str, Any]) -> bool:
    """A TransactionEvent that carries an idToken or ends the transaction."""
    return "idToken" in payload or payload.get("eventType") == "Ended"


@testcase(
    "TC_C_04_CS",
    excludes=("shared_token_reader",),
    rig=(Capability.PLUG, Capability.CARD, Capability.EV_STATE),
    proof=[
        Mutant(
            "stop_with_any_token",
            step="No TransactionEventRequest with an idToken",
            says="must not send",
        )
    ],
)
async def test_TC_C_04_CS_stop_with_other_token(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Another accepted idToken neither stops nor re-authorizes a running transaction."""
    rig.require(Capability.PLUG, Capability.CARD, Capability.EV_STATE)
    flow = StationFlow(csms, dut, rig)
    with step("Before: AuthCtrlr.AuthEnabled true, DisableRemoteAuthorization false"):
        await flow.prefer(AUTH_ON)
    with step("Before: State is EnergyTransferStarted"):
        await flow.ev_connected_pre_session()
        await flow.authorized_local()
        await flow.energy_transfer_started()
    # The different idToken has no group of its own, so none matching the starting idToken's.
    answer_authorize(csms, {"status": "Accepted"})
    request = await authorize_at_reader(
        csms,
        rig,
        dut,
        "valid2",
        "1-2. AuthorizeRequest with the different idToken, answered Accepted",
        presented="Manual action: present a different idToken than the one that started",
    )
    with step(
        "2. (note) No TransactionEventRequest with an idToken, and no Ended (post condition)"
    ):
        await csms.expect_none(
            "TransactionEvent",
            where=_stops_or_names_token,
            during=dut.timing.message_timeout,
            after=request,
        )
