"""OCPP 1.6 Core, the Central System under test: remote start and stop of transactions."""

from __future__ import annotations

from harness.expect import one_of, or_absent
from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger


def _skip(request_step: str) -> Mutant:
    return Mutant("skip_trigger", step=request_step, says="it did not arrive")


def _wrong_token(authorize_step: str) -> Mutant:
    # The charge point authorizes the idTag the request carries: another one is not valid.
    return Mutant(
        "remote_start_wrong_token",
        step=authorize_step,
        says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
    )


async def _remote_start(
    trigger: CsmsTrigger,
    station: Session,
    dut: DutProfile,
    *,
    steps: tuple[str, str],
    status: str = "Accepted",
) -> tuple[int, str]:
    """The Central System starts a transaction remotely; the connector and idTag it names."""
    connector_id = flows.first_connector(dut)
    valid = flows.token(dut, "valid")
    connectors = [c for _evse, c in dut.connectors]
    call: IncomingCall = await acts.requested(
        trigger,
        station,
        "RemoteStartTransaction",
        {"idTag": valid, "connectorId": connector_id},
        description=f"Make the Central System start a transaction remotely on connector "
        f"{connector_id} for idTag {valid}",
        request_step=steps[0],
        answer_step=steps[1],
        answer={"status": status},
        # A charge point starts only on its own connectors (none named: it picks one); OCPP 1.6
        # RemoteStartTransaction.req: connectorId, when present, SHALL be > 0.
        checks=[
            (
                "connectorId absent or one of the charge point's connectors",
                {"connectorId": or_absent(one_of(*connectors))},
            )
        ],
    )
    return int(call.payload.get("connectorId", connector_id)), str(call.payload["idTag"])


async def _authorize(station: Session, id_tag: str) -> None:
    reply = await flows.authorize(station, id_tag)
    flows.conform_reply(reply, "idTagInfo Accepted", {"idTagInfo": {"status": "Accepted"}})


async def _remote_start_first(
    trigger: CsmsTrigger, station: Session, dut: DutProfile
) -> tuple[int, str]:
    """Steps 1-6 of TC_011_x: remote start accepted, its idTag authorized, Preparing."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    connector_id, tag = await _remote_start(
        trigger,
        station,
        dut,
        steps=(
            "1. The Central System sends RemoteStartTransaction",
            "2. The charge point answers Accepted",
        ),
    )
    with step("3-4. Authorize with the remote idTag is answered Accepted"):
        await _authorize(station, tag)
    with step("5-6. StatusNotification Preparing is acknowledged"):
        await flows.status_notification(station, connector_id, "Preparing")
    return connector_id, tag


@testcase(
    "TC_010_CSMS",
    proof=[
        _skip("3. The Central System sends RemoteStartTransaction"),
        _wrong_token("5-6. Authorize with the remote idTag is answered Accepted"),
    ],
)
async def test_TC_010_CSMS_remote_start_cable_first(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System starts a transaction remotely on a connector with the cable plugged in."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("1-2. StatusNotification Preparing (cable plugged in) is acknowledged"):
        await flows.status_notification(station, flows.first_connector(dut), "Preparing")
    connector_id, tag = await _remote_start(
        trigger,
        station,
        dut,
        steps=(
            "3. The Central System sends RemoteStartTransaction",
            "4. The charge point answers Accepted",
        ),
    )
    with step("5-6. Authorize with the remote idTag is answered Accepted"):
        await _authorize(station, tag)
    with step("7-8. StartTransaction is answered with idTagInfo Accepted"):
        await acts.start_transaction(station, connector_id, tag)
    with step("9-10. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, connector_id, "Charging")


@testcase(
    "TC_011_1_CSMS",
    proof=[
        _skip("1. The Central System sends RemoteStartTransaction"),
        _wrong_token("3-4. Authorize with the remote idTag is answered Accepted"),
    ],
)
async def test_TC_011_1_CSMS_remote_start_first(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System starts a transaction remotely before the cable is plugged in."""
    connector_id, tag = await _remote_start_first(trigger, station, dut)
    with step("7-8. StartTransaction (cable plugged in) is answered with idTagInfo Accepted"):
        await acts.start_transaction(station, connector_id, tag)
    with step("9-10. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, connector_id, "Charging")


@testcase(
    "TC_011_2_CSMS",
    proof=[
        _skip("1. The Central System sends RemoteStartTransaction"),
        _wrong_token("3-4. Authorize with the remote idTag is answered Accepted"),
    ],
)
async def test_TC_011_2_CSMS_remote_start_timeout(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System takes a remotely started connector back to Available after a timeout."""
    connector_id, _tag = await _remote_start_first(trigger, station, dut)
    # The harness charge point's own connection timeout expires here, unseen by the Central System.
    with step("7-8. StatusNotification Available (connection timeout) is acknowledged"):
        await flows.status_notification(station, connector_id, "Available")


@testcase("TC_026_CSMS", proof=[_skip("1. The Central System sends RemoteStartTransaction")])
async def test_TC_026_CSMS_remote_start_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point that rejects a remote start."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await _remote_start(
        trigger,
        station,
        dut,
        steps=(
            "1. The Central System sends RemoteStartTransaction",
            "2. The charge point answers Rejected",
        ),
        status="Rejected",
    )


@testcase(
    "TC_028_CSMS",
    proof=[
        _skip("1. The Central System sends RemoteStopTransaction"),
        Mutant(
            "token_invalid:StartTransaction",
            step="Charging 3-4. StartTransaction is answered with idTagInfo Accepted",
            says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
        ),
    ],
)
async def test_TC_028_CSMS_remote_stop_rejected(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The Central System handles a charge point that rejects a remote stop."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    with step("Before. Reusable state Charging"):
        tx = await flows.charging(station, dut)
    await acts.requested(
        trigger,
        station,
        "RemoteStopTransaction",
        {"transactionId": tx.id},
        description=f"Make the Central System stop transaction {tx.id} remotely",
        request_step="1. The Central System sends RemoteStopTransaction",
        answer_step="2. The charge point answers Rejected",
        answer={"status": "Rejected"},
    )
