"""OCPP 2.0.1 ``_CSMS`` boots that are not (yet) accepted: the CSMS holds the station back.

:func:`boot_not_accepted` is the first boot of B_30/B_31: the CSMS, configured
to do so, answers it Pending or Rejected. :func:`refused_until_accepted`
reports the connectors anyway and requires the CALLERROR ``SecurityError``
that OCPP 2.0.1 B02.FR.09 (Pending) and B03.FR.07 (Rejected) prescribe for
any request but a BootNotification (or one the CSMS asked for).
"""

from __future__ import annotations

from typing import Any

from harness.errors import CallFailed
from harness.flows.v201.csms import boot, connector_reports
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.trigger import CsmsTrigger

__all__ = ["NOT_ACCEPTED", "boot_not_accepted", "refused_until_accepted"]

#: The answers a CSMS configured to hold a station back may give its first boot.
NOT_ACCEPTED = ("Pending", "Rejected")


async def boot_not_accepted(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, *, configured: str
) -> dict[str, Any]:
    """Prerequisite and steps 1-2: the CSMS answers the station's boot Pending or Rejected.

    Args:
        configured: the status the CSMS is configured to give (``Pending``
            or ``Rejected``); either is accepted, as the catalogue says.

    Returns:
        The BootNotificationResponse payload.
    """
    with step(f"Prerequisite: the CSMS answers the station's next boot {configured}"):
        await trigger.configure(
            "next_boot_status",
            configured,
            description=f"Configure the CSMS to answer the next BootNotification of station "
            f"{dut.identity} with status {configured}",
        )
    with step("1-2. BootNotification (PowerUp) is answered Pending or Rejected"):
        return await boot(station, dut, status=NOT_ACCEPTED)


async def refused_until_accepted(station: Session, dut: DutProfile) -> None:
    """Steps 3-4 of TC_B_30_CSMS: every connector report gets CALLERROR SecurityError."""
    __tracebackhide__ = True
    for evse_id, connector_id in dut.connectors:
        for action, payload in connector_reports(station, evse_id, connector_id, "Available"):
            reply = await station.call(action, payload, allow_error=True)
            code = str(getattr(reply.frame, "error_code", ""))
            if not reply.is_error or code != "SecurityError":
                got = f"CALLERROR {code}" if reply.is_error else "a CALLRESULT"
                raise CallFailed(
                    f"The CSMS answered {action} of a station it has not accepted with {got}; "
                    "OCPP 2.0.1 B02.FR.09 / B03.FR.07 (TC_B_30_CSMS step 4) require CALLERROR "
                    f"SecurityError.\n  sent:     {reply.call_entry.raw[:400]}\n"
                    f"  received: {reply.entry.raw[:400]}",
                    action=action,
                    unique_id=reply.call.unique_id,
                )
