"""The reference simulators' timers, stretched by the run's time factor.

The judge multiplies every timeout by ``--time-factor``. A simulator whose
own timers stay nominal would then look faster than the judge allows for:
a mutant answering "late" (after the message timeout) would answer within
the stretched timeout and pass. So the simulators run on a profile whose
timeouts are stretched by the same factor: how long they wait for an answer,
for a connection or a boot, and every mutant delay derived from those.

Values that travel on the wire or into the device's configuration (heartbeat
interval, EV connection timeout, meter value interval, retry intervals a
CSMS gives) are not stretched: the judge expects them as configured, and a
station paces its heartbeats and retries by what it was told.
"""

from __future__ import annotations

import dataclasses

from harness.profile import DutProfile

__all__ = ["stretch_timers"]


def stretch_timers(dut: DutProfile, factor: float) -> DutProfile:
    """The profile with its timeouts multiplied by ``factor`` (the profile itself for 1).

    Raises:
        ValueError: a factor that is not positive.
    """
    if factor <= 0:
        raise ValueError(f"the time factor must be positive, not {factor}")
    if factor == 1:
        return dut
    timing = dut.timing
    stretched = dataclasses.replace(
        timing,
        message_timeout=timing.message_timeout * factor,
        boot_timeout=timing.boot_timeout * factor,
        connect_timeout=timing.connect_timeout * factor,
        transaction_duration=timing.transaction_duration * factor,
        time_factor=factor,
    )
    return dataclasses.replace(dut, timing=stretched)
