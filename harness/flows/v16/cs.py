"""OCPP 1.6 reusable states for ``_CS`` cases: the harness plays the Central System.

Each function brings the charge point under test into one named state of
the catalogue, checking the tool validations on the way, and returns what
later steps need. The functions open their own ``step`` blocks, prefixed
with the state's name, so a failure says which part of which state broke.

States: :func:`booted`, :func:`authorized` (local card), :func:`charging`
(cable first, remote start), :func:`stopped` (card again: Finishing),
:func:`available` (cable out), :func:`unavailable` (ChangeAvailability).
Helpers read the PIXIT values of the DUT profile (:func:`connector_id`,
:func:`token`, :func:`meter_value_interval`) and check answers
(:func:`configuration`).

Requests of the charge point are judged on arrival, as in 2.0.1: the first
frame of the awaited action (for a StatusNotification: of the awaited
connector) after the step began is the step's frame, and a wrong value fails
at once with the field, the expected and the received value
(:func:`~harness.flows.common.expect_judged`, :func:`expect_status`,
:func:`expect_statuses`). Where the catalogue lets other frames come first,
the flow says so (:data:`ON_THE_WAY_TO_CHARGING`). Rig cases use
:func:`fault_injected`, :func:`fault_report` and :func:`expect_fault_report`
(the profile's ``[faults]`` tables), :func:`no_transaction_starts` and
:func:`without_fixed_cable`.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from harness.checks import conform
from harness.errors import CallFailed, NotApplicable
from harness.expect import Pattern, one_of, or_absent
from harness.flows.common import confirm_setting, expect_judged, same_value, token
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.profile.faults import FaultReport
from harness.responders import TokenBook
from harness.rig import EvState, Fault, Rig
from harness.session import Session
from harness.steps import step
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "ON_THE_WAY_TO_CHARGING",
    "Charging",
    "Setting16",
    "answer_fails",
    "authorized",
    "available",
    "booted",
    "change_configuration",
    "charging",
    "configuration",
    "connector_id",
    "expect_fault_report",
    "expect_start",
    "expect_status",
    "expect_statuses",
    "expect_stop",
    "fault_injected",
    "fault_report",
    "meter_value_interval",
    "no_transaction_starts",
    "plug_in",
    "read_key",
    "remote_authorize",
    "require_setting",
    "status_scope",
    "stopped",
    "token",
    "unavailable",
    "without_fixed_cable",
]

_transaction_ids = itertools.count(1001)

#: Statuses a connector may report between the start of a transaction and
#: Charging: the EV or the EVSE does not draw energy yet (OCPP 1.6 section 4.9,
#: Preparing -> SuspendedEV/SuspendedEVSE -> Charging). A step awaiting
#: Charging passes over them; any other status fails it at once.
ON_THE_WAY_TO_CHARGING = one_of("SuspendedEV", "SuspendedEVSE")


@dataclass
class Charging:
    """A running transaction, as the Charging state leaves it.

    Attributes:
        connector_id: the connector it runs on.
        transaction_id: the transactionId the harness allocated.
        id_tag: the idTag that started it.
        start: the StartTransaction request.
    """

    connector_id: int
    transaction_id: int
    id_tag: str
    start: IncomingCall


# -- PIXIT values -------------------------------------------------------------------


def connector_id(dut: DutProfile) -> int:
    """<Configured ConnectorId>: the first connector of the profile."""
    return dut.connectors[0][1]


def meter_value_interval(dut: DutProfile) -> int:
    """<Configured Meter Value interval>, in seconds (``[timing].meter_value_interval``)."""
    return dut.timing.meter_value_interval


# -- checks on answers ----------------------------------------------------------------


def configuration(reply: Reply) -> dict[str, dict[str, Any]]:
    """A GetConfiguration answer's keys, by name (``{"readonly": ..., "value": ...}``)."""
    keys = reply.payload.get("configurationKey", [])
    return {str(entry.get("key")): entry for entry in keys if isinstance(entry, dict)}


def answer_fails(reply: Reply, problem: str) -> CallFailed:
    """A failure about the content of the device's answer to one of our CALLs."""
    return CallFailed(
        f"The device's answer to {reply.call.action} {problem}.\n"
        f"  sent:     {reply.call_entry.raw[:400]}\n  received: {reply.entry.raw[:600]}",
        action=reply.call.action,
        unique_id=reply.call.unique_id,
    )


