"""The HTML report: the Allure command line over an allure-results folder, with history.

Allure keeps its trends (outcome counts per run, each test's earlier results,
durations, categories) in the generated report's ``history/`` folder. The next
generation takes them up when that folder is copied into the results folder
first, as Allure documents; :func:`generate_html` does that, then runs
``allure generate --clean``, so one fixed output folder accumulates history run
after run::

    from harness.report.html import generate_html

    generate_html(Path("reports/allure-results"), Path("reports/html"))

The command line is found at ``$ALLURE_BIN``, then ``tools/allure`` of the
project (``npm ci --prefix tools/allure``), then on ``PATH``; it needs Java.
The report loads its data with XHR, so it must be served over HTTP
(``python -m http.server -d reports/html`` or ``allure open reports/html``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from harness.errors import HarnessError

__all__ = [
    "ALLURE_INSTALL",
    "AllureNotFound",
    "ReportError",
    "carry_history",
    "clean_results",
    "find_allure",
    "generate_html",
]

#: The command that installs the pinned Allure command line (tools/allure/package.json).
ALLURE_INSTALL = "npm ci --prefix tools/allure"
#: Seconds ``allure generate`` may take; a large nightly report takes tens of seconds.
GENERATE_TIMEOUT = 600.0
_HISTORY = "history"
_PROJECT = Path(__file__).resolve().parents[2]


class ReportError(HarnessError):
    """The HTML report could not be generated.

    Attributes:
        command: the command that failed, when one ran.
        output: the tail of its output (stdout and stderr), when one ran.
    """

    def __init__(self, message: str, *, command: Sequence[str] = (), output: str = "") -> None:
        super().__init__(message)
        self.command = tuple(command)
        self.output = output


class AllureNotFound(ReportError):
    """Neither ``$ALLURE_BIN``, ``tools/allure`` nor ``PATH`` has the Allure command line."""


def find_allure(projects: Sequence[Path] | None = None) -> Path:
    """The Allure command line: ``$ALLURE_BIN``, else ``tools/allure``, else ``PATH``.

    Args:
        projects: folders whose ``tools/allure`` is looked in; default: the
            current directory and the project this package was installed
            from (an editable install).

    Raises:
        AllureNotFound: nowhere; the message names the install command.
    """
    explicit = os.environ.get("ALLURE_BIN", "")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return Path(explicit)
        raise AllureNotFound(f"ALLURE_BIN={explicit} is not an executable file")
    local = Path("tools/allure/node_modules/.bin/allure")
    folders = (Path.cwd(), _PROJECT) if projects is None else projects
    for candidate in (folder / local for folder in folders):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("allure")
    if on_path:
        return Path(on_path)
    raise AllureNotFound(
        "the Allure command line is not installed: run "
        f"`{ALLURE_INSTALL}` (or scripts/setup.sh) in the project folder, "
        "or set ALLURE_BIN to an allure executable"
    )


def _check_java() -> None:
    home = os.environ.get("JAVA_HOME", "")
    if home and Path(home, "bin", "java").is_file():
        return
    if shutil.which("java") is None:
        raise ReportError(
            "the Allure command line needs Java 8 or later and none was found "
            "(Debian: apt-get install default-jre-headless, or run scripts/setup.sh; "
            "or set JAVA_HOME)"
        )


def clean_results(results: Path) -> None:
    """Empty the ``results`` folder for a new run, keeping its ``history/`` folder.

    Without this, results of earlier runs stay and Allure shows them as
    retries of this run's.
    """
    if not results.is_dir():
        return
    for child in results.iterdir():
        if child.name == _HISTORY and child.is_dir():
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def carry_history(report: Path, results: Path) -> bool:
    """Copy the previous report's ``history/`` into ``results``, replacing any there.

    Returns:
        Whether there was a history to carry (false on the first run).
    """
    source = report / _HISTORY
    if not source.is_dir():
        return False
    target = results / _HISTORY
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return True


def _check_output(report: Path, results: Sequence[Path]) -> None:
    """Refuse output folders that ``allure generate --clean`` must not wipe."""
    resolved = report.resolve()
    for folder in results:
        inside = folder.resolve()
        if inside == resolved or resolved in inside.parents:
            raise ReportError(
                f"the report folder {report} would contain the results folder {folder}; "
                "allure generate --clean would delete the results"
            )
    if resolved in (Path.home().resolve(), Path.cwd().resolve(), Path(resolved.anchor)):
        raise ReportError(f"refusing to write the report into {report}: it would be wiped")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / "index.html").is_file():
        raise ReportError(
            f"{report} exists and is not an Allure report (no index.html); "
            "allure generate --clean would delete its content: choose an empty folder"
        )


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _run(command: Sequence[str], timeout: float) -> str:
    """Run ``command`` in its own process group; kill the whole group on timeout."""
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # the allure script starts java: kill both on timeout
        )
    except OSError as error:
        raise ReportError(f"cannot run {command[0]}: {error}", command=command) from error
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        output, _ = process.communicate()
        raise ReportError(
            f"{Path(command[0]).name} {command[1]} did not finish within {timeout:.0f} s",
            command=command,
            output=output[-2000:],
        ) from error
    except BaseException:  # Ctrl-C: the group is not ours to leave running
        _kill_group(process)
        process.wait()
        raise
    if process.returncode != 0:
        tail = output[-2000:].strip()
        raise ReportError(
            f"{Path(command[0]).name} {command[1]} failed (exit status {process.returncode}):"
            f"\n{tail}",
            command=command,
            output=tail,
        )
    return output


def generate_html(
    results: Path | Sequence[Path],
    report: Path,
    *,
    allure: Path | None = None,
    history: bool = True,
    timeout: float = GENERATE_TIMEOUT,
) -> Path:
    """Generate the HTML report from Allure results, keeping the history of ``report``.

    Args:
        results: the allure-results folder (several are merged into one report;
            the history goes into the first).
        report: the output folder; replaced on every call, except its history.
        allure: the Allure command line (default: :func:`find_allure`).
        history: carry ``report/history`` over, so trends show.
        timeout: seconds ``allure generate`` may take.

    Returns:
        The report's ``index.html``.

    Raises:
        AllureNotFound: the Allure command line is not installed.
        ReportError: no results, a dangerous output folder, no Java, or Allure
            failed or timed out.
    """
    folders = [results] if isinstance(results, Path) else list(results)
    if not folders:
        raise ReportError("no allure-results folder given")
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        raise ReportError(f"no allure-results folder {', '.join(missing)}")
    _check_output(report, folders)
    executable = allure or find_allure()
    _check_java()
    if history:
        carry_history(report, folders[0])
    command = [str(executable), "generate", *map(str, folders), "--clean", "-o", str(report)]
    _run(command, timeout)
    index = report / "index.html"
    if not index.is_file():
        raise ReportError(f"allure generate wrote no {index}", command=command)
    return index
