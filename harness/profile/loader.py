"""Read a DUT profile from TOML into a :class:`~harness.profile.model.DutProfile`.

Every value is checked on the way in. A wrong value raises
:class:`~harness.errors.ConfigurationError` whose message names the file, the
field and what would have been accepted, and whose ``field`` attribute holds the
dotted field name, e.g.::

    profiles/x.toml: [connection].security_profile = 5 is not allowed; expected one of 0, 1, 2, 3

The per-field readers live in :mod:`harness.profile._tables`; this module holds
the file handling, the layout of the tables and the checks that span tables.
"""

from __future__ import annotations

import base64
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from harness.errors import ConfigurationError
from harness.ocppj.schemas import schema_enum
from harness.ocppj.versions import OcppVersion, Role
from harness.profile._tables import Context, Table, describe
from harness.profile.boot_limits import boot_field_limits
from harness.profile.device import DEVICE_KEYS, Device, check_placeholders, read_device
from harness.profile.faults import FAULT_NAMES, FaultReports, read_faults
from harness.profile.model import (
    TRIGGER_PLACEHOLDERS,
    Connection,
    DutProfile,
    Embedded,
    Evse,
    FrozenMapping,
    RigSettings,
    Timing,
    Tokens,
    Trigger,
)
from harness.profile.secrets import register_secret
from harness.profile.transfer import TRANSFER_KEYS, Transfer, read_transfer
from harness.transport.throwaway_pki import generated_pki

__all__ = [
    "DEFAULT_PROFILE",
    "builtin_profiles",
    "load_profile",
    "parse_profile",
    "resolve_profile",
]

DEFAULT_PROFILE = "builtin:station-2.0.1"
"""The profile used when none is given: the embedded 2.0.1 station simulator."""

_BUILTIN_PREFIX = "builtin:"

# OCPP 2.0.1 Part 5 names these; 1.6 and 2.1 names are not checked.
_CERTIFICATION_PROFILES = {
    OcppVersion.V201: (
        "Core", "Advanced Security", "Local Authorization List Management", "Smart Charging",
        "Advanced Device Management", "Advanced User Interface", "Reservation",
        "ISO 15118 Support",
    ),
}  # fmt: skip
#: OCPP 2.0.1 OCPPInterfaceEnumType: the interfaces a network connection profile may name.
OCPP_INTERFACES = tuple(f"{kind}{n}" for kind in ("Wired", "Wireless") for n in range(4))
_TOKEN_KEYS = ("valid", "valid2", "invalid", "blocked", "expired", "group_member", "master_pass")
# The keys each table may hold, in the order docs/profile.md describes them.
_KEYS: dict[str, tuple[str, ...]] = {
    "dut": ("name", "role", "ocpp_version", "identity", "vendor", "model", "firmware", "serial",
            "features", "certification_profiles"),
    "connection": ("host", "port", "path", "url", "security_profile", "basic_auth_password",
                   "ca_file", "cert_file", "key_file", "csms_root_file", "csms_root2_file",
                   "cert2_file", "key2_file", "tls_material", "ocpp_interface",
                   "configuration_slot", "configuration_slot2"),
    "evse": ("id", "connectors"),
    "tokens": (*_TOKEN_KEYS, "group_id", "master_pass_group", "token_type"),
    "timing": ("message_timeout", "boot_timeout", "connect_timeout", "heartbeat_interval",
               "transaction_duration", "connection_timeout", "meter_value_interval",
               "reservation_expiry", "time_factor", "tolerance", "tolerance_percent",
               "max_time_deviation", "retry_backoff_wait_minimum", "offline_threshold",
               "message_attempts", "message_attempt_interval"),
    "rig": ("backend", "port", "baudrate", "prompt_timeout", "hooks", "options"),
    "trigger": ("kind", "url", "options", "command"),
    "embedded": ("simulator", "faults", "options"),
    "faults": FAULT_NAMES,  # each a [faults.<name>] table of harness.profile.faults.FAULT_KEYS
    "device": DEVICE_KEYS,  # lab hooks, read by harness.profile.device
    "transfer": TRANSFER_KEYS,  # file locations, read by harness.profile.transfer
}  # fmt: skip
_VERSIONS = tuple(v.value for v in OcppVersion)
_RIG_BACKENDS = ("sim", "manual", "serial", "hooks", "none")
_TRIGGER_KINDS = ("manual", "http", "command", "sim")
_SIMULATORS = ("station", "csms")
# The longest idToken each version allows: 1.6 idTag CiString20, 2.0.1 IdTokenType
# string[36], 2.1 IdTokenType string[255].
_TOKEN_LENGTH = {OcppVersion.V16: 20, OcppVersion.V201: 36, OcppVersion.V21: 255}


