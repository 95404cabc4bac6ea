"""How the 2.0.1 reference station reaches its CSMS: profiles, priority, reconnection.

* **Network connection profiles (B09).** Configuration slots hold
  ``connectionData``; slot 1 starts with the CSMS the station was launched
  for. SetNetworkProfile stores a profile in a slot that
  ``OCPPCommCtrlr.NetworkConfigurationPriority`` may name (its values list),
  else answers ``Rejected``; it never downgrades the security profile
  (B09.FR.04 as the errata 2025-01 word it).
* **Connecting (B10).** At power-on the station tries the slots in the order
  of ``NetworkConfigurationPriority``, each ``NetworkProfileConnectionAttempts``
  times; when every one failed it falls back to the slot of its last
  successful connection and keeps reconnecting (B10.FR.07, B10.FR.09).
  ``OCPPCommCtrlr.ActiveNetworkProfile`` names the slot in use.
* **Reconnecting (Part 4, section 5.3).** After a connection loss the station
  waits ``RetryBackOffWaitMinimum`` plus a random share of
  ``RetryBackOffRandomRange`` before its first attempt, doubles the wait after
  each failed attempt (``RetryBackOffRepeatTimes`` times at most, then keeps
  it), and starts over once connected.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from harness.errors import HarnessError
from harness.ocppj.connection import IncomingCall, OcppConnection
from harness.sim.station.base import Handled
from harness.sim.station.v201_device_model import Variable
from harness.sim.station.v201_tx_queue import queue_first

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["Network201", "set_network_profile"]

logger = logging.getLogger("harness.sim.station.v201")

COMM = "OCPPCommCtrlr"
#: The slot of the CSMS the station was launched for.
FIRST_SLOT = 1

Connect = Callable[[str], Awaitable[None]]


def _variables(wait_minimum: int) -> list[Variable]:
    """The reconnection variables of Part 4 section 5.3, and the active profile (RO)."""
    return [
        Variable(COMM, "RetryBackOffRepeatTimes", "2", data_type="integer", min_limit=0),
        Variable(COMM, "RetryBackOffRandomRange", "0", data_type="integer", min_limit=0),
        Variable(
            COMM, "RetryBackOffWaitMinimum", str(wait_minimum), data_type="integer", min_limit=0
        ),
        Variable(
            COMM,
            "ActiveNetworkProfile",
            str(FIRST_SLOT),
            mutability="ReadOnly",
            data_type="integer",
            min_limit=0,
        ),
    ]


class Network201:
    """The station's network connection profiles and its (re)connection logic.

    Args:
        st: the station; its device model gets the variables above.
        wait_minimum: the starting RetryBackOffWaitMinimum (the profile's PIXIT).
    """

    def __init__(self, st: Station201, wait_minimum: int) -> None:
        self.st = st
        for variable in _variables(wait_minimum):
            st.dm.add(variable)
        conn = st.dut.connection
        self.profiles: dict[int, dict[str, Any]] = {
            FIRST_SLOT: {
                "ocppVersion": "OCPP20",
                "ocppTransport": "JSON",
                "ocppCsmsUrl": st.csms_url,
                "messageTimeout": int(st.dut.timing.message_timeout),
                "securityProfile": conn.security_profile,
                "ocppInterface": "Wired0",
            }
        }
        self.active = FIRST_SLOT
        self.last_good: int | None = None
        self.attempts: list[tuple[int, str]] = []  # (slot, url) of every attempt, for tests

    # -- B09: profiles -------------------------------------------------------------

    def slots(self) -> tuple[str, ...]:
        """The configuration slots NetworkConfigurationPriority may name."""
        found = self.st.dm.find(COMM, "NetworkConfigurationPriority")
        return found.values_list if found is not None else (str(FIRST_SLOT),)

    def store(self, slot: int, data: dict[str, Any]) -> str | None:
        """Store ``data`` in ``slot``; the reason it is refused, or None."""
        if str(slot) not in self.slots():
            return "InvalidConfSlot"
        current = int(self.st.dm.value("SecurityCtrlr", "SecurityProfile"))
        if int(data["securityProfile"]) < current:
            return "InvalidSecurityProfile"  # B09.FR.04: no downgrade
        if data["ocppVersion"] != "OCPP20":
            return "UnsupportedVersion"
        self.profiles[slot] = dict(data)
        return None

    def refuse_priority(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """A Rejected SetVariableResult for a priority naming a slot with no profile, or None."""
        if (item["component"].get("name"), item["variable"].get("name")) != (
            COMM,
            "NetworkConfigurationPriority",
        ):
            return None
        named = [p.strip() for p in str(item.get("attributeValue", "")).split(",")]
        if all(p.isdigit() and int(p) in self.profiles for p in named):
            return None
        return {
            "component": item["component"],
            "variable": item["variable"],
            "attributeType": item.get("attributeType", "Actual"),
            "attributeStatus": "Rejected",
            "attributeStatusInfo": {"reasonCode": "InvalidValue"},
        }

    def after_write(self, result: dict[str, Any], written: Variable | None) -> None:
        """B10: a new NetworkConfigurationPriority applies at the next boot (RebootRequired).

        The variant ``network_priority_status = "Accepted"`` answers Accepted
        instead, as OCPP allows (the CSMS then resets the station itself).
        """
        if written is None or (written.component, written.name) != (
            COMM,
            "NetworkConfigurationPriority",
        ):
            return
        result["attributeStatus"] = self.st.variants.network_priority_status

    def order(self) -> list[int]:
        """The configured slots in NetworkConfigurationPriority order."""
        if self.st.faults.on("ignore_network_priority"):
            return [self.active]
        text = self.st.dm.value(COMM, "NetworkConfigurationPriority")
        named = [int(s) for s in (p.strip() for p in text.split(",")) if s]
        return [slot for slot in named if slot in self.profiles] or [FIRST_SLOT]

    # -- Part 4 5.3: back-off ----------------------------------------------------------

    def backoff(self, failed: int) -> float:
        """The wait before the next attempt after ``failed`` failed ones (0: the first)."""
        minimum = self.st.dm.number(COMM, "RetryBackOffWaitMinimum")
        doublings = min(failed, int(self.st.dm.number(COMM, "RetryBackOffRepeatTimes")))
        spread = self.st.dm.number(COMM, "RetryBackOffRandomRange")
        wait = minimum * 2.0**doublings + random.uniform(0, spread)
        if self.st.faults.on("reconnect_at_once") and failed == 0:
            return 0.0  # only the first wait: a refused endpoint must not make it spin
        if self.st.faults.on("backoff_not_doubled"):
            return minimum + random.uniform(0, spread)
        return wait

    # -- B10: connecting -------------------------------------------------------------------

    async def connect(self, open_url: Connect, *, after_loss: bool = False) -> None:
        """Connect by priority (power-on) or to the active slot first (after a loss).

        A retry on the same slot waits the back-off (doubled per failed retry);
        the first attempt on another slot goes at once.

        Raises:
            HarnessError: at power-on, when no slot connects and none ever did.
        """
        attempts = max(1, int(self.st.dm.number(COMM, "NetworkProfileConnectionAttempts")))
        order = self.order()
        if after_loss:
            order = [self.active] + [s for s in order if s != self.active]
        plan = [slot for slot in order for _ in range(attempts)]
        last = self.active if after_loss else None
        retries = 0
        error: HarnessError | None = None
        while True:
            if plan:
                slot = plan.pop(0)
            elif self.last_good is None and error is not None:
                raise error  # the station never reached a CSMS: the launch fails
            else:  # B10.FR.07/09: never stop trying the last slot that worked
                slot = self.last_good if self.last_good is not None else FIRST_SLOT
            if slot == last:
                await asyncio.sleep(self.backoff(retries))
                retries += 1
            else:
                retries = 0
            last = slot
            try:
                await self._attempt(open_url, slot)
                return
            except HarnessError as refused:
                error = refused

    async def _attempt(self, open_url: Connect, slot: int) -> None:
        url = str(self.profiles[slot]["ocppCsmsUrl"])
        self.attempts.append((slot, url))
        await open_url(url)
        self.active = self.last_good = slot
        self.st.dm.update(COMM, "ActiveNetworkProfile", str(slot))
        connection = self.st.connection
        if connection is not None:
            self.st.spawn(self._watch(connection, open_url), life=True)

    async def _watch(self, connection: OcppConnection, open_url: Connect) -> None:
        """Reconnect with back-off when this connection is lost while powered."""
        await asyncio.shield(connection.closed)
        if not self.st.powered or self.st.connection is not connection:
            return
        logger.info("station %s lost its connection; reconnecting", self.st.dut.identity)
        before = self.st.offline.lost()
        await self.connect(open_url, after_loss=True)
        if queue_first(self.st.options):  # B04 and E04 leave the order open
            await self.st.txq.drain()
        await self.st.offline.back(before)
        await self.st.txq.drain()


def set_network_profile(st: Station201, call: IncomingCall) -> Handled:
    """B09: store a network connection profile in a configuration slot."""
    reason = st.network.store(
        int(call.payload["configurationSlot"]), call.payload["connectionData"]
    )
    if reason is not None:
        return Handled({"status": "Rejected", "statusInfo": {"reasonCode": reason}})
    return Handled({"status": "Accepted"})
