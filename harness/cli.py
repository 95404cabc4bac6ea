"""The ``ocpp-harness`` console command: the suite runner and the standalone simulators.

::

    ocpp-harness sim csms --version 2.0.1 --port 9000 [--host 127.0.0.1]
                          [--profile PATH|builtin:NAME] [--fault NAME ...] [--boot-status S]
    ocpp-harness sim station --version 2.0.1 --csms ws://127.0.0.1:9000/ocpp --id CP1
                          [--profile PATH|builtin:NAME] [--fault NAME ...]
    ocpp-harness profiles
    ocpp-harness rig-emulator --pty | --tcp HOST:PORT [--station PROFILE --csms URL]
    ocpp-harness suite --embedded | --dut PROFILE [--dut PROFILE ...] [--html DIR]
                       [--timeout S] [-- PYTEST-ARGS]
    ocpp-harness report [RESULTS ...] [-o DIR] [--no-history] [--readiness DIR] [--no-html]
    ocpp-harness coverage [--testcases DIR] [--list]

The simulators run until Ctrl-C (SIGINT) or SIGTERM and then shut down
cleanly (exit status 0). Connections and frames are logged to stderr, frames
as ``<identity> > ...`` (sent) and ``<identity> < ...`` (received). They talk
to loopback addresses only unless ``--allow-remote`` is given. With
``--port 0`` the CSMS picks a free port; its URL is printed on stdout as
``listening on ws://...``.

``suite`` exits 1 when a profile's run had a failure or error or could not
start (skips are fine), or when the HTML report could not be generated; 130
(SIGINT) or 143 (SIGTERM) when it was interrupted. ``report`` rebuilds each
DUT's readiness summary from Allure results alone (a killed run too), then
generates the HTML report with history (docs/nightly.md). ``coverage`` prints,
per version and side, the catalogue's cases and how many are implemented,
proven (a declared mutant) and unproven; it exits 1 when a case is unproven.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.util
import logging
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from harness.catalog.coverage import coverage, render
from harness.errors import ConfigurationError, HarnessError
from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile, Embedded, builtin_profiles, resolve_profile
from harness.profile.model import FrozenMapping
from harness.report.html import ReportError, generate_html
from harness.report.readiness_allure import summaries_from_allure
from harness.report.readiness_output import terminal_lines, write_readiness
from harness.sim.csms import CsmsFaults, is_loopback, start_csms
from harness.suite import EMBEDDED_PROFILES, RESULTS, RUNS, latest_results, run_suite

__all__ = ["build_parser", "main"]

logger = logging.getLogger("harness.cli")

EXIT_USAGE = 2
EXIT_FAILURE = 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ocpp-harness``."""
    parser = argparse.ArgumentParser(
        prog="ocpp-harness", description="OCPP compliance harness: reference simulators."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sim = commands.add_parser("sim", help="run a reference simulator until Ctrl-C")
    kinds = sim.add_subparsers(dest="simulator", required=True)

    csms = kinds.add_parser("csms", help="the reference CSMS")
    _common(csms)
    csms.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    csms.add_argument("--port", type=int, default=9000, help="TCP port; 0 picks a free one")
    csms.add_argument(
        "--boot-status",
        choices=("Accepted", "Pending", "Rejected"),
        help="how boots are answered (default: the profile's, else Accepted)",
    )

    station = kinds.add_parser("station", help="the reference charging station")
    _common(station)
    station.add_argument("--csms", required=True, help="CSMS URL without identity")
    station.add_argument("--id", dest="identity", required=True, help="station identity")

    commands.add_parser("profiles", help="list the builtin DUT profiles")
    commands.add_parser(
        "rig-emulator",
        help="run the RIGP/1 rig emulator (ocpp-harness rig-emulator --help)",
        add_help=False,
    )

    suite = commands.add_parser(
        "suite",
        help="run the certification suite against DUT profiles (in parallel), "
        "writing Allure results, JUnit XML and readiness under reports/runs/<start>/<profile>/",
    )
    targets = suite.add_mutually_exclusive_group(required=True)
    targets.add_argument(
        "--embedded",
        action="store_true",
        help="every embedded reference simulator: " + ", ".join(EMBEDDED_PROFILES),
    )
    targets.add_argument(
        "--dut", action="append", metavar="PROFILE", help="a profile (TOML path or builtin:NAME)"
    )
    suite.add_argument(
        "--testcases",
        default=None,
        help="test-case folder (default: ./testcases, else the cases installed with the harness)",
    )
    suite.add_argument("--reports", default="reports", help="output folder (default reports/)")
    suite.add_argument("--jobs", type=int, default=None, help="profiles run at once")
    suite.add_argument(
        "--html",
        metavar="DIR",
        help="then generate the HTML report into DIR, keeping its history (e.g. reports/html)",
    )
    suite.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="seconds one profile's run may take before it is killed (default: no limit)",
    )
    suite.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")

    cover = commands.add_parser(
        "coverage",
        help="per version and side: catalogue cases, implemented, proven, unproven",
    )
    cover.add_argument("--testcases", default="testcases", help="test-case folder")
    cover.add_argument("--list", action="store_true", help="also list the ids")

    report = commands.add_parser(
        "report",
        help="rebuild the readiness summaries from Allure results, then generate the HTML "
        "report keeping the previous report's history (needs the Allure command line: "
        "npm ci --prefix tools/allure)",
    )
    report.add_argument(
        "results",
        nargs="*",
        help="Allure results folders, merged (default: those of the newest run under "
        f"reports/{RUNS}/, else reports/{RESULTS})",
    )
    report.add_argument(
        "-o", "--output", default="reports/html", help="report folder (default reports/html)"
    )
    report.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="do not carry the previous report's history/ over",
    )
    report.add_argument(
        "--readiness",
        metavar="DIR",
        help="where each DUT's readiness summary goes, in DIR/<dut>/ "
        "(default: readiness/ beside the report folder)",
    )
    report.add_argument(
        "--no-html", dest="html", action="store_false", help="only rebuild the summaries"
    )
    return parser