def load_profile(path: str | Path) -> DutProfile:
    """Load and validate the DUT profile in a TOML file.

    Relative TLS file paths in the profile are taken relative to the file.

    Args:
        path: the profile file.

    Returns:
        The validated profile; its secrets are registered for masking.

    Raises:
        ConfigurationError: the file cannot be read, is not TOML, or holds a
            missing or wrong value.
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"DUT profile {file} not found", field="") from None
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{file}: not UTF-8 text ({exc.reason})", field="") from exc
    except OSError as exc:
        raise ConfigurationError(
            f"DUT profile {file} cannot be read: {exc.strerror or exc}", field=""
        ) from exc
    return parse_profile(text, source=str(file), base_dir=file.parent, name=file.stem)


def parse_profile(
    text: str, *, source: str = "<string>", base_dir: Path | None = None, name: str | None = None
) -> DutProfile:
    """Validate a DUT profile given as TOML text.

    Args:
        text: the TOML document.
        source: where it came from, used in error messages and as ``DutProfile.source``.
        base_dir: the directory relative TLS file paths start from; the current
            directory when None.
        name: the profile's name when ``[dut].name`` is absent; ``source`` when None.

    Returns:
        The validated profile; its secrets are registered for masking.

    Raises:
        ConfigurationError: the text is not TOML or holds a missing or wrong value.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{source}: invalid TOML: {exc}", field="") from exc
    ctx = Context(source, base_dir or Path.cwd())
    return _build(ctx, document, name or source)


def resolve_profile(spec: str) -> DutProfile:
    """Load the profile a user named: a file path or ``builtin:NAME``.

    Args:
        spec: a path to a TOML file, or ``builtin:`` and the name of one of
            :func:`builtin_profiles`.

    Raises:
        ConfigurationError: there is no such profile, or it is invalid.
    """
    if not spec.strip():
        raise ConfigurationError(
            f"no DUT profile given; expected a file path or builtin:NAME, e.g. {DEFAULT_PROFILE}",
            field="",
        )
    if not spec.startswith(_BUILTIN_PREFIX):
        return load_profile(spec)
    name = spec.removeprefix(_BUILTIN_PREFIX)
    resource = _builtin_dir() / f"{name}.toml"
    if not name or "/" in name or not resource.is_file():
        known = ", ".join(_BUILTIN_PREFIX + n for n in builtin_profiles())
        raise ConfigurationError(
            f"unknown builtin DUT profile {spec!r}; expected one of {known}", field=""
        )
    return parse_profile(resource.read_text(encoding="utf-8"), source=spec, name=name)


