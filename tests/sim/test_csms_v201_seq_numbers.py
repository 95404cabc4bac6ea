"""The ``seq_no_per_station`` fault refuses a new transaction restarting at seqNo 0, only that."""

from __future__ import annotations

from harness.sim.csms.state import StationState, Transaction
from harness.sim.csms.v201_seq_numbers import refusal


def _event(transaction_id: str, seq_no: int) -> dict[str, object]:
    return {"seqNo": seq_no, "transactionInfo": {"transactionId": transaction_id}}


def test_a_second_transaction_at_seq_no_zero_is_refused_by_the_fault() -> None:
    """After a transaction reached seqNo 3, a new one at 0 gets PropertyConstraintViolation."""
    station = StationState("CS1")
    assert refusal(station, _event("first", 0)) is None
    station.transactions["first"] = Transaction("first", seq_no=3)
    refused = refusal(station, _event("second", 0))
    assert refused is not None
    assert refused.code == "PropertyConstraintViolation"


def test_events_of_a_known_transaction_pass() -> None:
    """The fault judges only a transaction's first event."""
    station = StationState("CS1")
    station.transactions["first"] = Transaction("first", seq_no=3)
    assert refusal(station, _event("first", 1)) is None
