"""The stoppedReason the 2.0.1 reference station gives when the EV leaves at its side (E06.S2).

With an IEC 61851-1 EV the station sees only the control pilot drop to state
A: ``EVDisconnected``. With high level communication (ISO 15118) it may have
learnt that the EV ended the session, and OCPP 2.0.1 (TC_E_54_CS) lets it say
``StoppedByEV`` as well: the ``ev_side_stopped_reason`` option of
``[embedded.options]`` (a variant, :mod:`harness.sim.variants`) picks which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.sim.variants import choice

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["EV_SIDE_STOPPED_REASONS", "ev_side_stopped_reason"]

#: The allowed values of ``ev_side_stopped_reason`` (the first is the default).
EV_SIDE_STOPPED_REASONS = ("EVDisconnected", "StoppedByEV")


def ev_side_stopped_reason(st: Station201) -> str:
    """The stoppedReason of a transaction the EV side disconnect ends."""
    return choice(st.options, "ev_side_stopped_reason", EV_SIDE_STOPPED_REASONS)