def builtin_profiles() -> list[str]:
    """The names of the profiles shipped with the harness, for ``builtin:NAME``."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _builtin_dir().iterdir()
        if entry.is_file() and entry.name.endswith(".toml")
    )


def _builtin_dir() -> Traversable:
    return resources.files("harness.profile").joinpath("builtin")


def _build(ctx: Context, document: dict[str, object], default_name: str) -> DutProfile:
    """Read the whole profile, then raise one error listing every mistake found."""
    try:
        profile = _read(ctx, document, default_name)
    except ConfigurationError as error:  # a check spanning fields: its table stops there
        ctx.record(error)
        raise ctx.error() from None
    ctx.raise_problems()
    return profile


def _read(ctx: Context, document: dict[str, object], default_name: str) -> DutProfile:
    _check_top_level(ctx, document)
    tables = {k: v for k, v in document.items() if k in _KEYS or isinstance(v, dict | list)}
    top = Table(ctx, "", tables, tuple(_KEYS))
    dut = top.table("dut", _KEYS["dut"])
    role = Role(dut.choice("role", [r.value for r in Role]))
    version = OcppVersion(dut.choice("ocpp_version", _VERSIONS, normalise=_version_text))
    identity = dut.required_text("identity")
    ctx.attempt(lambda: _check_identity(dut, identity), None)
    if any(problem.field in ("dut.role", "dut.ocpp_version") for problem in ctx.problems):
        # Every other table is read according to these two: guessing them would report
        # mistakes the file does not have.
        raise ctx.error()
    _check_boot_identity(ctx, dut, role, version, "embedded" in top)
    embedded = ctx.attempt(lambda: _embedded(top, role), None)
    connection = ctx.attempt(lambda: _connection(top, role, embedded), Connection())
    tokens = ctx.attempt(lambda: _tokens(top, version), Tokens())
    profile = DutProfile(
        name=dut.text("name") or default_name,
        source=ctx.source,
        role=role,
        version=version,
        identity=identity,
        vendor=dut.text("vendor"),
        model=dut.text("model"),
        firmware=dut.text("firmware"),
        serial=dut.text("serial"),
        connection=connection,
        evses=ctx.attempt(lambda: _evses(top, version), ()),
        tokens=tokens,
        timing=_timing(top),
        features=frozenset(dut.strings("features")),
        certification_profiles=frozenset(
            dut.strings("certification_profiles", _CERTIFICATION_PROFILES.get(version, ()))
        ),
        rig=ctx.attempt(lambda: _rig(top, role, embedded), RigSettings()),
        trigger=ctx.attempt(lambda: _trigger(top, embedded), Trigger()),
        embedded=embedded,
        faults=ctx.attempt(lambda: read_faults(top.table("faults", FAULT_NAMES)), FaultReports()),
        device=ctx.attempt(lambda: read_device(top.table("device", DEVICE_KEYS)), Device()),
        transfer=ctx.attempt(
            lambda: read_transfer(top.table("transfer", TRANSFER_KEYS)), Transfer()
        ),
    )
    password = connection.basic_auth_password
    if password is not None:
        # The station sends the password inside an Authorization header; mask that too.
        header = f"{identity}:{password.reveal()}".encode()
        register_secret(base64.b64encode(header).decode("ascii"))
    return profile


def _check_top_level(ctx: Context, document: dict[str, object]) -> None:
    """Catch a key written above every table header, and say which table it belongs to."""
    for key, value in document.items():
        if key in _KEYS or isinstance(value, dict | list):
            continue  # a table, known or not: Table names the allowed ones
        owners = [f"[{table}]" for table, keys in _KEYS.items() if key in keys]
        hint = f"; it belongs in {' or '.join(owners)}" if owners else ""
        ctx.record(
            ConfigurationError(
                f"{ctx.source}: key {key!r} is outside any table{hint}; expected only the tables "
                + ", ".join(f"[{table}]" for table in _KEYS),
                field=key,
            )
        )


def _check_boot_identity(
    ctx: Context, dut: Table, role: Role, version: OcppVersion, embedded: bool
) -> None:
    """When the harness plays the station, its BootNotification fields must fit the schema."""
    if role is not Role.CSMS and not embedded:
        return  # a real station sends its own; the profile only describes it
    for key, (name, limit) in boot_field_limits(version).items():
        value = dut.text(key)
        if value is None or len(value) <= limit:
            continue
        try:
            dut.fail(
                key,
                f"is too long ({len(value)} characters) for the simulated station's "
                f"BootNotification {name}",
                f"at most {limit} (OCPP {version.value} schema)",
            )
        except ConfigurationError as error:
            ctx.record(error)


def _version_text(text: str) -> str:
    # Accept the subprotocol spelling too, as OcppVersion.parse does.
    return text.strip().lower().removeprefix("ocpp")


def _check_identity(dut: Table, identity: str) -> None:
    if len(identity) > 48:
        dut.fail("identity", "is too long", "at most 48 characters")
    if any(not "!" <= c <= "~" or c == "/" for c in identity):
        dut.fail("identity", "is not allowed", "printable ASCII without spaces or '/'")


def _connection(top: Table, role: Role, embedded: Embedded | None) -> Connection:
    conn = top.table("connection", _KEYS["connection"])
    profile = conn.integer("security_profile", 0, allowed=(0, 1, 2, 3))
    password = conn.secret("basic_auth_password")
    if profile in (1, 2) and password is None:
        conn.fail(
            "basic_auth_password",
            f"is needed by security_profile = {profile}",
            'a password, or { env = "VARIABLE" }',
        )
    path = conn.text("path", default="/ocpp") or ""
    if path and not path.startswith("/"):
        conn.fail("path", "is not allowed", 'a URL path starting with "/", e.g. "/ocpp"')
    tls = profile >= 2
    example = f'"{"wss" if tls else "ws"}://127.0.0.1:9000/ocpp" (security_profile = {profile})'
    url = conn.url("url", ("wss",) if tls else ("ws",), example)
    if url is not None and any(c in url.replace("{identity}", "") for c in "{}"):
        conn.fail("url", "is not allowed", "a URL whose only placeholder is {identity}")
    if url is not None and role is Role.STATION:
        conn.fail(
            "url",
            'applies only when [dut].role = "csms"',
            "no url: a station DUT connects to the harness at host, port and path",
        )
    if url is None and role is Role.CSMS and embedded is None:
        conn.fail(
            "url",
            'is needed when [dut].role = "csms" and there is no [embedded] table',
            'the CSMS endpoint, e.g. "ws://127.0.0.1:9000/ocpp"',
        )
    tls_files = _tls_files(conn, profile, role)
    slot = conn.integer("configuration_slot", 1, minimum=0)
    slot2 = conn.integer("configuration_slot2", 2, minimum=0)
    if slot == slot2:
        conn.fail("configuration_slot2", "is the same slot", "another slot than configuration_slot")
    return Connection(
        ocpp_interface=conn.choice("ocpp_interface", OCPP_INTERFACES, default="Wired0"),
        configuration_slot=slot,
        configuration_slot2=slot2,
        host=conn.text("host", default="127.0.0.1") or "127.0.0.1",
        port=conn.integer("port", 0, minimum=0, maximum=65535),
        path=path.rstrip("/"),
        url=url,
        security_profile=profile,
        basic_auth_password=password,
        ca_file=conn.path("ca_file"),
        **tls_files,
    )


#: The TLS material a profile names, or the generated test PKI fills.
_TLS_FILES = (
    "cert_file",
    "key_file",
    "csms_root_file",
    "csms_root2_file",
    "cert2_file",
    "key2_file",
)


def _tls_files(conn: Table, profile: int, role: Role) -> dict[str, Path | None]:
    """The harness's TLS files: as the profile names them, or a generated test PKI."""
    material = conn.choice("tls_material", ("files", "generated"), default="files")
    if material == "generated":
        named = [key for key in _TLS_FILES if key in conn]
        if named:
            conn.fail(named[0], 'is not allowed with tls_material = "generated"', "no TLS file")
        if profile != 2 or role is not Role.STATION:
            # Profile 3 needs client certificates, a CSMS DUT a CA to trust: neither is made.
            conn.fail(
                "tls_material",
                f"applies only to a station DUT with security_profile = 2 (here {profile})",
                '"files"',
            )
        pki = generated_pki()
        return {
            "cert_file": pki.server_cert,
            "key_file": pki.server_key,
            "csms_root_file": pki.root,
            "csms_root2_file": pki.root2,
            "cert2_file": pki.server2_cert,
            "key2_file": pki.server2_key,
        }
    found = {key: conn.path(key) for key in _TLS_FILES}
    for cert, key in (("cert_file", "key_file"), ("cert2_file", "key2_file")):
        if (found[cert] is None) != (found[key] is None):
            missing = key if found[key] is None else cert
            conn.fail(
                missing,
                f"is needed with {cert if missing == key else key}",
                f"{cert} and {key} together",
            )
    return found


