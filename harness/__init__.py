"""OCPP compliance test harness: what a certification test case uses.

Test cases import from here; everything else is internal::

    from harness import ANY, Pattern, step, testcase
"""

from harness.errors import HarnessError, NonConformance
from harness.expect import ABSENT, ANY, Pattern, one_of
from harness.ocppj.versions import OcppVersion, Role
from harness.responders import NO_REPLY, ErrorReply, utc_now
from harness.rig import Capability, EvState, Fault, Rig
from harness.session import DEFAULT, Session
from harness.steps import step
from harness.testcase import TestCaseInfo, testcase

__version__ = "0.1.0"

__all__ = [
    "ABSENT",
    "ANY",
    "DEFAULT",
    "NO_REPLY",
    "Capability",
    "ErrorReply",
    "EvState",
    "Fault",
    "HarnessError",
    "NonConformance",
    "OcppVersion",
    "Pattern",
    "Rig",
    "Role",
    "Session",
    "TestCaseInfo",
    "__version__",
    "one_of",
    "step",
    "testcase",
    "utc_now",
]
