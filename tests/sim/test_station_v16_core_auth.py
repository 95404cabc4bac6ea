"""The OCPP 1.6 reference charge point's authorization rules: who stops a transaction, ids."""

from __future__ import annotations

from test_station_v16_support import QUIET, WAIT, running, start_charging, status

VALID = "SIMVALID0001"
VALID2 = "SIMVALID0002"
MEMBER = "SIMGROUPMEM1"


async def test_another_idtag_of_the_same_group_stops_the_transaction() -> None:
    """An idTag whose Authorize.conf gives the transaction's parentIdTag ends it."""
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await station.present_card(MEMBER, 1)
        await csms.expect("Authorize", match={"idTag": MEMBER}, timeout=WAIT)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert stop.payload["idTag"] == MEMBER


async def test_an_idtag_outside_the_group_does_not_stop_the_transaction() -> None:
    """An accepted idTag without the transaction's parentIdTag leaves the transaction running."""
    async with running() as (station, csms):
        await start_charging(station, csms, VALID)
        await station.present_card(VALID2, 1)
        await csms.expect("Authorize", match={"idTag": VALID2}, timeout=WAIT)
        await csms.expect_none("StopTransaction", during=QUIET)


async def test_the_group_comes_from_authorize_when_start_transaction_omits_it() -> None:
    """A StartTransaction.conf without parentIdTag keeps the group the Authorize.conf gave."""
    async with running() as (station, csms):
        csms.respond(
            "StartTransaction", {"transactionId": 4242, "idTagInfo": {"status": "Accepted"}}
        )
        await station.plug_in(1, 1)
        await station.set_ev_state(1, 1, "C")
        await station.present_card(VALID, 1)
        await status(csms, 1, "Charging")
        await station.present_card(MEMBER, 1)
        stop = await csms.expect("StopTransaction", timeout=WAIT)
        assert (stop.payload["transactionId"], stop.payload["idTag"]) == (4242, MEMBER)


async def test_the_idtag_presented_again_is_withdrawn() -> None:
    """An idTag waiting for the cable, presented again, is withdrawn: Available at once."""
    async with running() as (station, csms):
        await station.present_card(VALID, 1)
        await status(csms, 1, "Preparing")
        await station.present_card(VALID, 1)
        await status(csms, 1, "Available")


async def test_remote_start_on_connector_zero_is_rejected() -> None:
    """RemoteStartTransaction for connector 0 is Rejected and starts nothing."""
    async with running() as (_station, csms):
        await csms.call(
            "RemoteStartTransaction", {"connectorId": 0, "idTag": VALID}, status="Rejected"
        )
        await csms.expect_none("Authorize", during=QUIET)


async def test_ev_disconnect_keeps_the_transaction_when_configured() -> None:
    """With StopTransactionOnEVSideDisconnect false, an EV-side unplug suspends the transaction."""
    config = {"StopTransactionOnEVSideDisconnect": "false"}
    async with running(config=config) as (station, csms):
        await start_charging(station, csms, VALID)
        await station.set_ev_state(1, 1, "A")
        await status(csms, 1, "SuspendedEV")
        await csms.expect_none("StopTransaction", during=QUIET)
