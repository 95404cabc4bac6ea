"""Answers of the 2.0.1 reference station to the CSMS's requests.

One function per action, each returning a :class:`~harness.sim.station.base.Handled`:
the answer, and the work the station does once the answer is out (reboot,
transaction start, report). Handlers never wait on the CSMS; their follow-up
work goes through the station's reaction queue so that it happens in order
with the physical events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.ocppj.connection import IncomingCall
from harness.ocppj.replies import ErrorReply
from harness.sim.station.base import Handled
from harness.sim.station.v201_auth import remote_authorize
from harness.sim.station.v201_availability import already, reset_evse, station_scheduled
from harness.sim.station.v201_certificates import (
    get_installed_certificate_ids,
    install_certificate,
)
from harness.sim.station.v201_network import set_network_profile
from harness.sim.station.v201_transfers import get_log, update_firmware
from harness.sim.station.v201_tx_status import get_transaction_status

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["HANDLERS", "dispatch"]

Handler = Callable[["Station201", IncomingCall], Handled]


def _rejected(reason: str) -> dict[str, Any]:
    return {"status": "Rejected", "statusInfo": {"reasonCode": reason}}


def reset(st: Station201, call: IncomingCall) -> Handled:
    """B11/B12: reboot now (Immediate, or OnIdle when idle) or once idle (Scheduled)."""
    kind = call.payload["type"]
    if call.payload.get("evseId") is not None:
        return reset_evse(st, int(call.payload["evseId"]), kind)
    if kind == "OnIdle" and st.busy():
        st.reset_pending = True
        return Handled({"status": "Scheduled"})
    return Handled({"status": "Accepted"}, after=st.later(st.reset_now, "reset"))


def change_availability(st: Station201, call: IncomingCall) -> Handled:
    """G01-G04: set the station, an EVSE or a connector (in)operative."""
    operative = call.payload["operationalStatus"] == "Operative"
    target = call.payload.get("evse")
    evse_id = 0 if target is None else int(target["id"])
    connector_id = None if target is None else target.get("connectorId")
    evse = st.evses.get(evse_id)
    if evse_id and evse is None:
        return Handled(_rejected("UnknownEvse"))
    if evse is not None and connector_id is not None and connector_id not in evse.connectors:
        return Handled(_rejected("UnknownConnector"))
    scope = (evse_id, connector_id)
    if st.faults.on("refuse_same_availability") and already(st, evse_id, connector_id, operative):
        return Handled(_rejected("SameState"))
    if not operative and st.busy(evse_id or None):
        st.pending_availability[scope] = operative
        if evse_id == 0:
            station_scheduled(st)
        return Handled({"status": "Scheduled"})

    async def apply() -> None:
        await st.set_operative(evse_id, connector_id, operative)

    return Handled({"status": "Accepted"}, after=st.later(apply, "change availability"))


def unlock_connector(st: Station201, call: IncomingCall) -> Handled:
    """F05: unlock a connector unless an authorized transaction runs on it."""
    evse = st.evses.get(call.payload["evseId"])
    if evse is None or call.payload["connectorId"] not in evse.connectors:
        return Handled({"status": "UnknownConnector"})
    if evse.tx is not None and evse.auth is not None:
        return Handled({"status": "OngoingAuthorizedTransaction"})
    return Handled({"status": "Unlocked"})


def get_variables(st: Station201, call: IncomingCall) -> Handled:
    """B06: read variables of the device model."""
    results = [st.dm.get(item) for item in call.payload["getVariableData"]]
    return Handled({"getVariableResult": _attribute_type(st, results)})


def set_variables(st: Station201, call: IncomingCall) -> Handled:
    """B05: write variables of the device model; the station applies them at once."""
    results = []
    for item in call.payload["setVariableData"]:
        kept = _current(st, item) if st.faults.on("ignore_set_variables") else None
        refused = st.network.refuse_priority(item)
        result, written = (refused, None) if refused is not None else st.dm.set(item)
        st.network.after_write(result, written)
        if written is not None and kept is not None:
            written.value, written = kept, None  # the mutant: Accepted, nothing changed
        results.append(result)
        if written is not None and (written.component, written.name) == (
            "OCPPCommCtrlr",
            "HeartbeatInterval",
        ):
            st.heartbeat_interval = float(written.value)
    return Handled({"setVariableResult": _attribute_type(st, results)})


def _current(st: Station201, item: dict[str, Any]) -> str | None:
    """The value a SetVariableData's variable holds now (None when it has none)."""
    found = st.dm.get({"component": item["component"], "variable": item["variable"]})
    return str(found["attributeValue"]) if "attributeValue" in found else None


