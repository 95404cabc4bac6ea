"""OCPP 1.6 Local Auth List Management, the Central System under test (harness: charge point)."""

from __future__ import annotations

from typing import Any

from harness.expect import ANY, or_absent
from harness.flows.v16 import csms as flows
from harness.flows.v16.csms_features import every_entry_has, judged_request
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

#: The list version the Full list is sent with; the Differential update goes one higher.
FULL_VERSION = 1


def _entries(dut: DutProfile, token: str) -> list[dict[str, Any]]:
    return [{"idTag": flows.token(dut, token), "idTagInfo": {"status": "Accepted"}}]


_NO_VERSION_REQUEST = Mutant(
    "skip_trigger",
    step="1. The Central System sends GetLocalListVersion",
    says="GetLocalListVersion",
)
_NOT_FULL = Mutant(
    "local_list_wrong_update_type",
    step="1. The Central System sends SendLocalList with updateType Full",
    says='$.updateType: expected "Full", got "Differential"',
)


async def _list_version(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, version: int
) -> None:
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await judged_request(
        station,
        trigger,
        "GetLocalListVersion",
        {},
        description="Make the Central System ask the charge point for its local list version",
        request_step="1. The Central System sends GetLocalListVersion",
        what="GetLocalListVersion.req",
        expected={},
        answer_step=f"2. The charge point answers listVersion {version}",
        answer={"listVersion": version},
    )


async def _send_full_list(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, status: str, *, entries: bool
) -> None:
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    expected: dict[str, Any] = {"updateType": "Full"}
    if entries:
        expected["localAuthorizationList"] = or_absent(every_entry_has("idTagInfo"))
    await judged_request(
        station,
        trigger,
        "SendLocalList",
        {
            "listVersion": FULL_VERSION,
            "updateType": "Full",
            "localAuthorizationList": _entries(dut, "valid"),
        },
        description="Make the Central System send the charge point its full local "
        "authorization list (at least one idTag)",
        request_step="1. The Central System sends SendLocalList with updateType Full",
        what="updateType Full" + (", every entry with an idTagInfo" if entries else ""),
        expected=expected,
        answer_step=f"2. The charge point answers {status}",
        answer={"status": status},
    )


@testcase(
    "TC_042_1_CSMS",
    requires=("local_auth_list",),
    proof=[_NO_VERSION_REQUEST],
)
async def test_TC_042_1_CSMS_local_list_version_not_supported(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks for the local list version and takes -1 (no list support)."""
    await _list_version(station, dut, trigger, -1)


@testcase(
    "TC_042_2_CSMS",
    requires=("local_auth_list",),
    proof=[_NO_VERSION_REQUEST],
)
async def test_TC_042_2_CSMS_local_list_version_empty(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System asks for the local list version and takes 0 (an empty list)."""
    await _list_version(station, dut, trigger, 0)


@testcase(
    "TC_043_1_CSMS",
    requires=("local_auth_list",),
    proof=[_NOT_FULL],
)
async def test_TC_043_1_CSMS_send_local_list_not_supported(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sends a full local list and takes the answer NotSupported."""
    await _send_full_list(station, dut, trigger, "NotSupported", entries=False)


@testcase(
    "TC_043_3_CSMS",
    requires=("local_auth_list",),
    proof=[_NOT_FULL],
)
async def test_TC_043_3_CSMS_send_local_list_failed(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sends a full local list and takes the answer Failed."""
    await _send_full_list(station, dut, trigger, "Failed", entries=False)


@testcase(
    "TC_043_4_CSMS",
    requires=("local_auth_list",),
    proof=[
        _NOT_FULL,
        Mutant(
            "local_list_without_id_tag_info",
            step="1. The Central System sends SendLocalList with updateType Full",
            says="every entry with idTagInfo",
        ),
    ],
)
async def test_TC_043_4_CSMS_send_local_list_full(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System sends a full local list whose every entry carries an idTagInfo."""
    await _send_full_list(station, dut, trigger, "Accepted", entries=True)


@testcase(
    "TC_043_5_CSMS",
    requires=("local_auth_list",),
    proof=[
        Mutant(
            "local_list_wrong_update_type",
            step="3. The Central System sends SendLocalList with updateType Differential",
            says='$.updateType: expected "Differential", got "Full"',
        ),
        Mutant(
            "local_list_without_id_tag_info",
            step="3. The Central System sends SendLocalList with updateType Differential",
            says="every entry with idTagInfo",
        ),
    ],
)
async def test_TC_043_5_CSMS_send_local_list_differential(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System updates the local list differentially, every entry with an idTagInfo."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1-2. (optional) GetLocalListVersion is answered with the current version"):
        # The Central System may ask first; the charge point holds the Full list's version.
        station.respond("GetLocalListVersion", {"listVersion": FULL_VERSION})
    await judged_request(
        station,
        trigger,
        "SendLocalList",
        {
            "listVersion": FULL_VERSION + 1,
            "updateType": "Differential",
            "localAuthorizationList": _entries(dut, "valid2"),
        },
        description="Make the Central System send the charge point a differential update of "
        "its local authorization list (at least one idTag)",
        request_step="3. The Central System sends SendLocalList with updateType Differential",
        what="updateType Differential, every entry with an idTagInfo",
        expected={
            "updateType": "Differential",
            "listVersion": ANY,
            "localAuthorizationList": or_absent(every_entry_has("idTagInfo")),
        },
        answer_step="4. The charge point answers Accepted",
        answer={"status": "Accepted"},
    )
