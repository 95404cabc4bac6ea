"""OCPP 2.0.1 Provisioning (block B), station under test: status changes while offline (B04).

The CSMS goes away while the EV is connected; the station comes back after its
reconnection back-off and reports the state of every connector when it was
offline longer than OfflineThreshold (TC_B_51_CS), else of the connector that
changed (TC_B_52_CS).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from harness.errors import NotApplicable
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Capability, Rig
from harness.roles import CsmsRole
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@contextlib.asynccontextmanager
async def _offline_while_plugged(
    csms: Session, csms_role: CsmsRole | None, rig: Rig, dut: DutProfile, *, longer: bool
) -> AsyncIterator[tuple[StationFlow, int]]:
    """Steps 1-3: offline (longer or shorter than the threshold), EV connected, back online.

    Yields the flow and the trace position the reports after the reconnection follow,
    with the configuration state still in force.
    """
    rig.require(Capability.PLUG)
    if csms_role is None:
        raise NotApplicable("the DUT is not a charging station")
    flow = StationFlow(csms, dut, rig)
    threshold = dut.timing.offline_threshold
    wait_minimum = threshold + 2 if longer else threshold - 2
    settings = (
        ("OfflineThreshold", str(threshold)),
        ("RetryBackOffWaitMinimum", str(wait_minimum)),
        ("RetryBackOffRandomRange", "0"),
    )
    async with contextlib.AsyncExitStack() as before:
        with step(f"Before: OfflineThreshold {threshold}, RetryBackOffWaitMinimum {wait_minimum}"):
            for variable, value in settings:
                state = flow.configured(
                    "OCPPCommCtrlr", variable, value, holds=lambda v, want=value: v == want
                )
                await before.enter_async_context(state)
        mark = csms.mark()
        # The station comes back after its back-off; bounded by it and the connect timeout.
        back = wait_minimum + dut.timing.connect_timeout
        after = " after the threshold" if longer else ""
        title = (
            "1-3. The CSMS closes the WebSocket connection and refuses reconnects, "
            f"then accepts the station's reconnection{after}"
        )
        with step(title):
            # Longer: refused until the threshold has passed; shorter: until the EV is in.
            async with csms.offline(timeout=back, at_least=threshold if longer else 0.0):
                with step("2. Manual Action: connect the EV and the EVSE"):
                    await rig.plug_in(flow.evse, flow.connector)
        yield flow, mark


@testcase(
    "TC_B_51_CS",
    rig=(Capability.PLUG,),
    proof=[
        Mutant(
            "skip_status:Occupied",
            "skip_notify_event:Occupied",
            step="4-5. The station reports the state of every connector",
            says="StatusNotification",
        ),
    ],
)
async def test_TC_B_51_CS_offline_longer_than_threshold(
    csms: Session, csms_role: CsmsRole | None, rig: Rig, dut: DutProfile
) -> None:
    """Back after more than OfflineThreshold, the station reports every connector's state."""
    async with _offline_while_plugged(csms, csms_role, rig, dut, longer=True) as (flow, mark):
        with step("4-5. The station reports the state of every connector"):
            for evse, connector in dut.connectors:
                configured = (evse, connector) == (flow.evse, flow.connector)
                status = "Occupied" if configured else "Available"
                await flow.expect_availability(status, mark, evse=evse, connector=connector)


@testcase(
    "TC_B_52_CS",
    rig=(Capability.PLUG,),
    proof=[
        Mutant(
            "skip_status:Occupied",
            "skip_notify_event:Occupied",
            step="4-5. The station reports the state of the configured connector",
            says="StatusNotification",
        ),
    ],
)
async def test_TC_B_52_CS_offline_shorter_than_threshold(
    csms: Session, csms_role: CsmsRole | None, rig: Rig, dut: DutProfile
) -> None:
    """Back within OfflineThreshold, the station reports the connector that changed."""
    async with _offline_while_plugged(csms, csms_role, rig, dut, longer=False) as (flow, mark):
        with step("4-5. The station reports the state of the configured connector"):
            await flow.expect_availability("Occupied", mark)
