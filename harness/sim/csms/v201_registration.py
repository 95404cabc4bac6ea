"""What the reference 2.0.1 CSMS accepts from a station it has not (yet) accepted.

OCPP 2.0.1 B02.FR.09 and B03.FR.07: while a station's registration is
Pending or Rejected, the CSMS answers any request other than
BootNotificationRequest with the CALLERROR ``SecurityError``, except, while
Pending, the messages it asked for itself: what a TriggerMessageRequest
requested, and the NotifyReportRequests of a GetBaseReport / GetReport.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.replies import ErrorReply
from harness.sim.csms.state import StationState

__all__ = ["note_request", "refusal"]

#: Requests a Pending station may send because the CSMS asked for a report.
_REPORTS = {"GetBaseReport": "NotifyReport", "GetReport": "NotifyReport"}


def _triggered_action(requested_message: str) -> str:
    """The request a TriggerMessage's ``requestedMessage`` makes the station send."""
    return "SignCertificate" if requested_message.startswith("Sign") else requested_message


def note_request(station: StationState, action: str, payload: dict[str, Any]) -> None:
    """Remember which station requests the CSMS's own request ``action`` allows while Pending."""
    if action == "TriggerMessage":
        station.solicited.add(_triggered_action(str(payload["requestedMessage"])))
    elif action in _REPORTS:
        station.solicited.add(_REPORTS[action])


def refusal(station: StationState, action: str) -> ErrorReply | None:
    """The SecurityError for ``action`` from a station not accepted, or None when allowed."""
    if action == "BootNotification":
        station.solicited.clear()  # a boot starts a new registration
        return None
    registration = station.registration
    if registration not in ("Pending", "Rejected"):
        return None
    if registration == "Pending" and action in station.solicited:
        return None
    return ErrorReply(
        "SecurityError",
        f"the station's registration is {registration}: only BootNotification is accepted "
        "(B02.FR.09, B03.FR.07)",
    )
