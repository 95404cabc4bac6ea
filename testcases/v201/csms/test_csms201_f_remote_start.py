"""OCPP 2.0.1 block F (remote control), the CSMS under test: remote start first, unlock."""

from __future__ import annotations

from harness.flows.requested import requested
from harness.flows.v201 import csms as flows
from harness.flows.v201.csms_remote import remote_start
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase
from harness.trigger import CsmsTrigger

_WRONG_TOKEN = Mutant(
    "remote_start_wrong_token",
    step="1. The CSMS sends RequestStartTransactionRequest",
    says="idToken.idToken",
)


async def _remote_start_first(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> tuple[flows.Transaction, IncomingCall]:
    """Preparation and steps 1-2: booted; the CSMS's remote start is Accepted."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    tx = flows.Transaction.new(dut)
    return tx, await remote_start(trigger, station, dut, tx)


async def _started(
    station: Session, tx: flows.Transaction, call: IncomingCall, numbers: str
) -> None:
    """The Started event (RemoteStart) with the CSMS's remoteStartId, acknowledged."""
    with step(f"{numbers} TransactionEvent Started (RemoteStart) with the remoteStartId"):
        tx.token = dict(call.payload["idToken"])
        await flows.transaction_event(
            station,
            tx,
            "Started",
            "RemoteStart",
            token=tx.token,
            extra_info={"remoteStartId": call.payload["remoteStartId"]},
        )


@testcase(
    "TC_F_02_CSMS",
    proof=[
        _WRONG_TOKEN,
        Mutant("token_invalid:Authorize", step="3-4. AuthorizeRequest", says="idTokenInfo"),
    ],
)
async def test_TC_F_02_CSMS_remote_start_first_authorized(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A remote start the station authorizes first, then charges once the cable comes."""
    tx, call = await _remote_start_first(station, dut, trigger)
    with step("3-4. AuthorizeRequest for the valid idToken is answered Accepted"):
        reply = await station.call("Authorize", {"idToken": flows.id_token(dut)})
        flows.conform_reply(
            reply,
            "idTokenInfo.status Accepted (TC_F_02_CSMS step 4)",
            {"idTokenInfo": {"status": "Accepted"}},
        )
    await _started(station, tx, call, "5-6.")
    with step("7. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)


@testcase("TC_F_03_CSMS", proof=[_WRONG_TOKEN])
async def test_TC_F_03_CSMS_remote_start_first_unauthorized(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A remote start the station trusts at once, then charges once the cable comes."""
    tx, call = await _remote_start_first(station, dut, trigger)
    await _started(station, tx, call, "3-4.")
    with step("5. Execute reusable state EnergyTransferStarted"):
        await flows.energy_transfer_started(station, dut, tx)


@testcase("TC_F_04_CSMS", proof=[_WRONG_TOKEN])
async def test_TC_F_04_CSMS_remote_start_cable_timeout(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """A remote start whose cable never comes: the station reports EVConnectTimeout."""
    tx, call = await _remote_start_first(station, dut, trigger)
    await _started(station, tx, call, "3-4.")
    with step("5. The station waits <Configured Transaction Duration>"):
        await flows.transaction_duration_elapsed(station, dut)
    with step("5-6. TransactionEvent Updated (EVConnectTimeout) is acknowledged"):
        await flows.transaction_event(station, tx, "Updated", "EVConnectTimeout")


@testcase(
    "TC_F_06_CSMS",
    proof=[
        Mutant(
            "unlock_other_connector",
            step="1. The CSMS sends UnlockConnectorRequest",
            says="connectorId",
        )
    ],
)
async def test_TC_F_06_CSMS_unlock_connector(
    station: Session, dut: DutProfile, trigger: CsmsTrigger
) -> None:
    """The CSMS unlocks the configured connector; the station answers Unlocked."""
    with step("Preparation: the station is booted"):
        await flows.booted(station, dut)
    evse, connector = dut.connectors[0]
    place = {"evseId": evse, "connectorId": connector}
    await requested(
        trigger,
        station,
        "UnlockConnector",
        place,
        description=f"Make the CSMS unlock connector {connector} of EVSE {evse}",
        request_step=f"1. The CSMS sends UnlockConnectorRequest for EVSE {evse} connector "
        f"{connector}",
        answer_step="2. The station answers Unlocked",
        answer={"status": "Unlocked"},
        checks=[("evseId and connectorId <Configured>", place)],
    )
