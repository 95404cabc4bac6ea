"""The harness's own tests: a per-test guard of their own.

pytest-timeout's ``timeout`` ini value would apply to every test of a run,
certification cases included, and override the guard the plugin derives from
the DUT profile's timings (fixtures/markers.py ``last_resort_timeout``). So
the project's tests get their guard here, as a marker on the items under
``tests/`` only: a run of the certification cases never sees it, and a
user's ``--timeout`` (or ``PYTEST_TIMEOUT``, or ini ``timeout``) still wins.

Tests marked ``long_running`` (the bench: a whole suite on one station, minutes
each) are moved to the front of the run. Under xdist the first items are dealt
to the workers at once, so each long one starts at the beginning and the short
ones fill in around it; collected in place, they started last and ran alone
while the other workers idled (the -n 6 run: the last 3 % of the items took
8 of its 17.6 minutes).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.selftest import proof_timing

#: Bound on one self-test (seconds); the slowest run whole suites in a subprocess.
SELF_TEST_GUARD = 120.0

_TESTS = Path(__file__).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    proof_timing.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    proof_timing.collect_times(config)
    config.addinivalue_line(
        "markers", "long_running: a self-test of minutes; the run starts it first"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Stable: the long ones keep their own order (longest first), the rest theirs.
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)
    if (
        config.getoption("timeout", None) is not None
        or os.environ.get("PYTEST_TIMEOUT")
        or config.getini("timeout")
    ):
        return
    for item in items:
        if item.path.is_relative_to(_TESTS) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SELF_TEST_GUARD))
