"""OCPP 2.0.1 reusable states for ``_CS`` cases: the harness plays the CSMS.

A :class:`StationFlow` walks the station under test through the catalogue's
reusable states (Booted, EVConnectedPreSession, Authorized local or remote,
EnergyTransferStarted, EnergyTransferSuspended, StopAuthorized,
EVConnectedPostSession, EVDisconnected, Unavailable), checking each state's
tool validations on the way, and keeps what later steps need: the transaction
id, the EVSE and connector, the ``remoteStartId``, whether the transaction
already ended, how it was stopped. Every part opens its
own ``step``, named after the state and its step numbers, so a failure says
which part of which state broke.

Which messages a state expects depends on ``TxCtrlr.TxStartPoint`` and
``TxStopPoint``; the flow reads both from the station (GetVariables) the first
time it needs them. A TransactionEvent is judged after it arrives, so a wrong
value fails at once with the field, the expected and the received value.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.checks import conform, conform_reply
from harness.errors import (
    ConfigurationError,
    ExpectationFailed,
    NotApplicable,
    UnexpectedMessage,
)
from harness.expect import Pattern, one_of, or_absent
from harness.flows.common import confirm_setting, expect_judged
from harness.flows.v201.checks import (
    availability_event,
    connector_report,
    id_token,
    suspended_by_ev,
)
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.rig import Capability, EvState, Rig
from harness.session import Session
from harness.steps import step
from harness.timeouts import DEFAULT, Timeout

__all__ = [
    "Setting201",
    "StationFlow",
    "availability_event",
    "conform",
    "conform_reply",
    "connector_report",
    "id_token",
    "other_than",
]

_remote_start_ids = itertools.count(1)
#: Stop points whose end ends the transaction as soon as the authorization ends.
_ENDS_AT_DEAUTHORIZATION = frozenset({"Authorized", "PowerPathClosed", "EnergyTransfer"})


def _not_periodic(payload: dict[str, Any]) -> bool:
    return payload.get("triggerReason") not in ("MeterValuePeriodic", "MeterValueClock")


class other_than:
    """Matches any value but ``state`` (e.g. a chargingState passed over on the way to it)."""

    def __init__(self, state: str) -> None:
        self.state = state

    def __call__(self, value: Any) -> bool:
        return bool(value != self.state)

    def __repr__(self) -> str:
        return f"other than {self.state!r}"


@dataclass(frozen=True)
class Setting201:
    """One 2.0.1 variable (Actual), read with GetVariables and written with SetVariables."""

    flow: StationFlow
    component: str
    variable: str

    @property
    def name(self) -> str:
        return f"{self.component}.{self.variable}"

    async def read(self) -> str | None:
        return await self.flow.get_variable(self.component, self.variable)

    async def write(self, value: str) -> bool:
        reply = await self.flow.set_variable(self.component, self.variable, value)
        result = (reply.payload.get("setVariableResult") or [{}])[0]
        return bool(result.get("attributeStatus") == "Accepted")

    def source(self) -> str:
        return "OCPP 2.0.1 SetVariableStatusEnumType Accepted: the variable was set"


@dataclass
class StationFlow:
    """The station under test, and where the test case stands with it.

    Attributes:
        csms: the harness-as-CSMS session.
        dut: the DUT profile.
        rig: the test rig for the manual actions.
        evse: <Configured evseId>: the first EVSE of the profile unless told.
        connector: <Configured connectorId> on that EVSE.
        transaction_id: the transaction's id, once the station reported one.
        ended: whether the transaction's Ended event was received.
        remote_start_id: the remoteStartId of the last RequestStartTransaction.
        stop_reason: the stoppedReason StopAuthorized implies (``Local`` or ``Remote``).
    """

    csms: Session
    dut: DutProfile
    rig: Rig
    evse: int = 0
    connector: int = 0
    transaction_id: str | None = None
    ended: bool = False
    remote_start_id: int | None = None
    stop_reason: str | None = None
    ev_connected: bool = False
    authorized: bool = False
    _points: dict[str, frozenset[str]] = field(default_factory=dict)
    _token: dict[str, str] | None = None
    _first_after_auth: bool = False
    _last_tx: int = 0

    def __post_init__(self) -> None:
        if not self.evse:
            self.evse, self.connector = self.dut.connectors[0]
        self._last_tx = self.csms.mark()

    # -- reading and writing the device model -----------------------------------------

    async def get_variable(self, component: str, variable: str) -> str | None:
        """The Actual value of a variable, or None when the station does not accept the read."""
        reply = await self.csms.call(
            "GetVariables",
            {
                "getVariableData": [
                    {"component": {"name": component}, "variable": {"name": variable}}
                ]
            },
        )
        result = (reply.payload.get("getVariableResult") or [{}])[0]
        if result.get("attributeStatus") != "Accepted":
            return None
        return str(result.get("attributeValue", ""))

    async def set_variable(self, component: str, variable: str, value: str) -> Reply:
        """SetVariables for one Actual value; the caller judges the answer."""
        data = {"component": {"name": component}, "variable": {"name": variable}}
        return await self.csms.call(
            "SetVariables",
            {"setVariableData": [{**data, "attributeValue": value, "attributeType": "Actual"}]},
        )

    def setting(self, component: str, variable: str) -> Setting201:
        """One variable of the device model as a :class:`~harness.flows.common.Setting`."""
        return Setting201(self, component, variable)

    async def prefer(self, settings: Mapping[tuple[str, str], str]) -> None:
        """Configuration states qualified "if implemented (and ReadWrite)": set what can be set.

        A station without the variable, or with it ReadOnly, keeps its own value;
        an accepted value is read back and must hold.
        """
        for (component, variable), value in settings.items():
            setting = self.setting(component, variable)
            if await setting.write(value):
                await confirm_setting(setting, value)

    @contextlib.asynccontextmanager
    async def configured(
        self, component: str, variable: str, value: str, *, holds: Callable[[str], bool]
    ) -> AsyncIterator[None]:
        """A configuration state: ``value`` is set for the block, then restored.

        A variable the station will not write (ReadOnly) is fine when its value
        already ``holds``; otherwise the case does not apply and is skipped.
        """
        before = await self.get_variable(component, variable)
        reply = await self.set_variable(component, variable, value)
        status = (reply.payload.get("setVariableResult") or [{}])[0].get("attributeStatus")
        if status != "Accepted" and not (before is not None and holds(before)):
            raise NotApplicable(f"{component}.{variable} cannot be set to {value!r}")
        if status == "Accepted":
            await confirm_setting(self.setting(component, variable), value)
        self._points.clear()
        try:
            yield
        finally:
            if status == "Accepted" and before is not None and before != value:
                with contextlib.suppress(Exception):
                    await self.set_variable(component, variable, before)

    async def points(self, name: str) -> frozenset[str]:
        """The members of ``TxCtrlr.TxStartPoint`` or ``TxCtrlr.TxStopPoint``."""
        if name not in self._points:
            text = await self.get_variable("TxCtrlr", name)
            if text is None:
                raise UnexpectedMessage(f"the station does not report TxCtrlr.{name}")
            self._points[name] = frozenset(p.strip() for p in text.split(",") if p.strip())
        return self._points[name]

    # -- expectations ---------------------------------------------------------------------

    async def expect_boot(self, after: int, *, timeout: float | None = None) -> IncomingCall:
        """The first BootNotification on the current connection after ``after``."""
        while True:
            boot = await self.csms.expect(
                "BootNotification", after=after, timeout=timeout or self.dut.timing.boot_timeout
            )
            if boot.connection is self.csms.connection:
                return boot
            after = boot.entry.seq + 1  # from the connection before the reboot

    async def expect_availability(
        self,
        status: str,
        after: IncomingCall | int,
        *,
        evse: int = 0,
        connector: int = 0,
        components: tuple[str, ...] = ("Connector",),
    ) -> IncomingCall:
        """One connector reports ``status``: by StatusNotification, NotifyEvent, or both.

        OCPP 2.0.1 lets a station report a connector's state with a
        StatusNotificationRequest or with a NotifyEventRequest on the
        ``AvailabilityState`` variable, and the catalogue lists both forms under
        one step: the first report in either form satisfies it (a second form,
        if sent, is left unjudged). The step fails only when neither arrives.
        """
        evse, connector = evse or self.evse, connector or self.connector
        return await self.csms.expect(
            connector_report(status, evse, connector, components), after=after
        )

    async def expect_tx(
        self,
        what: str,
        match: Mapping[str, Any],
        *,
        state: str | None = None,
        timeout: Timeout = DEFAULT,
        passing: Mapping[str, Any] | None = None,
    ) -> IncomingCall:
        """The next TransactionEvent of this EVSE, judged by ``match``.

        Meter-value events are not counted. With ``state``, events before the
        first one reporting that ``chargingState`` are passed over (a station
        may report intermediate states on the way). ``timeout`` bounds the wait
        (a device timer the event follows, e.g. EVConnectionTimeOut).
        ``passing`` names other events the catalogue lets come first (see
        :func:`~harness.flows.common.expect_judged`).
        """
        evse = self.evse

        def of_this_evse(payload: dict[str, Any]) -> bool:
            return _not_periodic(payload) and payload.get("evse", {}).get("id", evse) == evse

        scope = Pattern(
            "TransactionEvent", where=of_this_evse, label=f"TransactionEvent of EVSE {evse}"
        )
        expected: dict[str, Any] = dict(match)
        if state is not None:
            # Intermediate states on the way to ``state`` (or none reported) are passed over.
            passing = {"transactionInfo": {"chargingState": or_absent(other_than(state))}}
            expected["transactionInfo"] = {
                **expected.get("transactionInfo", {}),
                "chargingState": state,
            }
        if self.transaction_id is not None:
            expected.setdefault("transactionInfo", {})
            expected["transactionInfo"] = {
                **expected["transactionInfo"],
                "transactionId": self.transaction_id,
            }
        if self._first_after_auth and self._token is not None:
            expected["idToken"] = {"idToken": self._token["idToken"], "type": self._token["type"]}
            if self.remote_start_id is not None:
                expected["transactionInfo"] = {
                    **expected.get("transactionInfo", {}),
                    "remoteStartId": self.remote_start_id,
                }
        found = await expect_judged(
            self.csms, scope, what, expected, after=self._last_tx, passing=passing, timeout=timeout
        )
        self._last_tx = found.entry.seq + 1
        self._first_after_auth = False
        info = found.payload["transactionInfo"]
        self.transaction_id = str(info["transactionId"])
        self.ended = found.payload["eventType"] == "Ended"
        return found

    def skip_to(self, mark: int) -> None:
        """TransactionEvents before trace position ``mark`` belong to no later step.

        E.g. those a station sent before the harness cut its connection, when
        the next step is about the events it queued offline.
        """
        self._last_tx = max(self._last_tx, mark)

    def presenting(self, token: str = "valid") -> dict[str, str]:
        """The driver presents ``token`` where no Authorized state judges it (offline).

        The flow remembers it for StopAuthorized; which event carries it is the
        case's to judge.
        """
        self._token = id_token(self.dut, token)
        self.authorized, self._first_after_auth, self.remote_start_id = True, False, None
        return self._token

    def _event_type(self) -> str:
        return "Updated" if self.transaction_id is not None else "Started"

    # -- reusable states --------------------------------------------------------------------

    async def rebooted_by(
        self, action_title: str, action: Callable[[], Awaitable[object]], wait_title: str
    ) -> IncomingCall:
        """Do ``action`` (which reboots the station) and return the BootNotification after it.

        The action and the wait for the reconnection and the boot are separate
        steps, so a station that never comes back fails the wait's step.
        """
        mark = self.csms.mark()
        timeout = self.dut.timing.boot_timeout
        async with contextlib.AsyncExitStack() as stack:
            with step(action_title):
                await stack.enter_async_context(self.csms.reconnection(timeout=timeout))
                await action()
            with step(wait_title):
                await stack.aclose()
                return await self.expect_boot(mark)

    async def booted(
        self, *, reset: str | None = None, states: Mapping[tuple[int, int], str] | None = None
    ) -> IncomingCall:
        """Booted: a power cycle (or a Reset of ``reset`` type), boot accepted, all reported.

        ``states`` overrides the state each connector reports after the boot
        (Available unless told: an availability setting persists a reboot).
        """
        wait = "Booted 3-4. BootNotificationRequest, answered Accepted"
        if reset is None:
            self.rig.require(Capability.POWER)
            action = "Booted: power cycle the charging station"
            boot = await self.rebooted_by(action, self.rig.power_cycle, wait)
        else:

            async def reset_station() -> None:
                await self.csms.call("Reset", {"type": reset}, status="Accepted")

            action = f"Booted 1-2. ResetRequest ({reset}) is answered Accepted"
            boot = await self.rebooted_by(action, reset_station, wait)
        with step(wait):
            reason = "PowerUp" if reset is None else "RemoteReset"
            conform(boot, f"the boot reason after a {reset or 'power cycle'}", {"reason": reason})
        return await self.reported_after_boot(boot, states)

    async def reported_after_boot(
        self, boot: IncomingCall, states: Mapping[tuple[int, int], str] | None = None
    ) -> IncomingCall:
        """Booted 5-8 after an accepted ``boot``: connectors report their state, start-up event."""
        which = "Available" if states is None else "its state"
        with step(f"Booted 5-6. Every connector reports {which}"):
            for evse, connector in self.dut.connectors:
                status = (states or {}).get((evse, connector), "Available")
                await self.expect_availability(status, boot, evse=evse, connector=connector)
        await self.startup_event("Booted 7-8.", boot)
        self.transaction_id, self.remote_start_id = None, None
        self.ended = self.authorized = self.ev_connected = False
        return boot

    async def startup_event(self, numbers: str, boot: IncomingCall) -> IncomingCall:
        """The SecurityEventNotificationRequest a station sends after it started up."""
        with step(f"{numbers} SecurityEventNotificationRequest after the start-up"):
            event = await self.csms.expect("SecurityEventNotification", after=boot)
            kinds = one_of("StartupOfTheDevice", "ResetOrReboot")
            conform(event, "type StartupOfTheDevice or ResetOrReboot", {"type": kinds})
        return event

    async def ev_connected_pre_session(self) -> IncomingCall | None:
        """EVConnectedPreSession: the cable goes in; Occupied; a transaction event if due."""
        self.rig.require(Capability.PLUG)
        mark = self.csms.mark()
        with step("EVConnectedPreSession: connect the EV and the EVSE"):
            await self.rig.plug_in(self.evse, self.connector)
        with step("EVConnectedPreSession 1-2. The connector reports Occupied"):
            await self.expect_availability("Occupied", mark)
        self.ev_connected = True
        if "EVConnected" not in await self.points("TxStartPoint") and self.transaction_id is None:
            return None
        with step("EVConnectedPreSession 3-4. TransactionEventRequest for the connected EV"):
            states = ("EVConnected", "SuspendedEVSE", "SuspendedEV", "Charging")
            return await self.expect_tx(
                "the EV connected: CablePluggedIn, chargingState EVConnected",
                {
                    "eventType": self._event_type(),
                    "triggerReason": one_of(
                        "CablePluggedIn", "ChargingStateChanged", "RemoteStart"
                    ),
                    "transactionInfo": {
                        "chargingState": one_of(*states) if self.authorized else "EVConnected"
                    },
                    "evse": {"id": self.evse, "connectorId": self.connector},
                },
            )

    async def authorized_local(
        self, token: str = "valid", *, cached: bool = False
    ) -> IncomingCall | None:
        """Authorized (A, local): a card at the reader, Authorize, a transaction event if due.

        With ``cached`` the idToken is in the authorization cache: the catalogue
        lets the station skip the AuthorizeRequest (one that comes is answered
        by the session's policy, unjudged).
        """
        self._token = id_token(self.dut, token)
        self.rig.require(Capability.CARD)
        mark = self.csms.mark()
        with step("Authorized: present the idToken"):
            await self.rig.present_card(self._token["idToken"])
        if cached:
            self.authorized, self._first_after_auth, self.remote_start_id = True, True, None
            return await self._authorized_event("Authorized 3-4.", "Authorized")
        with step("Authorized 1-2. AuthorizeRequest for the idToken, answered Accepted"):
            request = await self.csms.expect("Authorize", after=mark)
            conform(request, "the presented idToken", {"idToken": self._token})
        self.authorized, self._first_after_auth, self.remote_start_id = True, True, None
        return await self._authorized_event("Authorized 3-4.", "Authorized")

    async def authorized_remote(self, token: str = "valid") -> IncomingCall | None:
        """Authorized (B, remote): RequestStartTransaction, Authorize if configured, an event."""
        self._token = id_token(self.dut, token)
        check_first = await self.get_variable("AuthCtrlr", "AuthorizeRemoteStart") == "true"
        self.remote_start_id = next(_remote_start_ids)
        mark = self.csms.mark()
        with step("Authorized 1-2. RequestStartTransactionRequest is answered Accepted"):
            payload = {"idToken": self._token, "evseId": self.evse}
            reply = await self.csms.call(
                "RequestStartTransaction",
                {**payload, "remoteStartId": self.remote_start_id},
                status="Accepted",
            )
            if self.transaction_id is not None:
                started = {"transactionId": self.transaction_id}
                conform_reply(reply, "the id of the transaction already started", started)
        # The catalogue waives the Authorize when the idToken is cached: a station
        # with its cache enabled may have it from an earlier Authorize.
        cached = check_first and await self.get_variable("AuthCacheCtrlr", "Enabled") == "true"
        authorize = "Authorized 3-4. AuthorizeRequest for the idToken, answered Accepted"
        if check_first and not cached:
            with step(authorize):
                request = await self.csms.expect("Authorize", after=mark)
                conform(request, "the remote start's idToken", {"idToken": self._token})
        self.authorized, self._first_after_auth = True, True
        event = await self._authorized_event("Authorized 5-6.", "RemoteStart")
        if cached:
            optional = step(f"{authorize} (optional: the idToken may be cached)")
            with optional, contextlib.suppress(ExpectationFailed):
                request = await self.csms.expect("Authorize", after=mark, timeout=0)
                conform(request, "the remote start's idToken", {"idToken": self._token})
        return event

    async def _authorized_event(self, numbers: str, trigger: str) -> IncomingCall | None:
        if "Authorized" not in await self.points("TxStartPoint") and self.transaction_id is None:
            return None  # the transaction starts later (EV connected, power path closed)
        with step(f"{numbers} TransactionEventRequest with the idToken, triggerReason {trigger}"):
            return await self.expect_tx(
                f"authorization reported with triggerReason {trigger}",
                {"eventType": self._event_type(), "triggerReason": trigger},
            )

    async def energy_transfer_started(self) -> IncomingCall:
        """EnergyTransferStarted: the EV draws energy; the transaction says Charging."""
        if not self.ev_connected:
            await self.ev_connected_pre_session()
        self.rig.require(Capability.EV_STATE)
        with step("EnergyTransferStarted: the EV starts charging"):
            await self.rig.ev_state(EvState.C, self.evse, self.connector)
        event: IncomingCall | None = None
        if self.transaction_id is None and "PowerPathClosed" in await self.points("TxStartPoint"):
            with step(
                "EnergyTransferStarted 7-8. TransactionEventRequest as the power path closes"
            ):
                # OCTT names SuspendedEVSE; whether the EVSE or the EV still holds the energy
                # back at that instant depends on the EV, and an EV already drawing is Charging.
                states = one_of("SuspendedEVSE", "SuspendedEV", "Charging")
                event = await self.expect_tx(
                    "the power path closed: Started, ChargingStateChanged",
                    {
                        "eventType": "Started",
                        "triggerReason": "ChargingStateChanged",
                        "transactionInfo": {"chargingState": states},
                    },
                )
        if event is not None and event.payload["transactionInfo"]["chargingState"] == "Charging":
            return event
        with step("EnergyTransferStarted 9-10. TransactionEventRequest chargingState Charging"):
            return await self.expect_tx(
                "energy flows: ChargingStateChanged to Charging",
                {"eventType": self._event_type(), "triggerReason": "ChargingStateChanged"},
                state="Charging",
            )

    async def stop_authorized_remote(self) -> IncomingCall:
        """StopAuthorized (B, remote): RequestStopTransaction; the transaction stops."""
        if self.transaction_id is None:
            raise ConfigurationError("StopAuthorized needs a started transaction", field="flow")
        await self._runs_for_transaction_duration()
        with step("StopAuthorized 1-2. RequestStopTransactionRequest is answered Accepted"):
            stop = {"transactionId": self.transaction_id}
            await self.csms.call("RequestStopTransaction", stop, status="Accepted")
        return await self._stopped("StopAuthorized 3-4.", "RemoteStop", "Remote")

    async def stop_authorized_local(self) -> IncomingCall:
        """StopAuthorized (A, local): the same idToken again; the transaction stops."""
        if self._token is None or self.transaction_id is None:
            raise ConfigurationError("StopAuthorized needs an authorized transaction", field="flow")
        await self._runs_for_transaction_duration()
        with step("StopAuthorized: present the same idToken"):
            await self.rig.present_card(self._token["idToken"])
        return await self._stopped("StopAuthorized 1-4.", "StopAuthorized", "Local")

    async def _runs_for_transaction_duration(self, state: str = "StopAuthorized") -> None:
        """The catalogue lets a transaction run <Configured Transaction Duration> first.

        The harness does not sleep through it: it watches that the transaction
        is not ended meanwhile.
        """

        def ends(payload: dict[str, Any]) -> bool:
            return payload.get("eventType") == "Ended"

        with step(f"{state}: the transaction runs for the configured transaction duration"):
            await self.csms.expect_none(
                "TransactionEvent", where=ends, during=self.dut.timing.transaction_duration
            )

    async def _stopped(self, numbers: str, trigger: str, reason: str) -> IncomingCall:
        ends = bool(await self.points("TxStopPoint") & _ENDS_AT_DEAUTHORIZATION)
        match: dict[str, Any] = {
            "triggerReason": trigger,
            "eventType": "Ended" if ends else "Updated",
        }
        if ends:
            match["transactionInfo"] = {"stoppedReason": reason}
        with step(f"{numbers} TransactionEventRequest with triggerReason {trigger}"):
            event = await self.expect_tx(f"stopped with triggerReason {trigger}", match)
        self.authorized, self.stop_reason = False, reason
        return event

    async def energy_transfer_suspended(self) -> IncomingCall | None:
        """EnergyTransferSuspended: the EV stops drawing; Updated SuspendedEV, or Ended."""
        self.rig.require(Capability.EV_STATE)
        await self._runs_for_transaction_duration("EnergyTransferSuspended")
        with step("EnergyTransferSuspended: the EV suspends the energy transfer"):
            await self.rig.ev_state(EvState.B, self.evse, self.connector)
        if self.ended:
            return None
        with step("EnergyTransferSuspended 1-2. TransactionEventRequest for the suspension"):
            event = await self.expect_tx(
                "the EV suspended: Updated or Ended", {"eventType": one_of("Updated", "Ended")}
            )
            suspended_by_ev(event, "the EV suspended the energy transfer", strict=False)
        return event

    async def ev_connected_post_session(self) -> IncomingCall | None:
        """EVConnectedPostSession: no energy, no authorization; reported unless ended."""
        if self.ended:
            return None
        with step("EVConnectedPostSession 1-2. TransactionEventRequest chargingState EVConnected"):
            return await self.expect_tx(
                "energy transfer stopped: ChargingStateChanged to EVConnected",
                {
                    "triggerReason": "ChargingStateChanged",
                    "transactionInfo": {"chargingState": "EVConnected"},
                },
            )

    async def ev_disconnected(self) -> IncomingCall | None:
        """EVDisconnected: the cable comes out; Available; the transaction event if still open."""
        mark = self.csms.mark()
        with step("EVDisconnected: disconnect the EV and the EVSE"):
            await self.rig.plug_out(self.evse, self.connector)
        with step("EVDisconnected 1-2. The connector reports Available"):
            await self.expect_availability("Available", mark)
        self.ev_connected = False
        if self.ended or self.transaction_id is None:
            return None
        with step("EVDisconnected 3-4. TransactionEventRequest EVCommunicationLost, Idle"):
            return await self.expect_tx(
                "the EV left: EVCommunicationLost, chargingState Idle",
                {
                    "triggerReason": "EVCommunicationLost",
                    "transactionInfo": {"chargingState": "Idle"},
                },
            )

    async def unavailable(self, evse: int, connector: int | None = None) -> list[IncomingCall]:
        """Unavailable: ChangeAvailability Inoperative; every connector of the target reports.

        ``evse`` 0 is the whole station (the request names no EVSE).
        """
        target: dict[str, int] = {"id": evse}
        if connector is not None:
            target["connectorId"] = connector
        mark = self.csms.mark()
        with step("Unavailable 1-2. ChangeAvailabilityRequest Inoperative is answered Accepted"):
            request: dict[str, Any] = {"operationalStatus": "Inoperative"}
            if evse:
                request["evse"] = target
            await self.csms.call("ChangeAvailability", request, status="Accepted")
        found: list[IncomingCall] = []
        with step("Unavailable 3-4. The connectors of the target report Unavailable"):
            for evse_id, connector_id in self.dut.connectors:
                if evse not in (0, evse_id) or connector not in (None, connector_id):
                    continue
                found.append(
                    await self.expect_availability(
                        "Unavailable",
                        mark,
                        evse=evse_id,
                        connector=connector_id,
                        components=("ChargingStation", "EVSE", "Connector"),
                    )
                )
        return found
