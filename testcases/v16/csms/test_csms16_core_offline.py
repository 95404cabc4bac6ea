"""OCPP 1.6 Core, the Central System under test: transactions a charge point ran offline.

The harness charge point loses its connection, runs (part of) a transaction
offline and, once connected again, sends the queued transaction messages
with the times the events happened.
"""

from __future__ import annotations

from harness.flows.v16 import csms as flows
from harness.flows.v16 import csms_requests as acts
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.roles import StationLink
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_START_REFUSED = Mutant(
    "token_invalid:StartTransaction",
    step="1-2. The queued StartTransaction is answered with idTagInfo Accepted",
    says='$.idTagInfo.status: expected "Accepted", got "Invalid"',
)


async def _started_offline(
    station: Session, link: StationLink, dut: DutProfile, token: str, status: str
) -> flows.Transaction:
    """Steps 1-2 of TC_037_x: a transaction started offline with ``token``, reported late."""
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await link.cut()
    started = utc_now()  # the driver starts a transaction while the link is down
    await link.restore()
    with step(f"1-2. The queued StartTransaction is answered with idTagInfo {status}"):
        return await acts.start_transaction(
            station,
            flows.first_connector(dut),
            flows.token(dut, token),
            timestamp=started,
            status=status,
        )


@testcase("TC_037_1_CSMS", proof=[_START_REFUSED])
async def test_TC_037_1_CSMS_offline_start_valid(
    station: Session, dut: DutProfile, station_link: StationLink
) -> None:
    """The Central System accepts a transaction started offline with a valid idTag."""
    tx = await _started_offline(station, station_link, dut, "valid", "Accepted")
    with step("3-4. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Charging")


@testcase(
    "TC_037_3_CSMS",
    proof=[
        Mutant(
            "authorize_all",
            step="1-2. The queued StartTransaction is answered with idTagInfo Invalid",
            says='$.idTagInfo.status: expected "Invalid", got "Accepted"',
        )
    ],
)
async def test_TC_037_3_CSMS_offline_start_invalid(
    station: Session, dut: DutProfile, station_link: StationLink
) -> None:
    """The Central System refuses the idTag of an offline transaction; the charge point stops it."""
    tx = await _started_offline(station, station_link, dut, "invalid", "Invalid")
    with step("3-4. StatusNotification Charging is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Charging")
    with step("5-6. StopTransaction with reason DeAuthorized is acknowledged"):
        await acts.stop_transaction(station, tx, "DeAuthorized")
    with step("7-8. StatusNotification Finishing is acknowledged"):
        await flows.status_notification(station, tx.connector_id, "Finishing")


@testcase("TC_039_CSMS", proof=[_START_REFUSED])
async def test_TC_039_CSMS_offline_transaction(
    station: Session, dut: DutProfile, station_link: StationLink
) -> None:
    """The Central System accepts a whole transaction the charge point ran offline."""
    connector_id = flows.first_connector(dut)
    valid = flows.token(dut, "valid")
    with step("Preparation: the charge point is booted"):
        await flows.booted(station, dut)
    await station_link.cut()
    started = utc_now()  # the driver starts and stops a transaction, unplugs, offline
    stopped = utc_now()
    await station_link.restore()
    with step("1-2. The queued StartTransaction is answered with idTagInfo Accepted"):
        tx = await acts.start_transaction(station, connector_id, valid, timestamp=started)
    with step("3-4. The queued StopTransaction with reason Local is acknowledged"):
        await acts.stop_transaction(station, tx, "Local", timestamp=stopped, id_tag=valid)