def _default_testcases() -> Path:
    """``./testcases`` in a checkout; elsewhere the package installed with the harness."""
    local = Path("testcases")
    if local.is_dir():
        return local
    spec = importlib.util.find_spec("testcases")  # finds the package without importing it
    return local if spec is None or spec.origin is None else Path(spec.origin).parent


def _run_suite(args: argparse.Namespace) -> int:
    profiles = list(EMBEDDED_PROFILES) if args.embedded else list(args.dut)
    testcases = Path(args.testcases) if args.testcases else _default_testcases()
    if not testcases.is_dir():
        print(f"ocpp-harness: no test-case folder {testcases}", file=sys.stderr)
        return EXIT_USAGE
    try:
        runs = run_suite(
            profiles,
            testcases=testcases,
            reports=Path(args.reports),
            extra=args.pytest_args,
            jobs=args.jobs,
            timeout=args.timeout,
        )
    except ValueError as error:
        print(f"ocpp-harness: {error}", file=sys.stderr)
        return EXIT_USAGE
    width = max(len(run.profile) for run in runs)
    for run in runs:
        verdict = "ok" if run.ok else "FAILED"
        print(f"{run.profile:<{width}}  {verdict:<6}  {run.summary}  ({run.seconds:.1f} s)")
        for line in run.error.splitlines():
            if line != run.summary:
                print(f"{'':<{width}}  {line}")
        if not run.ok:
            print(f"{'':<{width}}  log: {run.log}")
    folder = runs[0].folder.parent
    print(f"Run folder: {folder}")
    stopped = next((run.stopped_by for run in runs if run.stopped_by), None)
    if stopped:
        print(f"ocpp-harness: interrupted by {stopped}", file=sys.stderr)
        return 128 + signal.Signals[stopped].value
    status = 0 if all(run.ok for run in runs) else EXIT_FAILURE
    results = [run.results for run in runs if run.results.is_dir()]
    if args.html and results and _html_report(results, Path(args.html), history=True) != 0:
        return EXIT_FAILURE
    return status


def _report(args: argparse.Namespace) -> int:
    """Summaries first (they need no Allure command line), then the HTML report."""
    results = [Path(r) for r in args.results] or latest_results(Path("reports"))
    results = results or [Path("reports") / RESULTS]
    missing = [str(folder) for folder in results if not folder.is_dir()]
    if missing:
        print(f"ocpp-harness: no Allure results folder {', '.join(missing)}", file=sys.stderr)
        return EXIT_FAILURE
    output = Path(args.output)
    readiness = Path(args.readiness) if args.readiness else output.parent / "readiness"
    summaries = summaries_from_allure(results)
    if not summaries:
        print(f"ocpp-harness: no certification case results in {', '.join(map(str, results))}")
    for summary in summaries:
        print(f"{summary.dut}: {summary.line}")
        for line in terminal_lines(summary.readiness):
            print(f"  {line}")
        slug = re.sub(r"[^A-Za-z0-9.-]+", "_", summary.dut).strip("_") or "dut"
        for path in write_readiness(readiness / slug, summary.readiness):
            print(f"  wrote {path}")
    if not args.html:
        return 0
    return _html_report(results, output, history=args.history)


