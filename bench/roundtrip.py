"""Sequential CALL→CALLRESULT round trips over loopback: the harness against baselines.

One client sends a CALL, waits for its CALLRESULT, then sends the next one, over
a ``ws://127.0.0.1`` connection on an ephemeral port. Four stacks carry the same
message mix (the same payload and reply texts), in the same process and run:

1. ``raw websockets``: ``websockets.asyncio`` on both sides; each side does only
   ``json.loads`` and ``json.dumps`` per message, the minimum of any OCPP stack.
2. ``harness``: :class:`~harness.transport.CsmsServer` and
   :func:`~harness.transport.connect_station`, each wrapped in a
   :class:`~harness.session.Session`; schema validation of every frame in both
   directions and the trace recording every frame, as in any test run.
3. ``ocpp ChargePoint (default)``: the ``ocpp`` package's ChargePoint on both
   sides with ``@on`` handlers, default settings (validation in a thread pool).
4. ``ocpp ChargePoint (sync validation)``: the same with
   ``ocpp.messages.ASYNC_VALIDATION = False`` (validation on the event loop).

Variants are interleaved and repeated in rounds (the order rotates each round)
so that drift of the machine hits them all alike; the median throughput per
variant is reported with the ratios against raw websockets and the targets.
This is a measurement, not a test: the exit code is 0 unless ``--check`` is
given and the harness misses a target.

Usage::

    .venv/bin/python bench/roundtrip.py [--seconds S | --count N] [--version 2.0.1|1.6]
        [--rounds R] [--warmup N] [--json PATH] [--profile] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import importlib.metadata
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import ocpp.messages
from ocpp.charge_point import camel_to_snake_case
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as call_result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as call_result201
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from harness.ocppj.ids import IdGenerator
from harness.ocppj.versions import OcppVersion, Role
from harness.session import Session
from harness.transport import CsmsServer, connect_station

__all__ = [
    "TARGETS",
    "BenchResult",
    "Message",
    "Options",
    "VariantResult",
    "format_report",
    "main",
    "mix_for",
    "parse_args",
    "run",
    "write_json",
]

HOST = "127.0.0.1"
_DRIVER = str(Path(__file__).resolve())  # left out of the profile: it only drives the round
IDENTITY = "BENCH-CP1"
CONNECT_TIMEOUT = 10.0

RAW = "raw websockets"
HARNESS = "harness (validation + trace)"
OCPP_DEFAULT = "ocpp ChargePoint (default)"
OCPP_SYNC = "ocpp ChargePoint (sync validation)"

#: (baseline variant, minimum harness/baseline ratio) from the issue.
TARGETS: tuple[tuple[str, float], ...] = ((RAW, 0.7), (OCPP_DEFAULT, 2.0))

RoundTrip = Callable[[int], Awaitable[None]]
"""Send message ``index`` of the mix and wait for its reply."""


class BenchError(Exception):
    """A variant did not behave (wrong reply, refused payload): its figures would lie."""


# -- the message mix ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Message:
    """One CALL of the mix and the CALLRESULT payload every variant answers it with."""

    action: str
    payload: dict[str, Any]
    response: dict[str, Any]


_T0 = "2025-01-15T10:00:00.000Z"
_T1 = "2025-01-15T10:15:00.000Z"


def _sampled_v201() -> list[dict[str, Any]]:
    periodic = {"context": "Sample.Periodic", "location": "Outlet"}
    values: list[dict[str, Any]] = [
        {
            "value": 12345.6,
            "measurand": "Energy.Active.Import.Register",
            "unitOfMeasure": {"unit": "Wh"},
        },
        {"value": 7200.0, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}},
    ]
    for phase, amps, volts in (("L1", 10.4, 230.1), ("L2", 10.6, 229.8), ("L3", 10.3, 231.0)):
        values.append({"value": amps, "measurand": "Current.Import", "phase": phase})
        values.append({"value": volts, "measurand": "Voltage", "phase": f"{phase}-N"})
    values = [{**periodic, **value} for value in values]
    values.append({"value": 56, "context": "Sample.Periodic", "measurand": "SoC", "location": "EV"})
    return values


def _sampled_v16() -> list[dict[str, Any]]:
    periodic = {"context": "Sample.Periodic", "format": "Raw", "location": "Outlet"}
    values: list[dict[str, Any]] = [
        {"value": "12345.6", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
        {"value": "7200.0", "measurand": "Power.Active.Import", "unit": "W"},
    ]
    for phase, amps, volts in (("L1", "10.4", "230.1"), ("L2", "10.6", "229.8")):
        values.append({"value": amps, "measurand": "Current.Import", "phase": phase, "unit": "A"})
        values.append({"value": volts, "measurand": "Voltage", "phase": f"{phase}-N", "unit": "V"})
    values = [{**periodic, **value} for value in values]
    values.append(
        {"value": "56", "context": "Sample.Periodic", "measurand": "SoC", "unit": "Percent"}
    )
    return values


def mix_for(version: OcppVersion) -> tuple[Message, ...]:
    """The message mix of ``version``: boot, heartbeat, status, and a meter-value report."""
    boot_reply = {"currentTime": _T0, "interval": 300, "status": "Accepted"}
    if version is OcppVersion.V16:
        return (
            Message(
                "BootNotification",
                {
                    "chargePointModel": "HarnessBench",
                    "chargePointVendor": "OCA Bench",
                    "chargePointSerialNumber": "BENCH-0001",
                    "firmwareVersion": "1.2.3",
                },
                boot_reply,
            ),
            Message("Heartbeat", {}, {"currentTime": _T0}),
            Message(
                "StatusNotification",
                {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": _T1},
                {},
            ),
            Message(
                "MeterValues",
                {
                    "connectorId": 1,
                    "meterValue": [{"timestamp": _T1, "sampledValue": _sampled_v16()}],
                    "transactionId": 42,
                },
                {},
            ),
        )
    if version is OcppVersion.V201:
        return (
            Message(
                "BootNotification",
                {
                    "chargingStation": {
                        "model": "HarnessBench",
                        "vendorName": "OCA Bench",
                        "serialNumber": "BENCH-0001",
                        "firmwareVersion": "1.2.3",
                    },
                    "reason": "PowerUp",
                },
                boot_reply,
            ),
            Message("Heartbeat", {}, {"currentTime": _T0}),
            Message(
                "StatusNotification",
                {"timestamp": _T1, "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
                {},
            ),
            Message(
                "TransactionEvent",
                {
                    "eventType": "Updated",
                    "timestamp": _T1,
                    "triggerReason": "MeterValuePeriodic",
                    "seqNo": 3,
                    "transactionInfo": {
                        "transactionId": "tx-bench-0001",
                        "chargingState": "Charging",
                    },
                    "meterValue": [{"timestamp": _T1, "sampledValue": _sampled_v201()}],
                    "evse": {"id": 1, "connectorId": 1},
                },
                {},
            ),
        )
    raise ValueError(f"no message mix for OCPP {version.value}")


# -- variants -----------------------------------------------------------------


@dataclasses.dataclass
class _Probe:
    """What a variant reports about itself after a round (frames traced, findings)."""

    notes: list[str] = dataclasses.field(default_factory=list)


Opener = Callable[
    [OcppVersion, Sequence[Message], _Probe], contextlib.AbstractAsyncContextManager[RoundTrip]
]


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@contextlib.asynccontextmanager
async def _raw_websockets(
    version: OcppVersion, mix: Sequence[Message], probe: _Probe
) -> AsyncIterator[RoundTrip]:
    """The floor: parse each frame, answer with the prepared payload, check the id."""
    replies = {message.action: message.response for message in mix}

    async def answer(connection: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for text in connection:
                call = json.loads(text)
                await connection.send(_compact([3, call[1], replies[call[2]]]))

    subprotocol = Subprotocol(version.subprotocol)
    async with serve(answer, HOST, 0, subprotocols=[subprotocol], ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            f"ws://{HOST}:{port}/ocpp/{IDENTITY}",
            subprotocols=[subprotocol],
            ping_interval=None,
            proxy=None,
        ) as client:
            ids = IdGenerator()  # the harness's id shape, so frames are the same size

            async def roundtrip(index: int) -> None:
                message = mix[index]
                unique_id = ids()
                await client.send(_compact([2, unique_id, message.action, message.payload]))
                reply = json.loads(await client.recv())
                if reply[0] != 3 or reply[1] != unique_id:
                    raise BenchError(f"raw websockets: unexpected reply {reply!r}")

            yield roundtrip


@contextlib.asynccontextmanager
async def _harness(
    version: OcppVersion, mix: Sequence[Message], probe: _Probe
) -> AsyncIterator[RoundTrip]:
    """Two sessions as in a test run: every frame validated and traced on both sides."""
    async with CsmsServer(versions=[version]) as server:
        station_channel = await connect_station(
            server.url, IDENTITY, [version], timeout=CONNECT_TIMEOUT
        )
        csms_channel = await server.accept(IDENTITY, timeout=CONNECT_TIMEOUT)
        csms = Session.open(csms_channel, version, Role.CSMS, identity=IDENTITY)
        for message in mix:
            csms.respond(message.action, message.response)
        station = Session.open(station_channel, version, Role.STATION, identity=IDENTITY)

        async def roundtrip(index: int) -> None:
            message = mix[index]
            await station.call(message.action, message.payload)

        try:
            yield roundtrip
        finally:
            await station.close()
            await csms.close()
        # Validation ran on every frame: a finding means the payloads are wrong.
        csms.check_findings()
        station.check_findings()
        probe.notes.append(f"trace entries: csms {len(csms.trace)}, station {len(station.trace)}")


Handler = Callable[..., Awaitable[Any]]


def _on(action: str) -> Callable[[Handler], Handler]:
    """``ocpp.routing.on`` with a type (the ocpp package ships no annotations)."""
    decorator: Callable[[Handler], Handler] = on(action)
    return decorator


class _OcppHandlers:
    """``@on`` handlers answering each action of both mixes with its prepared reply."""

    replies: dict[str, Any]

    @_on("BootNotification")
    async def on_boot_notification(self, **_payload: Any) -> Any:
        return self.replies["BootNotification"]

    @_on("Heartbeat")
    async def on_heartbeat(self, **_payload: Any) -> Any:
        return self.replies["Heartbeat"]

    @_on("StatusNotification")
    async def on_status_notification(self, **_payload: Any) -> Any:
        return self.replies["StatusNotification"]

    @_on("TransactionEvent")
    async def on_transaction_event(self, **_payload: Any) -> Any:
        return self.replies["TransactionEvent"]

    @_on("MeterValues")
    async def on_meter_values(self, **_payload: Any) -> Any:
        return self.replies["MeterValues"]


class _OcppCsms16(_OcppHandlers, ChargePoint16):  # type: ignore[misc]
    pass


class _OcppCsms201(_OcppHandlers, ChargePoint201):  # type: ignore[misc]
    pass


def _ocpp_classes(version: OcppVersion) -> tuple[type[Any], type[Any], Any, Any]:
    """(CSMS class, station class, call module, call_result module) for ``version``."""
    if version is OcppVersion.V16:
        return _OcppCsms16, ChargePoint16, call16, call_result16
    if version is OcppVersion.V201:
        return _OcppCsms201, ChargePoint201, call201, call_result201
    raise ValueError(f"the ocpp package variant does not cover OCPP {version.value}")


@contextlib.asynccontextmanager
async def _ocpp_charge_point(
    version: OcppVersion, mix: Sequence[Message], probe: _Probe
) -> AsyncIterator[RoundTrip]:
    """The ocpp package as its users write it: ChargePoint subclasses, ``@on`` handlers."""
    csms_class, station_class, calls, results = _ocpp_classes(version)
    # The payloads as ocpp users write them: dataclasses with snake_case fields.
    requests = [getattr(calls, m.action)(**camel_to_snake_case(m.payload)) for m in mix]
    replies = {m.action: getattr(results, m.action)(**camel_to_snake_case(m.response)) for m in mix}

    async def answer(connection: ServerConnection) -> None:
        charge_point = csms_class(IDENTITY, connection)
        charge_point.replies = replies
        with contextlib.suppress(ConnectionClosed):
            await charge_point.start()

    subprotocol = Subprotocol(version.subprotocol)
    async with serve(answer, HOST, 0, subprotocols=[subprotocol], ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            f"ws://{HOST}:{port}/ocpp/{IDENTITY}",
            subprotocols=[subprotocol],
            ping_interval=None,
            proxy=None,
        ) as client:
            station = station_class(IDENTITY, client)
            reader = asyncio.create_task(_ocpp_reader(station))

            async def roundtrip(index: int) -> None:
                # suppress=False: a CALLERROR raises instead of returning None.
                await station.call(requests[index], suppress=False)

            try:
                yield roundtrip
            finally:
                await client.close()
                await reader


async def _ocpp_reader(station: Any) -> None:
    with contextlib.suppress(ConnectionClosed):
        await station.start()


@contextlib.asynccontextmanager
async def _ocpp_sync_validation(
    version: OcppVersion, mix: Sequence[Message], probe: _Probe
) -> AsyncIterator[RoundTrip]:
    """The ocpp variant with schema validation on the event loop instead of a thread pool."""
    # ocpp.messages.validate_payload reads this module global on every call; it
    # is not a per-ChargePoint setting, so it is flipped for the variant and restored.
    previous = ocpp.messages.ASYNC_VALIDATION
    ocpp.messages.ASYNC_VALIDATION = False
    try:
        async with _ocpp_charge_point(version, mix, probe) as roundtrip:
            yield roundtrip
    finally:
        ocpp.messages.ASYNC_VALIDATION = previous


def _variants() -> tuple[list[tuple[str, Opener]], list[str]]:
    """The variants to run, and notes on those that cannot run here."""
    variants: list[tuple[str, Opener]] = [
        (RAW, _raw_websockets),
        (HARNESS, _harness),
        (OCPP_DEFAULT, _ocpp_charge_point),
    ]
    notes: list[str] = []
    if hasattr(ocpp.messages, "ASYNC_VALIDATION"):
        variants.append((OCPP_SYNC, _ocpp_sync_validation))
    else:
        notes.append(
            f"{OCPP_SYNC}: not measured: this ocpp version has no "
            "ocpp.messages.ASYNC_VALIDATION switch (validation always runs in a thread pool)"
        )
    return variants, notes


# -- measuring ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Options:
    """What to run; see :func:`parse_args` for the command line."""

    version: OcppVersion = OcppVersion.V201
    seconds: float | None = 2.0
    count: int | None = None
    rounds: int = 5
    warmup: int = 200
    json_path: Path | None = None
    profile: bool = False
    check: bool = False


@dataclasses.dataclass
class VariantResult:
    """Throughput of one variant in each round (round trips per second)."""

    name: str
    rates: list[float] = dataclasses.field(default_factory=list)
    round_trips: list[int] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


@dataclasses.dataclass
class BenchResult:
    """Everything one run measured, for printing and for ``--json``."""

    options: Options
    mix: tuple[Message, ...]
    variants: dict[str, VariantResult]
    notes: list[str]
    environment: dict[str, str]
    profile: str = ""

    def ratio(self, name: str, baseline: str) -> float | None:
        """Median throughput of ``name`` over that of ``baseline``, None if either is missing."""
        if name not in self.variants or baseline not in self.variants:
            return None
        return self.variants[name].median / self.variants[baseline].median

    def paired_ratios(self, name: str, baseline: str) -> list[float]:
        """The ratio within each round (both measured minutes apart at most)."""
        if name not in self.variants or baseline not in self.variants:
            return []
        pairs = zip(self.variants[name].rates, self.variants[baseline].rates, strict=True)
        return [mine / theirs for mine, theirs in pairs]

    def targets(self) -> list[tuple[str, float, float | None, bool]]:
        """(baseline, required ratio, measured ratio, met) for each target."""
        rows = []
        for baseline, required in TARGETS:
            measured = self.ratio(HARNESS, baseline)
            rows.append(
                (baseline, required, measured, measured is not None and measured >= required)
            )
        return rows

    @property
    def targets_met(self) -> bool:
        return all(met for *_, met in self.targets())


async def _measure(roundtrip: RoundTrip, size: int, options: Options) -> tuple[int, float]:
    """Run round trips for the count or the duration; (round trips, seconds)."""
    done = 0
    start = time.perf_counter()
    if options.count is not None:
        for done in range(options.count):
            await roundtrip(done % size)
        done = options.count
    else:
        assert options.seconds is not None
        deadline = start + options.seconds
        while True:
            for index in range(size):
                await roundtrip(index)
            done += size
            if time.perf_counter() >= deadline:
                break
    return done, time.perf_counter() - start


async def _warm_up(roundtrip: RoundTrip, size: int, count: int) -> None:
    for index in range(count):
        await roundtrip(index % size)


async def _one_round(
    opener: Opener, options: Options, mix: Sequence[Message], probe: _Probe
) -> tuple[int, float]:
    async with opener(options.version, mix, probe) as roundtrip:
        await _warm_up(roundtrip, len(mix), options.warmup)
        return await _measure(roundtrip, len(mix), options)


async def run(options: Options) -> BenchResult:
    """Measure every variant ``options.rounds`` times, interleaved, on the running loop."""
    mix = mix_for(options.version)
    variants, notes = _variants()
    results = {name: VariantResult(name) for name, _ in variants}
    for round_index in range(options.rounds):
        shift = round_index % len(variants)
        for name, opener in variants[shift:] + variants[:shift]:
            probe = _Probe()
            done, elapsed = await _one_round(opener, options, mix, probe)
            results[name].rates.append(done / elapsed)
            results[name].round_trips.append(done)
            results[name].notes = probe.notes
    result = BenchResult(options, mix, results, notes, _environment())
    if options.profile:
        result.profile = await _profile_harness(options, mix)
    return result


def _environment() -> dict[str, str]:
    def version_of(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "websockets": version_of("websockets"),
        "ocpp": version_of("ocpp"),
        "jsonschema": version_of("jsonschema"),
    }


# -- profiling ----------------------------------------------------------------


async def _profile_harness(options: Options, mix: Sequence[Message]) -> str:
    """cProfile over one harness round (both sessions, the transport and the loop)."""
    profiler = cProfile.Profile()
    probe = _Probe()
    async with _harness(options.version, mix, probe) as roundtrip:
        await _warm_up(roundtrip, len(mix), options.warmup)
        profiler.enable()
        try:
            done, elapsed = await _measure(roundtrip, len(mix), options)
        finally:
            profiler.disable()
    stats = pstats.Stats(profiler)
    header = (
        f"profile of one harness round: {done} round trips in {elapsed:.2f} s under cProfile "
        f"({done / elapsed:,.0f}/s). Times are per round trip; cProfile charges every call, "
        "so code made of many tiny calls looks costlier than it is."
    )
    return "\n\n".join(
        [
            header,
            _stats_table(
                stats,
                done,
                "top 15 by cumulative time (this script's own frames left out)",
                key=lambda where, row: row[3] if where[0] != _DRIVER else -1.0,
            ),
            _stats_table(
                stats,
                done,
                "top 15 by own time (where the CPU goes)",
                key=lambda where, row: row[2],
            ),
            _stats_table(
                stats,
                done,
                "top 15 harness functions by cumulative time",
                key=lambda where, row: row[3] if _is_harness(where[0]) else -1.0,
            ),
        ]
    )


def _is_harness(file: str) -> bool:
    return f"{os.sep}harness{os.sep}" in file and "site-packages" not in file


def _where(file: str, line: int, function: str) -> str:
    for prefix in sorted({*sys.path, str(Path.cwd())}, key=len, reverse=True):
        if prefix and file.startswith(prefix + os.sep):
            file = file[len(prefix) + 1 :]
            break
    return f"{file}:{line}({function})" if line else f"{file}({function})"


StatsKey = tuple[str, int, str]
StatsRow = tuple[int, int, float, float, Any]


def _stats_table(
    stats: pstats.Stats,
    round_trips: int,
    title: str,
    *,
    key: Callable[[StatsKey, StatsRow], float],
) -> str:
    raw: dict[StatsKey, StatsRow] = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(raw.items(), key=lambda item: key(*item), reverse=True)
    rows = [(where, row) for where, row in ranked if key(where, row) >= 0][:15]
    lines = [title, f"{'calls/rt':>8} {'own µs/rt':>9} {'cum µs/rt':>9}  function"]
    for (file, line, function), (_cc, calls, own, cumulative, _callers) in rows:
        lines.append(
            f"{calls / round_trips:8.2f} {own / round_trips * 1e6:9.1f} "
            f"{cumulative / round_trips * 1e6:9.1f}  {_where(file, line, function)}"
        )
    return "\n".join(lines)


# -- reporting ----------------------------------------------------------------


def _times(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def format_report(result: BenchResult) -> str:
    """The table, the ratios and the targets, as printed by :func:`main`."""
    options, env = result.options, result.environment
    amount = (
        f"{options.count} round trips" if options.count is not None else f"{options.seconds:g} s"
    )
    lines = [
        f"OCPP {options.version.value}: sequential CALL→CALLRESULT round trips over {HOST}",
        f"  mix: {', '.join(m.action for m in result.mix)} (same payload texts for every variant)",
        f"  {options.rounds} round(s) x {amount} per variant, interleaved, order rotating; "
        f"warm-up {options.warmup} round trips per variant and round",
        f"  Python {env['python']}, websockets {env['websockets']}, ocpp {env['ocpp']}, "
        f"jsonschema {env['jsonschema']}, {env['cpus']} CPUs, {env['platform']}",
        "",
        f"{'variant':<36} {'median/s':>9} {'min/s':>9} {'max/s':>9} {'vs raw':>8}",
    ]
    for name, variant in result.variants.items():
        lines.append(
            f"{name:<36} {variant.median:9,.0f} {min(variant.rates):9,.0f} "
            f"{max(variant.rates):9,.0f} {_times(result.ratio(name, RAW)):>8}"
        )
    lines.extend(f"  note: {note}" for note in result.notes)
    for name, variant in result.variants.items():
        lines.extend(f"  {name}: {note}" for note in variant.notes)
    lines.append("")
    for name in result.variants:
        if name.startswith("ocpp"):
            paired = result.paired_ratios(HARNESS, name)
            spread = f"  (per round {min(paired):.2f}-{max(paired):.2f})" if paired else ""
            lines.append(
                f"harness vs {name + ':':<36} {_times(result.ratio(HARNESS, name)):>7}{spread}"
            )
    lines.append("")
    lines.append("targets (ratios of medians):")
    for baseline, required, measured, met in result.targets():
        paired = result.paired_ratios(HARNESS, baseline)
        spread = f"  (per round {min(paired):.2f}-{max(paired):.2f})" if paired else ""
        verdict = "PASS" if met else "MISS"
        lines.append(
            f"  harness >= {required:.1f}x {baseline + ':':<30} {_times(measured):>7}  "
            f"{verdict}{spread}"
        )
    if result.profile:
        lines.extend(["", result.profile])
    return "\n".join(lines)


def write_json(result: BenchResult, path: Path) -> None:
    """Save the figures (per-round rates, medians, ratios, targets) as JSON."""
    document = {
        "version": result.options.version.value,
        "rounds": result.options.rounds,
        "seconds_per_round": result.options.seconds if result.options.count is None else None,
        "count_per_round": result.options.count,
        "warmup": result.options.warmup,
        "mix": [m.action for m in result.mix],
        "environment": result.environment,
        "variants": {
            name: {
                "median": variant.median,
                "min": min(variant.rates),
                "max": max(variant.rates),
                "rates": variant.rates,
                "round_trips": variant.round_trips,
                "vs_raw": result.ratio(name, RAW),
            }
            for name, variant in result.variants.items()
        },
        "harness_vs": {
            name: result.ratio(HARNESS, name) for name in result.variants if name != HARNESS
        },
        "targets": [
            {"baseline": baseline, "required": required, "measured": measured, "met": met}
            for baseline, required, measured, met in result.targets()
        ],
        "notes": result.notes,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


# -- command line -------------------------------------------------------------


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {value:g}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Read the command line into :class:`Options`."""
    parser = argparse.ArgumentParser(
        prog="bench/roundtrip.py",
        description="Sequential OCPP CALL→CALLRESULT round trips over loopback: the harness "
        "against raw websockets and the ocpp package, in one run; prints the ratios.",
    )
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument(
        "--seconds",
        type=_positive_float,
        default=2.0,
        help="duration of each variant in each round (default 2)",
    )
    amount.add_argument(
        "--count", type=_positive_int, help="round trips of each variant in each round"
    )
    parser.add_argument(
        "--version", choices=["2.0.1", "1.6"], default="2.0.1", help="OCPP version (default 2.0.1)"
    )
    parser.add_argument("--rounds", type=_positive_int, default=5, help="rounds (default 5)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=200,
        help="unmeasured round trips before each measurement (default 200)",
    )
    parser.add_argument("--json", type=Path, dest="json_path", help="also write the figures here")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one more harness round and print hotspots"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the harness misses a target"
    )
    args = parser.parse_args(argv)
    if args.warmup < 0:
        parser.error(f"--warmup must be 0 or more, not {args.warmup}")
    return Options(
        version=OcppVersion.parse(args.version),
        seconds=None if args.count is not None else args.seconds,
        count=args.count,
        rounds=args.rounds,
        warmup=args.warmup,
        json_path=args.json_path,
        profile=args.profile,
        check=args.check,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print, optionally save; the exit status (0 unless ``--check`` and a miss)."""
    options = parse_args(argv)
    result = asyncio.run(run(options))
    print(format_report(result))
    if options.json_path is not None:
        write_json(result, options.json_path)
        print(f"\nfigures written to {options.json_path}")
    return 1 if options.check and not result.targets_met else 0


if __name__ == "__main__":
    sys.exit(main())
