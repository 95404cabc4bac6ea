"""Per-test overhead of the harness against the embedded simulators.

One pytest run holds N empty tests (the baseline) and N tests that only take the
``csms`` fixture (a fresh embedded station is started, connects, boots and is
stopped for each) — or the ``station`` fixture against the embedded CSMS. The
JUnit times of the two groups, from the same run, give the harness's fixed cost
per test case, as milliseconds and as a ratio to the empty test.

    .venv/bin/python bench/per_test_overhead.py [--count N] [--dut builtin:station-2.0.1]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASES = """
import pytest

@pytest.mark.parametrize("n", range({count}))
def test_empty(n):
    pass

@pytest.mark.parametrize("n", range({count}))
async def test_with_session({fixture}, n):
    pass
"""

INI = """[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""


def measure(count: int, dut: str) -> dict[str, float]:
    """Mean seconds per test for the empty and the session-taking tests."""
    fixture = "station" if ":csms-" in dut or "csms" in Path(dut).stem else "csms"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "test_overhead.py").write_text(CASES.format(count=count, fixture=fixture))
        (path / "pytest.ini").write_text(INI)
        junit = path / "junit.xml"
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", str(path), "-p", "no:cacheprovider",
             f"--dut={dut}", f"--junitxml={junit}", "-q"],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise SystemExit(f"pytest failed:\n{completed.stdout}\n{completed.stderr}")
        times: dict[str, list[float]] = {"empty": [], "session": []}
        for case in ET.parse(junit).getroot().iter("testcase"):
            group = "empty" if case.get("name", "").startswith("test_empty") else "session"
            times[group].append(float(case.get("time", "0")))
    return {group: statistics.mean(values) for group, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="tests per group (default 20)")
    parser.add_argument("--dut", default="builtin:station-2.0.1", help="DUT profile")
    args = parser.parse_args()
    means = measure(args.count, args.dut)
    empty, session = means["empty"], means["session"]
    print(f"DUT {args.dut}, {args.count} tests per group, one pytest run")
    print(f"  empty test:                 {empty * 1000:8.2f} ms")
    print(f"  test taking the session:    {session * 1000:8.2f} ms")
    ratio = f"{session / empty:.0f}x the empty test" if empty >= 1e-4 else "empty test < 0.1 ms"
    print(f"  harness overhead per test:  {(session - empty) * 1000:8.2f} ms  ({ratio})")


if __name__ == "__main__":
    main()
