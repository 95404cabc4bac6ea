"""OCPP 2.0.1 block C, station under test: the authorization cache."""

from __future__ import annotations

from harness.expect import one_of
from harness.flows.v201.auth import (
    answer_authorize,
    answer_transaction_events,
    authorize_at_reader,
    no_transaction_follows,
    required,
)
from harness.flows.v201.auth_cache import CACHE_ON, id_token_cached
from harness.flows.v201.cs import StationFlow, id_token
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.CARD, Capability.EV_STATE)
_ENABLED = ("AuthCacheCtrlr", "Enabled")
#: "LocalPreAuthorize is true" where the catalogue does not add "if implemented".
_PRE_AUTHORIZE = {("AuthCtrlr", "LocalPreAuthorize"): "true"}
_CACHE_ON_TITLE = (
    "Before: AuthCacheCtrlr.Enabled, AuthCtrlr.LocalPreAuthorize true (if implemented)"
)
#: "AuthCacheCtrlrDisablePostAuthorize is false (if implemented)" with the cache on.
_POST_AUTHORIZE = {**CACHE_ON, ("AuthCacheCtrlr", "DisablePostAuthorize"): "false"}
#: The proof of the cases that only walk reusable states after a cached idToken.
#: A station that misreads its cache: the cached valid idToken is refused at the case's
#: own presentation (the memory state's session, before anything is cached, is unharmed),
#: so no energy transfer starts.
_CACHE_HIT_REFUSED = Mutant(
    "cache_hit_refused", step="EnergyTransferStarted 7-8.", says="did not arrive"
)
#: A station that refuses a cached refusal without asking the CSMS again.
_NOT_ASKED = Mutant("ignore_post_authorize", step="1-2. AuthorizeRequest", says="did not arrive")


async def _before(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    title: str,
    *,
    prefer: dict[tuple[str, str], str] | None = None,
    need: dict[tuple[str, str], str] | None = None,
    token: str = "valid",
    status: str = "Accepted",
    connected: bool = True,
    caps: tuple[Capability, ...] = _RIG,
) -> StationFlow:
    """The Before of a cache case: configuration, IdTokenCached, EVConnectedPreSession.

    Args:
        title: the step of the configuration state.
        prefer: values set "if implemented".
        need: values the case cannot do without (else not applicable).
        token: the idToken of the memory state IdTokenCached, cached as ``status``.
        connected: whether the reusable state EVConnectedPreSession follows.
        caps: the rig capabilities the case uses.
    """
    rig.require(*caps)
    flow = StationFlow(csms, dut, rig)
    with step(title):
        await flow.prefer(prefer or {})
        await required(flow, need or {})
    with step(f"Before: memory state IdTokenCached for the {token} idToken"):
        await id_token_cached(csms, rig, dut, token, status)
    if connected:
        with step("Before: State is EVConnectedPreSession"):
            await flow.ev_connected_pre_session()
    return flow