def _attribute_type(st: Station201, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results as sent: ``attributeType`` is optional (default Actual) in both answers."""
    if st.variants.results_reversed:
        results = results[::-1]  # OCPP does not fix the order of the results
    if st.variants.attribute_type:
        return results
    # Only an Actual attributeType may go: absent means Actual.
    return [{k: v for k, v in r.items() if k != "attributeType" or v != "Actual"} for r in results]


def get_base_report(st: Station201, call: IncomingCall) -> Handled:
    """B07: accept, then send the report in NotifyReport pages."""
    request_id = call.payload["requestId"]
    summary = st.options.get("summary_inventory", "summary_inventory" in st.dut.features)
    if call.payload["reportBase"] == "SummaryInventory" and not summary:
        # B07: an optional base report the station lacks is answered NotSupported.
        return Handled({"status": "NotSupported"})
    entries = st.dm.report(call.payload["reportBase"])
    if not entries:
        return Handled({"status": "EmptyResultSet"})

    async def send() -> None:
        await st.reports.send_report(request_id, entries)

    # Not queued: a report is allowed while the boot is Pending (B02.FR.02).
    return Handled({"status": "Accepted"}, after=send)


def trigger_message(st: Station201, call: IncomingCall) -> Handled:
    """F06: send the requested message, when it applies."""
    requested = call.payload["requestedMessage"]
    evse_json = call.payload.get("evse")
    evse_id = None if evse_json is None else int(evse_json["id"])
    if evse_id is not None and evse_id not in st.evses:
        return Handled(_rejected("UnknownEvse"))
    connector_id = None if evse_json is None else evse_json.get("connectorId")
    work = st.reports.triggered(requested, evse_id, connector_id)
    if work is None:
        return Handled({"status": "NotImplemented"})
    if isinstance(work, str):
        return Handled(_rejected(work))
    # Not queued: a triggered message is allowed while the boot is Pending (B02.FR.02).
    return Handled({"status": "Accepted"}, after=work)


def data_transfer(st: Station201, call: IncomingCall) -> Handled:
    """P01: the station knows no vendor extensions."""
    return Handled({"status": "UnknownVendorId"})


def clear_cache(st: Station201, call: IncomingCall) -> Handled:
    """C11: empty the authorization cache, when the station has one enabled."""
    if not st.dm.flag("AuthCacheCtrlr", "Enabled"):
        return Handled(_rejected("CacheDisabled"))
    st.cache.clear()
    return Handled({"status": "Accepted"})


def request_start(st: Station201, call: IncomingCall) -> Handled:
    """F01/F02: authorize an idToken on an EVSE for the CSMS."""
    wanted = call.payload.get("evseId")
    candidates = [st.evses[wanted]] if wanted in st.evses else []
    if wanted is None:
        candidates = [e for e in st.evses.values() if e.auth is None and e.tx is None]
    evse = next((e for e in candidates if st.tx.usable(e) and e.auth is None), None)
    if evse is None:
        return Handled(_rejected("EvseNotAvailable"))
    reply: dict[str, Any] = {"status": "Accepted"}
    if evse.tx is not None:
        reply["transactionId"] = evse.tx.id
    token = dict(call.payload["idToken"])
    remote_start_id = int(call.payload["remoteStartId"])

    async def authorize() -> None:
        await remote_authorize(st, evse, token, remote_start_id)

    return Handled(reply, after=st.later(authorize, "remote start"))


def request_stop(st: Station201, call: IncomingCall) -> Handled:
    """F03: stop the transaction with the given id, as if the driver stopped it."""
    wanted = call.payload["transactionId"]
    evse = next((e for e in st.evses.values() if e.tx is not None and e.tx.id == wanted), None)
    if evse is None:
        return Handled(_rejected("UnknownTransaction"))

    async def stop() -> None:
        await st.tx.stop_authorization(evse, "RemoteStop", "Remote")

    return Handled({"status": "Accepted"}, after=st.later(stop, "remote stop"))


def not_supported(st: Station201, call: IncomingCall) -> Handled:
    """Actions the reference station recognises but does not implement."""
    return Handled(
        ErrorReply("NotSupported", f"the reference station does not implement {call.action}")
    )


HANDLERS: dict[str, Handler] = {
    "Reset": reset,
    "ChangeAvailability": change_availability,
    "UnlockConnector": unlock_connector,
    "GetVariables": get_variables,
    "SetVariables": set_variables,
    "GetBaseReport": get_base_report,
    "TriggerMessage": trigger_message,
    "DataTransfer": data_transfer,
    "ClearCache": clear_cache,
    "RequestStartTransaction": request_start,
    "RequestStopTransaction": request_stop,
    "SetNetworkProfile": set_network_profile,
    "GetLog": get_log,
    "UpdateFirmware": update_firmware,
    "GetTransactionStatus": get_transaction_status,
    "InstallCertificate": install_certificate,
    "GetInstalledCertificateIds": get_installed_certificate_ids,
}


def dispatch(st: Station201, incoming: IncomingCall) -> Handled:
    """Answer a CSMS request (the mutation layer has already applied the wire knobs)."""
    if st.registration == "Rejected":
        # B03: while rejected, every request of the CSMS gets CALLERROR SecurityError.
        return Handled(ErrorReply("SecurityError", "the registration was rejected"))
    if st.registration == "Pending" and incoming.action == "RequestStartTransaction":
        # B02: no transaction is started for the CSMS before the registration is accepted.
        return Handled(_rejected("Pending"))
    return HANDLERS.get(incoming.action, not_supported)(st, incoming)