async def change_configuration(
    csms: Session,
    key: str,
    value: str,
    *,
    status: str | tuple[str, ...] = "Accepted",
    confirm: bool = True,
) -> Reply:
    """ChangeConfiguration ``key`` = ``value``, requiring ``status``.

    With ``confirm``, an Accepted change is read back with GetConfiguration:
    a charge point that accepts a value and keeps the old one would otherwise
    pass every case that relies on the change.

    Raises:
        CallFailed: another status, or the value read back differs.
    """
    reply = await csms.call("ChangeConfiguration", {"key": key, "value": value}, status=status)
    if confirm and reply.payload.get("status") == "Accepted":
        await confirm_setting(Setting16(csms, key), value)
    return reply


@dataclass(frozen=True)
class Setting16:
    """One 1.6 configuration key, read with GetConfiguration and written with ChangeConfiguration.

    The :class:`~harness.flows.common.Setting` of 1.6; an Accepted change must
    hold (OCPP 1.6 ConfigurationStatus Accepted: the setting has been changed).
    """

    csms: Session
    key: str

    @property
    def name(self) -> str:
        return self.key

    async def read(self) -> str | None:
        return await read_key(self.csms, self.key)

    async def write(self, value: str) -> bool:
        reply = await self.csms.call("ChangeConfiguration", {"key": self.key, "value": value})
        return reply.payload.get("status") == "Accepted"

    def source(self) -> str:
        return "OCPP 1.6 ConfigurationStatus Accepted: the setting has been changed"


async def require_setting(csms: Session, key: str, value: str, *, optional: bool = False) -> None:
    """Configuration State: ``key`` holds ``value``, changed if need be (and confirmed).

    A read-only key that already holds ``value`` is fine. The case is not
    applicable when the key is read-only with another value (the catalogue's
    configuration state cannot be reached), or, with ``optional``, when the
    charge point does not have the key.

    Raises:
        CallFailed: a required key is unknown, the change is not Accepted, or
            it does not hold.
    """
    reply = await csms.call("GetConfiguration", {"key": [key]})
    entry = configuration(reply).get(key)
    if entry is None:
        if optional:
            return
        raise answer_fails(reply, f"does not report the configuration key {key}")
    if same_value(str(entry.get("value", "")), value):
        return
    if entry.get("readonly"):
        raise NotApplicable(f"{key} is read-only with value {entry.get('value')!r}")
    await change_configuration(csms, key, value)


def _status_text(status: object) -> str:
    return status if isinstance(status, str) else repr(status)


def status_scope(connector: int) -> Pattern:
    """The StatusNotifications of one connector: the frames a status step is about."""
    return Pattern(
        "StatusNotification",
        {"connectorId": connector},
        label=f"StatusNotification for connector {connector}",
    )


async def expect_status(
    csms: Session,
    connector: int,
    status: object,
    *,
    after: IncomingCall | int | None,
    passing: object = None,
    timeout: Timeout = DEFAULT,
) -> IncomingCall:
    """The connector's next StatusNotification, judged on arrival: it reports ``status``.

    Args:
        csms: the harness-as-Central-System session.
        connector: the connector (0: the charge point).
        status: the status the step requires (a value or :class:`~harness.expect.one_of`).
        after: only frames after this call (or trace position) count.
        passing: statuses the catalogue allows before it (e.g.
            :data:`ON_THE_WAY_TO_CHARGING`), passed over; None: the very next one.
        timeout: the bound of the wait.

    Raises:
        UnexpectedMessage: the connector's next status is another one.
        ExpectationFailed: the connector reported nothing in time.
    """
    __tracebackhide__ = True
    return await expect_judged(
        csms,
        status_scope(connector),
        f"status {_status_text(status)}",
        {"status": status},
        after=after,
        passing=None if passing is None else {"status": passing},
        timeout=timeout,
    )