def _html_report(results: Sequence[Path], output: Path, *, history: bool) -> int:
    try:
        index = generate_html(results, output, history=history)
    except ReportError as error:
        print(f"ocpp-harness: HTML report: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"HTML report: {index} (serve it: python -m http.server -d {output})")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", required=True, choices=("1.6", "2.0.1"), help="OCPP version")
    parser.add_argument(
        "--profile", help="DUT profile: a TOML file or builtin:NAME (default: the builtin one)"
    )
    parser.add_argument(
        "--fault", action="append", default=[], metavar="NAME", help="switch on a fault knob"
    )
    parser.add_argument("--allow-remote", action="store_true", help="permit non-loopback addresses")
    parser.add_argument("-q", "--quiet", action="store_true", help="log connections, not frames")


def _profile(args: argparse.Namespace, role: str) -> DutProfile:
    spec = args.profile or f"builtin:{role}-{args.version}"
    dut = resolve_profile(spec)
    if dut.version is not OcppVersion.parse(args.version):
        raise ConfigurationError(
            f"profile {spec} speaks OCPP {dut.version.value}, not {args.version}",
            field="dut.ocpp_version",
        )
    if dut.role.value != role:
        raise ConfigurationError(
            f"profile {spec} describes a {dut.role.value}, not a {role}", field="dut.role"
        )
    embedded = dut.embedded or Embedded(role)
    options = dict(embedded.options)
    if getattr(args, "boot_status", None):
        options["boot_status"] = args.boot_status
    faults = tuple(args.fault) if args.fault else embedded.faults
    embedded = dataclasses.replace(embedded, faults=faults, options=FrozenMapping(options))
    return dataclasses.replace(dut, embedded=embedded)


async def _until_stopped() -> None:
    """Wait for SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _prepare(args: argparse.Namespace) -> DutProfile:
    """The simulator's profile, with the address and faults checked before anything runs."""
    if args.simulator == "csms":
        dut = _profile(args, "csms")
        if not args.allow_remote and not is_loopback(args.host):
            raise ConfigurationError(
                f"--host {args.host} is not a loopback address; add --allow-remote to expose "
                "the simulator to the network",
                field="host",
            )
        CsmsFaults(dut.embedded.faults if dut.embedded else (), dut.version)
        return dut
    dut = dataclasses.replace(_profile(args, "station"), identity=args.identity)
    host = urlsplit(args.csms).hostname or ""
    if not args.allow_remote and not is_loopback(host):
        raise ConfigurationError(
            f"--csms {args.csms} is not on a loopback address; add --allow-remote",
            field="csms",
        )
    return dut


async def _run_csms(args: argparse.Namespace, dut: DutProfile) -> None:
    async with start_csms(
        dut, host=args.host, port=args.port, allow_remote=args.allow_remote
    ) as csms:
        faults = ", ".join(dut.embedded.faults) if dut.embedded and dut.embedded.faults else "none"
        logger.info("reference CSMS, OCPP %s, faults: %s", dut.version.value, faults)
        print(f"listening on {csms.url}", flush=True)
        await _until_stopped()
        logger.info("stopping")


async def _run_station(args: argparse.Namespace, dut: DutProfile) -> None:
    from harness.sim.station import start_station

    async with start_station(dut, csms_url=args.csms):
        logger.info("station %r connecting to %s", dut.identity, args.csms)
        await _until_stopped()
        logger.info("stopping")


def _configure_logging(quiet: bool) -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s: %(message)s"
    )
    # Frames are logged by the trace at DEBUG level: "<identity> > [...]".
    logging.getLogger("harness.trace").setLevel(logging.INFO if quiet else logging.DEBUG)


def _coverage(args: argparse.Namespace) -> int:
    folder = Path(args.testcases)
    if not folder.is_dir():
        print(f"ocpp-harness: no test-case folder {folder}", file=sys.stderr)
        return EXIT_USAGE
    rows, unknown = coverage(folder)
    for line in render(rows, unknown, listing=args.list):
        print(line)
    return EXIT_FAILURE if unknown or any(row.unproven for row in rows) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["rig-emulator"]:
        from harness.rig.emulator_cli import main as rig_emulator

        return rig_emulator(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "profiles":
        for name in builtin_profiles():
            print(f"builtin:{name}")
        return 0
    if args.command == "suite":
        return _run_suite(args)
    if args.command == "report":
        return _report(args)
    if args.command == "coverage":
        return _coverage(args)
    runner = _run_csms if args.simulator == "csms" else _run_station
    try:
        dut = _prepare(args)
        _configure_logging(args.quiet)
        asyncio.run(runner(args, dut))
    except ConfigurationError as error:
        field = f" [{error.field}]" if error.field else ""
        print(f"ocpp-harness: error{field}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except HarnessError as error:
        print(f"ocpp-harness: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
