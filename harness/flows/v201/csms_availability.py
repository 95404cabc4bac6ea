"""OCPP 2.0.1 availability for ``_CSMS`` cases: the CSMS changes it, the harness station follows.

A :class:`Scope` says what a ChangeAvailabilityRequest is about: the whole
station, one EVSE, or one connector of an EVSE. :func:`change_availability`
triggers the CSMS to send the request, judges it against the catalogue's
validation for that scope (operational status; ``evse`` omitted for the
station; ``evse.id`` and no ``connectorId`` for an EVSE; both for a
connector) and answers it. :func:`unavailable` is the reusable state
Unavailable; :func:`report_scope` tells the CSMS the new state of the
connectors in scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.expect import ABSENT
from harness.flows.requested import requested
from harness.flows.v201.csms import report_connector
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.trigger import CsmsTrigger

__all__ = ["Scope", "change_availability", "report_scope", "unavailable"]


@dataclass(frozen=True)
class Scope:
    """What a ChangeAvailabilityRequest is about.

    Attributes:
        evse_id: the EVSE, None for the whole station.
        connector_id: the connector of that EVSE, None for the whole EVSE.
    """

    evse_id: int | None = None
    connector_id: int | None = None

    @classmethod
    def station(cls) -> Scope:
        return cls()

    @classmethod
    def evse(cls, dut: DutProfile) -> Scope:
        """The configured EVSE (the profile's first)."""
        return cls(dut.connectors[0][0])

    @classmethod
    def connector(cls, dut: DutProfile) -> Scope:
        """The configured connector of the configured EVSE (the profile's first)."""
        evse_id, connector_id = dut.connectors[0]
        return cls(evse_id, connector_id)

    def describe(self) -> str:
        if self.evse_id is None:
            return "the charging station"
        if self.connector_id is None:
            return f"EVSE {self.evse_id}"
        return f"connector {self.connector_id} of EVSE {self.evse_id}"

    def request(self, status: str) -> dict[str, Any]:
        """The ChangeAvailabilityRequest the CSMS is asked to send."""
        payload: dict[str, Any] = {"operationalStatus": status}
        if self.evse_id is not None:
            payload["evse"] = {"id": self.evse_id}
            if self.connector_id is not None:
                payload["evse"]["connectorId"] = self.connector_id
        return payload

    def validation(self, status: str) -> tuple[str, dict[str, Any]]:
        """The catalogue's check of the request for this scope: its words and its pattern."""
        if self.evse_id is None:
            return f"operationalStatus {status}, evse omitted", {
                "operationalStatus": status,
                "evse": ABSENT,
            }
        if self.connector_id is None:
            return f"operationalStatus {status}, evse.id {self.evse_id}, connectorId omitted", {
                "operationalStatus": status,
                "evse": {"id": self.evse_id, "connectorId": ABSENT},
            }
        words = (
            f"operationalStatus {status}, evse.id {self.evse_id}, "
            f"evse.connectorId {self.connector_id}"
        )
        return words, {
            "operationalStatus": status,
            "evse": {"id": self.evse_id, "connectorId": self.connector_id},
        }

    def connectors(self, dut: DutProfile) -> list[tuple[int, int]]:
        """The (evse, connector) pairs in scope, in the profile's order."""
        return [
            (evse_id, connector_id)
            for evse_id, connector_id in dut.connectors
            if self.evse_id in (None, evse_id) and self.connector_id in (None, connector_id)
        ]


async def change_availability(
    station: Session, trigger: CsmsTrigger, scope: Scope, status: str, *, answer: str
) -> None:
    """Steps 1-2: the CSMS sends ChangeAvailabilityRequest for ``scope``; the station answers.

    Judged: the catalogue's validation of step 1 for the scope (see
    :meth:`Scope.validation`). The station answers ``answer`` (``Accepted``,
    or ``Scheduled`` while a transaction runs).
    """
    __tracebackhide__ = True
    words, pattern = scope.validation(status)
    await requested(
        trigger,
        station,
        "ChangeAvailability",
        scope.request(status),
        description=f"Make the CSMS change the availability of {scope.describe()} to {status}",
        request_step=f"1. The CSMS sends ChangeAvailabilityRequest {status} for {scope.describe()}",
        answer_step=f"2. The station responds with ChangeAvailabilityResponse {answer}",
        answer={"status": answer},
        checks=[(words, pattern)],
    )


async def report_scope(
    station: Session, dut: DutProfile, scope: Scope, status: str, *, step_title: str
) -> None:
    """The station tells the CSMS the state of every connector in ``scope``; the CSMS answers."""
    __tracebackhide__ = True
    with step(step_title):
        for evse_id, connector_id in scope.connectors(dut):
            await report_connector(station, evse_id, connector_id, status)


async def unavailable(
    station: Session, dut: DutProfile, trigger: CsmsTrigger, scope: Scope
) -> None:
    """Reusable state Unavailable: the CSMS makes ``scope`` Inoperative; the station reports it."""
    await change_availability(station, trigger, scope, "Inoperative", answer="Accepted")
    await report_scope(
        station,
        dut,
        scope,
        "Unavailable",
        step_title="3-4. The station reports the connectors Unavailable; the CSMS responds",
    )
