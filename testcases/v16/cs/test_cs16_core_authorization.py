"""OCPP 1.6 Core, charge point under test: authorization (TC_068, TC_069, TC_007, TC_061, TC_023)."""  # noqa: E501

from __future__ import annotations

from harness.expect import Pattern
from harness.flows.common import expect_judged
from harness.flows.v16.core_auth import charging_before, id_tag_cached, occupied
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    authorized,
    booted,
    change_configuration,
    connector_id,
    expect_start,
    expect_status,
    expect_stop,
    no_transaction_starts,
    require_setting,
    token,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_068_CS",
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant(
            "stop_with_any_tag",
            step="1. No StopTransaction.req for another idTag",
            says="StopTransaction",
        ),
        Mutant("stop_without_id_tag", step="3-4. StopTransaction.req", says="idTag"),
        Mutant("invented_transaction_id", step="3-4. StopTransaction.req", says="transactionId"),
    ],
)
async def test_TC_068_CS_stop_with_the_same_id_tag(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Another idTag does not stop a transaction; the idTag that started it does (Finishing)."""
    rig.require(Capability.CARD)
    await booted(csms, dut)
    running = await charging_before(csms, rig, dut)
    number = running.connector_id
    mark = csms.mark()
    with step("The EV driver presents <Configured Valid IdTag 2> at the connector"):
        await rig.present_card(token(dut, "valid2"), number)
    with step("1. No StopTransaction.req for another idTag"):
        # The catalogue's scenario expects no Authorize either, and its later edition
        # allows one where a reader serves several connectors; OCPP 1.6 lets a charge
        # point authorize an idTag to learn its parentIdTag. Only the stop is judged.
        await csms.expect_none("StopTransaction", during=dut.timing.message_timeout, after=mark)
    mark = csms.mark()
    with step("The EV driver presents the idTag that started the transaction"):
        await rig.present_card(running.id_tag, number)
    with step("3-4. StopTransaction.req with the idTag that started the transaction"):
        await expect_stop(csms, running, after=mark, id_tag=running.id_tag)
    with step("5-6. StatusNotification Finishing"):
        await expect_status(csms, number, "Finishing", after=mark)


@testcase(
    "TC_069_CS",
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant("ignore_parent_id_tag", step="3-4. StopTransaction.req", says="did not arrive"),
        Mutant("stop_without_id_tag", step="3-4. StopTransaction.req", says="idTag"),
        Mutant("skip_status:Finishing", step="5-6. StatusNotification Finishing", says="Finishing"),
    ],
)
async def test_TC_069_CS_stop_with_the_same_parent_id_tag(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Another idTag of the same parentIdTag (group) stops the transaction, after an Authorize."""
    rig.require(Capability.CARD)
    member = token(dut, "group_member")
    await booted(csms, dut)
    running = await charging_before(csms, rig, dut)
    number = running.connector_id
    group = token(dut, "group_id")  # the parentIdTag the Charging state gave the valid idTag
    mark = csms.mark()
    with csms.hold("Authorize"):
        with step("The EV driver presents another idTag of the same parentIdTag"):
            await rig.present_card(member, number)
        with step("1-2. Authorize.req with the other idTag, answered with the same parentIdTag"):
            request = await expect_judged(
                csms,
                Pattern("Authorize"),
                "an idTag different from the one that started the transaction",
                {"idTag": member},
                after=mark,
            )
            await request.reply({"idTagInfo": {"status": "Accepted", "parentIdTag": group}})
    with step("3-4. StopTransaction.req with the idTag of step 1"):
        await expect_stop(csms, running, after=mark, id_tag=member)
    with step("5-6. StatusNotification Finishing"):
        await expect_status(csms, number, "Finishing", after=mark)


@testcase(
    "TC_007_CS",
    requires=("auth_cache",),
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant("cached_id_refused", step="5-6. StartTransaction.req", says="did not arrive"),
    ],
)
async def test_TC_007_CS_start_with_cached_id(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """With the idTag in the authorization cache, a remote start after the cable starts charging."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.CARD)
    number, valid = connector_id(dut), token(dut, "valid")
    await booted(csms, dut)
    with step("Before: AuthorizationCacheEnabled, AuthorizeRemoteTxRequests (if implemented) true"):
        await require_setting(csms, "AuthorizationCacheEnabled", "true", optional=True)
        await require_setting(csms, "AuthorizeRemoteTxRequests", "true", optional=True)
    with step("Before: memory state IdTagCached for the valid idTag"):
        await id_tag_cached(csms, rig, dut)
    # LocalPreAuthorize goes on once the idTag is cached: the Charging state of
    # IdTagCached awaits an Authorize.req, which a charge point pre-authorizing
    # from its cache would rightly skip.
    with step("Before: LocalPreAuthorize is true"):
        await require_setting(csms, "LocalPreAuthorize", "true")
    mark = csms.mark()
    with step("1-2. The cable is plugged in; StatusNotification Preparing"):
        await occupied(csms, rig, number)
    with step("3-4. RemoteStartTransaction is Accepted"):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": number, "idTag": valid}, status="Accepted"
        )
    with step("5-6. StartTransaction.req, answered idTagInfo Accepted"):
        # The default answer gives the profile's valid idTag idTagInfo Accepted.
        await expect_start(csms, number, valid, after=mark)
    with step("7-8. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)


@testcase(
    "TC_061_CS",
    requires=("auth_cache",),
    rig=(Capability.CARD,),
    proof=[
        Mutant("accept_blindly:ClearCache", step="7-8. Authorize.req", says="did not arrive"),
        Mutant("reject:ClearCache", step="5-6. ClearCache", says="Rejected"),
    ],
)
async def test_TC_061_CS_clear_cache(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """After ClearCache the charge point asks the Central System again about an idTag it cached."""
    rig.require(Capability.CARD)
    number, valid = connector_id(dut), token(dut, "valid")
    timeout = dut.timing.connection_timeout
    await booted(csms, dut)
    with step("Before: AuthorizationCacheEnabled true, ConnectionTimeOut the configured one"):
        await require_setting(csms, "AuthorizationCacheEnabled", "true", optional=True)
        await change_configuration(csms, "ConnectionTimeOut", str(timeout))
    mark = csms.mark()
    with step("Before: reusable state Authorized"):
        # Its StatusNotification Preparing is the case's step 1, judged there.
        await authorized(csms, rig, dut, connector=number, preparing=True)
    # LocalPreAuthorize goes on once the idTag is authorized: Authorized awaits an
    # Authorize.req, which a charge point pre-authorizing from its cache would skip.
    with step("Before: LocalPreAuthorize is true"):
        await require_setting(csms, "LocalPreAuthorize", "true")
    with step("1-2. StatusNotification Preparing"):
        await expect_status(csms, number, "Preparing", after=mark)
    mark = csms.mark()
    with step("The EV driver presents the valid idTag again (or the connection timeout passes)"):
        await rig.present_card(valid, number)
    with step("3-4. StatusNotification Available"):
        await expect_status(
            csms, number, "Available", after=mark, timeout=timeout + dut.timing.message_timeout
        )
    with step("5-6. ClearCache is Accepted"):
        await csms.call("ClearCache", {}, status="Accepted")
    mark = csms.mark()
    with step("The EV driver presents the idTag of step 1 again"):
        await rig.present_card(valid, number)
    with step("7-8. Authorize.req for the idTag, answered Accepted"):
        await expect_judged(
            csms, Pattern("Authorize"), "the idTag presented", {"idTag": valid}, after=mark
        )


@testcase(
    "TC_023_CS",
    rig=(Capability.PLUG, Capability.EV_STATE, Capability.CARD),
    proof=[
        Mutant(
            "start_unauthorized", step="The Charge Point does not start", says="StartTransaction"
        ),
        Mutant("skip_status:Preparing", step="1-2. The cable is plugged in", says="Preparing"),
    ],
)
async def test_TC_023_CS_authorize_invalid(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """An idTag the Central System answers Invalid starts no transaction."""
    rig.require(Capability.PLUG, Capability.EV_STATE, Capability.CARD)
    number, invalid = connector_id(dut), token(dut, "invalid")
    await booted(csms, dut)
    minimum = 10
    with step(f"Before: MinimumStatusDuration {minimum} (if implemented), LocalPreAuthorize true"):
        reply = await change_configuration(
            csms, "MinimumStatusDuration", str(minimum), status=("Accepted", "NotSupported")
        )
        await require_setting(csms, "LocalPreAuthorize", "true")
    # A status must hold MinimumStatusDuration seconds before it is reported.
    held = minimum if reply.payload.get("status") == "Accepted" else 0
    mark = csms.mark()
    with step("1-2. The cable is plugged in; StatusNotification Preparing"):
        await occupied(csms, rig, number, timeout=held + dut.timing.message_timeout)
    with csms.hold("Authorize"):
        with step("The EV driver presents an invalid idTag"):
            await rig.present_card(invalid, number)
        with step("3-4. Authorize.req for the idTag, answered Invalid"):
            request = await expect_judged(
                csms, Pattern("Authorize"), "the idTag presented", {"idTag": invalid}, after=mark
            )
            await request.reply({"idTagInfo": {"status": "Invalid"}})
    with step("The Charge Point does not start a transaction"):
        await no_transaction_starts(csms, dut, after=mark)
