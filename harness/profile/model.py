"""The DUT profile as typed, frozen data: what the device is (PICS) and how to test it (PIXIT).

A :class:`DutProfile` is built by :mod:`harness.profile.loader` from a TOML
file and then only read. Every table of the file has its own dataclass here;
``docs/profile.md`` describes each field. Mappings are read-only
(:class:`FrozenMapping`) and sequences are tuples, so a profile can be
shared by every fixture of a run without anyone changing it underneath the
others.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

from harness.ocppj.versions import OcppVersion, Role
from harness.profile.device import Device
from harness.profile.faults import FaultReport, FaultReports
from harness.profile.secrets import MASK, Secret, mask
from harness.profile.transfer import Transfer

__all__ = [
    "Connection",
    "Device",
    "DutProfile",
    "Embedded",
    "Evse",
    "FaultReport",
    "FaultReports",
    "FrozenMapping",
    "RigSettings",
    "Timing",
    "Tokens",
    "Trigger",
]

_V_co = TypeVar("_V_co", covariant=True)


class FrozenMapping(Mapping[str, _V_co]):
    """A read-only mapping that can be hashed, copied and pickled.

    Unlike :class:`types.MappingProxyType` it survives ``copy.deepcopy`` and
    ``pickle``, so ``dataclasses.asdict`` and process pools work on a profile.

    Args:
        data: the items; copied, so later changes to ``data`` do not show.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, _V_co] | None = None) -> None:
        self._data: dict[str, _V_co] = dict(data or {})

    def __getitem__(self, key: str) -> _V_co:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __reduce__(self) -> tuple[type[FrozenMapping[_V_co]], tuple[dict[str, _V_co]]]:
        return (type(self), (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"


def _empty_options() -> Mapping[str, object]:
    return FrozenMapping()


def _empty_hooks() -> Mapping[str, str]:
    return FrozenMapping()


@dataclass(frozen=True)
class Evse:
    """One EVSE of the station and the ids of its connectors.

    Attributes:
        id: the EVSE id (1.6: used only to group connectors).
        connectors: connector ids; per EVSE in 2.x, station-wide in 1.6.
    """

    id: int
    connectors: tuple[int, ...]


@dataclass(frozen=True)
class Tokens:
    """The idTokens the test cases present; ``None`` where the DUT has none configured.

    Attributes:
        valid: an idToken the DUT accepts.
        valid2: a second accepted idToken, different from ``valid``.
        invalid: an idToken the DUT does not know.
        blocked: an idToken the DUT knows as Blocked.
        expired: an idToken the DUT knows as Expired.
        group_member: an accepted idToken whose groupIdToken is ``group_id``.
        group_id: the groupIdToken shared by ``group_member`` and ``valid``.
        master_pass: the MasterPassGroupId token (2.x).
        master_pass_group: <Configured MasterPassGroupId>: the groupIdToken of
            ``master_pass``, configured as ``AuthCtrlr.MasterPassGroupId`` (2.x).
        token_type: the IdTokenEnumType value sent with each token (2.x).
    """

    valid: str | None = None
    valid2: str | None = None
    invalid: str | None = None
    blocked: str | None = None
    expired: str | None = None
    group_member: str | None = None
    group_id: str | None = None
    master_pass: str | None = None
    master_pass_group: str | None = None
    token_type: str = "ISO14443"


@dataclass(frozen=True)
class Timing:
    """The PIXIT timing values, in seconds.

    Attributes:
        message_timeout: how long to wait for a CALLRESULT or an expected frame.
        boot_timeout: how long a station may take from power-on to BootNotification.
        connect_timeout: how long to wait for the websocket connection.
        heartbeat_interval: the interval the harness configures (whole seconds).
        transaction_duration: how long a test lets a transaction run.
        connection_timeout: EVConnectionTimeOut to configure (whole seconds).
        meter_value_interval: the meter-value sample interval the test cases
            configure (whole seconds; 1.6 MeterValueSampleInterval, 2.0.1
            SampledDataCtrlr.TxUpdatedInterval).
        reservation_expiry: <Configured Reservation Expiry Date Offset>: how
            far in the future a reservation a test case makes expires (whole
            seconds; 1.6 ReserveNow ``expiryDate``).
        time_factor: multiplies every timer, to stretch them for slow rigs.
        tolerance: how much earlier than an interval a device may act, at
            least (seconds; a station with a whole-second clock fires up to
            1 s early).
        tolerance_percent: the same, as a share of the interval checked;
            the larger of the two applies (see :meth:`early_by`).
        max_time_deviation: how far (seconds) the station's clock may be from
            the harness's: 1.6 Smart Charging's <Configured Max Time Deviation>
            (composite schedule starts, profiles started that long ago).
        retry_backoff_wait_minimum: <Configured RetryBackOffWaitMinimum>: the
            2.0.1 back-off before a station's first reconnection attempt
            (whole seconds; OCPPCommCtrlr.RetryBackOffWaitMinimum).
        offline_threshold: <Configured offlineThreshold>: the 2.0.1
            OCPPCommCtrlr.OfflineThreshold the offline-status cases configure
            (whole seconds, at least 3: TC_B_52_CS waits 2 s less).
        message_attempts: <Configured message_attempts_transaction_event>: how
            often the test cases let a station send a failed TransactionEvent
            (2.0.1 OCPPCommCtrlr.MessageAttempts, instance TransactionEvent).
        message_attempt_interval: <Configured
            message_attempts_transaction_event_interval> (whole seconds;
            2.0.1 OCPPCommCtrlr.MessageAttemptInterval, instance TransactionEvent).
    """

    message_timeout: float = 10.0
    boot_timeout: float = 60.0
    connect_timeout: float = 60.0
    heartbeat_interval: int = 300
    transaction_duration: float = 10.0
    connection_timeout: int = 60
    meter_value_interval: int = 60
    reservation_expiry: int = 60
    time_factor: float = 1.0
    tolerance: float = 1.0
    tolerance_percent: float = 10.0
    max_time_deviation: float = 5.0
    retry_backoff_wait_minimum: int = 10
    offline_threshold: int = 300
    message_attempts: int = 3
    message_attempt_interval: int = 10

    def early_by(self, interval: float) -> float:
        """How much sooner than ``interval`` a "not before" check still accepts an action.

        Args:
            interval: the interval checked, in seconds.

        Returns:
            ``max(tolerance, tolerance_percent % of interval)``, at most ``interval``.
        """
        return min(interval, max(self.tolerance, interval * self.tolerance_percent / 100))

    def not_before(self, interval: float) -> float:
        """The shortest wait that honours ``interval``, within the tolerance.

        Args:
            interval: the interval the device must let pass, in seconds.

        Returns:
            ``interval - early_by(interval)`` (never negative).
        """
        return interval - self.early_by(interval)

    def scaled(self, seconds: float) -> float:
        """A duration stretched by :attr:`time_factor`.

        Args:
            seconds: the nominal duration.

        Returns:
            ``seconds * time_factor``.
        """
        return seconds * self.time_factor


@dataclass(frozen=True)
class Connection:
    """How the harness and the DUT reach each other.

    Attributes:
        host: where the harness listens when the DUT is a station.
        port: the port it listens on; 0 picks a free one.
        path: URL prefix; a station connects to ``ws://host:port{path}/{identity}``.
        url: the CSMS endpoint when the DUT is a CSMS; the harness appends ``/{identity}``,
            or puts the identity in place of an ``{identity}`` placeholder.
        security_profile: OCPP security profile 0 to 3.
        basic_auth_password: the basic-auth password (security profiles 1 and 2).
        ca_file: CA bundle that verifies the peer's certificate.
        cert_file: the harness's own certificate (server, or client for profile 3).
        key_file: the private key of ``cert_file``.
        csms_root_file: <Configured (old) CSMS Root certificate>: the root that
            signs ``cert_file``, which the station trusts.
        csms_root2_file: <Configured (new) CSMS Root certificate 2>, signed by
            ``csms_root_file`` (the TLS network-profile cases install it).
        cert2_file: a CSMS server certificate signed by ``csms_root2_file``,
            which the harness's new endpoint presents (TC_B_50_CS).
        key2_file: the private key of ``cert2_file``.
        ocpp_interface: <Configured ocppInterface> (2.0.1): the network
            interface a station's network connection profiles name.
        configuration_slot: <Configured configurationSlot> (2.0.1): the
            network-profile slot the station uses.
        configuration_slot2: <Configured configurationSlot2>: a second slot,
            where the network cases put a new profile.
    """

    host: str = "127.0.0.1"
    port: int = 0
    path: str = "/ocpp"
    url: str | None = None
    security_profile: int = 0
    basic_auth_password: Secret | None = None
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    csms_root_file: Path | None = None
    csms_root2_file: Path | None = None
    cert2_file: Path | None = None
    key2_file: Path | None = None
    ocpp_interface: str = "Wired0"
    configuration_slot: int = 1
    configuration_slot2: int = 2


@dataclass(frozen=True)
class RigSettings:
    """Which test rig drives the station's physical inputs.

    Attributes:
        backend: ``sim``, ``manual``, ``serial``, ``hooks`` or ``none``.
        port: pyserial URL of the rig (``serial`` backend).
        baudrate: serial line speed.
        prompt_timeout: how long the ``manual`` backend waits for the operator.
        hooks: action name to shell command or http(s) URL (``hooks`` backend).
        options: backend-specific settings, read-only.
    """

    backend: str = "sim"
    port: str | None = None
    baudrate: int = 115200
    prompt_timeout: float = 300.0
    hooks: Mapping[str, str] = field(default_factory=_empty_hooks, hash=False)
    options: Mapping[str, object] = field(default_factory=_empty_options, hash=False)


TRIGGER_PLACEHOLDERS = ("identity", "action", "payload", "setting", "value")
"""What ``[trigger] command`` may use in braces."""


@dataclass(frozen=True)
class Trigger:
    """How the harness makes a CSMS under test start an operation.

    Attributes:
        kind: ``manual`` (ask the operator), ``http`` (call ``url``),
            ``command`` (run ``command``) or ``sim`` (drive the embedded CSMS
            simulator).
        url: the http(s) endpoint of the ``http`` trigger.
        options: trigger-specific settings, read-only.
        command: the shell command of the ``command`` trigger.
    """

    kind: str = "manual"
    url: str | None = None
    options: Mapping[str, object] = field(default_factory=_empty_options, hash=False)
    command: str | None = None


@dataclass(frozen=True)
class Embedded:
    """The harness launches its own reference simulator as the DUT.

    Attributes:
        simulator: ``station`` or ``csms``; always the DUT's role.
        faults: fault knobs that turn the simulator into a mutant.
        options: simulator-specific settings, read-only.
    """

    simulator: str
    faults: tuple[str, ...] = ()
    options: Mapping[str, object] = field(default_factory=_empty_options, hash=False)


@dataclass(frozen=True)
class DutProfile:
    """Everything the harness knows about the device under test.

    Attributes:
        name: a short name for reports.
        source: the file it was loaded from, or ``builtin:<name>``.
        role: the role OF THE DUT; the harness plays the other one.
        version: the OCPP version spoken.
        identity: the charging station identity (the last URL path segment).
        vendor: the DUT's vendor, for reports.
        model: the DUT's model, for reports.
        firmware: the DUT's firmware version, for reports.
        serial: the DUT's serial number, for reports.
        connection: endpoints, security profile and credentials.
        evses: the EVSEs and their connectors.
        tokens: the idTokens to present.
        timing: the PIXIT timing values.
        features: PICS flags the DUT supports, e.g. ``reservation``.
        certification_profiles: certification profiles claimed, e.g. ``Core``.
        rig: the test rig backend.
        trigger: how to trigger a CSMS under test.
        embedded: the simulator the harness runs as the DUT, if any.
        faults: how the DUT reports each rig fault (``dut.faults[Fault.X]``);
            every :class:`~harness.rig.Fault` is present, with defaults.
        device: the lab's device hooks (session start/stop, idle between cases).
        transfer: where the station downloads firmware and uploads diagnostics.
    """

    name: str
    source: str
    role: Role
    version: OcppVersion
    identity: str
    vendor: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    connection: Connection = field(default_factory=Connection)
    evses: tuple[Evse, ...] = (Evse(1, (1,)),)
    tokens: Tokens = field(default_factory=Tokens)
    timing: Timing = field(default_factory=Timing)
    features: frozenset[str] = frozenset()
    certification_profiles: frozenset[str] = frozenset()
    rig: RigSettings = field(default_factory=RigSettings)
    trigger: Trigger = field(default_factory=Trigger)
    embedded: Embedded | None = None
    faults: FaultReports = field(default_factory=FaultReports)
    device: Device = field(default_factory=Device)
    transfer: Transfer = field(default_factory=Transfer)

    def supports(self, feature: str) -> bool:
        """Whether the DUT declares the PICS flag ``feature``.

        Args:
            feature: a flag as written in ``[dut].features``, e.g. ``reservation``.
        """
        return feature in self.features

    @property
    def connectors(self) -> tuple[tuple[int, int], ...]:
        """Every connector as an ``(evse_id, connector_id)`` pair, in profile order."""
        return tuple((evse.id, connector) for evse in self.evses for connector in evse.connectors)

    def masked(self) -> dict[str, object]:
        """The effective profile as plain data, laid out like the TOML file.

        Secrets appear as :data:`~harness.profile.secrets.MASK`, and every
        string is passed through :func:`~harness.profile.secrets.mask`, so the
        result can be attached to a report as it is.
        """
        conn = self.connection
        data: dict[str, object] = {
            "source": self.source,
            "dut": {
                "name": self.name,
                "role": self.role.value,
                "ocpp_version": self.version.value,
                "identity": self.identity,
                "vendor": self.vendor,
                "model": self.model,
                "firmware": self.firmware,
                "serial": self.serial,
                "features": sorted(self.features),
                "certification_profiles": sorted(self.certification_profiles),
            },
            "connection": {
                "host": conn.host,
                "port": conn.port,
                "path": conn.path,
                "url": conn.url,
                "security_profile": conn.security_profile,
                "basic_auth_password": None if conn.basic_auth_password is None else MASK,
                "ca_file": _path(conn.ca_file),
                "cert_file": _path(conn.cert_file),
                "key_file": _path(conn.key_file),
                "csms_root_file": _path(conn.csms_root_file),
                "csms_root2_file": _path(conn.csms_root2_file),
                "cert2_file": _path(conn.cert2_file),
                "key2_file": _path(conn.key2_file),
            },
            "evse": [{"id": e.id, "connectors": list(e.connectors)} for e in self.evses],
            "tokens": _fields(self.tokens),
            "timing": _fields(self.timing),
            "faults": self.faults.plain(),
            "rig": {
                "backend": self.rig.backend,
                "port": self.rig.port,
                "baudrate": self.rig.baudrate,
                "prompt_timeout": self.rig.prompt_timeout,
                "hooks": dict(self.rig.hooks),
                "options": self.rig.options,
            },
            "trigger": {
                "kind": self.trigger.kind,
                "url": self.trigger.url,
                "options": self.trigger.options,
                "command": self.trigger.command,
            },
            "device": asdict(self.device),
            "transfer": asdict(self.transfer),
            "embedded": None
            if self.embedded is None
            else {
                "simulator": self.embedded.simulator,
                "faults": list(self.embedded.faults),
                "options": self.embedded.options,
            },
        }
        return {key: _plain(value) for key, value in data.items()}


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _fields(obj: Tokens | Timing) -> dict[str, object]:
    return asdict(obj)


def _plain(value: object) -> object:
    """Thaw read-only containers into dicts and lists, and mask every string."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Secret):
        return MASK
    if isinstance(value, Mapping):
        return {mask(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
