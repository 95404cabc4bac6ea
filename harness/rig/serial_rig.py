"""The ``serial`` rig backend: :class:`~harness.rig.Rig` operations as RIGP/1 commands.

=====================  ===========================================  =====================
Rig operation          RIGP/1 command(s)                             group (``CAPS?``)
=====================  ===========================================  =====================
plug_in / plug_out     ``PLUG IN c`` / ``PLUG OUT c``                ``PLUG``
ev_state(X)            ``CP X c``                                    ``CP``
present_card(token)    ``RFID REMOVE``, ``RFID PRESENT token <card_ms> [reader]`` ``RFID``
power(on) / cycle      ``MAINS ON`` / ``MAINS OFF``                  ``MAINS``
ground_fault           ``LEAK <leak_ma> <leak_kind> c`` / ``LEAK OFF c``  ``LEAK``
overcurrent            ``LOAD <overcurrent_a> c`` / ``LOAD 0 c``     ``LOAD``
over_temperature       ``TEMP <over_temperature_c>`` / ``TEMP 25``   ``TEMP``
diode_short            ``DIODE SHORT c`` / ``DIODE OK c``            ``DIODE``
emergency_stop         ``ESTOP PRESS`` / ``ESTOP RELEASE``           ``ESTOP``
lock_failure           ``LOCK BLOCK c`` / ``LOCK FREE c``            ``LOCK``
meter_link             ``METERLINK OFF c`` / ``METERLINK ON c``      ``METERLINK``
reader_failure         ``READER OFF`` / ``READER ON``                ``READER``
power_loss             ``MAINS OFF`` / ``MAINS ON``                  ``MAINS``
drive_in / drive_out   ``BAY OCCUPIED c`` / ``BAY FREE c``           ``BAY``
=====================  ===========================================  =====================

``c`` is the rig's connector index: the position (from 1) of ``(evse,
connector)`` in the profile's EVSE list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from harness.errors import NotRun, UsageError
from harness.profile import RigSettings
from harness.rig.base import Capability, EvState, Fault, Rig
from harness.rig.errors import RigDisconnected, RigError
from harness.rig.log import LogEntry
from harness.rig.options import RigOptions
from harness.rig.serial_driver import RigDriver

__all__ = ["SERIAL_OPTIONS", "SerialRig", "open_serial_rig"]

SERIAL_OPTIONS = {
    "timeout": "seconds to wait for each reply, default 2",
    "checksum": "append *HH to commands, default true",
    "watchdog_ms": "arm the rig's watchdog with this period, default 0 (off)",
    "power_off_s": "how long power_cycle keeps mains off, default 2",
    "card_ms": "how long a presented card is held to the reader, default 1000",
    "leak_ma": "leakage injected for ground_fault, default 40",
    "leak_kind": "AC or DC leakage for ground_fault, default AC",
    "overcurrent_a": "load current injected for overcurrent, default 40",
    "over_temperature_c": "temperature injected for over_temperature, default 90",
}

_CAPABILITY_GROUPS = {
    Capability.PLUG: ("PLUG",),
    Capability.EV_STATE: ("CP",),
    Capability.CARD: ("RFID",),
    Capability.POWER: ("MAINS",),
    Capability.PARKING: ("BAY",),
}
_FAULT_GROUP = {
    Fault.GROUND_FAULT: "LEAK",
    Fault.OVERCURRENT: "LOAD",
    Fault.OVER_TEMPERATURE: "TEMP",
    Fault.DIODE_SHORT: "DIODE",
    Fault.EMERGENCY_STOP: "ESTOP",
    Fault.LOCK_FAILURE: "LOCK",
    Fault.METER_LINK: "METERLINK",
    Fault.READER_FAILURE: "READER",
    Fault.POWER_LOSS: "MAINS",
}


class SerialRig(Rig):
    """A real (or emulated) rig driven over RIGP/1.

    Args:
        driver: an open, greeted :class:`~harness.rig.serial_driver.RigDriver`.
        connectors: ``(evse, connector)`` pairs; rig connector n is the n-th pair.
        options: the ``[rig.options]`` of the profile (see :data:`SERIAL_OPTIONS`).
    """

    name = "serial"

    def __init__(
        self,
        driver: RigDriver,
        connectors: Sequence[tuple[int, int]] = ((1, 1),),
        options: RigOptions | None = None,
    ) -> None:
        self.driver = driver
        self.connectors = list(connectors)
        opts = options or RigOptions({}, "serial", SERIAL_OPTIONS)
        self.power_off_s = opts.number("power_off_s", 2.0)
        self.card_ms = opts.integer("card_ms", 1000, minimum=1)
        self.leak_ma = opts.number("leak_ma", 40.0)
        self.leak_kind = opts.choice("leak_kind", "AC", ("AC", "DC"))
        self.overcurrent_a = opts.number("overcurrent_a", 40.0)
        self.over_temperature_c = opts.number("over_temperature_c", 90.0, minimum=-40.0)

    @property
    def capabilities(self) -> frozenset[Capability]:
        groups = self.driver.capabilities
        found = {cap for cap, needs in _CAPABILITY_GROUPS.items() if set(needs) <= groups}
        if groups & set(_FAULT_GROUP.values()):
            found.add(Capability.FAULT)
        return frozenset(found)

    def log_text(self) -> str:
        return self.driver.log.format_text()

    def log_entries(self) -> list[LogEntry]:
        return self.driver.log.entries

    def _index(self, evse: int, connector: int) -> str:
        try:
            return str(self.connectors.index((evse, connector)) + 1)
        except ValueError:
            raise UsageError(
                f"EVSE {evse} connector {connector} is not in the profile's [[evse]] list "
                f"{self.connectors}; the serial rig cannot address it"
            ) from None

    def _need(self, group: str, what: str) -> None:
        if group not in self.driver.capabilities:
            raise NotRun(f"the serial rig cannot {what} (it has no {group} command)")

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        self._need("PLUG", "plug a cable")
        await self.driver.command("PLUG", "IN", self._index(evse, connector))

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        self._need("PLUG", "unplug a cable")
        await self.driver.command("PLUG", "OUT", self._index(evse, connector))

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        self._need("CP", "set the EV state")
        await self.driver.command("CP", state.value, self._index(evse, connector))

    async def present_card(self, token: str, evse: int | None = None) -> None:
        self._need("RFID", "present a card")
        args = ["PRESENT", token, str(self.card_ms)]
        readers = int(self.driver.rig_info.get("readers", "1") or "1")
        reader = [str(evse)] if evse is not None and readers > 1 else []
        # Each presentation is a new tap: a card still held from the last one (for card_ms)
        # is taken away first, or presenting the same card again would do nothing.
        await self.driver.command("RFID", "REMOVE", *reader)
        await self.driver.command("RFID", *args, *reader)

    async def power(self, on: bool) -> None:
        self._need("MAINS", "switch mains power")
        await self.driver.command("MAINS", "ON" if on else "OFF")

    async def power_cycle(self) -> None:
        self._need("MAINS", "switch mains power")
        await self.driver.command("MAINS", "OFF")
        await asyncio.sleep(self.power_off_s)  # a physical off time, not a wait for the device
        await self.driver.command("MAINS", "ON")

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        self._need("BAY", "drive an EV into the parking bay")
        await self.driver.command("BAY", "OCCUPIED", self._index(evse, connector))

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        self._need("BAY", "drive an EV out of the parking bay")
        await self.driver.command("BAY", "FREE", self._index(evse, connector))

    def _fault_args(self, fault: Fault, on: bool, c: str) -> list[str]:
        match fault:
            case Fault.GROUND_FAULT:
                return [f"{self.leak_ma:g}", self.leak_kind, c] if on else ["OFF", c]
            case Fault.OVERCURRENT:
                return [f"{self.overcurrent_a:g}" if on else "0", c]
            case Fault.OVER_TEMPERATURE:
                return [f"{self.over_temperature_c:g}" if on else "25"]
            case Fault.DIODE_SHORT:
                return ["SHORT" if on else "OK", c]
            case Fault.EMERGENCY_STOP:
                return ["PRESS" if on else "RELEASE"]
            case Fault.LOCK_FAILURE:
                return ["BLOCK" if on else "FREE", c]
            case Fault.METER_LINK:
                return ["OFF" if on else "ON", c]
            case Fault.READER_FAILURE | Fault.POWER_LOSS:
                return ["OFF" if on else "ON"]

    async def _fault(self, fault: Fault, on: bool, evse: int, connector: int) -> None:
        group = _FAULT_GROUP[fault]
        self._need(group, f"{'inject' if on else 'clear'} {fault.value}")
        await self.driver.command(group, *self._fault_args(fault, on, self._index(evse, connector)))

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self._fault(fault, True, evse, connector)

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self._fault(fault, False, evse, connector)

    async def close(self) -> None:
        """Send ``SAFE`` and close the port; a failed SAFE is raised after closing."""
        failure: RigError | None = None
        try:
            await self.driver.command("SAFE")
        except RigDisconnected:
            pass  # the test already met this error; nothing is left to make safe
        except RigError as error:
            failure = error
        finally:
            await self.driver.close()
        if failure is not None:
            raise failure


async def open_serial_rig(
    settings: RigSettings, connectors: Sequence[tuple[int, int]], *, time_factor: float = 1.0
) -> SerialRig:
    """Open the profile's serial rig, greet it, and arm its watchdog if asked.

    Args:
        settings: the profile's ``[rig]`` table (``port`` required).
        connectors: ``(evse, connector)`` pairs in rig connector order.
        time_factor: the profile's timer stretch factor.

    Returns:
        The connected rig.

    Raises:
        ConfigurationError: no port, or a bad ``[rig.options]`` value.
        RigError: the port or the rig failed.
    """
    from harness.errors import ConfigurationError

    if not settings.port:
        raise ConfigurationError("the serial rig needs [rig] port", field="rig.port")
    options = RigOptions(settings.options, "serial", SERIAL_OPTIONS)
    driver = await RigDriver.open(
        settings.port,
        baudrate=settings.baudrate,
        timeout=options.number("timeout", 2.0) * time_factor,
        with_checksum=options.flag("checksum", True),
    )
    try:
        rig = SerialRig(driver, connectors, options)
        watchdog = options.integer("watchdog_ms", 0)
        if watchdog:
            await driver.start_watchdog(watchdog)
    except BaseException:
        await driver.close()
        raise
    return rig
