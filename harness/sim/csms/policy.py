"""How the reference CSMS answers a station's CALLs: shared rules and fault plumbing.

:class:`CsmsPolicy` decides the answer to each CALL on one station
connection. The version modules (:mod:`~harness.sim.csms.v16`,
:mod:`~harness.sim.csms.v201`) add one handler per action the reference
supports; each answer is the reference behaviour for that action, never a
"smallest valid answer" derived from the schema, so a wrong assumption in
the judge's default replies cannot hide in the reference too. An action the
version defines but the reference does not support is answered with the
CALLERROR OCPP-J prescribes for it, ``NotSupported`` ("recognized but not
supported"); an action the version does not define never gets here: the
engine answers it ``NotImplemented``. Wire fault knobs are applied by the
mutation layer after the correct answer is computed, so each mutant differs
from the reference in one visible way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.errors import ConfigurationError
from harness.ocppj.clock import utc_now
from harness.ocppj.connection import IncomingCall
from harness.ocppj.replies import ErrorReply, ReplySpec
from harness.profile import DutProfile
from harness.sim.csms.state import CsmsState, StationState
from harness.sim.csms.v16_requests import OPTIONS as REQUEST_OPTIONS
from harness.sim.csms.variants import OPTIONS as VARIANT_OPTIONS
from harness.sim.csms.variants import CsmsVariants
from harness.sim.faults import Faults

__all__ = ["BOOT_STATUSES", "Answer", "CsmsOptions", "CsmsPolicy", "Handler"]

BOOT_STATUSES = ("Accepted", "Pending", "Rejected")

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Answer:
    """The reference's answer to one CALL.

    Attributes:
        reply: a payload, an ``ErrorReply`` or ``NO_REPLY``.
        validate: check a payload against the response schema.
    """

    reply: ReplySpec
    validate: bool = True


@dataclass(frozen=True)
class CsmsOptions:
    """Settings from ``[embedded].options`` of a CSMS profile.

    Attributes:
        boot_status: how boots are answered; ``Pending`` answers each
            station's first boot Pending and later ones Accepted.
        pending_interval: the retry interval (seconds) given with Pending
            and Rejected answers.
        variants: the allowed alternatives it takes
            (:mod:`harness.sim.csms.variants`).
    """

    boot_status: str = "Accepted"
    pending_interval: int = 1
    variants: CsmsVariants = field(default_factory=CsmsVariants)

    @classmethod
    def from_profile(cls, options: Mapping[str, object]) -> CsmsOptions:
        """Read and check the options.

        Raises:
            ConfigurationError: an unknown option or a bad value, naming the field.
        """
        known = {"boot_status", "pending_interval", *VARIANT_OPTIONS, *REQUEST_OPTIONS}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigurationError(
                f"unknown CSMS simulator option(s) {unknown}; known: {', '.join(sorted(known))}",
                field=f"embedded.options.{unknown[0]}",
            )
        status = options.get("boot_status", "Accepted")
        if status not in BOOT_STATUSES:
            raise ConfigurationError(
                f"boot_status must be one of {', '.join(BOOT_STATUSES)}, not {status!r}",
                field="embedded.options.boot_status",
            )
        interval = options.get("pending_interval", 1)
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 0:
            raise ConfigurationError(
                f"pending_interval must be a whole number of seconds >= 0, not {interval!r}",
                field="embedded.options.pending_interval",
            )
        return cls(str(status), interval, CsmsVariants.from_options(options))


class CsmsPolicy:
    """Answers the CALLs of one station connection (see the module docstring).

    Args:
        dut: the CSMS profile (timing, tokens).
        state: the CSMS-wide state.
        station: the state of the station on this connection.
        faults: the switched-on behaviour knobs.
        options: the simulator options.
    """

    def __init__(
        self,
        dut: DutProfile,
        state: CsmsState,
        station: StationState,
        faults: Faults,
        options: CsmsOptions,
    ) -> None:
        self.dut = dut
        self.state = state
        self.station = station
        self.faults = faults
        self.options = options
        self.handlers: dict[str, Handler] = {
            "BootNotification": self.boot,
            "Heartbeat": self.heartbeat,
            "DataTransfer": self.data_transfer,
        }

    def __call__(self, incoming: IncomingCall) -> Answer:
        action = incoming.action
        handler = self.handlers.get(action)
        if handler is None:
            return Answer(
                ErrorReply(
                    "NotSupported",
                    f"the reference CSMS (OCPP {self.dut.version.value}) does not support {action}",
                )
            )
        return Answer(handler(incoming.payload))

    # -- answers shared by both versions ---------------------------------------

    def boot_status(self) -> str:
        """The status for this station's boot that is arriving now."""
        station = self.station
        station.boots += 1
        if station.next_boot_status is not None:
            status, station.next_boot_status = station.next_boot_status, None
        elif self.options.boot_status == "Pending":
            status = "Pending" if station.boots == 1 else "Accepted"
        elif station.boots > 1 and self.faults.on("reject_reboot"):
            status = "Rejected"
        else:
            status = self.options.boot_status
        station.registration = status
        return status

    def boot(self, _payload: dict[str, Any]) -> dict[str, Any]:
        status = self.boot_status()
        if status == "Accepted":
            interval = self.dut.timing.heartbeat_interval
        else:
            interval = self.options.pending_interval
        return {"status": status, "currentTime": utc_now(), "interval": interval}

    def heartbeat(self, _payload: dict[str, Any]) -> dict[str, Any]:
        now = utc_now()
        self.station.last_heartbeat = now
        return {"currentTime": now}

    def data_transfer(self, _payload: dict[str, Any]) -> dict[str, Any]:
        # The reference knows no vendor extension: the answer both versions give
        # a vendorId the CSMS has no implementation for (UnknownVendorId unless a
        # variant picks another allowed status).
        return {"status": self.options.variants.data_transfer_status}

    def acknowledge(self, _payload: dict[str, Any]) -> dict[str, Any]:
        """A notification whose answer carries nothing: the reference takes note, no action."""
        return {}
