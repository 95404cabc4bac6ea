"""OCPP 1.6 Local Auth List Management, charge point under test (TC_042, TC_043, TC_008)."""

from __future__ import annotations

from harness.errors import NotRun
from harness.flows.common import answer_or_error, token
from harness.flows.v16.cs import (
    ON_THE_WAY_TO_CHARGING,
    booted,
    connector_id,
    expect_start,
    expect_status,
    plug_in,
    require_setting,
)
from harness.flows.v16.local_list import (
    expect_list_version,
    list_capacity,
    list_enabled,
    list_entry,
    send_local_list,
)
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_SERIAL = "station-1.6-serial-rig"  # the builtin profile without the local list


@testcase(
    "TC_042_1_CS",
    # "does not support Local Auth List Management or allows LocalAuthListEnabled=false".
    gated=False,
    proof=[
        Mutant("list_version_stale", step="1-2. GetLocalListVersion", says="listVersion -1"),
        Mutant(
            "list_version_stale",
            step="1-2. GetLocalListVersion",
            says="listVersion -1",
            builtin=_SERIAL,
        ),
    ],
)
async def test_TC_042_1_CS_list_version_not_supported(csms: Session, dut: DutProfile) -> None:
    """A charge point without a usable local list gives version -1, or CALLERROR NotSupported."""
    await booted(csms, dut)
    with step("Before: LocalAuthListEnabled is false (if implemented)"):
        # A charge point with the feature must allow the value false; without it the key
        # may be missing.
        await require_setting(csms, "LocalAuthListEnabled", "false", optional=True)
    with step("1-2. GetLocalListVersion: listVersion -1 or CALLERROR NotSupported"):
        await answer_or_error(
            csms,
            "GetLocalListVersion",
            {},
            "listVersion -1 (TC_042_1_CS step 2)",
            {"listVersion": -1},
            error_codes=("NotSupported",),
        )


@testcase(
    "TC_042_2_CS",
    requires=("local_auth_list",),
    proof=[
        Mutant("reject:SendLocalList", step="1-2. SendLocalList", says="'Failed'"),
        Mutant("list_version_stale", step="3-4. GetLocalListVersion", says="listVersion 0"),
    ],
)
async def test_TC_042_2_CS_list_version_empty(csms: Session, dut: DutProfile) -> None:
    """After a full update without entries the charge point reports list version 0 (empty)."""
    await booted(csms, dut)
    with step("Before: LocalAuthListEnabled is true"):
        await list_enabled(csms)
    with step("1-2. SendLocalList Full, listVersion 1, no list: Accepted"):
        await send_local_list(csms, 1, "Full")
    with step("3-4. GetLocalListVersion: listVersion 0"):
        await expect_list_version(csms, 0, rule="an empty list; TC_042_2_CS step 4")


@testcase(
    "TC_043_CS",
    requires=("local_auth_list",),
    proof=[
        Mutant("reject:SendLocalList", step="1-2. SendLocalList Full", says="'Failed'"),
        Mutant("differential_failed", step="3-4. SendLocalList Differential", says="'Failed'"),
    ],
)
async def test_TC_043_CS_send_local_list(csms: Session, dut: DutProfile) -> None:
    """The charge point accepts a full local list and then a differential update of it."""
    await booted(csms, dut)
    with step("Before: LocalAuthListEnabled is true"):
        await list_enabled(csms)
    with step("1-2. SendLocalList Full: Accepted"):
        await send_local_list(csms, 1, "Full", [list_entry(token(dut, "valid"))])
    with step("3-4. SendLocalList Differential: Accepted"):
        await send_local_list(csms, 2, "Differential", [list_entry(token(dut, "valid2"))])


@testcase(
    "TC_043_1_CS",
    excludes=("local_auth_list",),
    proof=[
        Mutant(
            "list_update_accepted",
            step="1-2. SendLocalList Full",
            says="status NotSupported",
            builtin=_SERIAL,
        ),
    ],
)
async def test_TC_043_1_CS_send_local_list_not_supported(csms: Session, dut: DutProfile) -> None:
    """A charge point without the Local Auth List Management feature refuses a local list."""
    await booted(csms, dut)
    with step("1-2. SendLocalList Full: NotSupported or CALLERROR NotSupported"):
        payload = {
            "listVersion": 1,
            "updateType": "Full",
            "localAuthorizationList": [list_entry(token(dut, "valid"))],
        }
        await answer_or_error(
            csms,
            "SendLocalList",
            payload,
            "status NotSupported (TC_043_1_CS step 2)",
            {"status": "NotSupported"},
            error_codes=("NotSupported",),
        )


