"""Fault knobs of the 1.6 reference station's Reservation profile (ReserveNow, CancelReservation).

:data:`MUTANTS` are said on the wire (the mutation layer applies them; the
behaviour never sees them); :data:`BEHAVIOUR_KNOBS` are the reservation faults
a wire rule cannot say, each with why. Both are added to the station's tables
in :mod:`harness.sim.station.v16_mutants`.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Rule, Set, Unset

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

#: A reservationId no reservation of the reference ever had (the Central System counts from 1).
_STALE_RESERVATION = 999999


def _stale(current: object) -> object:
    return _STALE_RESERVATION if current is None else current


MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "reserve_status",
        "answers every ReserveNow `<Status>` (a ReservationStatus) and reserves nothing",
        lambda status, _side: [Rule(REPLY, "ReserveNow", Answer({"status": status}))],
        "<Status>",
    ),
    WireMutant(
        "cancel_accepts",
        "answers every CancelReservation `Accepted` and cancels nothing",
        lambda _a, _side: [Rule(REPLY, "CancelReservation", Answer({"status": "Accepted"}))],
    ),
    WireMutant(
        "no_reservation_id",
        "leaves `reservationId` out of StartTransaction (a used reservation is not reported)",
        lambda _a, _side: [Rule(CALL, "StartTransaction", Unset(("reservationId",)))],
    ),
    WireMutant(
        "stale_reservation_id",
        f"puts reservationId {_STALE_RESERVATION} in every StartTransaction that uses no "
        "reservation",
        lambda _a, _side: [Rule(CALL, "StartTransaction", Set(("reservationId",), _stale))],
    ),
)

#: Reservation knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "reservation_never_expires": "keeps a reservation after its expiryDate (the connector stays "
    "Reserved) — a timer",
    "reservation_ignores_parent": "lets only the reservation's own idTag use it, not an idTag "
    "with the reservation's parentIdTag — the authorization decision",
}
