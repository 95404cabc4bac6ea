"""OCPP 2.0.1 block C (authorization), the CSMS under test."""

from __future__ import annotations

from typing import Any

from harness.expect import one_of
from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


@testcase(
    "TC_C_02_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. Authorize with the invalid idToken",
            says='got "Accepted"',
        )
    ],
)
async def test_TC_C_02_CSMS_authorize_invalid(station: Session, dut: DutProfile) -> None:
    """The CSMS refuses an idToken it does not accept, reporting it Invalid or Unknown."""
    invalid = flows.id_token(dut, flows.token(dut, "invalid"))
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("1-2. Authorize with the invalid idToken is answered Invalid or Unknown"):
        reply = await station.call("Authorize", {"idToken": invalid})
        refused = {"idTokenInfo": {"status": one_of("Invalid", "Unknown")}}
        flows.conform_reply(reply, "idTokenInfo Invalid or Unknown", refused)


async def _refused(station: Session, dut: DutProfile, name: str, statuses: tuple[str, ...]) -> None:
    """Steps 1-2 of TC_C_06/07_CSMS: Authorize with the ``name`` token is refused."""
    refused = flows.id_token(dut, flows.token(dut, name))
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    words = " or ".join(statuses)
    with step(f"1-2. Authorize with the {name} idToken is answered {words}"):
        reply = await station.call("Authorize", {"idToken": refused})
        expected = {"idTokenInfo": {"status": one_of(*statuses)}}
        flows.conform_reply(reply, f"idTokenInfo.status {words}", expected)


@testcase(
    "TC_C_06_CSMS",
    proof=[Mutant("authorize_all", step="1-2. Authorize with the blocked", says='got "Accepted"')],
)
async def test_TC_C_06_CSMS_authorize_blocked(station: Session, dut: DutProfile) -> None:
    """The CSMS refuses a blocked idToken: Blocked or Invalid."""
    await _refused(station, dut, "blocked", ("Blocked", "Invalid"))


@testcase(
    "TC_C_07_CSMS",
    proof=[Mutant("authorize_all", step="1-2. Authorize with the expired", says='got "Accepted"')],
)
async def test_TC_C_07_CSMS_authorize_expired(station: Session, dut: DutProfile) -> None:
    """The CSMS refuses an expired idToken: Expired or Invalid."""
    await _refused(station, dut, "expired", ("Expired", "Invalid"))


async def _authorized_by_cache(
    station: Session, dut: DutProfile, name: str, statuses: tuple[str, ...]
) -> None:
    """TC_C_08/20_CSMS: a TransactionEvent Authorized for a cached token, answered per status."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state EVConnectedPreSession"):
        tx = await flows.ev_connected_pre_session(station, dut)
    token = flows.id_token(dut, flows.token(dut, name))
    words = " or ".join(statuses)
    with step(f"1-2. TransactionEvent Updated (Authorized) for the {name} idToken: {words}"):
        reply = await flows.transaction_event(station, tx, "Updated", "Authorized", token=token)
        expected = {"idTokenInfo": {"status": one_of(*statuses)}}
        flows.conform_reply(reply, f"idTokenInfo.status {words}", expected)


@testcase(
    "TC_C_08_CSMS",
    proof=[
        Mutant(
            "token_invalid:TransactionEvent",
            step="1-2. TransactionEvent Updated (Authorized)",
            says='got "Invalid"',
        )
    ],
)
async def test_TC_C_08_CSMS_cached_token_accepted(station: Session, dut: DutProfile) -> None:
    """The CSMS accepts, in the TransactionEvent, a valid token the station took from its cache."""
    await _authorized_by_cache(station, dut, "valid", ("Accepted",))


@testcase(
    "TC_C_20_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. TransactionEvent Updated (Authorized)",
            says='got "Accepted"',
        )
    ],
)
async def test_TC_C_20_CSMS_cached_token_invalid(station: Session, dut: DutProfile) -> None:
    """The CSMS refuses, in the TransactionEvent, an invalid token the station had cached."""
    await _authorized_by_cache(station, dut, "invalid", ("Invalid", "Unknown"))


async def _clear_cache(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, answer: str
) -> None:
    """TC_C_37/38_CSMS: the CSMS sends ClearCacheRequest; the station answers ``answer``."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    await requested(
        trigger,
        station,
        "ClearCache",
        {},
        description="Make the CSMS clear the station's authorization cache",
        request_step="1. The CSMS sends ClearCacheRequest",
        answer_step=f"2. The station responds with ClearCacheResponse {answer}",
        answer={"status": answer},
    )


@testcase(
    "TC_C_37_CSMS",
    proof=[Mutant("skip_trigger", step="1. The CSMS sends ClearCacheRequest", says="ClearCache")],
)
async def test_TC_C_37_CSMS_clear_cache_accepted(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS clears the station's authorization cache; the station accepts."""
    await _clear_cache(station, dut, trigger, "Accepted")


@testcase(
    "TC_C_38_CSMS",
    proof=[Mutant("skip_trigger", step="1. The CSMS sends ClearCacheRequest", says="ClearCache")],
)
async def test_TC_C_38_CSMS_clear_cache_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS asks to clear the authorization cache; the station rejects, the CSMS copes."""
    await _clear_cache(station, dut, trigger, "Rejected")


def _group_accepted(dut: DutProfile) -> tuple[str, dict[str, Any]]:
    group = flows.token(dut, "group_id")
    words = f"idTokenInfo.status Accepted, groupIdToken.idToken {group}"
    return words, {"idTokenInfo": {"status": "Accepted", "groupIdToken": {"idToken": group}}}


@testcase(
    "TC_C_39_CSMS",
    proof=[
        Mutant(
            "no_group_id:Authorize",
            step="1-2. Authorize with the second idToken of the group",
            says="groupIdToken",
        ),
        Mutant(
            "no_group_id:TransactionEvent",
            step="3-4. TransactionEvent (Authorized)",
            says="groupIdToken",
        ),
    ],
)
async def test_TC_C_39_CSMS_group_id(station: Session, dut: DutProfile) -> None:
    """Two tokens of one group: one authorizes (and starts) the transaction, the other stops it."""
    words, accepted = _group_accepted(dut)
    member = flows.id_token(dut, flows.token(dut, "group_member"))
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state EVConnectedPreSession"):
        tx = await flows.ev_connected_pre_session(station, dut)
    with step("1-2. Authorize with the second idToken of the group: Accepted, with the group"):
        reply = await station.call("Authorize", {"idToken": member})
        flows.conform_reply(reply, words, accepted)
    with step("3-4. TransactionEvent (Authorized) with the valid idToken: Accepted, the group"):
        tx.token = flows.id_token(dut)
        event = "Updated" if tx.started else "Started"
        reply = await flows.transaction_event(station, tx, event, "Authorized", token=tx.token)
        flows.conform_reply(reply, words, accepted)
    with step("5. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)
    with step("6-7. Authorize with the second idToken of the group: Accepted, with the group"):
        reply = await station.call("Authorize", {"idToken": member})
        flows.conform_reply(reply, words, accepted)
    with step("8-9. TransactionEvent (StopAuthorized) with the second idToken: Accepted"):
        reply = await flows.transaction_event(
            station, tx, "Updated", "StopAuthorized", token=member
        )
        flows.conform_reply(reply, words, accepted)
    with step("10. Execute reusable state EVConnectedPostSession"):
        await flows.ev_connected_post_session(station, dut, tx)
    with step("11. Execute reusable state EVDisconnected"):
        await flows.ev_disconnected(station, dut, tx)
