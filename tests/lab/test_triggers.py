"""Triggers of a CSMS under test: complete payloads, "not supported", and the command kind."""

from __future__ import annotations

import dataclasses
import http.server
import json
import re
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest

from harness.errors import ConfigurationError, UsageError
from harness.profile import DutProfile, Trigger, parse_profile
from harness.profile.loader import _builtin_dir
from harness.trigger import UNSUPPORTED_EXIT, CsmsTrigger, TriggerError

ROOT = Path(__file__).resolve().parents[2]
TESTCASES = ROOT / "testcases"

REAL_CSMS = """
[dut]
role = "csms"
ocpp_version = "2.0.1"
identity = "LAB-CS-1"

[connection]
url = "ws://127.0.0.1:9/ocpp"
"""


def with_trigger(**fields: Any) -> DutProfile:
    """A real-CSMS profile with the given [trigger] fields."""
    dut = parse_profile(REAL_CSMS, source="lab.toml")
    return dataclasses.replace(dut, trigger=Trigger(**fields))


class _Csms(http.server.BaseHTTPRequestHandler):
    """A trigger endpoint that records each body and answers 501 Not Implemented."""

    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Csms.received.append(json.loads(self.rfile.read(length)))
        body = b"this CSMS has no remote API for that"
        self.send_response(501)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def unsupported_url() -> Iterator[str]:
    """A loopback trigger URL that answers every request 501 and records the bodies."""
    _Csms.received.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Csms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/trigger"
    finally:
        server.shutdown()
        server.server_close()


def official_schema(version: str, action: str) -> dict[str, Any]:
    """The ocpp package's request schema of ``action``, read directly (not via the harness)."""
    package = {"1.6": "ocpp.v16", "2.0.1": "ocpp.v201"}[version]
    name = f"{action}.json" if version == "1.6" else f"{action}Request.json"
    schema: dict[str, Any] = json.loads(
        resources.files(package).joinpath("schemas", name).read_text(encoding="utf-8")
    )
    return schema


def triggered_actions(folder: str) -> set[str]:
    """Every action a test case of ``folder`` asks the trigger for, read from the source."""
    text = "".join(p.read_text(encoding="utf-8") for p in (TESTCASES / folder).glob("test_*.py"))
    # a flow of the version may ask for a fixed action itself (2.0.1 ChangeAvailability)
    flows_dir = ROOT / "harness" / "flows" / folder.split("/")[0]
    text += "".join(p.read_text(encoding="utf-8") for p in flows_dir.glob("csms*.py"))
    found = set(re.findall(r'trigger\.requesting\(\s*\w+,\s*"(\w+)"', text))
    # the 1.6 flows ``requested(trigger, station, "Action", ...)`` and ``judged_request``
    flows = re.findall(r'(?:requested|judged_request)\(\s*\w+,\s*\w+,\s*"(\w+)"', text)
    return found | set(flows)


@pytest.mark.parametrize(
    ("builtin", "folder", "version"),
    [("csms-2.0.1", "v201/csms", "2.0.1"), ("csms-1.6", "v16/csms", "1.6")],
)
def test_each_triggered_request_is_schema_valid_and_501_is_not_applicable(
    pytester: pytest.Pytester, unsupported_url: str, builtin: str, folder: str, version: str
) -> None:
    """Every request a case asks an http trigger for is schema-valid; a 501 skips the case."""
    text = _builtin_dir().joinpath(f"{builtin}.toml").read_text(encoding="utf-8")
    text = text.replace(
        '[trigger]\nkind = "sim"', f'[trigger]\nkind = "http"\nurl = "{unsupported_url}"'
    )
    assert unsupported_url in text
    (pytester.path / "dut.toml").write_text(text, encoding="utf-8")
    result = pytester.runpytest_subprocess(
        str(TESTCASES / folder),
        "--dut=dut.toml",
        "-p",
        "no:cacheprovider",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "-rs",
        timeout=120,
    )
    requests = [body for body in _Csms.received if "action" in body]
    expected = triggered_actions(folder)
    assert expected
    asked = {body["action"] for body in requests}
    # a request that only follows another in its cases is never asked for once the first
    # is not supported: CancelReservation after ReserveNow, ClearChargingProfile after Set...
    assert asked <= expected
    assert expected - asked <= {"CancelReservation", "ClearChargingProfile"}
    for body in requests:
        assert body["identity"] == parse_profile(text, source="x").identity
        jsonschema.validate(body["payload"], official_schema(version, body["action"]))
    for action in asked:
        result.stdout.fnmatch_lines(
            [f"*not applicable: the CSMS does not support {action} (trigger answered 501)*"]
        )
    assert result.parseoutcomes()["skipped"] >= len(expected)
    assert "errors" not in result.parseoutcomes()