def _evses(top: Table, version: OcppVersion) -> tuple[Evse, ...]:
    entries = top.array("evse", _KEYS["evse"])
    if not entries:
        return (Evse(1, (1,)),)
    evses: list[Evse] = []
    seen_connectors: set[int] = set()
    for entry in entries:
        evse_id = entry.integer("id", None, minimum=1)
        connectors = entry.integers("connectors", minimum=1)
        if any(e.id == evse_id for e in evses):
            entry.fail("id", "is used by another [[evse]]", "a unique EVSE id")
        if len(set(connectors)) != len(connectors):
            entry.fail("connectors", "repeats a connector", "distinct connector ids")
        # In 1.6 connectorId numbers every connector of the station, not of one EVSE.
        if version is OcppVersion.V16 and seen_connectors & set(connectors):
            entry.fail(
                "connectors",
                "repeats a connector of another [[evse]]",
                "station-wide unique connector ids (OCPP 1.6 connectorId)",
            )
        seen_connectors.update(connectors)
        evses.append(Evse(evse_id, connectors))
    return tuple(evses)


def _tokens(top: Table, version: OcppVersion) -> Tokens:
    tokens = top.table("tokens", _KEYS["tokens"])
    limit = _TOKEN_LENGTH[version]
    groups = ("group_id", "master_pass_group")
    values = {key: tokens.text(key, max_length=limit) for key in (*_TOKEN_KEYS, *groups)}
    seen: dict[str, str] = {}
    for key in _TOKEN_KEYS:
        value = values[key]
        if value is None:
            continue
        other = seen.setdefault(value.casefold(), key)  # idTokens compare case-insensitively
        if other != key:
            tokens.fail(key, f"is the same idToken as [tokens].{other}", "a different idToken")
    if version is OcppVersion.V21:  # 2.1 made the type an open list of strings
        token_type = tokens.text("token_type", default="ISO14443", max_length=20)
    else:
        allowed = list(schema_enum(OcppVersion.V201, "AuthorizeRequest.json", "IdTokenEnumType"))
        token_type = tokens.choice("token_type", allowed, default="ISO14443")
    return Tokens(**values, token_type=token_type or "ISO14443")


