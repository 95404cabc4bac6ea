"""OCPP 2.0.1 base reports (B07), station under test: ask for one, receive it, judge it.

A station may split a report over as many NotifyReport messages as its
``ItemsPerMessage`` / ``BytesPerMessage`` make it; the harness accepts any
split: ``seqNo`` counts from 0 by one, ``tbc`` is true on every message but the
last (absent means false, the schema's default). Each message is judged as it
arrives; what the catalogue checks after the report (the post condition) is
judged on the entries of all messages together.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.checks import conform_reply
from harness.errors import NonConformance
from harness.expect import ANY, Pattern, or_absent
from harness.flows.common import expect_judged
from harness.flows.v201.required_variables import REQUIRED, Required, infrastructure
from harness.ocppj.connection import IncomingCall, Reply
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = [
    "LIST_TYPES",
    "BaseReport",
    "accepted",
    "ask_base_report",
    "full_report",
    "new_request_id",
]

#: The data types whose variables must carry a valuesList.
LIST_TYPES = ("OptionList", "SequenceList", "MemberList")

_REQUEST_IDS = itertools.count(int(time.time()) % 1_000_000)


def new_request_id() -> int:
    """A requestId this run has not used (<Generated requestId>)."""
    return next(_REQUEST_IDS)


async def ask_base_report(
    csms: Session, base: str, request_id: int, *, while_pending: bool = False
) -> Reply:
    """GetBaseReport ``base``; the caller judges the answer."""
    payload = {"requestId": request_id, "reportBase": base}
    return await csms.call("GetBaseReport", payload, while_pending=while_pending)


async def full_report(
    csms: Session,
    dut: DutProfile,
    base: str,
    case: str,
    *,
    numbers: tuple[int, int] = (1, 3),
    while_pending: bool = False,
) -> BaseReport:
    """GetBaseReport ``base`` is Accepted, then every NotifyReport arrives in order.

    Args:
        numbers: the catalogue's numbers of the request and of the first NotifyReport
            (1 and 3: steps "1-2" and "3-4").
        while_pending: the case asks during a Pending registration.
    """
    request, notify = numbers
    request_id = new_request_id()
    with step(f"{request}-{request + 1}. GetBaseReportRequest {base} is answered Accepted"):
        mark = csms.mark()
        reply = await ask_base_report(csms, base, request_id, while_pending=while_pending)
        accepted(reply, f"status Accepted ({case} step {request + 1})")
    report = BaseReport(csms, request_id, f"{case} step {notify}")
    with step(f"{notify}-{notify + 1}. NotifyReportRequest from seqNo 0 by one until tbc is false"):
        # Each message within the message timeout of the one before (as the tool waits).
        await report.receive(mark, dut.timing.message_timeout)
    return report


def accepted(reply: Reply, what: str) -> None:
    """GetBaseReportResponse status Accepted, statusInfo absent or reasonCode NoError."""
    __tracebackhide__ = True
    expected = {"status": "Accepted", "statusInfo": or_absent({"reasonCode": "NoError"})}
    conform_reply(reply, what, expected)


def _key(entry: dict[str, Any]) -> tuple[str, int | None, int | None, str, str | None]:
    component = entry.get("component", {})
    evse = component.get("evse", {})
    variable = entry.get("variable", {})
    return (
        component.get("name", ""),
        evse.get("id"),
        evse.get("connectorId"),
        variable.get("name", ""),
        variable.get("instance"),
    )


def _shown(entry: dict[str, Any]) -> str:
    name, evse, connector, variable, instance = _key(entry)
    where = "" if evse is None else f"(EVSE {evse}" + ("" if connector is None else f"/{connector}")
    where += ")" if where else ""
    return f"{name}{where}.{variable}" + (f"[{instance}]" if instance else "")


@dataclass
class BaseReport:
    """The NotifyReport messages of one report, as they arrived.

    Attributes:
        csms: the session the station reports on.
        request_id: the report's requestId.
        case: the case and step the messages are judged for (``TC_B_12_CS step 3``).
        messages: the NotifyReport requests received so far.
    """

    csms: Session
    request_id: int
    case: str
    messages: list[IncomingCall] = field(default_factory=list)

    @property
    def entries(self) -> list[dict[str, Any]]:
        """Every reportData entry of every message, in order."""
        return [e for m in self.messages for e in m.payload.get("reportData", [])]

    async def receive(self, after: int, timeout: float) -> None:
        """Every NotifyReport of the report, each judged on arrival, until ``tbc`` is false."""
        __tracebackhide__ = True
        last: IncomingCall | int = after
        for seq_no in itertools.count():
            expected = {"requestId": self.request_id, "generatedAt": ANY, "seqNo": seq_no}
            what = f"requestId {self.request_id}, seqNo {seq_no} ({self.case})"
            message = await expect_judged(
                self.csms, Pattern("NotifyReport"), what, expected, after=last, timeout=timeout
            )
            self.messages.append(message)
            self.values_lists(message.payload.get("reportData", []))
            if not message.payload.get("tbc", False):
                return
            last = message

    def values_lists(self, entries: Iterable[dict[str, Any]]) -> None:
        """A variable of a list type carries a (non-empty) valuesList (the case's step 3)."""
        __tracebackhide__ = True
        for entry in entries:
            characteristics = entry.get("variableCharacteristics") or {}
            if characteristics.get("dataType") in LIST_TYPES and not characteristics.get(
                "valuesList"
            ):
                self._fail(
                    f"{_shown(entry)} is a {characteristics['dataType']} without a valuesList",
                    "a variable of dataType OptionList, SequenceList or MemberList must provide "
                    "variableCharacteristics.valuesList",
                )

    def characteristics(self) -> None:
        """Every reported variable carries variableCharacteristics (post condition)."""
        __tracebackhide__ = True
        for entry in self.entries:
            if "variableCharacteristics" not in entry:
                self._fail(
                    f"{_shown(entry)} is reported without variableCharacteristics",
                    "variableCharacteristics are present for all received variables",
                )

    def writable_only(self) -> None:
        """Every attribute reported is ReadWrite or WriteOnly (ConfigurationInventory post)."""
        __tracebackhide__ = True
        for entry in self.entries:
            for attribute in entry.get("variableAttribute", []):
                # An absent mutability means ReadWrite (the schema's default).
                mutability = attribute.get("mutability", "ReadWrite")
                if mutability not in ("ReadWrite", "WriteOnly"):
                    self._fail(
                        f"{_shown(entry)} is reported with mutability {mutability}",
                        "a ConfigurationInventory holds ReadWrite or WriteOnly variables only",
                    )

    def values_allowed(self) -> None:
        """List-typed values are in their valuesList; WriteOnly values are left out (TC_B_53)."""
        __tracebackhide__ = True
        for entry in self.entries:
            characteristics = entry.get("variableCharacteristics") or {}
            data_type = characteristics.get("dataType")
            allowed = [v.strip() for v in str(characteristics.get("valuesList", "")).split(",")]
            for attribute in entry.get("variableAttribute", []):
                value = attribute.get("value")
                if attribute.get("mutability") == "WriteOnly" and value is not None:
                    self._fail(
                        f"{_shown(entry)} is WriteOnly and reported with a value",
                        "the value of a WriteOnly variable is omitted",
                    )
                if value is None or data_type not in LIST_TYPES:
                    continue
                members = [str(value)] if data_type == "OptionList" else str(value).split(",")
                wrong = [m for m in members if m.strip() and m.strip() not in allowed]
                if wrong:
                    self._fail(
                        f"{_shown(entry)} has value {value!r}, outside its valuesList "
                        f"{characteristics.get('valuesList')!r}",
                        "the value of a list-typed variable is allowed by its valuesList",
                    )

    def holds(self, dut: DutProfile, *, writable: bool = False, hardware: bool = True) -> None:
        """The required variables are reported (``writable``: those that must be ReadWrite).

        Args:
            dut: the profile, for the EVSEs and connectors the station has.
            writable: only the required variables the specification makes ReadWrite.
            hardware: also the "Charging Infrastructure Related" variables.
        """
        __tracebackhide__ = True
        keys = {_key(entry) for entry in self.entries}
        names = {(k[0], k[3], k[4]) for k in keys}
        wanted: list[Required] = [r for r in REQUIRED if r.writable or not writable]
        missing = [str(r) for r in wanted if (r.component, r.variable, r.instance) not in names]
        if hardware:
            seen = {(k[0], k[1], k[2], k[3]) for k in keys}
            for component, evse, connector, variable in infrastructure(dut.connectors):
                if (component, evse, connector, variable) not in seen:
                    place = "" if evse is None else f"(EVSE {evse}"
                    place += "" if connector is None else f"/{connector}"
                    place += ")" if place else ""
                    missing.append(f"{component}{place}.{variable}")
        if missing:
            kind = "required writable" if writable else "required"
            self._fail(
                f"the report lacks {len(missing)} {kind} variable(s): {', '.join(missing)}",
                f"the {kind} variables of OCPP 2.0.1 (Referenced Components and Variables"
                + (", Charging Infrastructure Related" if hardware else "")
                + ") are reported",
            )

    def _fail(self, found: str, rule: str) -> None:
        __tracebackhide__ = True
        raise NonConformance(
            f"{self.case}: {rule}; {found} (in {len(self.messages)} NotifyReport message(s), "
            f"requestId {self.request_id})"
        )