async def expect_statuses(
    csms: Session,
    statuses: Mapping[int, object],
    *,
    after: IncomingCall | int | None,
    timeout: Timeout = DEFAULT,
) -> list[IncomingCall]:
    """One StatusNotification per connector, in any order, each judged as soon as it arrives.

    Args:
        statuses: per connector id, the status its next StatusNotification
            must report (a value or :class:`~harness.expect.one_of`).

    Raises:
        UnexpectedMessage: a connector's next status is another one (at once).
        ExpectationFailed: a connector reported nothing in time.
    """
    __tracebackhide__ = True
    numbers = list(statuses)
    patterns = [status_scope(number) for number in numbers]

    def judge(index: int, found: IncomingCall) -> None:
        __tracebackhide__ = True
        wanted = statuses[numbers[index]]
        conform(found, f"status {_status_text(wanted)}", {"status": wanted})

    return await csms.expect_all(*patterns, after=after, timeout=timeout, judge=judge)


async def plug_in(rig: Rig, connector: int) -> None:
    """The EV driver plugs the cable into the EV and the charge point; the EV is ready."""
    await rig.plug_in(connector, connector)
    await rig.ev_state(EvState.C, connector, connector)


# -- rig: faults and applicability ------------------------------------------------------


def without_fixed_cable(dut: DutProfile) -> None:
    """Skip as not applicable when the charge point has a fixed cable (PICS ``fixed_cable``)."""
    if dut.supports("fixed_cable"):
        raise NotApplicable("the charge point has a fixed cable ([dut].features)")


def fault_report(dut: DutProfile, fault: Fault) -> FaultReport:
    """How the charge point reports ``fault`` (``[faults.<name>]`` of the profile).

    Only the errorCode of it narrows a case's check (see :func:`expect_fault_report`).
    """
    return dut.faults[fault]


@contextlib.asynccontextmanager
async def fault_injected(rig: Rig, fault: Fault, connector: int) -> AsyncIterator[None]:
    """The rig holds ``fault`` on the connector for the block, and clears it afterwards."""
    await rig.inject_fault(fault, connector, connector)
    try:
        yield
    finally:
        await rig.clear_fault(fault, connector, connector)


async def expect_fault_report(
    csms: Session,
    report: FaultReport,
    connector: int,
    *,
    after: IncomingCall | int,
    status: str = "Faulted",
    error_code: str | None = None,
) -> IncomingCall:
    """The StatusNotification that reports a fault, judged by the catalogue first.

    ``status`` (and ``error_code``, where the case names one) are the
    catalogue's tool validation. Where the catalogue names no errorCode, the
    profile's ``[faults.<name>].v16_error_code`` narrows it for this DUT (blank:
    any). The profile never replaces the catalogue's status.
    """
    found = await expect_status(csms, connector, status, after=after)
    code = error_code or report.v16_error_code
    if code is not None:
        why = "the test case" if error_code else "the DUT profile's [faults] table"
        conform(found, f"errorCode {code} (required by {why})", {"errorCode": code})
    return found


async def expect_start(
    csms: Session,
    connector: int,
    id_tag: str,
    *,
    after: IncomingCall | int,
    fields: Mapping[str, Any] | None = None,
) -> IncomingCall:
    """The next StartTransaction, judged on arrival: for ``connector`` and ``id_tag``.

    Args:
        fields: further tool validations of the request (e.g. its ``reservationId``).
    """
    __tracebackhide__ = True
    more = "".join(f", {key} {_status_text(value)}" for key, value in (fields or {}).items())
    return await expect_judged(
        csms,
        Pattern("StartTransaction"),
        f"connector {connector} and the idTag presented{more}",
        {"connectorId": connector, "idTag": id_tag, **(fields or {})},
        after=after,
    )


async def expect_stop(
    csms: Session,
    running: Charging,
    reason: object = None,
    *,
    after: IncomingCall | int,
    id_tag: str | None = None,
) -> IncomingCall:
    """The next StopTransaction, judged on arrival: it stops ``running`` with ``reason``.

    The transactionId is the one the Central System gave (OCPP 1.6: the
    transactionId received in StartTransaction.conf). ``reason`` None: the
    step does not judge it; ``id_tag``: the idTag that stopped it.
    """
    __tracebackhide__ = True
    expected: dict[str, object] = {"transactionId": running.transaction_id}
    what = f"transaction {running.transaction_id} stopped"
    if reason is not None:
        expected["reason"] = reason
        what += f" with reason {_status_text(reason)}"
    if id_tag is not None:
        expected["idTag"] = id_tag
        what += f" with idTag {id_tag}"
    return await expect_judged(csms, Pattern("StopTransaction"), what, expected, after=after)