@testcase(
    "TC_C_37_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant("reject:ClearCache", step="1-2. ClearCacheRequest", says="Rejected"),
        Mutant("accept_clear_cache", step="Authorized 1-2. AuthorizeRequest", says="Authorize"),
    ],
)
async def test_TC_C_37_CS_clear_cache_accepted(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """ClearCache empties the cache: the cached idToken is asked about again."""
    flow = await _before(
        csms,
        rig,
        dut,
        "Before: AuthCacheCtrlr.Enabled true (if implemented)",
        prefer={_ENABLED: "true"},
        connected=False,
    )
    with step("1-2. ClearCacheRequest is answered Accepted"):
        await csms.call("ClearCache", {}, status="Accepted")
    # 3. ParkingBayOccupied: reported only by a station with a parking bay detector.
    with step("4. Execute Reusable State EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    with step("5-8. Present the valid idToken: AuthorizeRequest, TransactionEvent Authorized"):
        await flow.authorized_local()
    with step("9. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_C_38_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[Mutant("accept_clear_cache", step="1-2. ClearCacheRequest", says="Accepted")],
)
async def test_TC_C_38_CS_clear_cache_rejected(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With the cache disabled, ClearCache is answered Rejected."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    with step("Before: memory state IdTokenCached for the valid idToken"):
        await id_token_cached(csms, rig, dut)
    with step("Before: AuthCacheCtrlr.Enabled false (if implemented)"):
        await flow.prefer({_ENABLED: "false"})
    with step("1-2. ClearCacheRequest is answered Rejected"):
        await csms.call("ClearCache", {}, status="Rejected")


@testcase("TC_C_08_CS", requires=("auth_cache",), rig=_RIG, proof=[_CACHE_HIT_REFUSED])
async def test_TC_C_08_CS_cache_accepted(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A valid idToken in the cache authorizes and the energy transfer starts."""
    flow = await _before(csms, rig, dut, _CACHE_ON_TITLE, prefer=CACHE_ON)
    with step("1. Execute Reusable State Authorized with the cached valid idToken"):
        # The AuthorizeRequest of the state is not needed for a cached idToken.
        await flow.authorized_local(cached=True)
    with step("2. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


async def _cached_refusal(
    csms: Session, rig: Rig, dut: DutProfile, token: str, status: str
) -> StationFlow:
    """TC_C_09/10/11/12_CS up to the idToken cached as ``status`` presented with the EV in."""
    title = "Before: cache enabled, LocalPreAuthorize true, DisablePostAuthorize false"
    return await _before(csms, rig, dut, title, prefer=_POST_AUTHORIZE, token=token, status=status)


async def _asked_again(csms: Session, rig: Rig, dut: DutProfile, token: str, status: str) -> None:
    """TC_C_09/10/11_CS: the cached refusal is asked about again and refused again."""
    await _cached_refusal(csms, rig, dut, token, status)
    answer_authorize(csms, {"status": status})
    await authorize_at_reader(
        csms,
        rig,
        dut,
        token,
        f"1-2. AuthorizeRequest with the cached {token} idToken, answered {status}",
        presented=f"Manual action: present the {token} idToken in the cache",
    )


@testcase("TC_C_09_CS", requires=("auth_cache",), rig=_RIG, proof=[_NOT_ASKED])
async def test_TC_C_09_CS_cache_invalid(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken cached as Invalid is asked about again (post-authorization)."""
    await _asked_again(csms, rig, dut, "invalid", "Invalid")


@testcase("TC_C_10_CS", requires=("auth_cache",), rig=_RIG, proof=[_NOT_ASKED])
async def test_TC_C_10_CS_cache_blocked(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken cached as Blocked is asked about again (post-authorization)."""
    await _asked_again(csms, rig, dut, "blocked", "Blocked")


@testcase("TC_C_11_CS", requires=("auth_cache",), rig=_RIG, proof=[_NOT_ASKED])
async def test_TC_C_11_CS_cache_expired(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idToken cached as Expired is asked about again (post-authorization)."""
    await _asked_again(csms, rig, dut, "expired", "Expired")


@testcase("TC_C_12_CS", requires=("auth_cache",), rig=_RIG, proof=[_NOT_ASKED])
async def test_TC_C_12_CS_cache_invalid_now_accepted(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An idToken cached as Invalid that the CSMS now accepts starts the energy transfer."""
    flow = await _cached_refusal(csms, rig, dut, "invalid", "Invalid")
    # The CSMS holds the idToken valid (the case's purpose): its Authorize answer, and the
    # answer to a TransactionEvent carrying it, say Accepted. Answered by the token book
    # instead (Invalid), a transaction started with the Authorize (TxStartPoint
    # PowerPathClosed, the EV in) is ended Deauthorized (StopTxOnInvalidId).
    answer_authorize(csms, {"status": "Accepted"})
    answer_transaction_events(csms, {"status": "Accepted"})
    with step("1-4. Present the cached idToken: AuthorizeRequest answered Accepted, an event"):
        # Steps 3-4 (a TransactionEvent) are optional: the flow expects one where due.
        await flow.authorized_local("invalid")
    with step("5. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase("TC_C_13_CS", requires=("auth_cache",), rig=_RIG, proof=[_CACHE_HIT_REFUSED])
async def test_TC_C_13_CS_cache_accepted_before_cable(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """A cached valid idToken presented before the cable authorizes; charging starts later."""
    flow = await _before(csms, rig, dut, _CACHE_ON_TITLE, prefer=CACHE_ON, connected=False)
    # Before: ParkingBayOccupied applies only to a station with a parking bay detector.
    with step("1-2. Present the cached valid idToken: TransactionEvent Authorized (if due)"):
        await flow.authorized_local(cached=True)
    with step("3. Execute Reusable State EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    with step("4. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


@testcase(
    "TC_C_57_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant("cache_disabled", step="1. No AuthorizeRequest", says="must not send"),
        Mutant("accept_any_token", step="authorization is refused", says="must not send"),
    ],
)
async def test_TC_C_57_CS_disable_post_authorize(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With DisablePostAuthorize, an idToken cached as Invalid is refused without asking."""
    await _before(
        csms,
        rig,
        dut,
        "Before: cache enabled, LocalPreAuthorize true, DisablePostAuthorize true",
        prefer=CACHE_ON,
        need={("AuthCacheCtrlr", "DisablePostAuthorize"): "true"},
        token="invalid",
        status="Invalid",
    )
    mark = csms.mark()
    with step("Manual action: present the invalid idToken in the cache"):
        await rig.present_card(id_token(dut, "invalid")["idToken"])
    with step("1. No AuthorizeRequest for the cached invalid idToken"):
        await csms.expect_none("Authorize", during=dut.timing.message_timeout, after=mark)
    await no_transaction_follows(
        csms,
        dut,
        mark,
        "1. (tool validation) the authorization is refused: no TransactionEvent",
        during=0,  # the step before waited a message timeout since the presentation
    )


@testcase(
    "TC_C_36_CS",
    requires=("auth_cache",),
    rig=(Capability.CARD,),
    proof=[
        Mutant("ignore_local_pre_authorize", step="1-2. AuthorizeRequest", says="did not arrive")
    ],
)
async def test_TC_C_36_CS_no_local_pre_authorize(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With LocalPreAuthorize false, a cached valid idToken is still asked about."""
    rig.require(Capability.CARD)
    flow = StationFlow(csms, dut, rig)
    with step("Before: memory state IdTokenCached for the valid idToken"):
        await id_token_cached(csms, rig, dut)
    with step("Before: AuthCacheCtrlr.Enabled true, AuthCtrlr.LocalPreAuthorize false"):
        await required(flow, {_ENABLED: "true", ("AuthCtrlr", "LocalPreAuthorize"): "false"})
    answer_authorize(csms, {"status": "Invalid"})
    await authorize_at_reader(
        csms,
        rig,
        dut,
        "valid",
        "1-2. AuthorizeRequest with the cached valid idToken, answered Invalid",
        presented="Manual action: present the valid idToken in the cache",
    )


@testcase(
    "TC_C_46_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant(
            "ignore_cache_lifetime", step="Authorized 1-2. AuthorizeRequest", says="did not arrive"
        )
    ],
)
async def test_TC_C_46_CS_cache_lifetime(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A cache entry older than AuthCacheCtrlr.LifeTime is not used: the idToken is asked about."""
    lifetime = str(int(dut.timing.transaction_duration))
    flow = await _before(
        csms,
        rig,
        dut,
        "Before: LifeTime is the transaction duration, LocalPreAuthorize true (if implemented)",
        prefer={("AuthCtrlr", "LocalPreAuthorize"): "true"},
        need={("AuthCacheCtrlr", "LifeTime"): lifetime},
    )
    with step("1. Wait for the transaction duration: the cache entry outlives its lifetime"):
        # Nothing is presented meanwhile, so the station has nothing to ask about.
        await csms.expect_none("Authorize", during=dut.timing.transaction_duration)
    with step("2. Execute Reusable State Authorized (local): the idToken is asked about"):
        await flow.authorized_local()


@testcase(
    "TC_C_32_CS",
    requires=("auth_cache", "auth_cache_persistent"),
    rig=(*_RIG, Capability.POWER),
    proof=[Mutant("boot_wrong_reason", step="Booted 3-4.", says="reason")],
)
async def test_TC_C_32_CS_cache_persists_reboot(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """The cache outlives a power cycle: the cached valid idToken authorizes after the boot."""
    flow = await _before(
        csms,
        rig,
        dut,
        "Before: AuthCacheCtrlr.Enabled true (if implemented), LocalPreAuthorize true",
        prefer={_ENABLED: "true"},
        need=_PRE_AUTHORIZE,
        connected=False,
        caps=(*_RIG, Capability.POWER),
    )
    with step("1. Execute Reusable State Booted"):
        await flow.booted()
    with step("2-3. Present the cached valid idToken: TransactionEvent Authorized (if due)"):
        await flow.authorized_local(cached=True)
    with step("4. Execute Reusable State EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    with step("5. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()


#: "LocalAuthListEnabled is true": set where the station has a local list.
_LOCAL_LIST = {("LocalAuthListCtrlr", "Enabled"): "true"}


async def _authorization_reported(flow: StationFlow, what: str) -> None:
    """A TransactionEvent with the valid idToken reports the authorization.

    The catalogue asks for triggerReason Authorized (Started, or Updated when
    the transaction runs already). A transaction that only starts as the
    authorization closes the power path starts with ChargingStateChanged, as
    the catalogue's EnergyTransferStarted (step 7) itself requires: that form
    is accepted too.
    """
    points = await flow.points("TxStartPoint")
    started = flow.transaction_id is not None
    trigger: object = "Authorized"
    if not started and "Authorized" not in points:
        trigger = one_of("Authorized", "ChargingStateChanged")
    await flow.expect_tx(
        what,
        {
            "triggerReason": trigger,
            "idToken": id_token(flow.dut, "valid"),
            "eventType": "Updated" if started else "Started",
        },
    )


#: The configuration state of TC_C_33/34_CS.
_LIST_TITLE = "Before: AuthCacheEnabled (if implemented), LocalPreAuthorize, LocalAuthListEnabled"


@testcase(
    "TC_C_33_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[Mutant("wrong_trigger_reason", step="EnergyTransferStarted 7-8.", says="triggerReason")],
)
async def test_TC_C_33_CS_cache_updated_by_authorize(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """The cache learns an idToken from AuthorizeResponse and uses it for the next session."""
    rig.require(*_RIG)
    flow = StationFlow(csms, dut, rig)
    with step(_LIST_TITLE):
        await flow.prefer({_ENABLED: "true", **_LOCAL_LIST})
        await required(flow, _PRE_AUTHORIZE)
    with step("Before: State is EVConnectedPreSession"):
        await flow.ev_connected_pre_session()
    answer_authorize(csms, {"status": "Accepted"})
    answer_transaction_events(csms, {"status": "Accepted"})
    with step("1-4. Present the valid idToken: AuthorizeRequest, TransactionEvent, Accepted"):
        # Steps 3-4 where TxStartPoint contains Authorized (or the transaction runs); a
        # PowerPathClosed transaction starts in EnergyTransferStarted (its step 7).
        await flow.authorized_local()
    with step("5. Execute Reusable State EnergyTransferStarted"):
        await flow.energy_transfer_started()
    with step("6. Execute Reusable State EVConnectedPostSession"):
        await flow.stop_authorized_local()
        await flow.ev_connected_post_session()
    with step("7. Execute Reusable State EVDisconnected"):
        await flow.ev_disconnected()
    # 8-9. ParkingBayUnoccupied / ParkingBayOccupied: only with a parking bay detector.
    again = StationFlow(csms, dut, rig)
    with step("10. Execute Reusable State EVConnectedPreSession"):
        await again.ev_connected_pre_session()
    answer_transaction_events(csms, {"status": "Invalid"})
    with step("Manual action: present the same valid idToken"):
        await rig.present_card(id_token(dut, "valid")["idToken"])
    with step("12-13. TransactionEventRequest triggerReason Authorized, answered Invalid"):
        # Step 12 where TxStartPoint contains Authorized or the transaction runs; a
        # PowerPathClosed transaction starts now as well (the EV is in), with the idToken.
        points = await again.points("TxStartPoint")
        if again.transaction_id or points & {"Authorized", "PowerPathClosed"}:
            await _authorization_reported(again, "the cached idToken's authorization")


@testcase(
    "TC_C_34_CS",
    requires=("auth_cache",),
    rig=_RIG,
    proof=[
        Mutant(
            "cache_ignores_transaction_answers", step="7-8. AuthorizeRequest", says="did not arrive"
        )
    ],
)
async def test_TC_C_34_CS_cache_updated_by_transaction_event(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An Invalid in a TransactionEventResponse replaces the cached Accepted in the cache."""
    flow = await _before(
        csms, rig, dut, _LIST_TITLE, prefer={_ENABLED: "true", **_LOCAL_LIST}, need=_PRE_AUTHORIZE
    )
    answer_transaction_events(csms, {"status": "Invalid"})
    with step("Manual action: present the valid idToken"):
        await rig.present_card(id_token(dut, "valid")["idToken"])
    with step("1-2. TransactionEventRequest triggerReason Authorized, answered Invalid"):
        await _authorization_reported(flow, "the cached idToken's authorization")
    mark = csms.mark()
    with step("3. Execute Reusable State EVDisconnected"):
        # Whether the refused idToken ended the transaction (StopTxOnInvalidId) is not this
        # case's question: the connector's report is.
        await rig.plug_out(flow.evse, flow.connector)
        await flow.expect_availability("Available", mark)
    # 4-5. ParkingBayUnoccupied / ParkingBayOccupied: only with a parking bay detector.
    again = StationFlow(csms, dut, rig)
    with step("6. Execute Reusable State EVConnectedPreSession"):
        await again.ev_connected_pre_session()
    answer_authorize(csms, {"status": "Invalid"})
    await authorize_at_reader(
        csms,
        rig,
        dut,
        "valid",
        "7-8. AuthorizeRequest with the same valid idToken, answered Invalid",
        presented="Manual action: present the same valid idToken",
    )
