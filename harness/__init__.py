"""OCPP compliance test harness: what a certification test case uses.

Test cases import from here; everything else is internal::

    from harness import ANY, Pattern, step, testcase

The names load on first use (:pep:`562`), so importing one part of the
library (``harness.ocppj``, ``harness.sim``) loads only that part: the engine
and the simulators run without pytest; only the plugin and the marker factory
need it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.errors import HarnessError, NonConformance, NotApplicable, NotRun
    from harness.expect import ABSENT, ANY, Pattern, one_of
    from harness.ocppj.versions import OcppVersion, Role
    from harness.responders import NO_REPLY, ErrorReply, utc_now
    from harness.rig import Capability, EvState, Fault, Rig
    from harness.session import DEFAULT, Session
    from harness.steps import step

# Imported now, not on first use: the function ``testcase`` shares its name with
# the module ``harness.testcase``, and importing that module (the plugin does)
# would otherwise leave the module where ``from harness import testcase``
# expects the function. It needs no pytest until a case is decorated.
from harness.testcase import TestCaseInfo, testcase

__version__ = "0.1.0"

#: Where each public name lives; a name is imported from there on first use.
_HOMES = {
    "HarnessError": "harness.errors",
    "NonConformance": "harness.errors",
    "NotApplicable": "harness.errors",
    "NotRun": "harness.errors",
    "ABSENT": "harness.expect",
    "ANY": "harness.expect",
    "Pattern": "harness.expect",
    "one_of": "harness.expect",
    "OcppVersion": "harness.ocppj.versions",
    "Role": "harness.ocppj.versions",
    "NO_REPLY": "harness.responders",
    "ErrorReply": "harness.responders",
    "utc_now": "harness.responders",
    "Capability": "harness.rig",
    "EvState": "harness.rig",
    "Fault": "harness.rig",
    "Rig": "harness.rig",
    "DEFAULT": "harness.session",
    "Session": "harness.session",
    "step": "harness.steps",
}

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
    "NotApplicable",
    "NotRun",
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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
