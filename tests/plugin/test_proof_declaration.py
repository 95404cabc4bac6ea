"""A case's proof is declared beside it and checked where the decorator is written."""

from __future__ import annotations

import pytest

from harness.errors import UsageError
from harness.proof import Mutant
from harness.testcase import TestCaseInfo, testcase


def _info(case_id: str, *proof: Mutant) -> TestCaseInfo:
    found = testcase(case_id, proof=list(proof)).mark.args[0]
    assert isinstance(found, TestCaseInfo)
    return found


def test_proof_is_kept_on_the_marker() -> None:
    """The declared mutants, with step, words and builtin profile, are on the marker."""
    mutant = Mutant("skip_status", "skip_notify_event", step="5-6", says="Available")
    rig = Mutant("skip_status:Occupied", step="1-2", says="x", builtin="station-2.0.1-serial-rig")
    info = _info("TC_B_01_CS", mutant, rig)
    assert info.proof == (mutant, rig)
    assert mutant.name == "skip_status+skip_notify_event"
    assert rig.name == "skip_status:Occupied@station-2.0.1-serial-rig"


@pytest.mark.parametrize(
    ("case_id", "knob"),
    [
        ("TC_B_03_CS", "send_while_rejectd"),  # 2.0.1 station: a typo
        ("TC_B_06_CS", "reject:Heartbeat"),  # 2.0.1 station: the station sends Heartbeat
        ("TC_001_CS", "boot_rejected"),  # a CSMS knob on a 1.6 station case
        ("TC_001_CSMS", "boot_no_retry"),  # a station knob on a CSMS case
        ("TC_003_CSMS", "schema_violation:Bogus"),  # not a 1.6 action
    ],
)
def test_a_knob_the_simulator_does_not_know_fails_at_import(case_id: str, knob: str) -> None:
    """A knob unknown to the simulator playing the case's DUT is refused, naming the case."""
    with pytest.raises(UsageError, match=case_id):
        _info(case_id, Mutant(knob, step="1", says="x"))


def test_a_mutant_needs_knobs_a_step_and_words() -> None:
    """An empty mutant, step or message is a usage error, as is a proof that is not a Mutant."""
    with pytest.raises(UsageError):
        Mutant(step="1", says="x")
    with pytest.raises(UsageError):
        Mutant("boot_rejected", step="", says="x")
    with pytest.raises(UsageError, match="not a Mutant"):
        testcase("TC_001_CSMS", proof=["boot_rejected"])  # type: ignore[list-item]


def test_two_proofs_of_one_name_are_refused() -> None:
    """Two mutants with the same knobs on the same profile would be the same test id."""
    twice = Mutant("boot_rejected", step="1", says="x")
    with pytest.raises(UsageError, match="two proofs"):
        _info("TC_001_CSMS", twice, Mutant("boot_rejected", step="2", says="y"))
