"""The manual backend: exact instructions, bounded waits, and prompt skips without a terminal."""

from __future__ import annotations

import asyncio
import os
import textwrap
import time

import pytest

from harness.rig import EvState, Fault
from harness.rig.errors import OperatorTimeout
from harness.rig.manual import ManualRig, TerminalOperator


class ScriptedOperator:
    """An operator who answers from a script and remembers each instruction."""

    def __init__(self, *answers: str | None, interactive: bool = True) -> None:
        self.answers = list(answers)
        self.instructions: list[str] = []
        self._interactive = interactive

    def interactive(self) -> bool:
        return self._interactive

    async def ask(self, instruction: str, timeout: float) -> str | None:
        self.instructions.append(instruction)
        return self.answers.pop(0)


async def test_each_instruction_says_exactly_what_and_where() -> None:
    """The operator is told the act, the EVSE and the connector, and how to confirm."""
    operator = ScriptedOperator("", "", "", "")
    rig = ManualRig(5.0, operator)
    await rig.plug_in(2, 1)
    await rig.ev_state(EvState.C, 2, 1)
    await rig.present_card("04A1", evse=2)
    await rig.inject_fault(Fault.EMERGENCY_STOP)
    assert operator.instructions == [
        "Plug the cable into EVSE 2 connector 1 (EV in state B), then press Enter "
        "(or type s and Enter if you cannot)",
        "Set the EV at EVSE 2 connector 1 to state C (EV charging), then press Enter "
        "(or type s and Enter if you cannot)",
        "Hold the card 04A1 to the card reader of EVSE 2, then press Enter "
        "(or type s and Enter if you cannot)",
        "Cause the emergency stop (press the button) at EVSE 1 connector 1, then press Enter "
        "(or type s and Enter if you cannot)",
    ]
    assert "operator: (Enter)" in rig.log_text()


async def test_no_answer_in_time_is_a_rig_error() -> None:
    """An operator who does not confirm within prompt_timeout raises OperatorTimeout."""
    rig = ManualRig(0.1, ScriptedOperator(None))
    with pytest.raises(OperatorTimeout, match="did not confirm 'Unplug the cable") as raised:
        await rig.plug_out()
    assert raised.value.timeout == 0.1


async def test_the_operator_can_decline() -> None:
    """Typing s skips the test as not run, naming the act."""
    rig = ManualRig(5.0, ScriptedOperator("s"))
    with pytest.raises(pytest.skip.Exception, match="operator could not: Switch the station"):
        await rig.power(False)


async def test_without_a_terminal_the_test_is_skipped() -> None:
    """No operator at a terminal: skipped at once with the documented reason."""
    rig = ManualRig(300.0, ScriptedOperator(interactive=False))
    with pytest.raises(pytest.skip.Exception, match="needs an operator at a terminal"):
        await rig.power_cycle()


async def test_the_terminal_operator_reads_enter_from_a_real_tty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Over a pseudo-terminal the instruction is printed and the typed line returned."""
    master, slave = os.openpty()
    try:
        operator = TerminalOperator(fd=slave)
        assert operator.interactive()
        asking = asyncio.ensure_future(operator.ask("Press the button", 5.0))
        await asyncio.sleep(0)
        os.write(master, b"done\n")
        assert await asking == "done"
        assert ">>> RIG: Press the button" in capsys.readouterr().out
        assert await operator.ask("Nobody answers", 0.05) is None
    finally:
        os.close(master)
        os.close(slave)


PROFILE = """
[dut]
role = "station"
ocpp_version = "2.0.1"
identity = "MANUAL-CS-1"

[timing]
connect_timeout = 3

[rig]
backend = "manual"
prompt_timeout = 300
"""


def test_a_non_interactive_run_skips_promptly(pytester: pytest.Pytester) -> None:
    """Run with stdin not a terminal, a manual-rig test is skipped at once, never hung."""
    pytester.makefile(".toml", dut=PROFILE)
    pytester.makeini(
        """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
        """
    )
    pytester.makepyfile(
        test_manual=textwrap.dedent(
            """
            async def test_plug(rig):
                await rig.plug_in(1, 1)
            """
        )
    )
    started = time.monotonic()
    result = pytester.runpytest_subprocess(
        "--dut=dut.toml", "-p", "no:cacheprovider", "-rs", timeout=60
    )
    assert time.monotonic() - started < 60
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*SKIPPED*not run: the manual rig needs an operator at a terminal*"]
    )
