"""Every wrong or missing profile value is a ConfigurationError naming the field and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.errors import ConfigurationError
from harness.ocppj.versions import OcppVersion, Role
from harness.profile import load_profile, parse_profile

WriteProfile = Callable[..., Path]


def doc(
    *tables: str,
    role: str | None = '"station"',
    version: str | None = '"2.0.1"',
    identity: str | None = '"CP001"',
    dut: str = "",
) -> str:
    """A profile document: a [dut] table with the given raw TOML values, then ``tables``."""
    lines = ["[dut]"]
    for key, value in (("role", role), ("ocpp_version", version), ("identity", identity)):
        if value is not None:
            lines.append(f"{key} = {value}")
    return "\n".join([*lines, dut, *tables]) + "\n"


EMBEDDED_STATION = '[embedded]\nsimulator = "station"'
ALL_TABLES = "dut, connection, evse, tokens, timing, rig, trigger, embedded"
TOKEN_TYPES = '"Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress"'

CASES = [
    # The layout of the file.
    pytest.param(doc("[foo]\nx = 1"), "foo", ["unknown table [foo]", ALL_TABLES], id="table"),
    pytest.param(
        doc("[conection]"), "conection", ["did you mean 'connection'?", ALL_TABLES], id="typo"
    ),
    pytest.param(
        'identity = "CP1"\n' + doc(), "identity", ["outside any table", "[dut]"], id="top-key"
    ),
    pytest.param(
        doc("[connection]\nsecurityprofile = 1"),
        "connection.securityprofile",
        ["unknown key [connection].securityprofile", "'security_profile'", "basic_auth_password"],
        id="unknown-key",
    ),
    pytest.param("dut = 5\n", "dut", ["dut = 5 is not a table", "[dut]"], id="dut-not-table"),
    # [dut]
    pytest.param(doc(role=None), "dut.role", ['missing; expected one of "csms", "station"'],
                 id="role-missing"),
    pytest.param(doc(role='"charger"'), "dut.role",
                 ['[dut].role = "charger" is not allowed', '"csms", "station"'], id="role"),
    pytest.param(doc(version=None), "dut.ocpp_version", ['"1.6", "2.0.1", "2.1"'],
                 id="version-missing"),
    pytest.param(doc(version='"3.0"'), "dut.ocpp_version",
                 ['= "3.0" is not allowed', '"1.6", "2.0.1", "2.1"'], id="version"),
    pytest.param(doc(version="1.6"), "dut.ocpp_version",
                 ["= 1.6 is not a string", '"1.6", "2.0.1", "2.1"'], id="version-float"),
    pytest.param(doc(identity=None), "dut.identity", ["[dut].identity is missing"],
                 id="identity-missing"),
    pytest.param(doc(identity='""'), "dut.identity", ["is empty"], id="identity-empty"),
    pytest.param(doc(identity='"' + "C" * 49 + '"'), "dut.identity",
                 ["too long", "at most 48 characters"], id="identity-long"),
    pytest.param(doc(identity='"CP/1"'), "dut.identity",
                 ["printable ASCII without spaces or '/'"], id="identity-slash"),
    pytest.param(doc(identity='"CP 1"'), "dut.identity", ["without spaces"], id="identity-space"),
    pytest.param(doc(dut='features = "reservation"'), "dut.features",
                 ["an array of non-empty strings"], id="features-type"),
    pytest.param(doc(dut='features = ["a", "a"]'), "dut.features", ["repeats a value"],
                 id="features-repeat"),
    pytest.param(
        doc(dut='certification_profiles = ["Local Auth List Management"]'),
        "dut.certification_profiles",
        ['"Local Auth List Management", which is not allowed',
         '"Local Authorization List Management"'],
        id="certification-profile",
    ),
    # [connection]
    pytest.param(doc("[connection]\nsecurity_profile = 5"), "connection.security_profile",
                 ["= 5 is not allowed; expected one of 0, 1, 2, 3"], id="security-profile"),
    pytest.param(doc('[connection]\nsecurity_profile = "1"'), "connection.security_profile",
                 ["is not an integer; expected one of 0, 1, 2, 3"], id="security-profile-str"),
    pytest.param(doc("[connection]\nsecurity_profile = true"), "connection.security_profile",
                 ["= true is not an integer"], id="security-profile-bool"),
    pytest.param(doc("[connection]\nsecurity_profile = 1"), "connection.basic_auth_password",
                 ["is needed by security_profile = 1", '{ env = "VARIABLE" }'], id="no-password"),
    pytest.param(doc("[connection]\nsecurity_profile = 2"), "connection.basic_auth_password",
                 ["is needed by security_profile = 2"], id="no-password-2"),
    pytest.param(doc("[connection]\nport = 70000"), "connection.port",
                 ["= 70000 is not allowed", "an integer from 0 to 65535"], id="port"),
    pytest.param(doc('[connection]\npath = "ocpp"'), "connection.path",
                 ['starting with "/"'], id="path"),
    pytest.param(doc(role='"csms"'), "connection.url",
                 ["[connection].url is needed", "ws://127.0.0.1:9000/ocpp"], id="url-missing"),
    pytest.param(doc('[connection]\nurl = "ws://csms:9000/ocpp"'), "connection.url",
                 ['applies only when [dut].role = "csms"'], id="url-for-station"),
    pytest.param(doc('[connection]\nurl = "http://csms/ocpp"', role='"csms"'), "connection.url",
                 ["is not allowed", "a URL starting with ws://"], id="url-scheme"),
    pytest.param(doc('[connection]\nurl = "wss://csms/ocpp"', role='"csms"'), "connection.url",
                 ["a URL starting with ws://", "(security_profile = 0)"], id="url-tls-on-sp0"),
    pytest.param(
        doc('[connection]\nsecurity_profile = 3\nurl = "ws://csms/ocpp"', role='"csms"'),
        "connection.url", ["a URL starting with wss://", "(security_profile = 3)"],
        id="url-plain-on-sp3",
    ),
    pytest.param(doc('[connection]\nurl = "ws://cp:hunter2@csms/ocpp"', role='"csms"'),
                 "connection.url", ["= ****** is not allowed", "without user:password@"],
                 id="url-credentials"),
    pytest.param(doc('[connection]\nurl = "ws://csms/ocpp?x=1"', role='"csms"'),
                 "connection.url", ["without spaces, query or fragment"], id="url-query"),
    pytest.param(doc('[connection]\nurl = "ws://csms:port/ocpp"', role='"csms"'),
                 "connection.url", ["a URL starting with ws://"], id="url-port"),
    pytest.param(doc('[connection]\nca_file = "missing-ca.pem"'), "connection.ca_file",
                 ["missing-ca.pem\" is not allowed: no file at", "the path of an existing file"],
                 id="ca-file"),
    pytest.param(doc('[connection]\nbasic_auth_password = { file = "pw.txt" }'),
                 "connection.basic_auth_password", ['{ env = "VARIABLE" }'], id="password-table"),
    pytest.param(doc('[connection]\nbasic_auth_password = { env = "" }'),
                 "connection.basic_auth_password", ["with a variable name"], id="password-env"),
    # [[evse]]
    pytest.param(doc("[evse]\nid = 1\nconnectors = [1]"), "evse",
                 ["is not an array of tables", "[[evse]]"], id="evse-table"),
    pytest.param(doc("[[evse]]\nconnectors = [1]"), "evse[0].id",
                 ["[[evse]][0].id is missing", "an integer >= 1"], id="evse-id-missing"),
    pytest.param(doc("[[evse]]\nid = 0\nconnectors = [1]"), "evse[0].id",
                 ["= 0 is not allowed", "an integer >= 1"], id="evse-id-zero"),
    pytest.param(doc("[[evse]]\nid = 1\nconnectors = []"), "evse[0].connectors",
                 ["non-empty array of integers >= 1"], id="connectors-empty"),
    pytest.param(doc('[[evse]]\nid = 1\nconnectors = ["1"]'), "evse[0].connectors",
                 ['= ["1"] is not allowed'], id="connectors-str"),
    pytest.param(doc("[[evse]]\nid = 1\nconnectors = [1, 1]"), "evse[0].connectors",
                 ["repeats a connector"], id="connectors-repeat"),
    pytest.param(doc("[[evse]]\nid = 1\nconnectors = [1]", "[[evse]]\nid = 1\nconnectors = [2]"),
                 "evse[1].id", ["[[evse]][1].id = 1 is used by another"], id="evse-id-repeat"),
    pytest.param(
        doc("[[evse]]\nid = 1\nconnectors = [1]", "[[evse]]\nid = 2\nconnectors = [1]",
            version='"1.6"'),
        "evse[1].connectors", ["station-wide unique connector ids"], id="connector-16",
    ),
    # [tokens]
    pytest.param(doc('[tokens]\nvalid = "' + "T" * 37 + '"'), "tokens.valid",
                 ["too long (37 characters)", "at most 36"], id="token-long-201"),
    pytest.param(doc('[tokens]\nvalid = "' + "T" * 21 + '"', version='"1.6"'), "tokens.valid",
                 ["at most 20"], id="token-long-16"),
    pytest.param(doc('[tokens]\nvalid = "AB12"\ninvalid = "ab12"'), "tokens.invalid",
                 ["same idToken as [tokens].valid"], id="token-repeat"),
    pytest.param(doc("[tokens]\nvalid = 1234"), "tokens.valid", ["is not a string"],
                 id="token-int"),
    pytest.param(doc('[tokens]\ntoken_type = "RFID"'), "tokens.token_type",
                 ['= "RFID" is not allowed', TOKEN_TYPES], id="token-type"),
    # [timing]
    pytest.param(doc("[timing]\nmessage_timeout = 0"), "timing.message_timeout",
                 ["= 0 is not allowed; expected a number > 0"], id="timeout-zero"),
    pytest.param(doc('[timing]\nmessage_timeout = "fast"'), "timing.message_timeout",
                 ["is not a number; expected a number > 0"], id="timeout-str"),
    pytest.param(doc("[timing]\nboot_timeout = nan"), "timing.boot_timeout",
                 ["= nan is not allowed"], id="timeout-nan"),
    pytest.param(doc("[timing]\ntime_factor = inf"), "timing.time_factor",
                 ["= inf is not allowed"], id="time-factor-inf"),
    pytest.param(doc("[timing]\nheartbeat_interval = 1.5"), "timing.heartbeat_interval",
                 ["is not an integer; expected an integer >= 1"], id="heartbeat-float"),
    # [rig]
    pytest.param(doc('[rig]\nbackend = "robot"'), "rig.backend",
                 ['"sim", "manual", "serial", "hooks", "none"'], id="rig-backend"),
    pytest.param(doc('[rig]\nbackend = "sim"'), "rig.backend",
                 ["needs an [embedded] simulator"], id="rig-sim-real"),
    pytest.param(doc('[rig]\nbackend = "serial"'), "rig.port",
                 ['is needed by backend = "serial"', "/dev/ttyUSB0"], id="rig-port"),
    pytest.param(doc('[rig]\nbackend = "hooks"'), "rig.hooks",
                 ['is needed by backend = "hooks"'], id="rig-hooks"),
    pytest.param(doc('[rig.hooks]\nplug_in = 1'), "rig.hooks.plug_in",
                 ["[rig.hooks].plug_in = 1 is not a string"], id="rig-hook-type"),
    pytest.param(doc('[rig]\noptions = "x"'), "rig.options", ["is not a table"],
                 id="rig-options"),
    pytest.param(doc("[rig]\nbaudrate = -9600"), "rig.baudrate", ["an integer >= 1"],
                 id="rig-baudrate"),
    # [trigger]
    pytest.param(doc('[trigger]\nkind = "email"'), "trigger.kind",
                 ['"manual", "http", "command", "sim"'], id="trigger-kind"),
    pytest.param(doc('[trigger]\nkind = "http"'), "trigger.url",
                 ['is needed by kind = "http"'], id="trigger-url-missing"),
    pytest.param(doc('[trigger]\nurl = "ftp://x/y"'), "trigger.url",
                 ["a URL starting with http:// or https://"], id="trigger-url"),
    pytest.param(doc('[trigger]\nkind = "sim"'), "trigger.kind",
                 ["needs an [embedded] simulator", '"manual", "http"'], id="trigger-sim-real"),
    # [embedded]
    pytest.param(doc("[embedded]"), "embedded.simulator", ['"station", "csms"'],
                 id="embedded-missing"),
    pytest.param(doc('[embedded]\nsimulator = "csms"'), "embedded.simulator",
                 ['does not match [dut].role = "station"'], id="embedded-role"),
    pytest.param(doc(EMBEDDED_STATION + "\nfaults = [1]"), "embedded.faults",
                 ["an array of non-empty strings"], id="embedded-faults"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "field", "fragments"), CASES)
def test_bad_value_names_field_and_expectation(
    write_profile: WriteProfile, text: str, field: str, fragments: list[str]
) -> None:
    """The error names the file and the field, and says what would have been accepted."""
    path = write_profile(text)
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    message = str(info.value)
    assert info.value.field == field
    assert message.startswith(f"{path}: ")
    assert "; expected " in message
    for fragment in fragments:
        assert fragment in message


def test_security_profile_message_is_exact(write_profile: WriteProfile) -> None:
    """The message for a value outside a fixed set reads as the documentation shows it."""
    path = write_profile(doc("[connection]\nsecurity_profile = 5"))
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    assert str(info.value) == (
        f"{path}: [connection].security_profile = 5 is not allowed; expected one of 0, 1, 2, 3"
    )


def test_missing_env_password_names_field_and_variable(
    write_profile: WriteProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A password read from an unset environment variable names the field and the variable."""
    monkeypatch.delenv("HARNESS_TEST_UNSET_PW", raising=False)
    password = 'basic_auth_password = { env = "HARNESS_TEST_UNSET_PW" }'
    path = write_profile(doc(f"[connection]\nsecurity_profile = 1\n{password}"))
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    assert info.value.field == "connection.basic_auth_password"
    assert "environment variable HARNESS_TEST_UNSET_PW, which is not set" in str(info.value)


