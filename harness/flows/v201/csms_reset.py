"""OCPP 2.0.1 ``_CSMS`` resets: the harness station is reset by the CSMS and comes back.

:func:`reset` is steps 1-2 of the B11/B12 cases: the CSMS is made to send a
ResetRequest, judged against the catalogue (the type, the evseId or its
absence), and the station answers. :func:`rebooted` is the restart after a
reset of the whole station: the version-independent
:func:`harness.flows.reboot.rebooted` with a 2.0.1 boot (the reason the
catalogue gives) and a report of every connector.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.expect import ABSENT
from harness.flows import reboot
from harness.flows.requested import requested
from harness.flows.v201.csms import boot, report_connector
from harness.profile import DutProfile
from harness.roles import StationLink
from harness.session import Session
from harness.trigger import CsmsTrigger

__all__ = ["rebooted", "reset"]


async def reset(
    station: Session,
    trigger: CsmsTrigger,
    *,
    kind: str,
    evse_id: int | None,
    answer: str,
    check_type: bool = True,
) -> None:
    """Steps 1-2: the CSMS sends ResetRequest ``kind`` (for ``evse_id``); the station answers.

    Judged: ``type`` (unless the case's validation leaves it out) and
    ``evseId``: the EVSE's id, or omitted for the whole station.
    """
    __tracebackhide__ = True
    payload: dict[str, Any] = {"type": kind}
    scope = "the charging station"
    if evse_id is not None:
        payload["evseId"] = evse_id
        scope = f"EVSE {evse_id}"
    expected: dict[str, Any] = {"evseId": ABSENT if evse_id is None else evse_id}
    words = "evseId omitted" if evse_id is None else f"evseId {evse_id}"
    if check_type:
        expected["type"] = kind
        words = f"type {kind}, {words}"
    await requested(
        trigger,
        station,
        "Reset",
        payload,
        description=f"Make the CSMS reset {scope} with type {kind}",
        request_step=f"1. The CSMS sends ResetRequest {kind} for {scope}",
        answer_step=f"2. The station responds with ResetResponse {answer}",
        answer={"status": answer},
        checks=[(words, expected)],
    )


async def rebooted(
    station: Session,
    link: StationLink,
    dut: DutProfile,
    *,
    reason: str,
    first: int,
    statuses: Mapping[tuple[int, int], str] | None = None,
    reported: str = "Every connector is reported Available",
) -> None:
    """The station resets: offline, BootNotification (``reason``) accepted, connectors reported.

    Args:
        first: the number of the BootNotification step (the catalogue's N-N+1;
            the connectors are N+2-N+3).
        statuses: the status per (evse, connector) after the boot; every
            connector not named is ``Available``.
        reported: how the connector step says what is reported.
    """
    wanted = dict(statuses or {})

    async def report() -> None:
        for evse_id, connector_id in dut.connectors:
            status = wanted.get((evse_id, connector_id), "Available")
            await report_connector(station, evse_id, connector_id, status)

    await link.cut("station resets")
    await reboot.rebooted(
        link,
        boot_step=f"{first}-{first + 1}. BootNotification ({reason}) is answered Accepted",
        boot=lambda: boot(station, dut, reason=reason),
        status_step=f"{first + 2}-{first + 3}. {reported}; the CSMS responds",
        report=report,
    )
