"""The import-linter contracts hold; the one keeping the reference apart from the judge is whole."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What judges a DUT: the reference simulators must import none of it.
JUDGE = {
    "harness.session",
    "harness.waiting",
    "harness.expect",
    "harness.explain",
    "harness.flows",
    "harness.responders",
    "harness.replycontrol",
    "harness.roles",
    "harness.checks",
}


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["importlinter"]["contracts"]
    return {str(contract["id"]): contract for contract in listed}


def test_the_reference_contract_forbids_every_judge_module() -> None:
    """The contract on harness.sim names every module that judges a DUT."""
    contract = _contracts()["reference-independent-of-judge"]
    assert contract["type"] == "forbidden"
    assert contract["source_modules"] == ["harness.sim"]
    forbidden = contract["forbidden_modules"]
    assert isinstance(forbidden, list)
    assert set(forbidden) >= JUDGE


def test_the_import_contracts_hold() -> None:
    """lint-imports keeps every contract of pyproject.toml (what CI runs)."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
