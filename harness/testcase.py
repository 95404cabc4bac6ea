"""The ``testcase`` marker: which certification test case a test implements.

Write it with :func:`testcase` rather than ``pytest.mark.testcase`` directly:
the arguments are typed and checked where the decorator is written, so a typo
fails at the user's line, not somewhere in a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pytest

from harness.errors import UsageError
from harness.ocppj.versions import OcppVersion, Role

__all__ = ["TestCaseInfo", "testcase"]

_ID = re.compile(r"^TC_(?:[A-P]_\d{2,3}|\d{3}(?:_\d+)?)_(CS|CSMS)$")


@dataclass(frozen=True)
class TestCaseInfo:
    """What the ``testcase`` marker says about a test.

    Attributes:
        id: the catalogue id, e.g. ``TC_B_01_CS``.
        version: the OCPP version the case belongs to.
        sut: the role of the system under test (``_CS``: station, ``_CSMS``: CSMS).
        profile: the certification profile, e.g. ``Core``.
        mc: ``M`` (mandatory) or ``C`` (conditional) for that profile.
        requires: PICS features the DUT must declare, else not applicable.
    """

    __test__ = False  # not a pytest test class, despite the name

    id: str
    version: OcppVersion
    sut: Role
    profile: str | None = None
    mc: Literal["M", "C"] | None = None
    requires: tuple[str, ...] = ()

    @property
    def block(self) -> str:
        """The functional block: ``B`` for 2.0.1 ``TC_B_01_CS``, ``Core`` style for 1.6."""
        parts = self.id.split("_")
        return parts[1] if self.version is not OcppVersion.V16 else "1.6"


def parse_id(case_id: str) -> Role:
    """The role under test named by an id's suffix; raises UsageError when malformed."""
    match = _ID.match(case_id)
    if match is None:
        raise UsageError(
            f"{case_id!r} is not a test-case id like TC_B_01_CS, TC_003_CSMS or TC_004_1_CS"
        )
    return Role.STATION if match.group(1) == "CS" else Role.CSMS


def testcase(
    case_id: str,
    *,
    version: str,
    profile: str | None = None,
    mc: Literal["M", "C"] | None = None,
    requires: tuple[str, ...] = (),
) -> pytest.MarkDecorator:
    """Mark a test as the implementation of a certification test case.

    Args:
        case_id: the catalogue id; its ``_CS``/``_CSMS`` suffix says which
            role is under test.
        version: ``1.6``, ``2.0.1`` or ``2.1``.
        profile: the certification profile the case belongs to.
        mc: whether the case is mandatory (``M``) or conditional (``C``).
        requires: PICS features the DUT must declare for the case to apply.

    Raises:
        UsageError: on a malformed id, version or M/C flag.
    """
    sut = parse_id(case_id)
    try:
        parsed = OcppVersion.parse(version)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if mc not in (None, "M", "C"):
        raise UsageError(f"mc must be 'M' or 'C', not {mc!r}")
    info = TestCaseInfo(case_id, parsed, sut, profile, mc, tuple(requires))
    return pytest.mark.testcase(info)


# Imported into test modules, ``testcase`` must not be collected as a test itself.
testcase.__test__ = False  # type: ignore[attr-defined]
