"""OCPP 1.6 ``_CSMS`` steps beyond the reusable states: the harness charge point acts.

What a charge point does in the Core cases with a Central System under test:
answer a request the Central System was triggered to send
(:func:`requested`), report transactions, possibly late and with the time they
happened (:func:`start_transaction`, :func:`stop_transaction`), come back after
a reboot or a power loss (:func:`rebooted`), and send a vendor-specific
DataTransfer (:func:`data_transfer_refused`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.flows import reboot
from harness.flows.requested import requested
from harness.flows.v16.csms import Transaction, boot, start_transaction, status_notification
from harness.ocppj.connection import Reply
from harness.profile import DutProfile
from harness.responders import utc_now
from harness.roles import StationLink
from harness.session import Session
from harness.trace import Finding, Level

__all__ = [
    "DATA_TRANSFER_REFUSALS",
    "data_transfer_refused",
    "rebooted",
    "requested",
    "start_transaction",
    "stop_transaction",
]

#: The DataTransfer.conf statuses that refuse a vendorId the Central System does not support.
DATA_TRANSFER_REFUSALS = ("Rejected", "UnknownMessageId", "UnknownVendorId")


async def stop_transaction(
    station: Session,
    tx: Transaction,
    reason: str,
    *,
    timestamp: str | None = None,
    id_tag: str | None = None,
) -> Reply:
    """StopTransaction of ``tx`` with ``reason`` (and ``id_tag`` when one stopped it)."""
    __tracebackhide__ = True
    payload: dict[str, Any] = {
        "transactionId": tx.id,
        "meterStop": tx.meter_start + 1000,
        "timestamp": timestamp or utc_now(),
        "reason": reason,
    }
    if id_tag is not None:
        payload["idTag"] = id_tag
    return await station.call("StopTransaction", payload)


async def rebooted(
    station: Session,
    link: StationLink,
    dut: DutProfile,
    *,
    boot_step: str,
    status_step: str,
    statuses: Mapping[int, str] | None = None,
) -> None:
    """The charge point restarts: a new connection, BootNotification Accepted, its statuses.

    Args:
        boot_step: the title of the BootNotification step.
        status_step: the title of the StatusNotification step.
        statuses: status per connector id after the boot; connector 0 and
            every connector not named report ``Available``.
    """
    wanted = dict(statuses or {})

    async def report() -> None:
        for connector_id in (0, *(c for _evse, c in dut.connectors)):
            await status_notification(station, connector_id, wanted.get(connector_id, "Available"))

    await reboot.rebooted(
        link,
        boot_step=boot_step,
        boot=lambda: boot(station, dut),
        status_step=status_step,
        report=report,
    )


async def data_transfer_refused(station: Session, vendor_id: str) -> Reply:
    """DataTransfer with a vendorId the Central System does not support; the answer refuses it.

    Every status of the enumeration is conforming; ``Accepted`` is allowed
    but the catalogue asks the vendor to be warned: it is a remark on the
    answer, never a failure.
    """
    __tracebackhide__ = True
    reply = await station.call("DataTransfer", {"vendorId": vendor_id, "messageId": "Unsupported"})
    if reply.payload.get("status") not in DATA_TRANSFER_REFUSALS:
        reply.entry.add(
            Finding(
                "data-transfer-accepted",
                f"the Central System accepted a DataTransfer for vendorId {vendor_id!r}, which "
                "it does not support",
                level=Level.REMARK,
                rule="TC_064_CSMS step 2: Accepted is allowed, but the vendor should be warned",
            )
        )
    return reply
