"""Embedded reference DUTs: a charging station and a CSMS, with fault knobs.

:func:`launch_embedded` starts the simulator a DUT profile's ``[embedded]``
table names, as the device under test, and stops it afterwards.
"""

from harness.sim.embedded import EmbeddedDut, launch_embedded

__all__ = ["EmbeddedDut", "launch_embedded"]
