"""Benchmark of the generic proof self-test: wall time per proof, against a baseline.

Runs the proofs (``test_mutant_fails`` of ``tests/selftest/test_proofs.py``)
twice in one run of this script, one proof after the other (no xdist, so the
figures are per proof, not per worker):

1. the baseline: by default each proof on its builtin profile's own timings
   (``--proof-timing=builtin``), as the main job runs the cases; with
   ``--baseline=subprocess`` the self-test timings, each proof in a plain
   subprocess instead of a child of the fork server (``OCPP_SELFTEST_FORK=0``);
2. the self-test timings the CI uses (``--proof-timing=selftest``), forked.

and prints per proof both wall times and their ratio, the ten slowest of the
second run with where their time goes (start-up, setup, the case, teardown)
and what they wait for, the mean and the total. The ratio is the figure to
quote: both runs share the machine and its load.

Usage::

    .venv/bin/python scripts/proof_times.py                 # every proof, with baseline
    .venv/bin/python scripts/proof_times.py -k TC_001_CS    # some proofs
    .venv/bin/python scripts/proof_times.py --no-baseline   # the self-test timings only
    .venv/bin/python scripts/proof_times.py --baseline=subprocess  # fork server vs subprocess

The exit status is 1 when a proof did not hold in the self-test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run(
    timing: str, select: str, out: Path, *, fork: bool = True
) -> tuple[int, list[dict[str, Any]]]:
    """Run the proofs on ``timing``; its exit status and the per-proof figures."""
    expression = f"test_mutant_fails and ({select})" if select else "test_mutant_fails"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/selftest/test_proofs.py",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-k",
        expression,
        f"--proof-timing={timing}",
        "--proof-budget=0",  # measure; the budget is the self-test's business
        f"--proof-times-json={out}",
    ]
    print(f"$ {' '.join(command[1:])}", flush=True)
    env = {**os.environ, "OCPP_SELFTEST_FORK": "1" if fork else "0"}
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True, env=env)
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:])
    rows = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    return done.returncode, rows


def _stats(rows: list[dict[str, Any]]) -> tuple[float, float]:
    total = sum(float(row["wall"]) for row in rows)
    return total / max(len(rows), 1), total


def report(now: list[dict[str, Any]], base: dict[str, float], label: str = "builtin") -> None:
    """Print every proof, the ten slowest with their phases, and the mean and total."""
    print("\nper proof: wall seconds (self-test timings)" + ("  [baseline, ratio]" if base else ""))
    for row in sorted(now, key=lambda r: str(r["proof"])):
        line = f"  {row['wall']:6.2f}  {row['proof']}"
        if row["proof"] in base:
            before = base[row["proof"]]
            line += f"  [{before:6.2f}, x{row['wall'] / before:.2f}]"
        print(line)
    print("\nten slowest: wall = start-up + setup + case + teardown; fails at / waits for")
    for row in sorted(now, key=lambda r: -float(r["wall"]))[:10]:
        print(
            f"  {row['wall']:6.2f} = {row['startup']:4.2f} + {row['setup']:4.2f} + "
            f"{row['call']:5.2f} + {row['teardown']:4.2f}  {row['proof']}: {row['waits_for']}"
        )
    mean, total = _stats(now)
    print(f"\n{len(now)} proofs, self-test timings: mean {mean:.2f} s, total {total:.1f} s")
    if base:
        before_mean = sum(base.values()) / len(base)
        before_total = sum(base.values())
        print(
            f"{len(base)} proofs, baseline ({label}): mean {before_mean:.2f} s, "
            f"total {before_total:.1f} s; ratio self-test/baseline: "
            f"mean x{mean / before_mean:.2f}, total x{total / before_total:.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="select", default="", help="pytest -k expression of proofs")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline run")
    parser.add_argument(
        "--baseline",
        choices=("builtin", "subprocess"),
        default="builtin",
        help="builtin timings (default), or self-test timings in plain subprocesses",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        base: dict[str, float] = {}
        if not args.no_baseline:
            timing = "builtin" if args.baseline == "builtin" else "selftest"
            fork = args.baseline == "builtin"
            _status, rows = run(timing, args.select, Path(folder) / "baseline.json", fork=fork)
            base = {str(row["proof"]): float(row["wall"]) for row in rows}
        status, now = run("selftest", args.select, Path(folder) / "selftest.json")
    if not now:
        print("no proof ran")
        return 1
    label = "builtin timings" if args.baseline == "builtin" else "plain subprocesses"
    report(now, base, label)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
