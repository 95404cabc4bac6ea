"""OCPP 2.0.1 block C, station under test: offline authorization (C13, C15).

The harness takes the station offline while an idToken is presented; back
online, the station empties its transaction message queue (every queued
TransactionEvent ``offline`` true) and the harness answers the idToken
``Invalid``. What follows depends on ``StopTxOnInvalidId`` and
``MaxEnergyOnInvalidId``: the transaction is deauthorized, the energy is
withheld (``SuspendedEVSE``), or the energy flows on up to the allowed amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.expect import or_absent
from harness.flows.v16.offline import offline_for
from harness.flows.v201.auth_cache import CACHE_ON, id_token_cached
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.offline_auth import (
    DEAUTHORIZED_LATER,
    SUSPENDED_LATER,
    answer_invalid,
    carried_token,
    offline_configuration,
    queued_events,
    triggered,
    went_offline,
)
from harness.flows.v201.parking import drive_in_if_sensed
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
_AUTH, _TX = "AuthCtrlr", "TxCtrlr"
_OFFLINE = (_AUTH, "LocalAuthorizeOffline")
_UNKNOWN = (_AUTH, "OfflineTxForUnknownIdEnabled")
_STOP = (_TX, "StopTxOnInvalidId")
_MAX_ENERGY = (_TX, "MaxEnergyOnInvalidId")
_SUSPENDED = {"transactionInfo": {"chargingState": "SuspendedEVSE"}}


def _reports_suspended(events: list[IncomingCall]) -> bool:
    return any(
        e.payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEVSE" for e in events
    )


async def _energy_withheld(
    flow: StationFlow, queued: list[IncomingCall], passing: Mapping[str, Any]
) -> None:
    """StopTxOnInvalidId false, MaxEnergyOnInvalidId 0: an event reports SuspendedEVSE (C15).

    It may be queued already or come after the queue; ``passing`` names the
    events the case lets come before it.
    """
    if not _reports_suspended(queued):
        await flow.expect_tx(
            "the refused idToken's energy withheld: chargingState SuspendedEVSE",
            _SUSPENDED,
            passing=passing,
        )


def _withheld_or_deauthorized(payload: dict[str, object]) -> bool:
    """TC_C_15_CS's "No message with": Deauthorized, or ChargingStateChanged to SuspendedEVSE."""
    info = payload.get("transactionInfo")
    state = info.get("chargingState") if isinstance(info, dict) else None
    trigger = payload.get("triggerReason")
    return trigger == "Deauthorized" or (
        trigger == "ChargingStateChanged" and state == "SuspendedEVSE"
    )


async def _cached_token_offline(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    title: str,
    *,
    need: Mapping[tuple[str, str], str],
    prefer: Mapping[tuple[str, str], str],
    backoff: bool = False,
) -> tuple[StationFlow, dict[str, str], int]:
    """TC_C_15..18_CS up to step 2: Before, the cached idToken presented offline, back online.

    Returns:
        the flow, the presented idToken and the trace position once the connection was closed.
    """
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    await offline_configuration(flow, title, need=need, prefer=prefer, backoff=backoff)
    # "A known valid idToken ... in the Local auth list (if implemented) and auth cache": the
    # cases are about the cache (their title); the cache is what the state fills.
    with step("Before: memory state IdTokenCached for the valid idToken"):
        await id_token_cached(csms, rig, dut)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    answer_invalid(flow)
    token = flow.presenting()

    async def present() -> None:
        await rig.present_card(token["idToken"])
        # The EV connected before draws energy once the station offers it (after the
        # authorization): offline no frame tells when, so the card is given its share of time.
        await offline_for(csms, share)
        await rig.ev_state(EvState.C, flow.evse, flow.connector)

    share = dut.timing.transaction_duration / 2
    what = "present the valid idToken already in the cache; the EV charges"
    return flow, token, await went_offline(flow, present, what, spent=share)


_QUEUE_TITLE = (
    "3-4. The queued TransactionEventRequests, offline true (Authorized, if sent, with the "
    "idToken), up to ChargingStateChanged; the idToken answered Invalid"
)


async def _replayed(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    title: str,
    *,
    need: Mapping[tuple[str, str], str],
    prefer: Mapping[tuple[str, str], str],
    backoff: bool = False,
) -> tuple[StationFlow, list[IncomingCall], int]:
    """TC_C_15/16/18_CS up to step 4: the queue up to the ChargingStateChanged event.

    Returns:
        the flow, the queued events and the trace position once the connection was closed.
    """
    flow, token, mark = await _cached_token_offline(
        csms, rig, dut, title, need=need, prefer=prefer, backoff=backoff
    )
    queued = await queued_events(
        flow,
        _QUEUE_TITLE,
        cut=mark,
        until=lambda found: triggered(found, "ChargingStateChanged"),
        needs="one with triggerReason ChargingStateChanged",
        authorized=token,
    )
    return flow, queued, mark