@testcase(
    "TC_043_2_CS",
    requires=("local_auth_list",),
    proof=[
        Mutant(
            "version_mismatch_accepted",
            step="9-10. SendLocalList Differential, listVersion 4",
            says="'VersionMismatch'",
        ),
        Mutant("list_version_stale", step="3-4. GetLocalListVersion", says="listVersion 2"),
    ],
)
async def test_TC_043_2_CS_version_mismatch(csms: Session, dut: DutProfile) -> None:
    """A differential update older than the list's version is refused and changes nothing."""
    await booted(csms, dut)
    with step("Before: LocalAuthListEnabled is true"):
        await list_enabled(csms)
    with step("1-2. SendLocalList Full, listVersion 2: Accepted"):
        await send_local_list(csms, 2, "Full", [list_entry(token(dut, "valid"))])
    with step("3-4. GetLocalListVersion: listVersion 2"):
        await expect_list_version(csms, 2, rule="TC_043_2_CS step 4")
    with step("5-6. SendLocalList Differential, listVersion 5: Accepted"):
        await send_local_list(csms, 5, "Differential", [list_entry(token(dut, "valid2"))])
    with step("7-8. GetLocalListVersion: listVersion 5"):
        await expect_list_version(csms, 5, rule="TC_043_2_CS step 8")
    with step("9-10. SendLocalList Differential, listVersion 4: VersionMismatch"):
        await send_local_list(
            csms, 4, "Differential", [list_entry(token(dut, "valid"))], status="VersionMismatch"
        )
    with step("11-12. GetLocalListVersion: listVersion still 5"):
        await expect_list_version(csms, 5, rule="the refused update changed nothing; step 12")


@testcase(
    "TC_043_3_CS",
    requires=("local_auth_list",),
    proof=[Mutant("list_update_accepted", step="1-2. SendLocalList Full", says="'Failed'")],
)
async def test_TC_043_3_CS_send_local_list_failed(csms: Session, dut: DutProfile) -> None:
    """A full list the charge point cannot store is answered Failed."""
    await booted(csms, dut)
    with step("Before: LocalAuthListEnabled is true"):
        await list_enabled(csms)
    with step("Prerequisite: a list the charge point will fail to set (more than it can hold)"):
        # The state in which setting a list fails: a full list longer than the list's
        # capacity (LocalAuthListMaxLength) that one request may still carry
        # (SendLocalListMaxLength). A charge point whose requests cannot carry that many
        # cannot be put in that state from the Central System.
        capacity, per_request = await list_capacity(csms)
        if per_request <= capacity:
            raise NotRun(
                f"the charge point cannot be made to fail setting a list: SendLocalListMaxLength "
                f"({per_request}) does not exceed LocalAuthListMaxLength ({capacity})"
            )
        entries = [list_entry(f"TC0433OVER{n:05d}") for n in range(capacity + 1)]
    with step("1-2. SendLocalList Full, listVersion 2: Failed"):
        await send_local_list(csms, 2, "Full", entries, status="Failed")


@testcase(
    "TC_008_CS",
    requires=("local_auth_list",),
    rig=(Capability.PLUG, Capability.EV_STATE),
    proof=[
        Mutant("reject:SendLocalList", step="3-4. SendLocalList Full", says="'Failed'"),
        Mutant(
            "reject:RemoteStartTransaction", step="7-8. RemoteStartTransaction", says="'Rejected'"
        ),
    ],
)
async def test_TC_008_CS_start_id_in_local_list(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A remote start for an idTag of the local list starts charging (pre-authorized locally)."""
    rig.require(Capability.PLUG, Capability.EV_STATE)
    number, valid = connector_id(dut), token(dut, "valid")
    await booted(csms, dut)
    with step("Before: LocalPreAuthorize, LocalAuthListEnabled, AuthorizeRemoteTxRequests true"):
        await require_setting(csms, "LocalPreAuthorize", "true")
        await require_setting(csms, "AuthorizationCacheEnabled", "false", optional=True)
        await list_enabled(csms)
        await require_setting(csms, "AuthorizeRemoteTxRequests", "true")
    with step("1-2. GetLocalListVersion"):
        reply = await csms.call("GetLocalListVersion", {})
        version = max(int(reply.payload.get("listVersion", 0)), 0) + 1
    with step("3-4. SendLocalList Full with the valid idTag (Accepted): Accepted"):
        await send_local_list(csms, version, "Full", [list_entry(valid)])
    mark = csms.mark()
    with step("5-6. The cable is plugged in; StatusNotification Preparing"):
        await plug_in(rig, number)
        await expect_status(csms, number, "Preparing", after=mark)
    with step("7-8. RemoteStartTransaction with the valid idTag: Accepted"):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": number, "idTag": valid}, status="Accepted"
        )
    with step("9-10. StartTransaction.req, answered with idTagInfo Accepted"):
        # The default answer gives the valid idTag Accepted (the profile's token book).
        await expect_start(csms, number, valid, after=mark)
    with step("11-12. StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)
