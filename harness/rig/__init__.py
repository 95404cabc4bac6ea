"""The test rig: the station's physical inputs behind one interface."""

from harness.rig.base import Capability, EvState, Fault, Rig
from harness.rig.sim import SimRig, StationInputs

__all__ = ["Capability", "EvState", "Fault", "Rig", "SimRig", "StationInputs"]