async def no_transaction_starts(
    csms: Session, dut: DutProfile, *, after: IncomingCall | int
) -> None:
    """<Configured Transaction Duration> passes without a StartTransaction."""
    await csms.expect_none("StartTransaction", during=dut.timing.transaction_duration, after=after)


# -- reusable states --------------------------------------------------------------------


async def booted(csms: Session, dut: DutProfile) -> IncomingCall | None:
    """Booted: the charge point is registered and every connector reported its status.

    A charge point registered earlier in the run (it stays connected between
    cases, as on a bench) is not asked to boot again: nothing is awaited.
    After a fresh boot on this connection, the StatusNotification of connector
    0 and of every connector is awaited.

    Returns:
        the BootNotification of this test, if the charge point booted in it.
    """
    with step("Booted: the charge point is registered (BootNotification accepted)"):
        await csms.registered()
    boot = next(
        (
            call
            for call in reversed(csms.inbound)
            if call.action == "BootNotification" and call.connection is csms.connection
        ),
        None,
    )
    if boot is None:
        return None
    with step("Booted: StatusNotification for connector 0 and every connector"):
        numbers = [0, *(number for _evse, number in dut.connectors)]
        patterns = [
            Pattern("StatusNotification", {"connectorId": n}, label=f"connector {n} status")
            for n in numbers
        ]
        await csms.expect_all(*patterns, after=boot)
    return boot


async def authorized(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    *,
    connector: int,
    preparing: bool = False,
    id_tag: str | None = None,
) -> IncomingCall:
    """Authorized: the valid idTag is presented and accepted (local card).

    Args:
        connector: where the driver presents the card.
        preparing: the connector is already Preparing (no new status expected).
        id_tag: the idTag presented (default: <Configured Valid IdTag>).

    Returns:
        the Authorize request.
    """
    valid = id_tag or token(dut, "valid")
    mark = csms.mark()
    with step("Authorized: the EV driver presents the valid idTag"):
        await rig.present_card(valid, connector)
    with step("Authorized: Authorize.req with the valid idTag, answered Accepted"):
        request = await expect_judged(
            csms, Pattern("Authorize"), "the valid idTag", {"idTag": valid}, after=mark
        )
    if not preparing:
        with step("Authorized: StatusNotification Preparing"):
            # Without a cable, which connector prepares for the idTag is the charge
            # point's choice: the next status of any connector (not 0) is the step's.
            await expect_judged(
                csms,
                Pattern("StatusNotification", where=_a_connector, label="StatusNotification"),
                "status Preparing",
                {"status": "Preparing"},
                after=mark,
            )
    return request


def _a_connector(payload: dict[str, Any]) -> bool:
    """A StatusNotification of a connector, not of the charge point as a whole (0)."""
    return payload.get("connectorId") != 0


async def read_key(csms: Session, key: str) -> str | None:
    """The value of one configuration key (None when the device does not report it)."""
    reply = await csms.call("GetConfiguration", {"key": [key]})
    entry = configuration(reply).get(key)
    return None if entry is None else str(entry.get("value", ""))


async def remote_authorize(csms: Session) -> bool:
    """GetConfiguration AuthorizeRemoteTxRequests: whether a remote start is authorized first.

    Raises:
        CallFailed: the answer does not report the (Core) key.
    """
    reply = await csms.call("GetConfiguration", {"key": ["AuthorizeRemoteTxRequests"]})
    entry = configuration(reply).get("AuthorizeRemoteTxRequests")
    if entry is None:
        raise answer_fails(reply, "does not report the Core key AuthorizeRemoteTxRequests")
    return str(entry.get("value", "")).lower() == "true"


