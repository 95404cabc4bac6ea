"""Another repository needs only ``pip install`` of the project and a profile.

The wheel is built and installed (without dependencies, which come from this
venv through a ``.pth``) into a fresh venv outside the repository; a folder
with no conftest and no pytest settings then runs the installed cases with
the plugin pytest found through the distribution's ``pytest11`` entry point.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "ocpp_harness_fixtures.plugin"


def _run(*argv: str | Path, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(arg) for arg in argv], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{argv} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as ``pip wheel`` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, REPO, cwd=out)
    [built] = out.glob("ocpp_harness-*.whl")
    return built


@pytest.fixture(scope="module")
def elsewhere(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh venv with the wheel installed, and an empty folder outside the repository."""
    root = tmp_path_factory.mktemp("elsewhere")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    python = venv / "bin" / "python"
    purelib = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root
    ).stdout.strip()
    # The dependencies (pytest, ocpp, ...) from this venv; the project itself from the wheel.
    deps = sysconfig.get_paths()["purelib"]
    Path(purelib, "project-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=root)
    suite = root / "my-device-tests"
    suite.mkdir()
    return python, suite


def test_the_wheel_ships_no_top_level_fixtures_package(wheel: Path) -> None:
    """Top-level names: the library, the plugin under its own name, the cases; no
    ``fixtures`` (an existing distribution's name); the plugin is a pytest11 entry point."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry = archive.read(entry_points).decode()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"harness", "ocpp_harness_fixtures", "testcases"}
    assert f"[pytest11]\n{PLUGIN} = {PLUGIN}" in entry


def test_a_separate_folder_runs_the_installed_cases_through_the_entry_point(
    elsewhere: tuple[Path, Path],
) -> None:
    """``pytest --pyargs testcases --dut builtin:csms-1.6`` in a folder with no conftest
    and no settings passes the 1.6 CSMS cases, from the installed copy."""
    python, suite = elsewhere
    assert not list(suite.iterdir())
    done = _run(
        python, "-m", "pytest", "--pyargs", "testcases", "--dut", "builtin:csms-1.6",
        "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestDeprecationWarning",
        cwd=suite,
    )  # fmt: skip
    summary = done.stdout.splitlines()[-1]
    assert re.search(r"= \d+ passed, \d+ deselected in ", summary), done.stdout
    assert "ocpp-harness DUT: Embedded CSMS simulator" in done.stdout
    assert str(REPO) not in done.stdout


def test_the_suite_command_finds_the_installed_cases(elsewhere: tuple[Path, Path]) -> None:
    """``ocpp-harness suite --dut csms-1.6`` in a folder without ``testcases/`` runs the
    installed cases (no ``--testcases`` needed)."""
    python, suite = elsewhere
    done = _run(python.parent / "ocpp-harness", "suite", "--dut", "csms-1.6", cwd=suite)
    assert re.search(r"builtin:csms-1\.6\s+ok\s+\d+ passed", done.stdout), done.stdout


def test_the_installed_library_imports_without_pytest(elsewhere: tuple[Path, Path]) -> None:
    """In the installed copy, ``import harness.ocppj, harness.sim`` loads no pytest or Allure."""
    python, suite = elsewhere
    done = _run(
        python, "-c",
        "import sys, harness.ocppj, harness.sim; print(harness.__file__); "
        "print(sorted(m for m in ('pytest', '_pytest', 'allure') if m in sys.modules))",
        cwd=suite,
    )  # fmt: skip
    where, loaded = done.stdout.split()
    assert not where.startswith(str(REPO)), where
    assert loaded == "[]"


def test_naming_the_plugin_again_registers_nothing_twice(pytester: pytest.Pytester) -> None:
    """The entry point's name is the module's, so a conftest naming the plugin (as older
    suites did) is a no-op, not a second registration."""
    pytester.makeconftest(f'pytest_plugins = ["{PLUGIN}"]\n')
    pytester.makepyfile(
        test_plugin="""
        def test_registered_once(pytestconfig):
            manager = pytestconfig.pluginmanager
            plugin = manager.get_plugin("ocpp_harness_fixtures.plugin")
            assert plugin is not None
            assert [n for n, p in manager.list_name_plugin() if p is plugin] == [plugin.__name__]
        """
    )
    result = pytester.runpytest_subprocess("--dut=builtin:csms-1.6", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
