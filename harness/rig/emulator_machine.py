"""The rig emulator's commands: RIGP/1 in, replies and events out.

:class:`RigMachine` is the rig's firmware without the wire: it checks each
command against the interlocks of ``docs/rigp1.md``, emits ``!EVT`` lines for
every change, and, when wired to a station simulator
(:class:`~harness.rig.StationInputs`), performs the physical act on it. The
station sees transitions only: a repeated, absolute command changes nothing
and calls nothing.
"""

from __future__ import annotations

import time
from dataclasses import fields, replace

from harness.rig.codec import Command, ErrorCode
from harness.rig.emulator_state import (
    ALL_GROUPS,
    AMBIENT_C,
    CP_VOLTS,
    LEAK_TRIP_MA,
    PAGE_TWO,
    PP_RATINGS,
    TEMP_LIMIT_C,
    UID,
    ConnectorState,
    Refused,
    RigCore,
)

__all__ = ["RigMachine"]


class RigMachine(RigCore):
    """The emulated rig: its state (see :class:`RigCore`) and its commands."""

    # -- commands ------------------------------------------------------------------

    async def execute(self, command: Command) -> dict[str, object]:
        """Carry out one command.

        Args:
            command: the parsed command.

        Returns:
            The fields of the ``OK`` reply.

        Raises:
            Refused: the rig answers ``ERR`` with its code and detail.
        """
        handler = getattr(self, "_do_" + command.verb.rstrip("?").lower(), None)
        if handler is None:
            raise Refused(ErrorCode.UNKNOWN_CMD, f"no command {command.verb}")
        group = command.verb.rstrip("?")
        if group in ALL_GROUPS and group not in self.caps:
            raise Refused(ErrorCode.NOT_SUPPORTED, f"this rig has no {group}")
        if command.verb.endswith("?") != (group in ("IDN", "PROTO", "CAPS", "MEAS", "STATUS")):
            raise Refused(ErrorCode.UNKNOWN_CMD, f"no command {command.verb}")
        result: dict[str, object] = await handler(list(command.args))
        return result

    async def _do_idn(self, args: list[str]) -> dict[str, object]:
        return {f.name: getattr(self.identity, f.name) for f in fields(self.identity)}

    async def _do_proto(self, args: list[str]) -> dict[str, object]:
        return {"proto": self.proto}

    async def _do_caps(self, args: list[str]) -> dict[str, object]:
        if self._index(args, 0, 2, "page") == 2:
            later = [group for group in self.caps if group in PAGE_TWO]
            return {"caps": ",".join(later)} if later else {}
        first = [group for group in self.caps if group not in PAGE_TWO]
        return {"caps": ",".join(first), "conn": len(self.conn), "readers": self.readers}

    async def _do_ping(self, args: list[str]) -> dict[str, object]:
        return {"t": self.clock()}

    async def _do_rst(self, args: list[str]) -> dict[str, object]:
        self._after.append(lambda: self.reboot("RST"))
        return {}

    async def _do_safe(self, args: list[str]) -> dict[str, object]:
        await self.safe()
        return {}

    async def _do_wdog(self, args: list[str]) -> dict[str, object]:
        ms = int(self._value(args, 0, 0, 600000, "watchdog period (ms)"))
        if 0 < ms < 100:
            raise Refused(ErrorCode.OUT_OF_RANGE, "watchdog period is 0 (off) or 100..600000 ms")
        self.wide.wdog_ms = ms
        if ms:
            self.host_seen()
        else:
            self._cancel("wdog")
        return {"wdog": ms}

    async def _do_plug(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("IN", "OUT"))
        index, state = self._c(args, 1)
        evse, connector = self.connectors[index - 1]
        if want == state.plug:
            return {}
        if want == "OUT" and state.load > 0:
            raise Refused(ErrorCode.INTERLOCK, f"load draws {state.load:g} A; LOAD 0 first")
        await self._act("plug_in" if want == "IN" else "plug_out", evse, connector)
        state.plug = want
        self.emit("EVT PLUG", {"c": index, "state": want})
        self._set_cp(index, state, "B" if want == "IN" else "A")
        return {}

    def _set_cp(self, index: int, state: ConnectorState, to: str) -> None:
        if state.cp != to:
            self.emit("EVT CP", {"c": index, "from": state.cp, "to": to})
            state.cp = to

    async def _do_pp(self, args: list[str]) -> dict[str, object]:
        rating = self._value(args, 0, 0, 70, "PP rating (A)")
        if rating not in PP_RATINGS:
            raise Refused(ErrorCode.OUT_OF_RANGE, f"PP rating is one of {PP_RATINGS} A")
        index, state = self._c(args, 1)
        await self._overcurrent(index, state, state.load, int(rating))
        if state.pp != int(rating):
            state.pp = int(rating)
            self.emit("EVT PP", {"c": index, "a": state.pp})
        return {}

    async def _do_cp(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, tuple(CP_VOLTS))
        index, state = self._c(args, 1)
        if want in "BCD" and state.plug != "IN":
            raise Refused(ErrorCode.BAD_STATE, f"CP {want} needs the plug IN (it is OUT)")
        if want == state.cp:
            return {}
        evse, connector = self.connectors[index - 1]
        if want not in "CD" and state.load > 0:
            await self._overcurrent(index, state, 0.0, state.pp)
            state.load = 0.0
            self.emit("EVT LOAD", {"c": index, "a": 0})
        if state.cpfault == "NONE":
            await self._act("set_ev_state", evse, connector, want)
        self._set_cp(index, state, want)
        return {}

    async def _do_diode(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("OK", "SHORT"))
        index, state = self._c(args, 1)
        if want != state.diode:
            await self._fault("diode_short", want == "SHORT", index)
            state.diode = want
            self.emit("EVT DIODE", {"c": index, "state": want})
        return {}

    async def _do_cpfault(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("NONE", "PE_SHORT", "OPEN"))
        index, state = self._c(args, 1)
        if want != state.cpfault:
            evse, connector = self.connectors[index - 1]
            seen = {"NONE": state.cp, "PE_SHORT": "E", "OPEN": "A"}[want]
            await self._act("set_ev_state", evse, connector, seen)
            state.cpfault = want
            self.emit("EVT CPFAULT", {"c": index, "state": want})
        return {}

    async def _do_leak(self, args: list[str]) -> dict[str, object]:
        if args[:1] == ["OFF"]:
            ma, kind = 0.0, "OFF"
            index, state = self._c(args, 1)
        else:
            ma = self._value(args, 0, 0, 300, "leakage current (mA)")
            kind = self._word(args, 1, ("AC", "DC", "OFF"))
            index, state = self._c(args, 2)
            if kind == "OFF":
                ma = 0.0
        if kind != "OFF" and state.plug != "IN":
            raise Refused(ErrorCode.BAD_STATE, "LEAK needs the plug IN (it is OUT)")
        tripped = state.leak_kind != "OFF" and state.leak_ma >= LEAK_TRIP_MA[state.leak_kind]
        trips = kind != "OFF" and ma >= LEAK_TRIP_MA[kind]
        if trips != tripped:
            await self._fault("ground_fault", trips, index)
        if (ma, kind) != (state.leak_ma, state.leak_kind):
            state.leak_ma, state.leak_kind = ma, kind
            self.emit("EVT LEAK", {"c": index, "ma": f"{ma:g}", "kind": kind})
        return {}

    async def _do_load(self, args: list[str]) -> dict[str, object]:
        amps = self._value(args, 0, 0, 80, "load current (A)")
        index, state = self._c(args, 1)
        if amps > 0 and state.cp not in "CD":
            raise Refused(ErrorCode.BAD_STATE, f"LOAD above 0 A needs CP C or D (it is {state.cp})")
        await self._overcurrent(index, state, amps, state.pp)
        if amps != state.load:
            state.load = amps
            self.emit("EVT LOAD", {"c": index, "a": f"{amps:g}"})
        return {}

    async def _overcurrent(self, index: int, state: ConnectorState, amps: float, pp: int) -> None:
        before = 0 < state.pp < state.load
        after = 0 < pp < amps
        if before != after:
            await self._fault("overcurrent", after, index)

    async def _do_mains(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("ON", "OFF"))
        self._index(args, 1, 1)
        if want != self.wide.mains:
            await self._act("power_on" if want == "ON" else "power_off")
            self.wide.mains = want
            self.emit("EVT MAINS", {"state": want})
        return {}

    async def _do_estop(self, args: list[str]) -> dict[str, object]:
        want = {"PRESS": "PRESSED", "RELEASE": "RELEASED"}[
            self._word(args, 0, ("PRESS", "RELEASE"))
        ]
        self._index(args, 1, 1)
        if want != self.wide.estop:
            await self._fault("emergency_stop", want == "PRESSED")
            self.wide.estop = want
            self.emit("EVT ESTOP", {"state": want})
        return {}

    async def _do_temp(self, args: list[str]) -> dict[str, object]:
        celsius = self._value(args, 0, -40, 150, "temperature (°C)")
        self._index(args, 1, 1)
        if (celsius >= TEMP_LIMIT_C) != (self.wide.temp >= TEMP_LIMIT_C):
            await self._fault("over_temperature", celsius >= TEMP_LIMIT_C)
        if celsius != self.wide.temp:
            self.wide.temp = celsius
            self.emit("EVT TEMP", {"c": f"{celsius:g}"})
        return {}

    async def _do_lock(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("FREE", "BLOCK"))
        index, state = self._c(args, 1)
        if want != state.lock:
            await self._fault("lock_failure", want == "BLOCK", index)
            state.lock = want
            self.emit("EVT LOCK", {"c": index, "state": want})
        return {}

    async def _do_rfid(self, args: list[str]) -> dict[str, object]:
        action = self._word(args, 0, ("PRESENT", "REMOVE"))
        if action == "REMOVE":
            self._index(args, 1, self.readers, "reader")
            await self._card_removed()
            return {}
        if len(args) < 2 or not UID.fullmatch(args[1]):
            raise Refused(ErrorCode.BAD_ARGS, "RFID PRESENT needs a uid of 1-36 [A-Za-z0-9_.:-]")
        ms = int(self._value(args, 2, 1, 60000, "hold time (ms)")) if len(args) > 2 else 0
        reader = self._index(args, 3, self.readers, "reader")
        if self.wide.reader != "ON":
            raise Refused(ErrorCode.BAD_STATE, "the card reader is OFF")
        if (self.wide.card, self.wide.card_reader) != (args[1], reader):
            await self._card_removed()
            evse = reader if self.readers > 1 else None
            await self._act("present_card", args[1], evse)
            self.wide.card, self.wide.card_reader = args[1], reader
            self.emit("EVT RFID", {"r": reader, "state": "PRESENT", "uid": args[1]})
        if ms:
            self._later("card", ms / 1000.0, self._card_removed)
        else:
            self._cancel("card")
        return {}

    async def _card_removed(self) -> None:
        self._cancel("card")
        if self.wide.card is not None:
            self.wide.card = None
            self.emit("EVT RFID", {"r": self.wide.card_reader, "state": "REMOVED"})

    async def _do_reader(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("ON", "OFF"))
        self._index(args, 1, 1)
        if want != self.wide.reader:
            await self._fault("reader_failure", want == "OFF")
            if want == "OFF":
                await self._card_removed()
            self.wide.reader = want
            self.emit("EVT READER", {"state": want})
        return {}

    async def _do_meterlink(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("ON", "OFF"))
        index, state = self._c(args, 1)
        if want != state.meter:
            await self._fault("meter_link", want == "OFF", index)
            state.meter = want
            self.emit("EVT METERLINK", {"c": index, "state": want})
        return {}

    async def _do_bay(self, args: list[str]) -> dict[str, object]:
        want = self._word(args, 0, ("OCCUPIED", "FREE"))
        index, state = self._c(args, 1)
        if want != state.bay:
            evse, connector = self.connectors[index - 1]
            await self._act("set_parking_bay", evse, connector, want == "OCCUPIED")
            state.bay = want
            self.emit("EVT BAY", {"c": index, "state": want})
        return {}

    async def _do_meas(self, args: list[str]) -> dict[str, object]:
        index, state = self._c(args, 0)
        on = self.wide.mains == "ON"
        return {
            "c": index,
            "cp": state.cp,
            "cpv": CP_VOLTS["E" if state.cpfault == "PE_SHORT" else state.cp],
            "v": "230.0" if on else "0.0",
            "i": f"{state.load if on else 0.0:.1f}",
            "temp": f"{self.wide.temp:.1f}",
            "leak": f"{state.leak_ma:g}",
        }

    async def _do_status(self, args: list[str]) -> dict[str, object]:
        index = self._index(args, 0, len(self.conn), "status")
        if index == 0:
            wide = self.wide
            return {
                "c": 0, "mains": wide.mains, "estop": wide.estop, "temp": f"{wide.temp:g}",
                "reader": wide.reader, "wdog": wide.wdog_ms, "card": wide.card or "-",
            }  # fmt: skip
        state = self.conn[index - 1]
        leak = "OFF" if state.leak_kind == "OFF" else f"{state.leak_ma:g}{state.leak_kind}"
        return {
            "c": index, "plug": state.plug, "cp": state.cp, "pp": state.pp, "diode": state.diode,
            "cpfault": state.cpfault, "lock": state.lock, "load": f"{state.load:g}",
            "leak": leak, "meter": state.meter, "bay": state.bay,
        }  # fmt: skip

    # -- safe state and reboot ------------------------------------------------------

    async def safe(self) -> None:
        """Return every injected condition to neutral; plug and mains stay as they are."""
        calm = ConnectorState()
        for index, state in enumerate(self.conn, start=1):
            c = [str(index)]
            await self._do_load(["0", *c])
            await self._do_leak(["OFF", *c])
            await self._do_cpfault(["NONE", *c])
            await self._do_diode([calm.diode, *c])
            await self._do_lock([calm.lock, *c])
            await self._do_meterlink([calm.meter, *c])
            if state.cp != ("B" if state.plug == "IN" else "A"):
                await self._do_cp(["B" if state.plug == "IN" else "A", *c])
        await self._card_removed()
        await self._do_temp([str(AMBIENT_C)])
        await self._do_estop(["RELEASE"])
        await self._do_reader(["ON"])

    async def reboot(self, reason: str) -> None:
        """Reboot: neutral outputs, watchdog off, clock from zero, then ``!BOOT``."""
        await self.safe()
        self._cancel("wdog")
        self.wide = replace(self.wide, wdog_ms=0)
        self.booted_at = time.monotonic()
        if self.on_reboot is not None:
            await self.on_reboot()
        self.emit("BOOT", {"fw": self.identity.fw, "proto": self.proto, "reason": reason})
