"""OCPP 2.0.1 block C, station under test: authorization by GroupId and the master pass."""

from __future__ import annotations

from typing import Any

from harness.expect import one_of
from harness.flows.common import token
from harness.flows.v201.auth import (
    answer_authorize,
    answer_transaction_events,
    authorize_at_reader,
    group_info,
    no_transaction_follows,
    required,
)
from harness.flows.v201.auth_cache import CACHE_ON, id_token_cached
from harness.flows.v201.cs import StationFlow, id_token
from harness.flows.v201.master_pass import master_pass_authorized
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)


async def _started_for_the_group(csms: Session, rig: Rig, dut: DutProfile) -> StationFlow:
    """Before and steps 1-5 of TC_C_39/42_CS: the valid idToken of the group charges.

    The harness answers the AuthorizeRequest and the TransactionEvent with the
    idToken Accepted in <Configured GroupId>.
    """
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    answer_authorize(flow.csms, group_info(dut, "Accepted"))
    answer_transaction_events(flow.csms, group_info(dut, "Accepted"))
    with step("1-4. Present the valid idToken of the group: Authorize, TransactionEvent"):
        # Step 3 only when TxStartPoint contains Authorized or the transaction runs already.
        await flow.authorized_local()
    with step("5. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()
    return flow


async def _stopped_by_the_group(
    flow: StationFlow, other: str, title: str, numbers: tuple[str, str]
) -> None:
    """The ``other`` idToken of the group stopped: StopAuthorized, then the EV leaves.

    Args:
        flow: the case's flow, its transaction started by the valid idToken.
        other: the profile's name of the idToken that stopped it.
        title: the step of the TransactionEvent with triggerReason StopAuthorized.
        numbers: the step numbers of EVConnectedPostSession and EVDisconnected.
    """
    with step(title):
        # The catalogue names the valid idToken; the one that stopped is just as right.
        tokens = one_of(id_token(flow.dut, "valid"), id_token(flow.dut, other))
        await flow.expect_tx(
            "stopped by an idToken of the group",
            {"triggerReason": "StopAuthorized", "idToken": tokens},
        )
    with step(f"{numbers[0]} Execute Reusable State EVConnectedPostSession"):
        await flow.ev_connected_post_session()
    with step(f"{numbers[1]} Execute Reusable State EVDisconnected"):
        await flow.ev_disconnected()


@testcase(
    "TC_C_39_CS",
    rig=_RIG,
    proof=[
        Mutant("ignore_group_id", step="8-9. TransactionEventRequest", says="did not arrive"),
        Mutant("stop_without_id_token", step="8-9. TransactionEventRequest", says="idToken"),
    ],
)
async def test_TC_C_39_CS_group_id_success(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Another idToken of the same group stops the transaction the valid idToken started."""
    flow = await _started_for_the_group(csms, rig, dut)
    await authorize_at_reader(
        csms,
        rig,
        dut,
        "group_member",
        "6-7. AuthorizeRequest with the other idToken, answered Accepted in the group",
        presented="Manual action: present another valid idToken of the group",
    )
    await _stopped_by_the_group(
        flow,
        "group_member",
        "8-9. TransactionEventRequest with triggerReason StopAuthorized and an idToken",
        ("10.", "11."),
    )
    # 12. ParkingBayUnoccupied: the station reports a parking bay only with a detector, and
    # the reusable state then has nothing for the CSMS to check.


async def _member_refused(
    csms: Session, rig: Rig, dut: DutProfile, numbers: tuple[str, str], what: str
) -> None:
    """The invalid idToken of the group is refused (Invalid) and stops nothing.

    Args:
        numbers: the step numbers of the AuthorizeRequest and of the note after it.
        what: how the steps name the presented idToken.
    """
    answer_authorize(csms, group_info(dut, "Invalid"))
    request = await authorize_at_reader(
        csms,
        rig,
        dut,
        "invalid",
        f"{numbers[0]} AuthorizeRequest with {what}, answered Invalid in the group",
        presented=f"Manual action: present {what} of the group",
    )
    await no_transaction_follows(
        csms,
        dut,
        request,
        f"{numbers[1]} (note) No TransactionEventRequest follows: the energy flows on",
    )


@testcase(
    "TC_C_42_CS",
    rig=_RIG,
    proof=[
        Mutant("accept_any_token", step="No TransactionEventRequest follows", says="must not send")
    ],
)
async def test_TC_C_42_CS_not_stopped_by_group(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken the CSMS calls Invalid does not stop a transaction, whatever its group."""
    await _started_for_the_group(csms, rig, dut)
    await _member_refused(csms, rig, dut, ("6-7.", "7."), "the invalid idToken")


def _master_pass_start_points(points: frozenset[str]) -> bool:
    """Has Authorized or PowerPathClosed, and neither ParkingBayOccupancy nor EVConnected."""
    return bool(points & {"Authorized", "PowerPathClosed"}) and not (
        points & {"ParkingBayOccupancy", "EVConnected"}
    )


def _charging(payload: dict[str, Any]) -> bool:
    info = payload.get("transactionInfo", {})
    return (
        payload.get("triggerReason") == "ChargingStateChanged"
        and info.get("chargingState") == "Charging"
    )


@testcase(
    "TC_C_45_CS",
    requires=("master_pass",),
    rig=_RIG,
    proof=[
        Mutant(
            "ignore_master_pass",
            step="4. No TransactionEventRequest with chargingState Charging",
            says="must not send",
        )
    ],
)
async def test_TC_C_45_CS_master_pass_cannot_start(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A master-pass idToken is accepted by the CSMS yet starts no charging."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    group = token(dut, "master_pass_group")
    with step("Before: TxStartPoint has Authorized or PowerPathClosed, no EVConnected/ParkingBay"):
        if not _master_pass_start_points(await flow.points("TxStartPoint")):
            await required(flow, {("TxCtrlr", "TxStartPoint"): "PowerPathClosed"})
    with step("Before: AuthCtrlr.MasterPassGroupId is <Configured MasterPassGroupId>"):
        await required(flow, {("AuthCtrlr", "MasterPassGroupId"): group})
    await master_pass_authorized(csms, rig, dut)
    mark = csms.mark()
    with step("3. Execute Reusable State EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
        # A connected EV asks for energy (state C): only the station's refusal keeps it idle.
        await rig.ev_state(EvState.C, flow.evse, flow.connector)
    with step("4. No TransactionEventRequest with chargingState Charging"):
        await csms.expect_none(
            "TransactionEvent", where=_charging, during=dut.timing.message_timeout, after=mark
        )


async def _cached_group_start(
    csms: Session, rig: Rig, dut: DutProfile, other: tuple[str, str], *, post: bool = False
) -> StationFlow:
    """Steps 1-3 of TC_C_41/44_CS: the cached valid idToken of the group starts charging.

    ``other`` is the second cached idToken and its status in the group; with
    ``post``, AuthCacheCtrlr.DisablePostAuthorize is false (if implemented).
    """
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    settings = dict(CACHE_ON)
    if post:
        settings[("AuthCacheCtrlr", "DisablePostAuthorize")] = "false"
    with step("Before: cache enabled and LocalPreAuthorize true (if implemented)"):
        await flow.prefer(settings)
    for name, status in (("valid", "Accepted"), other):
        with step(f"Before: memory state IdTokenCached for the {name} idToken of the group"):
            info = group_info(dut, status)
            await id_token_cached(csms, rig, dut, name, status, info=info)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    answer_transaction_events(csms, group_info(dut, "Accepted"))
    with step("1-2. Present the cached valid idToken: TransactionEvent Authorized (if due)"):
        await flow.authorized_local(cached=True)
    with step("3. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()
    return flow


@testcase(
    "TC_C_41_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant(
            "ignore_group_id",
            step="4. Execute Reusable State StopAuthorized",
            says="did not arrive",
        )
    ],
)
async def test_TC_C_41_CS_group_id_with_cache(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A second cached idToken of the group stops the transaction the first one started."""
    flow = await _cached_group_start(csms, rig, dut, ("valid2", "Accepted"))
    with step("Manual action: present the cached valid idToken 2 of the group"):
        await rig.present_card(id_token(dut, "valid2")["idToken"])
    await _stopped_by_the_group(
        flow,
        "valid2",
        "4. Execute Reusable State StopAuthorized: triggerReason StopAuthorized, idToken",
        ("5.", "6."),
    )
    # 7. ParkingBayUnoccupied: only a station with a parking bay detector reports it.


@testcase(
    "TC_C_44_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant("ignore_post_authorize", step="4-5. AuthorizeRequest", says="did not arrive"),
    ],
)
async def test_TC_C_44_CS_group_invalid_with_cache(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A member of the group cached as Invalid, refused again, does not stop the transaction."""
    await _cached_group_start(csms, rig, dut, ("invalid", "Invalid"), post=True)
    await _member_refused(csms, rig, dut, ("4-5.", "5."), "the cached invalid idToken")