def _timing(top: Table) -> Timing:
    timing = top.table("timing", _KEYS["timing"])
    default = Timing()
    return Timing(
        message_timeout=timing.number("message_timeout", default.message_timeout),
        boot_timeout=timing.number("boot_timeout", default.boot_timeout),
        connect_timeout=timing.number("connect_timeout", default.connect_timeout),
        heartbeat_interval=timing.integer(
            "heartbeat_interval", default.heartbeat_interval, minimum=1
        ),
        transaction_duration=timing.number("transaction_duration", default.transaction_duration),
        connection_timeout=timing.integer(
            "connection_timeout", default.connection_timeout, minimum=1
        ),
        meter_value_interval=timing.integer(
            "meter_value_interval", default.meter_value_interval, minimum=1
        ),
        reservation_expiry=timing.integer(
            "reservation_expiry", default.reservation_expiry, minimum=1
        ),
        time_factor=timing.number("time_factor", default.time_factor),
        tolerance=timing.non_negative("tolerance", default.tolerance),
        tolerance_percent=timing.non_negative("tolerance_percent", default.tolerance_percent),
        max_time_deviation=timing.non_negative("max_time_deviation", default.max_time_deviation),
        retry_backoff_wait_minimum=timing.integer(
            "retry_backoff_wait_minimum", default.retry_backoff_wait_minimum, minimum=1
        ),
        offline_threshold=timing.integer("offline_threshold", default.offline_threshold, minimum=3),
        message_attempts=timing.integer("message_attempts", default.message_attempts, minimum=1),
        message_attempt_interval=timing.integer(
            "message_attempt_interval", default.message_attempt_interval, minimum=1
        ),
    )


