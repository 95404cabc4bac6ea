"""The stoppedReason the 2.0.1 reference station gives when the EV leaves at its side (E06.S2).

With an IEC 61851-1 EV the station sees only the control pilot drop to state
A: ``EVDisconnected``. With high level communication (ISO 15118) it may have
learnt that the EV ended the session, and OCPP 2.0.1 (TC_E_54_CS) lets it say
``StoppedByEV`` as well: the ``ev_side_stopped_reason`` option of
``[embedded.options]`` (a variant, :mod:`harness.sim.variants`) picks which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.sim.variants import choice

__all__ = ["EV_SIDE_STOPPED_REASONS", "ev_side_stopped_reason"]

#: The allowed values of ``ev_side_stopped_reason`` (the first is the default).
EV_SIDE_STOPPED_REASONS = ("EVDisconnected", "StoppedByEV")


def ev_side_stopped_reason(options: Mapping[str, Any]) -> str:
    """The stoppedReason of a transaction the EV side disconnect ends (TxStopPoint EVConnected).

    A disconnect that withdraws the authorization (``StopTxOnEVSideDisconnect``
    true) keeps ``EVDisconnected``, the reason TC_E_17_CS asks for.

    Raises:
        ConfigurationError: another value, naming ``embedded.options.ev_side_stopped_reason``.
    """
    return choice(options, "ev_side_stopped_reason", EV_SIDE_STOPPED_REASONS)
