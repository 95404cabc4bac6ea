"""The library runs without pytest; its skips are harness exceptions the plugin translates."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from harness.errors import CaseSkipped, NotApplicable, NotRun

LOADED = "import sys; print(sorted(m for m in ('pytest', 'allure') if m in sys.modules))"


def _loaded_after(statement: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"{statement}; {LOADED}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_library_imports_without_pytest_or_allure() -> None:
    """The package, the engine, the simulators, the rig, the flows and the judge load no pytest."""
    modules = "harness, harness.ocppj, harness.sim, harness.rig, harness.flows.v16.cs, "
    modules += "harness.flows.v201.csms, harness.session, harness.trigger, harness.steps"
    assert _loaded_after(f"import {modules}") == "[]"


def test_the_public_names_load_on_first_use() -> None:
    """``from harness import Session`` works, and ``testcase`` stays the function even
    after the plugin imported the module of the same name."""
    statement = (
        "import harness.testcase; from harness import Session, step, testcase; "
        "assert callable(testcase) and not isinstance(testcase, type(harness)), testcase"
    )
    assert _loaded_after(statement) == "[]"


@pytest.mark.parametrize(
    ("kind", "given", "reason"),
    [
        (NotApplicable, "no fixed cable", "not applicable: no fixed cable"),
        (NotApplicable, "not applicable: no fixed cable", "not applicable: no fixed cable"),
        (NotRun, "the rig cannot plug", "not run: the rig cannot plug"),
        (NotRun, "not run: the rig cannot plug", "not run: the rig cannot plug"),
    ],
)
def test_a_skip_reason_starts_with_its_prefix_once(
    kind: type[CaseSkipped], given: str, reason: str
) -> None:
    """The prefix the readiness summary classifies by comes from the type, never doubled."""
    assert kind(given).reason == reason
    assert str(kind(given)) == reason


CASES = """
import pytest

from harness import NotApplicable, NotRun, testcase
from harness.rig.null import NoRig


@pytest.fixture
def lacking_rig():
    raise NotRun("the fixture's rig cannot plug a cable")


@testcase("TC_B_01_CS")
def test_skipped_in_setup(lacking_rig):
    raise AssertionError("never runs")


@testcase("TC_B_02_CS")
def test_skipped_in_the_body():
    raise NotApplicable("the station declares no display")


@testcase("TC_B_03_CS")
async def test_skipped_by_the_rig():
    await NoRig().plug_in()
"""


def test_the_plugin_turns_harness_skips_into_pytest_skips(pytester: pytest.Pytester) -> None:
    """NotRun/NotApplicable raised in a fixture, a test body or the rig skip the case with
    the reason unchanged, located at the test."""
    pytester.makepyfile(test_cases=textwrap.dedent(CASES))
    result = pytester.runpytest_subprocess(
        "--dut=builtin:station-2.0.1", "-p", "no:cacheprovider", "-rs", timeout=60
    )
    result.assert_outcomes(skipped=3)
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED *test_cases.py:*: not run: the fixture's rig cannot plug a cable",
            "SKIPPED *test_cases.py:*: not applicable: the station declares no display",
            "SKIPPED *test_cases.py:*: not run: the profile has no rig *to plug a cable",
        ]
    )


STEPPED = """
from harness import step, testcase


@testcase("TC_B_01_CS")
def test_stepped():
    with step("1. first"), step("1a. inner"):
        pass
"""


def test_steps_reach_allure_through_the_plugin(pytester: pytest.Pytester) -> None:
    """The library's steps, reported nowhere by themselves, are Allure steps under the plugin."""
    pytester.makepyfile(test_stepped=textwrap.dedent(STEPPED))
    result = pytester.runpytest_subprocess(
        "--dut=builtin:station-2.0.1", "-p", "no:cacheprovider", "--alluredir=results", timeout=60
    )
    result.assert_outcomes(passed=1)
    [case] = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (pytester.path / "results").glob("*-result.json")
    ]
    [outer] = case["steps"]
    assert outer["name"] == "1. first"
    assert [inner["name"] for inner in outer["steps"]] == ["1a. inner"]
