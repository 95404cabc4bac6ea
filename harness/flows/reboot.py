"""A harness station that restarts, in every version: ``_CSMS`` cases after a reset or power loss.

The station's link to the CSMS under test is restored (a new connection,
the same session); the version's boot is sent in one step and the
connectors' statuses in the next. What a boot and a status report are is
the version's business (1.6 :mod:`harness.flows.v16.csms_requests`, 2.0.1
:mod:`harness.flows.v201.csms_reset`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from harness.roles import StationLink
from harness.steps import step

__all__ = ["rebooted"]


async def rebooted(
    link: StationLink,
    *,
    boot_step: str,
    boot: Callable[[], Awaitable[object]],
    status_step: str,
    report: Callable[[], Awaitable[object]],
) -> None:
    """The station comes back: a new connection, ``boot`` in one step, ``report`` in the next.

    Args:
        link: the harness station's link, cut before (the station went down).
        boot_step: the title of the BootNotification step.
        boot: sends the BootNotification and checks its answer.
        status_step: the title of the step reporting the connectors.
        report: reports every connector's status.
    """
    await link.restore()
    with step(boot_step):
        await boot()
    with step(status_step):
        await report()
