"""How much of the catalogue the test cases cover, and how much of that is proven.

Read from the source of a test-case folder (the ``@testcase("ID", proof=[...])``
decorators), not by importing it: the count needs neither pytest nor the
simulators, and a folder that does not import still gets counted. A case is
*proven* when its marker declares at least one mutant; the generic self-test
(``tests/selftest/test_proofs.py``) is what shows each declared mutant makes
it FAIL.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness.catalog.loader import entries, lookup
from harness.ocppj.versions import OcppVersion, Role

__all__ = ["Coverage", "coverage", "declared_cases", "render"]


@dataclass(frozen=True)
class Coverage:
    """The coverage of one OCPP version and side under test.

    Attributes:
        version: the OCPP version.
        sut: the side under test.
        catalogue: how many cases the catalogue has for them.
        proven: implemented ids with at least one declared mutant.
        unproven: implemented ids without one.
    """

    version: OcppVersion
    sut: Role
    catalogue: int
    proven: tuple[str, ...] = field(default=())
    unproven: tuple[str, ...] = field(default=())

    @property
    def implemented(self) -> int:
        """How many catalogue cases have an implementation."""
        return len(self.proven) + len(self.unproven)


def _decorators(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == (
                    "testcase"
                ):
                    yield decorator


def _proof_count(call: ast.Call) -> int:
    for keyword in call.keywords:
        if keyword.arg == "proof":
            value = keyword.value
            return len(value.elts) if isinstance(value, ast.List | ast.Tuple) else 1
    return 0


def declared_cases(folder: Path) -> dict[str, int]:
    """Each case id declared under ``folder`` with its number of declared mutants.

    Args:
        folder: a test-case folder (``testcases/``); every ``test_*.py`` below it is read.
    """
    found: dict[str, int] = {}
    for path in sorted(folder.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call in _decorators(tree):
            first = call.args[0] if call.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = found.get(first.value, 0) + _proof_count(call)
    return found


def coverage(folder: Path) -> tuple[list[Coverage], list[str]]:
    """Per version and side, the catalogue's cases and the implemented, proven and unproven ones.

    Returns:
        The rows (1.6, 2.0.1, 2.1 order; station before CSMS; only versions
        the catalogue has), and the declared ids the catalogue lacks.
    """
    declared = declared_cases(folder)
    rows: list[Coverage] = []
    for version in OcppVersion:
        for sut in (Role.STATION, Role.CSMS):
            ids = [entry.id for entry in entries(version, sut)]
            if not ids:
                continue
            mine = [case for case in ids if case in declared]
            rows.append(
                Coverage(
                    version,
                    sut,
                    len(ids),
                    tuple(case for case in mine if declared[case]),
                    tuple(case for case in mine if not declared[case]),
                )
            )
    unknown = sorted(case for case in declared if lookup(case) is None)
    return rows, unknown


def render(rows: list[Coverage], unknown: list[str], *, listing: bool = False) -> list[str]:
    """The coverage table as text lines; with ``listing``, the proven and unproven ids too."""
    lines = [f"{'version':<8} {'side':<8} {'catalogue':>9} {'implemented':>11} "
             f"{'proven':>6} {'unproven':>8}"]  # fmt: skip
    for row in rows:
        lines.append(
            f"{row.version.value:<8} {row.sut.value:<8} {row.catalogue:>9} {row.implemented:>11} "
            f"{len(row.proven):>6} {len(row.unproven):>8}"
        )
    if listing:
        for row in rows:
            for label, ids in (("proven", row.proven), ("unproven", row.unproven)):
                if ids:
                    lines.append(f"{row.version.value} {row.sut.value} {label}: {' '.join(ids)}")
    if unknown:
        lines.append("not in the catalogue: " + " ".join(unknown))
    return lines