def _rig(top: Table, role: Role, embedded: Embedded | None) -> RigSettings:
    rig = top.table("rig", _KEYS["rig"])
    default_backend = "none" if role is Role.CSMS else "manual"
    if embedded is not None:
        default_backend = "sim"
    backend = rig.choice("backend", _RIG_BACKENDS, default=default_backend)
    if backend == "sim" and embedded is None:
        rig.fail(
            "backend",
            "needs an [embedded] simulator",
            "one of " + ", ".join(map(describe, _RIG_BACKENDS[1:])) + " for a real DUT",
        )
    port = rig.text("port")
    if backend == "serial" and port is None:
        rig.fail(
            "port",
            'is needed by backend = "serial"',
            'a pyserial URL, e.g. "/dev/ttyUSB0" or "socket://host:port"',
        )
    hooks_table = rig.table("hooks", None)
    hooks = {key: hooks_table.required_text(key) for key in hooks_table}
    if backend == "hooks" and not hooks:
        rig.fail(
            "hooks",
            'is needed by backend = "hooks"',
            'a [rig.hooks] table, e.g. plug_in = "./rig.sh plug in"',
        )
    return RigSettings(
        backend=backend,
        port=port,
        baudrate=rig.integer("baudrate", 115200, minimum=1),
        prompt_timeout=rig.number("prompt_timeout", 300.0),
        hooks=FrozenMapping(hooks),
        options=rig.options("options"),
    )


def _trigger(top: Table, embedded: Embedded | None) -> Trigger:
    trigger = top.table("trigger", _KEYS["trigger"])
    default_kind = "sim" if embedded is not None and embedded.simulator == "csms" else "manual"
    kind = trigger.choice("kind", _TRIGGER_KINDS, default=default_kind)
    if kind == "sim" and embedded is None:
        trigger.fail("kind", "needs an [embedded] simulator", 'one of "manual", "http", "command"')
    url = trigger.url("url", ("http", "https"), '"http://127.0.0.1:8080/trigger"')
    if kind == "http" and url is None:
        trigger.fail(
            "url",
            'is needed by kind = "http"',
            'the trigger endpoint, e.g. "http://127.0.0.1:8080/trigger"',
        )
    command = trigger.text("command")
    if command is not None:
        check_placeholders(trigger, "command", command, TRIGGER_PLACEHOLDERS)
    elif kind == "command":
        trigger.fail(
            "command",
            'is needed by kind = "command"',
            'a shell command, e.g. "./csms-trigger.sh {action} {payload}"',
        )
    return Trigger(kind=kind, url=url, options=trigger.options("options"), command=command)


def _embedded(top: Table, role: Role) -> Embedded | None:
    if "embedded" not in top:
        return None
    embedded = top.table("embedded", _KEYS["embedded"])
    simulator = embedded.choice("simulator", _SIMULATORS)
    if simulator != role.value:
        embedded.fail(
            "simulator", f'does not match [dut].role = "{role.value}"', describe(role.value)
        )
    return Embedded(
        simulator=simulator,
        faults=embedded.strings("faults"),
        options=embedded.options("options"),
    )
