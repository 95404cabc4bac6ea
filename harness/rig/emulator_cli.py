"""``ocpp-harness rig-emulator``: run the RIGP/1 rig emulator on its own.

Usage::

    python -m harness.rig.emulator_cli --pty
    python -m harness.rig.emulator_cli --tcp 127.0.0.1:7777
    python -m harness.rig.emulator_cli --tcp 127.0.0.1:7777 \\
        --station builtin:station-2.0.1 --csms ws://127.0.0.1:9000/ocpp

It prints one line, ``rig emulator ready: <port>``, where ``<port>`` is the
pty path or the ``socket://`` URL to give to ``[rig] port`` or to
``python -m harness.rig.send``, and serves until interrupted (SIGINT, SIGTERM)
or ``--duration`` seconds have passed. With ``--station`` the emulator runs
the reference station simulator of that profile and every RIGP/1 command acts
on it (``PLUG IN`` plugs it in, ``MAINS OFF`` cuts its power, …); the station
keeps trying to reach its CSMS until ``--connect-timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import cast

from harness.errors import HarnessError
from harness.rig.codec import PROTOCOL_VERSION
from harness.rig.emulator import RigEmulator
from harness.rig.sim import StationInputs

__all__ = ["main", "serve"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocpp-harness rig-emulator",
        description="A RIGP/1 test rig in software, over a pseudo-terminal or TCP (loopback).",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="serve on a new pseudo-terminal")
    where.add_argument("--tcp", metavar="HOST:PORT", help="serve on TCP, e.g. 127.0.0.1:7777")
    parser.add_argument("--connectors", type=int, default=None, help="rig connectors (default 1)")
    parser.add_argument("--readers", type=int, default=1, help="RFID readers (default 1)")
    parser.add_argument("--station", metavar="PROFILE", help="drive this profile's simulator")
    parser.add_argument("--csms", metavar="URL", help="CSMS the simulated station connects to")
    parser.add_argument("--connect-timeout", type=float, default=300.0, metavar="SECONDS")
    parser.add_argument("--duration", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--proto", default=PROTOCOL_VERSION, help=argparse.SUPPRESS)
    return parser


async def serve(
    args: argparse.Namespace,
    *,
    station: StationInputs | None = None,
    connectors: Sequence[tuple[int, int]] | None = None,
    stop: asyncio.Event | None = None,
) -> int:
    """Serve until ``stop`` is set or ``args.duration`` passes.

    Args:
        args: the parsed command line.
        station: a station to wire the rig to (overrides ``--station``).
        connectors: ``(evse, connector)`` per rig connector.
        stop: set it to end the service (signals set it too).

    Returns:
        The exit status.
    """
    stop = stop or asyncio.Event()
    pairs = list(connectors or [(n, 1) for n in range(1, (args.connectors or 1) + 1)])
    emulator = RigEmulator(
        connectors=pairs, readers=args.readers, station=station, proto=args.proto
    )
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        try:
            where = await emulator.start_tcp(host.strip("[]") or "127.0.0.1", int(port))
        except (ValueError, OSError) as error:
            print(f"rig emulator: cannot listen on {args.tcp}: {error}", file=sys.stderr)
            return 2
    else:
        where = await emulator.start_pty()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    print(f"rig emulator ready: {where}", flush=True)
    try:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(args.duration):
                await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
        await emulator.stop()
    return 0


async def _with_station(args: argparse.Namespace) -> int:
    from harness.profile import resolve_profile
    from harness.rig.factory import connector_list
    from harness.sim.station import station_class

    dut = resolve_profile(args.station)
    connection = dut.connection
    csms_url = args.csms or f"ws://{connection.host}:{connection.port}{connection.path}"
    if not args.csms and connection.port == 0:
        print("rig emulator: the profile's port is 0; give --csms URL", file=sys.stderr)
        return 2
    station = station_class(dut.version)(dut, csms_url=csms_url)
    # The version classes implement StationInputs; StationBase itself does not declare it.
    inputs = cast(StationInputs, station)
    powering = asyncio.get_running_loop().create_task(
        _power_on(inputs, csms_url, args.connect_timeout)
    )
    try:
        return await serve(args, station=inputs, connectors=connector_list(dut))
    finally:
        powering.cancel()
        with contextlib.suppress(asyncio.CancelledError, HarnessError):
            await powering
        await station.stop()


async def _power_on(station: StationInputs, url: str, bound: float) -> None:
    """Power the station on, retrying each second until it reaches its CSMS."""
    try:
        async with asyncio.timeout(bound):
            while True:
                try:
                    await station.power_on()
                    print(f"rig emulator: station connected to {url}", flush=True)
                    return
                except HarnessError as error:
                    print(f"rig emulator: station cannot reach {url} yet ({error})", flush=True)
                    await station.power_off()
                await asyncio.sleep(1.0)  # a retry period for a CSMS that is not up yet
    except TimeoutError:
        print(f"rig emulator: station gave up reaching {url} after {bound:g} s", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the rig emulator from the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.csms and not args.station:
        _parser().error("--csms needs --station")
    try:
        return asyncio.run(_with_station(args) if args.station else serve(args))
    except HarnessError as error:
        print(f"rig emulator: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
