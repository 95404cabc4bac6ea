"""OCPP 1.6 Core, charge point under test: offline behaviour (TC_036 to TC_039).

The harness cuts the network itself (``csms.offline()``): the connection is
closed and the charge point's reconnections are refused until the block ends.
What the charge point kept meanwhile is judged once it is back.
"""

from __future__ import annotations

from datetime import UTC, datetime

from harness.expect import Pattern, one_of, or_absent
from harness.flows.common import expect_judged
from harness.flows.v16.cs import (
    booted,
    change_configuration,
    charging,
    connector_id,
    expect_start,
    expect_status,
    expect_stop,
    meter_value_interval,
    plug_in,
    require_setting,
    token,
)
from harness.flows.v16.offline import (
    expect_queued_meter_values,
    id_tag_cached,
    id_tag_local_listed,
    if_implemented,
    next_transaction_id,
    offline_authorization,
    offline_for,
    station_clock,
)
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

_RIG = (Capability.PLUG, Capability.EV_STATE, Capability.CARD)
#: Meter values TC_036_CS waits for while offline ("at least 3").
_OFFLINE_SAMPLES = 3
#: Statuses a connector that started charging offline may report before Charging once back:
#: those it passed through offline (a charge point may report them late).
_BEFORE_CHARGING = one_of("Preparing", "SuspendedEV", "SuspendedEVSE")