@testcase(
    "TC_C_26_CS",
    requires=("offline_tx_for_unknown_id",),
    rig=_RIG,
    proof=[
        Mutant(
            "suspended_evse_as_charging",
            step="1. One of the TransactionEventRequests reports chargingState SuspendedEVSE",
            says="chargingState",
        ),
        Mutant(
            "refuse_unknown_offline",
            step="1-2. The queued TransactionEventRequests",
            says="did not arrive",
        ),
        Mutant(
            "offline_flag_false", step="1-2. The queued TransactionEventRequests", says="offline"
        ),
    ],
)
async def test_TC_C_26_CS_offline_unknown_id(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """Offline, an idToken the station does not know starts a transaction; refused once the
    station is back, its energy is withheld (SuspendedEVSE) until the driver stops."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    await offline_configuration(
        flow,
        "Before: OfflineTxForUnknownIdEnabled, LocalAuthorizeOffline true, StopTxOnInvalidId "
        "false; LocalAuthListEnabled, LocalPreAuthorize true, MaxEnergyOnInvalidId 0 "
        "(if implemented)",
        need={_UNKNOWN: "true", _OFFLINE: "true", _STOP: "false"},
        prefer={
            ("LocalAuthListCtrlr", "Enabled"): "true",
            (_AUTH, "LocalPreAuthorize"): "true",
            _MAX_ENERGY: "0",
        },
    )
    answer_invalid(flow)
    token = flow.presenting()

    async def start_offline() -> None:
        await drive_in_if_sensed(flow)
        await rig.present_card(token["idToken"])
        await rig.plug_in(flow.evse, flow.connector)

    mark = await went_offline(
        flow,
        start_offline,
        "drive into the parking bay (if the rig can), present the idToken, connect the EV",
        state="StartOfflineTransaction ",
    )
    flow.ev_connected = True
    with step("1-2. (errata 2025-01) The station reports the connector Occupied"):
        # B04.FR.02: a connector whose state changed offline is reported once back.
        await flow.expect_availability("Occupied", mark)
    queued = await queued_events(
        flow,
        "1-2. The queued TransactionEventRequests, all offline true, up to the one with the "
        "idToken, answered Invalid",
        cut=mark,
        until=carried_token,
        needs="the one with the idToken",
        authorized=token,
    )
    with step("1. One of the TransactionEventRequests reports chargingState SuspendedEVSE"):
        # The station learns of the refusal once back, so the event may come after the queue.
        await _energy_withheld(flow, queued, {"offline": True})
    with step("3. Execute Reusable State StopAuthorized"):
        await flow.stop_authorized_local()
    with step("4. Execute Reusable State EVConnectedPostSession"):
        await flow.ev_connected_post_session()
    with step("5. Execute Reusable State EVDisconnected"):
        await flow.ev_disconnected()


@testcase(
    "TC_C_16_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant(
            "deauthorized_as_stop_authorized",
            step="5-6. TransactionEventRequest with triggerReason Deauthorized",
            says="did not arrive",
        ),
        Mutant(
            "offline_flag_false", step="3-4. The queued TransactionEventRequests", says="offline"
        ),
    ],
)
async def test_TC_C_16_CS_cache_invalid_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A cached idToken starts a transaction offline; refused once back, with StopTxOnInvalidId
    true the transaction is deauthorized."""
    flow, queued, _mark = await _replayed(
        csms,
        rig,
        dut,
        "Before: LocalAuthorizeOffline, StopTxOnInvalidId true; AuthCacheCtrlr.Enabled, "
        "LocalPreAuthorize true, MaxEnergyOnInvalidId 0 (if implemented)",
        need={_OFFLINE: "true", _STOP: "true"},
        prefer={**CACHE_ON, _MAX_ENERGY: "0"},
    )
    with step("5-6. TransactionEventRequest with triggerReason Deauthorized"):
        if not triggered(queued, "Deauthorized"):
            await flow.expect_tx(
                "the refused idToken deauthorized: triggerReason Deauthorized",
                {"triggerReason": "Deauthorized"},
                passing=DEAUTHORIZED_LATER,
            )


@testcase(
    "TC_C_17_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant(
            "suspended_evse_as_charging",
            step="5-6. TransactionEventRequest with chargingState SuspendedEVSE",
            says="did not arrive",
        ),
        Mutant(
            "stop_tx_on_any_invalid_id",
            step="5-6. TransactionEventRequest with chargingState SuspendedEVSE",
            says="did not arrive",
        ),
    ],
)
async def test_TC_C_17_CS_cache_invalid_continue(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A cached idToken starts a transaction offline; refused once back, with StopTxOnInvalidId
    false and no energy allowed the station withholds the energy (SuspendedEVSE)."""
    flow, token, mark = await _cached_token_offline(
        csms,
        rig,
        dut,
        "Before: StopTxOnInvalidId false; AuthCacheCtrlr.Enabled, LocalPreAuthorize, "
        "OfflineTxForUnknownIdEnabled true, MaxEnergyOnInvalidId 0 (if implemented)",
        need={_STOP: "false"},
        prefer={**CACHE_ON, _UNKNOWN: "true", _MAX_ENERGY: "0"},
    )
    # The Authorized event is due where the authorization starts the transaction or the
    # transaction started before (reusable state Authorized, step 3); else the idToken
    # comes with the event that starts it (PowerPathClosed: ChargingStateChanged).
    due = "Authorized" in await flow.points("TxStartPoint") or flow.transaction_id is not None

    def enough(found: list[IncomingCall]) -> bool:
        return carried_token(found) and (not due or triggered(found, "Authorized"))

    queued = await queued_events(
        flow,
        "2-4. The queued TransactionEventRequests, offline true, with triggerReason Authorized "
        "and the idToken (where due); the idToken answered Invalid",
        cut=mark,
        until=enough,
        needs="the idToken (with triggerReason Authorized where due)",
        authorized=token,
    )
    with step("5-6. TransactionEventRequest with chargingState SuspendedEVSE"):
        # "No message with triggerReason SuspendedEVSE": no such triggerReason exists (schema).
        await _energy_withheld(flow, queued, SUSPENDED_LATER)


@testcase(
    "TC_C_15_CS",
    requires=("auth_cache", "max_energy_on_invalid_id"),
    rig=_RIG,
    proof=[
        Mutant(
            "stop_tx_on_any_invalid_id",
            step="3. No TransactionEventRequest",
            says="Deauthorized",
        ),
        Mutant(
            "ignore_max_energy_on_invalid_id",
            step="3. No TransactionEventRequest",
            says="SuspendedEVSE",
        ),
    ],
)
async def test_TC_C_15_CS_cache_invalid_max_energy(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A cached idToken starts a transaction offline; refused once back, with StopTxOnInvalidId
    false and MaxEnergyOnInvalidId > 0 the energy flows on: neither deauthorized nor withheld."""
    _flow, _queued, mark = await _replayed(
        csms,
        rig,
        dut,
        "Before: LocalAuthorizeOffline true, StopTxOnInvalidId false, MaxEnergyOnInvalidId "
        "10000, reconnection back-off; AuthCacheCtrlr.Enabled, LocalPreAuthorize, "
        "OfflineTxForUnknownIdEnabled true (if implemented)",
        need={_OFFLINE: "true", _STOP: "false", _MAX_ENERGY: "10000"},
        prefer={**CACHE_ON, _UNKNOWN: "true"},
        backoff=True,
    )
    with step(
        "3. No TransactionEventRequest with triggerReason Deauthorized or ChargingStateChanged "
        "to SuspendedEVSE"
    ):
        # C15: the refused idToken may still draw MaxEnergyOnInvalidId; the station reacts to
        # the answer within a message timeout.
        await csms.expect_none(
            "TransactionEvent",
            where=_withheld_or_deauthorized,
            during=dut.timing.message_timeout,
            after=mark,
        )


@testcase(
    "TC_C_18_CS",
    requires=("auth_cache", "max_energy_on_invalid_id"),
    rig=_RIG,
    proof=[
        Mutant(
            "deauthorized_offline",
            step="5-6. TransactionEventRequest with triggerReason Deauthorized",
            says="offline",
        ),
        Mutant(
            "deauthorized_as_stop_authorized",
            step="5-6. TransactionEventRequest with triggerReason Deauthorized",
            says="did not arrive",
        ),
    ],
)
async def test_TC_C_18_CS_cache_invalid_stop_max_energy(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A cached idToken starts a transaction offline; refused once back, with StopTxOnInvalidId
    true the transaction is deauthorized at once, whatever MaxEnergyOnInvalidId allows."""
    flow, _queued, _mark = await _replayed(
        csms,
        rig,
        dut,
        "Before: LocalAuthorizeOffline, StopTxOnInvalidId true, MaxEnergyOnInvalidId 500, "
        "reconnection back-off; AuthCacheCtrlr.Enabled, LocalPreAuthorize, "
        "OfflineTxForUnknownIdEnabled true (if implemented)",
        need={_OFFLINE: "true", _STOP: "true", _MAX_ENERGY: "500"},
        prefer={**CACHE_ON, _UNKNOWN: "true"},
        backoff=True,
    )
    with step("5-6. TransactionEventRequest with triggerReason Deauthorized"):
        # Sent once the station is back: not a queued message (offline false or absent).
        await flow.expect_tx(
            "the refused idToken deauthorized, online: triggerReason Deauthorized, offline false",
            {"triggerReason": "Deauthorized", "offline": or_absent(False)},
            passing=DEAUTHORIZED_LATER,
        )
