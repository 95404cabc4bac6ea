"""The round-trip benchmark works end to end; its figures are printed, never judged.

Speed is not asserted anywhere here: a benchmark compares variants within one
run (``bench/roundtrip.py``), a timed unit test would only measure the CI machine.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "roundtrip.py"
TINY = ["--count", "50", "--rounds", "1", "--warmup", "10"]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """``bench/roundtrip.py`` imported as a module (``bench`` is a folder, not a package)."""
    name = "bench_roundtrip"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("version", ["2.0.1", "1.6"])
async def test_a_tiny_run_measures_every_variant_and_reports_the_ratios(
    bench: ModuleType, version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every variant completes 50 checked round trips; the report and JSON carry ratios."""
    figures = tmp_path / "figures.json"
    options = bench.parse_args([*TINY, "--version", version, "--json", str(figures)])

    result = await bench.run(options)
    report = bench.format_report(result)
    print(report)
    bench.write_json(result, figures)

    assert {bench.RAW, bench.HARNESS, bench.OCPP_DEFAULT} <= set(result.variants)
    assert all(variant.round_trips == [50] for variant in result.variants.values())
    assert f"OCPP {version}:" in capsys.readouterr().out
    for name in result.variants:
        assert name in report
    assert "vs raw" in report
    assert f"harness vs {bench.OCPP_DEFAULT}:" in report
    assert "targets (ratios of medians):" in report
    document = json.loads(figures.read_text(encoding="utf-8"))
    assert document["version"] == version
    assert set(document["harness_vs"]) == set(result.variants) - {bench.HARNESS}
    assert [target["baseline"] for target in document["targets"]] == [
        baseline for baseline, _ in bench.TARGETS
    ]


def test_the_script_runs_from_the_command_line_with_a_profile() -> None:
    """``python bench/roundtrip.py`` exits 0 (a measurement, not a test) and prints hotspots."""
    completed = subprocess.run(
        [sys.executable, str(BENCH), *TINY, "--profile"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert "targets (ratios of medians):" in completed.stdout
    assert "top 15 by cumulative time" in completed.stdout
    assert "top 15 by own time" in completed.stdout


def test_count_and_seconds_exclude_each_other(bench: ModuleType) -> None:
    """A run is bounded by a count or by a duration, never both."""
    with pytest.raises(SystemExit):
        bench.parse_args(["--count", "10", "--seconds", "1"])