def test_empty_env_password_is_refused(
    write_profile: WriteProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An environment variable that is set but empty is not a password."""
    monkeypatch.setenv("HARNESS_TEST_EMPTY_PW", "")
    path = write_profile(
        doc('[connection]\nbasic_auth_password = { env = "HARNESS_TEST_EMPTY_PW" }')
    )
    with pytest.raises(ConfigurationError, match="HARNESS_TEST_EMPTY_PW, which is empty"):
        load_profile(path)


def test_invalid_toml_reports_line_and_column(write_profile: WriteProfile) -> None:
    """A TOML syntax error names the file and carries the parser's position."""
    path = write_profile('[dut]\nrole = "station\n')
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 2" in message
    assert "column" in message


def test_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    """A profile path that does not exist is reported as such."""
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigurationError, match=f"DUT profile {path} not found"):
        load_profile(path)


def test_directory_is_a_configuration_error(tmp_path: Path) -> None:
    """A folder given as the profile is reported as unreadable, not as a crash."""
    with pytest.raises(ConfigurationError, match="cannot be read"):
        load_profile(tmp_path)


def test_non_utf8_file_is_a_configuration_error(tmp_path: Path) -> None:
    """A file that is not UTF-8 text is refused with the file's name."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[dut]\nname = "Stra\xdfe"\n')
    with pytest.raises(ConfigurationError, match="not UTF-8"):
        load_profile(path)


def test_cert_without_key_is_refused(write_profile: WriteProfile) -> None:
    """A certificate without its private key cannot be used, so it is an error."""
    cert = write_profile("-----BEGIN CERTIFICATE-----\n", "cert.pem")
    path = write_profile(doc(f'[connection]\ncert_file = "{cert.name}"'))
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    assert info.value.field == "connection.key_file"
    assert "cert_file and key_file together" in str(info.value)


def test_tls_files_are_found_relative_to_the_profile(write_profile: WriteProfile) -> None:
    """Relative TLS paths start at the profile's folder, whatever the working directory."""
    for name in ("ca.pem", "cert.pem", "key.pem"):
        write_profile("pem\n", name)
    path = write_profile(
        doc(
            "[connection]\nsecurity_profile = 3\n"
            'ca_file = "ca.pem"\ncert_file = "cert.pem"\nkey_file = "key.pem"'
        )
    )
    connection = load_profile(path).connection
    assert connection.ca_file == path.parent / "ca.pem"
    assert connection.cert_file == path.parent / "cert.pem"
    assert connection.key_file == path.parent / "key.pem"