@testcase(
    "TC_036_CS",
    rig=_RIG,
    # offline_queue_lost fails this case too, but only after the dwell and a message timeout,
    # beyond the proof budget; TC_037_1, TC_038 and TC_039 prove that loss.
    proof=[
        Mutant("offline_replay_reversed", step="1-2. MeterValues.req", says="not later than"),
        Mutant("offline_stamped_when_sent", step="1-2. MeterValues.req", says="taken after"),
    ],
)
async def test_TC_036_CS_connection_loss_during_transaction(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """Meter values sampled while offline are sent once back, in order, an interval apart."""
    rig.require(*_RIG)
    interval = meter_value_interval(dut)
    await booted(csms, dut)
    with step(f"Before: MeterValueSampleInterval is the configured interval ({interval} s)"):
        await change_configuration(csms, "MeterValueSampleInterval", str(interval))
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    mark = csms.mark()
    async with csms.offline(timeout=dut.timing.connect_timeout):
        with step(f"The connectivity is removed until {_OFFLINE_SAMPLES} meter values are due"):
            # Any span of that many intervals holds that many periodic samples; the charge
            # point is offline a little longer still (it notices the loss at once, and is
            # back only after a new handshake).
            await offline_for(csms, _OFFLINE_SAMPLES * interval)
    # The moment the charge point was back, on its own clock (kept samples are older).
    back_online = datetime.now(UTC) + station_clock(running.start)
    with step(
        "1-2. MeterValues.req: the queued meter values, in chronological order before any new "
        "one, MeterValueSampleInterval apart"
    ):
        await expect_queued_meter_values(
            csms,
            running.connector_id,
            count=_OFFLINE_SAMPLES,
            interval=interval,
            timing=dut.timing,
            after=mark,
            back_online=back_online,
        )


async def _start_offline(
    csms: Session, rig: Rig, dut: DutProfile, id_tag: str, status: str, *, stop: bool = False
) -> tuple[int, int, IncomingCall, int]:
    """The driver starts a transaction offline (and, with ``stop``, stops it and unplugs);
    once back, StartTransaction is answered ``status``.

    Returns:
        the connector, the trace position before the connection loss, the
        StartTransaction request and the transactionId the harness gave.
    """
    number = connector_id(dut)
    mark = csms.mark()
    with csms.hold("StartTransaction"):
        async with csms.offline(timeout=dut.timing.connect_timeout):
            with step("The EV driver starts a transaction offline (cable, then the idTag)"):
                await plug_in(rig, number)
                await rig.present_card(id_tag, number)
                await offline_for(csms, dut.timing.transaction_duration)
            if stop:
                with step("The EV driver stops it offline (the idTag again), unplugs the cable"):
                    await rig.present_card(id_tag, number)
                    await rig.plug_out(number, number)
        with step(f"1-2. StartTransaction.req, answered idTagInfo.status {status}"):
            start = await expect_start(csms, number, id_tag, after=mark)
            given = next_transaction_id()
            await start.reply({"transactionId": given, "idTagInfo": {"status": status}})
    return number, mark, start, given


async def _charging_once_back(csms: Session, number: int, after: int) -> IncomingCall:
    with step("3-4. StatusNotification Charging"):
        return await expect_status(csms, number, "Charging", after=after, passing=_BEFORE_CHARGING)


@testcase(
    "TC_037_1_CS",
    rig=_RIG,
    proof=[
        Mutant("offline_queue_lost", step="1-2. StartTransaction.req", says="did not arrive"),
    ],
)
async def test_TC_037_1_CS_offline_start_valid(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A transaction started offline with a valid idTag is reported once the connection is back."""
    rig.require(*_RIG)
    valid = token(dut, "valid")
    await booted(csms, dut)
    await offline_authorization(csms)
    await id_tag_local_listed(csms, dut, valid)
    await id_tag_cached(csms, rig, dut, valid)
    number, mark, _start, _given = await _start_offline(csms, rig, dut, valid, "Accepted")
    await _charging_once_back(csms, number, mark)


async def _invalid_id_offline(
    csms: Session, rig: Rig, dut: DutProfile, stop: str
) -> tuple[int, int, int, IncomingCall]:
    """TC_037_2/3 up to step 4: Before (StopTransactionOnInvalidId ``stop``), the invalid idTag
    starts a transaction offline, StartTransaction answered Invalid, then Charging.

    Returns:
        the connector, the trace position before the connection loss, the
        transactionId given and the StatusNotification Charging.
    """
    invalid = token(dut, "invalid")
    await booted(csms, dut)
    await offline_authorization(csms)
    with step(
        f"Before: StopTransactionOnInvalidId {stop}; MaxEnergyOnInvalidId 0 (if implemented)"
    ):
        await require_setting(csms, "StopTransactionOnInvalidId", stop)
        await if_implemented(csms, "MaxEnergyOnInvalidId", "0")
    await id_tag_local_listed(csms, dut, invalid)
    await id_tag_cached(csms, rig, dut, invalid)
    number, mark, _start, given = await _start_offline(csms, rig, dut, invalid, "Invalid")
    charged = await _charging_once_back(csms, number, mark)
    return number, mark, given, charged


@testcase(
    "TC_037_2_CS",
    rig=_RIG,
    proof=[
        Mutant(
            "keep_charging_on_invalid_id",
            step="5-6. StatusNotification SuspendedEVSE",
            says="did not arrive",
        ),
        Mutant("offline_queue_lost", step="1-2. StartTransaction.req", says="did not arrive"),
    ],
)
async def test_TC_037_2_CS_offline_start_invalid_continue(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An idTag refused after an offline start suspends the energy (StopTransactionOnInvalidId
    false): Charging, then SuspendedEVSE."""
    rig.require(*_RIG)
    number, _mark, _given, charged = await _invalid_id_offline(csms, rig, dut, "false")
    with step("5-6. StatusNotification SuspendedEVSE"):
        await expect_status(csms, number, "SuspendedEVSE", after=charged)


@testcase(
    "TC_037_3_CS",
    rig=_RIG,
    proof=[
        Mutant(
            "keep_charging_on_invalid_id", step="5-6. StopTransaction.req", says="did not arrive"
        ),
        Mutant("deauthorized_as_local", step="5-6. StopTransaction.req", says='"DeAuthorized"'),
    ],
)
async def test_TC_037_3_CS_offline_start_invalid_stop(
    csms: Session, rig: Rig, dut: DutProfile
) -> None:
    """An idTag refused after an offline start ends the transaction (StopTransactionOnInvalidId
    true): DeAuthorized, then Finishing."""
    rig.require(*_RIG)
    number, mark, given, charged = await _invalid_id_offline(csms, rig, dut, "true")
    with step("5-6. StopTransaction.req with reason DeAuthorized"):
        await expect_judged(
            csms,
            Pattern("StopTransaction"),
            f"transaction {given} stopped with reason DeAuthorized",
            {"transactionId": given, "reason": "DeAuthorized"},
            after=mark,
        )
    with step("7-8. StatusNotification Finishing"):
        # StopTransaction and Finishing may come in either order.
        await expect_status(csms, number, "Finishing", after=charged)


@testcase(
    "TC_038_CS",
    rig=_RIG,
    proof=[
        Mutant("offline_queue_lost", step="1-2. StopTransaction.req", says="did not arrive"),
        Mutant("wrong_stop_reason", step="1-2. StopTransaction.req", says='"Local"'),
    ],
)
async def test_TC_038_CS_offline_stop(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A transaction stopped offline is reported stopped (Local) once the connection is back."""
    rig.require(*_RIG)
    await booted(csms, dut)
    with step("Before: reusable state Charging"):
        running = await charging(csms, rig, dut)
    mark = csms.mark()
    async with csms.offline(timeout=dut.timing.connect_timeout):
        with step("The EV driver stops the transaction offline (presents the idTag)"):
            await rig.present_card(running.id_tag, running.connector_id)
            await offline_for(csms, dut.timing.transaction_duration)
    # Steps 1 and 3 may be reversed: each is awaited from the connection loss on.
    with step("1-2. StopTransaction.req with reason Local or omitted"):
        await expect_stop(csms, running, or_absent("Local"), after=mark)
    with step("3-4. StatusNotification Finishing"):
        await expect_status(csms, running.connector_id, "Finishing", after=mark)


@testcase(
    "TC_039_CS",
    rig=_RIG,
    proof=[
        Mutant("offline_queue_lost", step="1-2. StartTransaction.req", says="did not arrive"),
        Mutant("offline_replay_reversed", step="3-4. StopTransaction.req", says="did not arrive"),
    ],
)
async def test_TC_039_CS_offline_transaction(csms: Session, rig: Rig, dut: DutProfile) -> None:
    """A transaction started and stopped offline is sent once back: Start, then Stop with the
    transactionId the Central System gave."""
    rig.require(*_RIG)
    valid = token(dut, "valid")
    await booted(csms, dut)
    await offline_authorization(csms)
    await id_tag_local_listed(csms, dut, valid)
    await id_tag_cached(csms, rig, dut, valid)
    _number, _mark, start, given = await _start_offline(
        csms, rig, dut, valid, "Accepted", stop=True
    )
    with step("3-4. StopTransaction.req with reason Local or omitted"):
        # The transactionId is the one StartTransaction.conf gave (OCPP 1.6 StopTransaction.req).
        await expect_judged(
            csms,
            Pattern("StopTransaction"),
            f"transaction {given} (from StartTransaction.conf) stopped with reason Local",
            {"transactionId": given, "reason": or_absent("Local")},
            after=start,
        )
