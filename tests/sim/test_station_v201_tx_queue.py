"""The OCPP 2.0.1 reference station's offline TransactionEvent queue (E04, E12, E14).

Each test runs a fresh station against a harness CSMS that cuts the network
(:meth:`Session.offline`) and checks what the station sends once it is back.
"""

from __future__ import annotations

import asyncio

from test_station_v201 import VALID, running, set_variable, tx

from harness.rig import SimRig
from harness.sim.station.v201 import Station201

FAST = {"retry_backoff_wait_minimum": 1}


async def _emptied(station: Station201) -> None:
    """The station has taken in the CSMS's last answer (bounded: one second)."""
    async with asyncio.timeout(1):
        await station.txq.delivered()


async def test_a_transaction_stopped_offline_is_sent_flagged_and_in_order() -> None:
    """Stopped offline: once back the Ended event comes with offline true and the next seqNo."""
    async with running(timing=FAST) as (csms, station):
        rig = SimRig(station)
        await rig.plug_in(1, 1)
        await rig.present_card(VALID)
        started = await csms.expect(tx(eventType="Started"))
        async with csms.offline(timeout=5, at_least=1):
            await rig.present_card(VALID)
            await rig.plug_out(1, 1)
        ended = await csms.expect(tx(eventType="Ended"), after=started)
        assert ended.payload["offline"] is True
        assert ended.payload["seqNo"] == started.payload["seqNo"] + 1
        await _emptied(station)


async def test_messages_in_queue_until_the_csms_answers_them() -> None:
    """GetTransactionStatus says messagesInQueue true while a kept message waits for its answer."""
    async with running(timing=FAST) as (csms, station):
        rig = SimRig(station)
        await rig.plug_in(1, 1)
        await rig.present_card(VALID)
        started = await csms.expect(tx(eventType="Started"))
        transaction = started.payload["transactionInfo"]["transactionId"]
        with csms.hold("TransactionEvent"):
            async with csms.offline(timeout=5, at_least=1):
                await rig.present_card(VALID)
            status = await csms.call("GetTransactionStatus", {"transactionId": transaction})
            assert status.payload == {"messagesInQueue": True, "ongoingIndicator": False}
            kept = await csms.expect(tx(offline=True), after=started)
            await kept.reply({})
        await _emptied(station)
        status = await csms.call("GetTransactionStatus", {"transactionId": transaction})
        assert status.payload["messagesInQueue"] is False
        await rig.plug_out(1, 1)


async def test_queue_all_messages_keeps_the_status_reports_made_offline() -> None:
    """QueueAllMessages true: a StatusNotification made offline is sent once back, not lost."""
    async with running(timing=FAST) as (csms, station):
        assert await set_variable(csms, "OCPPCommCtrlr", "QueueAllMessages", "true") == "Accepted"
        mark = csms.mark()
        async with csms.offline(timeout=5, at_least=1):
            await SimRig(station).plug_in(1, 1)
        await csms.expect("StatusNotification", match={"connectorStatus": "Occupied"}, after=mark)
        await SimRig(station).plug_out(1, 1)
        await csms.expect("StatusNotification", match={"connectorStatus": "Available"}, after=mark)