async def test_an_incomplete_payload_is_refused_before_it_leaves(unsupported_url: str) -> None:
    """A case asking for a request that breaks its schema is a harness error, nothing is sent."""
    trigger = CsmsTrigger(with_trigger(kind="http", url=unsupported_url))
    token = {"idToken": "AB12", "type": "ISO14443"}
    with pytest.raises(UsageError, match=r"breaks the schema .*remoteStartId"):
        await trigger.request("RequestStartTransaction", {"idToken": token}, description="")
    assert _Csms.received == []


async def test_a_501_setting_change_is_not_applicable(unsupported_url: str) -> None:
    """A CSMS that cannot take a setting through the trigger makes the case not applicable."""
    trigger = CsmsTrigger(with_trigger(kind="http", url=unsupported_url))
    with pytest.raises(pytest.skip.Exception, match=r"not applicable: .* setting next_boot"):
        await trigger.configure("next_boot_status", "Pending", description="")


def command_trigger(tmp_path: Path, script: str) -> CsmsTrigger:
    """A command trigger running ``script`` (a /bin/sh snippet) as ``trigger.sh``."""
    path = tmp_path / "trigger.sh"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return CsmsTrigger(
        with_trigger(kind="command", command=f"{path} {{action}} {{payload}} {{identity}}")
    )


async def test_the_command_trigger_gets_the_action_and_payload(tmp_path: Path) -> None:
    """The command gets action, payload JSON and identity as words, the body on stdin."""
    trigger = command_trigger(
        tmp_path,
        f'printf "%s\\n" "$@" > {tmp_path}/args; cat > {tmp_path}/stdin\n'
        'echo \'{"status": "Accepted"}\'\n',
    )
    answer = await trigger.request(
        "TriggerMessage", {"requestedMessage": "Heartbeat"}, description=""
    )
    assert answer == {"status": "Accepted"}
    args = (tmp_path / "args").read_text().splitlines()
    assert args == ["TriggerMessage", '{"requestedMessage": "Heartbeat"}', "LAB-CS-1"]
    assert json.loads((tmp_path / "stdin").read_text()) == {
        "identity": "LAB-CS-1",
        "action": "TriggerMessage",
        "payload": {"requestedMessage": "Heartbeat"},
    }


async def test_the_command_trigger_exit_69_is_not_applicable(tmp_path: Path) -> None:
    """Exit status 69 means the CSMS does not support the action: the case is not applicable."""
    trigger = command_trigger(tmp_path, f"exit {UNSUPPORTED_EXIT}\n")
    with pytest.raises(
        pytest.skip.Exception,
        match=r"not applicable: the CSMS does not support TriggerMessage "
        r"\(trigger command exited with 69\)",
    ):
        await trigger.request("TriggerMessage", {"requestedMessage": "Heartbeat"}, description="")


async def test_a_failing_trigger_command_is_an_error_with_its_output(tmp_path: Path) -> None:
    """Another exit status is a TriggerError naming the command and quoting its output."""
    trigger = command_trigger(tmp_path, "echo CSMS API token expired >&2\nexit 3\n")
    with pytest.raises(TriggerError, match="trigger command failed with exit status 3") as raised:
        await trigger.request("TriggerMessage", {"requestedMessage": "Heartbeat"}, description="")
    assert "CSMS API token expired" in str(raised.value)
    assert "trigger.sh" in str(raised.value)


@pytest.mark.parametrize(
    ("trigger", "field", "words"),
    [
        ('kind = "command"', "trigger.command", 'is needed by kind = "command"'),
        ('kind = "command"\ncommand = "./t.sh {evse}"', "trigger.command", "uses {evse}"),
    ],
)
def test_bad_command_triggers_name_their_field(trigger: str, field: str, words: str) -> None:
    """A command trigger without a command, or with an unknown placeholder, names the field."""
    with pytest.raises(ConfigurationError, match=re.escape(words)) as raised:
        parse_profile(REAL_CSMS + "\n[trigger]\n" + trigger, source="lab.toml")
    assert raised.value.field == field
