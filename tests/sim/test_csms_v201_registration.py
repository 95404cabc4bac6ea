"""The reference 2.0.1 CSMS refuses what a station held Pending or Rejected may not send."""

from __future__ import annotations

from harness.sim.csms.state import StationState
from harness.sim.csms.v201_registration import note_request, refusal


def _station(registration: str | None) -> StationState:
    station = StationState("CS1")
    station.registration = registration
    return station


def test_a_rejected_station_gets_security_error_for_anything_but_a_boot() -> None:
    """Rejected: StatusNotification is refused with SecurityError, BootNotification is not."""
    station = _station("Rejected")
    refused = refusal(station, "StatusNotification")
    assert refused is not None
    assert refused.code == "SecurityError"
    assert refusal(station, "BootNotification") is None


def test_an_accepted_or_unknown_station_is_never_refused() -> None:
    """Only Pending and Rejected registrations are held back."""
    assert refusal(_station("Accepted"), "StatusNotification") is None
    assert refusal(_station(None), "Heartbeat") is None


def test_a_pending_station_may_send_what_the_csms_asked_for() -> None:
    """Pending: a triggered message and a report's NotifyReport pass; a boot forgets them."""
    station = _station("Pending")
    note_request(station, "TriggerMessage", {"requestedMessage": "Heartbeat"})
    note_request(station, "GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"})
    assert refusal(station, "Heartbeat") is None
    assert refusal(station, "NotifyReport") is None
    assert refusal(station, "MeterValues") is not None
    refusal(station, "BootNotification")
    assert refusal(station, "Heartbeat") is not None


def test_a_triggered_certificate_signing_is_the_sign_certificate_request() -> None:
    """TriggerMessage SignChargingStationCertificate lets SignCertificate through."""
    station = _station("Pending")
    note_request(station, "TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
    assert refusal(station, "SignCertificate") is None
