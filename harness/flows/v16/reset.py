"""OCPP 1.6 Reset, charge point under test: the reboot that follows, required or optional.

A hard reset reboots the charge point: it reconnects and boots
(:func:`reset_rebooting`). After a soft reset the catalogue leaves the boot
optional (TC_014_CS, TC_016_CS step 7: "[This message is optional.]"), since a
charge point may restart its application without a new connection:
:func:`optional_boot` waits, bounded by the profile's boot timeout, for a
BootNotification over the same or a new connection, and gives None when the
charge point stays on its connection and sends none. :func:`statuses_after_boot`
judges the statuses reported after the boot, and :func:`made_operative` ends a
reset case that made a connector inoperative first.
"""

from __future__ import annotations

from harness.errors import ExpectationFailed
from harness.flows.v16.cs import expect_status, expect_statuses
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = ["made_operative", "optional_boot", "reset_rebooting", "statuses_after_boot"]


async def reset_rebooting(csms: Session, dut: DutProfile, kind: str) -> None:
    """Reset ``kind``, answered Accepted, after which the charge point must reconnect.

    Raises:
        CallFailed: the answer is not Accepted.
        DutDisconnected: the charge point did not reconnect within the boot timeout.
    """
    __tracebackhide__ = True
    async with csms.reconnection(timeout=dut.timing.boot_timeout):
        await csms.call("Reset", {"type": kind}, status="Accepted")


async def optional_boot(
    csms: Session, dut: DutProfile, *, after: IncomingCall | int
) -> IncomingCall | None:
    """The BootNotification of a reboot the catalogue leaves optional, or None.

    Waits up to the profile's boot timeout, across a reconnection. A charge
    point still on its connection that sends no BootNotification in that time
    did not reboot: None.

    Raises:
        DutDisconnected: the charge point went away and did not come back.
    """
    __tracebackhide__ = True
    with csms.disconnect_allowed():
        try:
            return await csms.expect(
                "BootNotification", after=after, timeout=dut.timing.boot_timeout
            )
        except ExpectationFailed:
            if csms.connection.is_closed:
                raise
            return None


async def statuses_after_boot(
    csms: Session, dut: DutProfile, boot: IncomingCall, connector: int, status: object
) -> list[IncomingCall]:
    """After the boot, one StatusNotification per connector and for connector 0, judged on arrival.

    ``connector`` reports ``status`` (a value or :class:`~harness.expect.one_of`;
    None: its status after the boot was judged already); connector 0 and every
    other connector report Available.
    """
    __tracebackhide__ = True
    others = [0, *(number for _evse, number in dut.connectors if number != connector)]
    expected: dict[int, object] = dict.fromkeys(others, "Available")
    if status is not None:
        expected[connector] = status
    return await expect_statuses(csms, expected, after=boot)


async def made_operative(csms: Session, connector: int) -> IncomingCall:
    """ChangeAvailability Operative for ``connector`` is Accepted; it reports Available.

    Returns:
        the StatusNotification Available.
    """
    __tracebackhide__ = True
    mark = csms.mark()
    with step("Operative: ChangeAvailability Operative is Accepted"):
        await csms.call(
            "ChangeAvailability", {"connectorId": connector, "type": "Operative"}, status="Accepted"
        )
    with step("Operative: StatusNotification Available"):
        return await expect_status(csms, connector, "Available", after=mark)
