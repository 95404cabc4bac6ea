"""The reference CSMS (OCPP 1.6 and 2.0.1): a correct CSMS, and its mutants.

It accepts or rejects boots as configured, authorizes idTokens from the
profile's token list, keeps transactions per station, answers heartbeats,
status and meter values, and can be triggered to send any CSMS request to a
connected station (:meth:`CsmsSimulator.trigger`). Fault knobs
(:mod:`harness.sim.csms.mutants`, read by :mod:`harness.sim.csms.faults`)
turn it into a mutant.

Usage::

    async with start_csms(dut) as csms:          # dut: a CSMS profile
        ...                                      # stations connect to f"{csms.url}/{identity}"
        answer = await csms.trigger("TriggerMessage", {"requestedMessage": "Heartbeat"})
"""

from harness.sim.csms.faults import CsmsFaults, parse_faults
from harness.sim.csms.policy import CsmsOptions
from harness.sim.csms.server import CsmsSimulator, TriggerFailed, is_loopback, start_csms
from harness.sim.csms.state import StationState, Transaction

__all__ = [
    "CsmsFaults",
    "CsmsOptions",
    "CsmsSimulator",
    "StationState",
    "Transaction",
    "TriggerFailed",
    "is_loopback",
    "parse_faults",
    "start_csms",
]