def test_defaults_of_a_minimal_profile() -> None:
    """A profile with only role, version and identity gets the documented defaults."""
    profile = parse_profile(doc(), source="minimal.toml")
    assert (profile.role, profile.version, profile.identity) == (
        Role.STATION,
        OcppVersion.V201,
        "CP001",
    )
    assert profile.name == "minimal.toml"
    assert profile.connectors == ((1, 1),)
    assert profile.connection.path == "/ocpp"
    assert profile.connection.port == 0
    assert profile.rig.backend == "manual"
    assert profile.trigger.kind == "manual"
    assert profile.embedded is None
    assert profile.tokens.token_type == "ISO14443"


def test_values_are_normalised() -> None:
    """Subprotocol spellings and trailing slashes are accepted and normalised."""
    profile = parse_profile(
        doc('[connection]\nurl = "ws://csms:9000/ocpp/"\npath = "/x/"', role='"csms"',
            version='"ocpp1.6"')
    )  # fmt: skip
    assert profile.version is OcppVersion.V16
    assert profile.connection.url == "ws://csms:9000/ocpp"
    assert profile.connection.path == "/x"


def test_real_csms_defaults_to_no_rig() -> None:
    """A real CSMS under test has no rig unless one is configured."""
    profile = parse_profile(doc('[connection]\nurl = "ws://csms/ocpp"', role='"csms"'))
    assert profile.rig.backend == "none"
    assert profile.trigger.kind == "manual"


def test_21_accepts_open_token_types_and_long_tokens() -> None:
    """OCPP 2.1 idToken types are an open list of strings and tokens may be longer."""
    profile = parse_profile(
        doc('[tokens]\ntoken_type = "VIN"\nvalid = "' + "V" * 100 + '"', version='"2.1"')
    )
    assert profile.tokens.token_type == "VIN"
    assert profile.tokens.valid == "V" * 100
