"""The ``manual`` rig backend: the operator does it, the harness says exactly what.

Each operation prints one instruction naming the EVSE and connector, e.g.
``Plug the cable into EVSE 1 connector 1, then press Enter``, and waits for
Enter at most ``[rig] prompt_timeout`` seconds. Typing ``s`` and Enter tells
the harness the operator cannot do it: the test is skipped as not run.
Without an operator at a terminal (CI, a redirected stdin) the test is
skipped at once, never hung.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from harness.errors import NotRun
from harness.rig.base import Capability, EvState, Fault, Rig
from harness.rig.errors import OperatorTimeout
from harness.rig.log import LogEntry, RigLog

__all__ = ["ManualRig", "Operator", "TerminalOperator"]

NO_OPERATOR = "not run: the manual rig needs an operator at a terminal"

_EV_STATES = {
    EvState.A: "A (no EV connected)",
    EvState.B: "B (EV connected, not charging)",
    EvState.C: "C (EV charging)",
    EvState.D: "D (EV charging with ventilation)",
    EvState.E: "E (control pilot shorted to earth)",
    EvState.F: "F (control pilot at -12 V: station fault)",
}
_FAULTS = {
    Fault.GROUND_FAULT: "a ground fault (residual current above the trip level)",
    Fault.OVERCURRENT: "an overcurrent (the EV draws more than allowed)",
    Fault.OVER_TEMPERATURE: "an over-temperature",
    Fault.DIODE_SHORT: "a shorted EV diode",
    Fault.EMERGENCY_STOP: "the emergency stop (press the button)",
    Fault.LOCK_FAILURE: "a connector lock failure (block the lock)",
    Fault.METER_LINK: "a broken energy-meter link (disconnect the meter)",
    Fault.READER_FAILURE: "a card-reader failure (cut the reader's power)",
    Fault.POWER_LOSS: "a mains power loss (switch mains off)",
}


class Operator(Protocol):
    """Where instructions go and confirmations come from."""

    def interactive(self) -> bool:
        """Whether a person can answer (a terminal on stdin)."""
        ...

    async def ask(self, instruction: str, timeout: float) -> str | None:
        """Show ``instruction``; return the line typed, or None when ``timeout`` passed."""
        ...


class TerminalOperator:
    """The person at the terminal running pytest.

    Args:
        suspend_capture: returns a context manager that lets pytest's output
            capture go while the operator is asked (pytest captures stdin too).
        fd: the file descriptor the answer is read from.
    """

    def __init__(
        self,
        suspend_capture: Callable[[], AbstractContextManager[object]] | None = None,
        fd: int = 0,
    ) -> None:
        self._suspend = suspend_capture or contextlib.nullcontext
        self._fd = fd

    def interactive(self) -> bool:
        with self._suspend():
            try:
                return os.isatty(self._fd)
            except OSError:
                return False

    async def ask(self, instruction: str, timeout: float) -> str | None:
        loop = asyncio.get_running_loop()
        with self._suspend():
            sys.stdout.write(f"\n>>> RIG: {instruction}\n")
            sys.stdout.flush()
            typed = bytearray()
            arrived = asyncio.Event()

            def readable() -> None:
                with contextlib.suppress(BlockingIOError, InterruptedError):
                    chunk = os.read(self._fd, 1024)
                    typed.extend(chunk or b"\n")  # end of input counts as Enter
                if b"\n" in typed:
                    arrived.set()

            loop.add_reader(self._fd, readable)
            try:
                async with asyncio.timeout(timeout):
                    await arrived.wait()
            except TimeoutError:
                return None
            finally:
                loop.remove_reader(self._fd)
        return typed.split(b"\n", 1)[0].decode(errors="replace").strip()


class ManualRig(Rig):
    """Physical actions performed by a person following on-screen instructions.

    Args:
        prompt_timeout: how long to wait for the operator, in seconds.
        operator: who answers (the terminal by default).
    """

    name = "manual"

    def __init__(self, prompt_timeout: float, operator: Operator | None = None) -> None:
        self.prompt_timeout = prompt_timeout
        self.operator: Operator = operator or TerminalOperator()
        self.log = RigLog("manual operator")
        self._interactive: bool | None = None

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset(Capability)

    def log_text(self) -> str:
        return self.log.format_text()

    def log_entries(self) -> list[LogEntry]:
        return self.log.entries

    async def _do(self, instruction: str) -> None:
        if self._interactive is None:
            self._interactive = self.operator.interactive()
        if not self._interactive:
            self.log.add("x", f"no operator at a terminal for: {instruction}")
            raise NotRun(NO_OPERATOR)
        text = f"{instruction}, then press Enter (or type s and Enter if you cannot)"
        self.log.add("?", text)
        answer = await self.operator.ask(text, self.prompt_timeout)
        if answer is None:
            self.log.add("x", f"no confirmation within {self.prompt_timeout:g} s")
            raise OperatorTimeout(
                f"the operator did not confirm {instruction!r} within {self.prompt_timeout:g} s "
                "([rig] prompt_timeout)",
                action=instruction,
                timeout=self.prompt_timeout,
            )
        self.log.add("<", f"operator: {answer or '(Enter)'}")
        if answer.lower() in ("s", "skip"):
            raise NotRun(f"the operator could not: {instruction}")

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"Plug the cable into EVSE {evse} connector {connector} (EV in state B)")

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"Unplug the cable from EVSE {evse} connector {connector}")

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        await self._do(
            f"Set the EV at EVSE {evse} connector {connector} to state {_EV_STATES[state]}"
        )

    async def present_card(self, token: str, evse: int | None = None) -> None:
        where = f"the card reader of EVSE {evse}" if evse is not None else "the card reader"
        await self._do(f"Hold the card {token} to {where}")

    async def power(self, on: bool) -> None:
        await self._do(f"Switch the station's mains power {'ON' if on else 'OFF'}")

    async def power_cycle(self) -> None:
        await self._do(
            "Switch the station's mains power OFF, wait until it is dark, and switch it ON again"
        )

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"Cause {_FAULTS[fault]} at EVSE {evse} connector {connector}")

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"End {_FAULTS[fault]} at EVSE {evse} connector {connector}")

    async def ui_stop(self, evse: int | None = None) -> None:
        which = "all transactions" if evse is None else f"the transaction on EVSE {evse}"
        await self._do(f"On the station's user interface, select to stop {which}")

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"Drive the EV into the parking bay of EVSE {evse}")

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        await self._do(f"Drive the EV out of the parking bay of EVSE {evse}")