async def charging(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    *,
    profile: dict[str, Any] | None = None,
    id_tag: str | None = None,
    reserved: bool = False,
    start_fields: Mapping[str, Any] | None = None,
    start_info: Mapping[str, Any] | None = None,
) -> Charging:
    """Charging: cable plugged in first, then a remote start with the valid idTag.

    Args:
        profile: a chargingProfile the RemoteStartTransaction carries (Smart
            Charging's "Charging with a ChargingProfile").
        id_tag: the idTag of the remote start (default: <Configured Valid IdTag>).
        reserved: the connector is Reserved (for that idTag): the cable leaves it
            Reserved, and it reports Preparing once the remote start uses the
            reservation (the state's "[If status was Reserved]" steps).
        start_fields: further tool validations of the StartTransaction request.
        start_info: the idTagInfo the StartTransaction.conf gives (default: the
            token book's for the idTag; a memory state such as IdTagCached gives
            Accepted for any idTag).

    Returns:
        the running transaction.
    """
    number, valid = connector_id(dut), id_tag or token(dut, "valid")
    with step("Charging 1-2: GetConfiguration AuthorizeRemoteTxRequests"):
        authorize_first = await remote_authorize(csms)
    mark = csms.mark()
    if reserved:
        with step("Charging: the cable is plugged in (the connector is Reserved)"):
            await plug_in(rig, number)
    else:
        with step("Charging 3-4: the cable is plugged in; StatusNotification Preparing"):
            await plug_in(rig, number)
            await expect_status(csms, number, "Preparing", after=mark)
    with csms.hold("StartTransaction"):
        with step("Charging 5-6: RemoteStartTransaction is Accepted"):
            remote: dict[str, Any] = {"connectorId": number, "idTag": valid}
            if profile is not None:
                remote["chargingProfile"] = profile
            await csms.call("RemoteStartTransaction", remote, status="Accepted")
        if reserved:
            with step("Charging 7-8: StatusNotification Preparing (the status was Reserved)"):
                await expect_status(csms, number, "Preparing", after=mark)
        if authorize_first:
            with step("Charging 9-10: Authorize.req with the valid idTag"):
                await expect_judged(
                    csms, Pattern("Authorize"), "the valid idTag", {"idTag": valid}, after=mark
                )
        with step("Charging 11-12: StartTransaction.req, answered Accepted"):
            start = await expect_start(csms, number, valid, after=mark, fields=start_fields)
            transaction_id = next(_transaction_ids)
            # The idTag's group goes with it: a charge point may let another idTag
            # of the same parentIdTag end the transaction (TC_069_CS).
            await start.reply(
                {
                    "transactionId": transaction_id,
                    "idTagInfo": dict(start_info or TokenBook.of(dut.tokens).info_v16(valid)),
                }
            )
    with step("Charging 13-14: StatusNotification Charging"):
        await expect_status(csms, number, "Charging", after=mark, passing=ON_THE_WAY_TO_CHARGING)
    return Charging(number, transaction_id, valid, start)


async def stopped(csms: Session, rig: Rig, running: Charging) -> IncomingCall:
    """Stopped: the driver presents the starting idTag again; the transaction ends (Finishing).

    Returns:
        the StopTransaction request.
    """
    mark = csms.mark()
    with step("Stopped: the EV driver presents the idTag again"):
        await rig.present_card(running.id_tag, running.connector_id)
    with step("Stopped: StopTransaction for the transaction, reason Local"):
        # An absent reason is Local (the schema's default).
        stop = await expect_stop(csms, running, or_absent("Local"), after=mark)
    with step("Stopped: StatusNotification Finishing"):
        await expect_status(csms, running.connector_id, "Finishing", after=mark)
    return stop


async def available(csms: Session, rig: Rig, connector: int) -> IncomingCall:
    """Available: the cable is unplugged and the connector reports Available."""
    mark = csms.mark()
    with step("Available: the cable is unplugged on both sides"):
        await rig.plug_out(connector, connector)
    with step("Available: StatusNotification Available"):
        return await expect_status(csms, connector, "Available", after=mark)


async def unavailable(csms: Session, connector: int) -> IncomingCall:
    """SetConnectorUnavailable (or the whole charge point for connector 0).

    Returns:
        the StatusNotification Unavailable of ``connector``.
    """
    mark = csms.mark()
    with step(f"Unavailable: ChangeAvailability Inoperative for connector {connector}"):
        await csms.call(
            "ChangeAvailability",
            {"connectorId": connector, "type": "Inoperative"},
            status="Accepted",
        )
    with step("Unavailable: StatusNotification Unavailable"):
        return await expect_status(csms, connector, "Unavailable", after=mark)
