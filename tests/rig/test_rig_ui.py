"""The ``ui`` rig capability: a selection on the station's user interface (C16)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.errors import NotRun
from harness.rig import Capability
from harness.rig.manual import ManualRig
from harness.rig.null import NoRig
from harness.rig.sim import SimRig
from tests.rig.rig_support import FakeStation
from tests.rig.test_rig_manual import ScriptedOperator


class StationWithScreen(FakeStation):
    """A FakeStation with a user interface that records each selection."""

    async def ui_stop(self, evse: int | None = None) -> None:
        self.calls.append(("ui_stop", evse))


async def test_the_manual_rig_asks_the_operator_to_select_on_the_screen() -> None:
    """The operator is told to select all transactions, or the one on a named EVSE."""
    operator = ScriptedOperator("", "")
    rig = ManualRig(5.0, operator)
    assert Capability.UI in rig.capabilities
    await rig.ui_stop(None)
    await rig.ui_stop(2)
    assert [i.split(", then")[0] for i in operator.instructions] == [
        "On the station's user interface, select to stop all transactions",
        "On the station's user interface, select to stop the transaction on EVSE 2",
    ]


async def test_the_sim_rig_selects_on_a_simulator_with_a_screen() -> None:
    """The sim rig has ``ui`` with a simulator that has a screen and passes the selection on."""
    station = StationWithScreen()
    rig = SimRig(station)
    assert Capability.UI in rig.capabilities
    await rig.ui_stop(1)
    assert station.calls == [("ui_stop", 1)]


@pytest.mark.parametrize("rig", [SimRig(FakeStation()), NoRig()], ids=["sim-no-screen", "none"])
async def test_a_rig_without_a_screen_skips_the_selection_as_not_run(rig: Any) -> None:
    """Without a user interface the capability is missing and a selection is not run."""
    assert Capability.UI not in rig.capabilities
    with pytest.raises(NotRun, match=r"select on the station's user interface \(ui\)"):
        await rig.ui_stop(None)
