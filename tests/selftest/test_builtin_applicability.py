"""Every implemented case applies to at least one builtin profile, as the main job runs them.

The README's main job runs each builtin profile as it is (no flags added, unlike
the proofs): a case that applies to none of them would never run there. A case
applies to a profile of its version and role whose ``features`` meet its
``requires`` and ``excludes`` and whose rig has the capabilities it names.
"""

from __future__ import annotations

import pytest

from tests.selftest.applicability import PROFILES, applies
from tests.selftest.test_proofs import CASES


@pytest.mark.parametrize("case", CASES, ids=[case.info.id for case in CASES])
def test_the_case_applies_to_a_builtin_profile(case: object) -> None:
    """At least one builtin profile runs the case in the main job (it is not skipped everywhere)."""
    info = case.info  # type: ignore[attr-defined]
    where = [name for name, dut in PROFILES.items() if applies(info, dut)]
    assert where, (
        f"{info.id} applies to no builtin profile (requires {info.requires}, excludes "
        f"{info.excludes}, rig {[c.value for c in info.rig]}): the main job would never run it"
    )
