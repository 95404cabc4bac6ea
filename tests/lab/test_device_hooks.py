"""Device hooks of a lab: session start/stop and idle between cases, bounded and never hanging."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from harness.device import DeviceHookError, DeviceHooks
from harness.errors import ConfigurationError, RigError
from harness.profile import DutProfile, parse_profile, register_secret
from harness.rig.hooks import HooksRig

BASE = """
[dut]
role = "csms"
ocpp_version = "2.0.1"
identity = "LAB-CS-1"

[connection]
url = "ws://127.0.0.1:9/ocpp"
"""


def profile(device: str) -> DutProfile:
    """A real-CSMS profile whose [device] table is ``device``."""
    return parse_profile(BASE + "\n[device]\n" + textwrap.dedent(device), source="lab.toml")


@pytest.fixture
def reaped(tmp_path: Path) -> Iterator[Path]:
    """A pid file; the process it names (a hook's background child) is killed afterwards."""
    pidfile = tmp_path / "bg.pid"
    yield pidfile
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)


async def test_a_background_process_does_not_hang_a_device_hook(reaped: Path) -> None:
    """A session_start that leaves a process holding stdout open returns when the shell exits."""
    dut = profile(f"""
        session_start = "sleep 30 & echo $! > {reaped}; echo started"
        timeout = 10
    """)
    hooks = DeviceHooks(dut, url="ws://127.0.0.1:9/ocpp/LAB-CS-1")
    started = time.monotonic()
    await hooks.start()
    assert time.monotonic() - started < 5
    assert "started" in hooks.log[-1]


async def test_a_background_process_does_not_hang_a_rig_hook(reaped: Path) -> None:
    """A rig hook that starts a daemon keeping stdout open does not run into its bound."""
    rig = HooksRig({"power_on": f"sleep 30 & echo $! > {reaped}"}, {"timeout": 10})
    started = time.monotonic()
    await rig.power(True)
    assert time.monotonic() - started < 5


async def test_a_failing_hook_names_the_hook_the_command_and_its_output_masked() -> None:
    """A non-zero exit is a DeviceHookError with hook, command, output; secrets are masked."""
    register_secret("lab-s3cret")
    dut = profile("""idle = "echo relay stuck, password lab-s3cret >&2; exit 4"\n""")
    with pytest.raises(DeviceHookError) as raised:
        await DeviceHooks(dut, url=None).idle()
    message = str(raised.value)
    assert raised.value.hook == "idle"
    assert "device hook idle failed with exit status 4: echo relay stuck" in message
    assert "relay stuck, password ******" in message
    assert "lab-s3cret" not in message


async def test_a_hanging_hook_is_ended_at_its_bound() -> None:
    """A hook that outlives ``[device] timeout`` is killed and reported as an error."""
    dut = profile("""session_stop = "sleep 30"\ntimeout = 0.3\n""")
    started = time.monotonic()
    with pytest.raises(DeviceHookError, match=r"session_stop did not finish within 0\.3 s"):
        await DeviceHooks(dut, url=None).stop()
    assert time.monotonic() - started < 5


async def test_placeholders_are_quoted_for_the_shell(tmp_path: Path) -> None:
    """{identity}, {url} and {hook} reach a command as single, quoted words."""
    out = tmp_path / "args"
    dut = profile(f"""session_start = "printf '%s|' {{hook}} {{identity}} {{url}} > {out}"\n""")
    await DeviceHooks(dut, url="ws://127.0.0.1:9/ocpp/LAB CS").start()
    assert out.read_text() == "session_start|LAB-CS-1|ws://127.0.0.1:9/ocpp/LAB CS|"


@pytest.fixture
async def lab_endpoint() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    """A loopback HTTP endpoint recording JSON bodies; a path with ``fail`` answers 503."""
    bodies: list[dict[str, object]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        length = int(head.lower().split("content-length:")[1].split("\r\n")[0])
        bodies.append(json.loads(await reader.readexactly(length)))
        status = "503 Service Unavailable" if "fail" in head.split("\r\n")[0] else "200 OK"
        writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 4\r\n\r\nbusy".encode())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", bodies
    server.close()
    await server.wait_closed()


async def test_url_hooks_post_the_hook_and_fail_outside_2xx(
    lab_endpoint: tuple[str, list[dict[str, object]]],
) -> None:
    """A URL hook gets POST {hook, identity, url}; an answer outside 2xx is an error."""
    base, bodies = lab_endpoint
    dut = profile(f"""idle = "{base}/idle/{{identity}}"\nsession_stop = "{base}/fail"\n""")
    hooks = DeviceHooks(dut, url="ws://x/ocpp/LAB-CS-1")
    await hooks.idle()
    assert bodies == [{"hook": "idle", "identity": "LAB-CS-1", "url": "ws://x/ocpp/LAB-CS-1"}]
    with pytest.raises(DeviceHookError, match=r"session_stop: .*/fail answered HTTP 503: busy"):
        await hooks.stop()


@pytest.mark.parametrize(
    ("device", "field", "words"),
    [
        ('idle = "./reset.sh {evse}"', "device.idle", "uses {evse}, which is not a placeholder"),
        ('session_start = "x {identity"', "device.session_start", "is not allowed"),
        ('session_stop = ""', "device.session_stop", "is empty"),
        ("timeout = 0", "device.timeout", "is not allowed"),
        ('stop = "x"', "device.stop", "unknown key"),
    ],
)
def test_bad_device_hooks_name_their_field(device: str, field: str, words: str) -> None:
    """A wrong [device] value is a configuration error naming the field."""
    with pytest.raises(ConfigurationError, match=words) as raised:
        profile(device)
    assert raised.value.field == field


def test_a_rig_hook_failure_still_is_a_rig_error() -> None:
    """Rig hooks share the runner and keep their own error type (the rig is named, not a device)."""
    rig = HooksRig({"power_off": "exit 2"})
    with pytest.raises(RigError, match="rig hook power_off failed with exit status 2"):
        asyncio.run(rig.power(False))


# -- the hooks around a whole run -------------------------------------------------------

CASES = """
import pytest
from harness import testcase

@testcase("TC_B_01_CSMS")
def test_first():
    pass

@testcase("TC_B_02_CSMS")
def test_second():
    raise AssertionError("the device broke a rule")

@pytest.mark.skip(reason="not applicable: skipped before its fixtures")
@testcase("TC_C_02_CSMS")
def test_skipped_up_front():
    pass

def test_not_a_case():
    pass
"""


@pytest.fixture
def lab(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytest project whose profile logs each device hook to ``hooks.log``."""
    pytester.makeini(
        """
        [pytest]
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = session
        asyncio_default_test_loop_scope = session
        """
    )
    return pytester


def write_profile(lab: pytest.Pytester, device: str) -> None:
    log = lab.path / "hooks.log"
    text = BASE + "\n[device]\n" + textwrap.dedent(device).replace("LOG", str(log))
    (lab.path / "dut.toml").write_text(text, encoding="utf-8")


def hook_log(lab: pytest.Pytester) -> list[str]:
    path = lab.path / "hooks.log"
    return path.read_text().split() if path.exists() else []


HOOKS = """
    session_start = "echo start >> LOG"
    idle = "echo idle >> LOG"
    session_stop = "echo stop >> LOG"
"""


def run(lab: pytest.Pytester, *args: str) -> pytest.RunResult:
    return lab.runpytest_subprocess("--dut=dut.toml", "-p", "no:cacheprovider", *args, timeout=60)


def test_a_run_starts_the_device_idles_it_after_each_case_and_stops_it(
    lab: pytest.Pytester,
) -> None:
    """session_start once, idle after every fixture of each case is torn down, session_stop last."""
    write_profile(lab, HOOKS)
    log = lab.path / "hooks.log"
    lab.makepyfile(
        restorer=f"""
        import pytest

        @pytest.fixture(autouse=True)
        def restore_idle():
            yield
            with open({str(log)!r}, "a") as file:
                file.write("restore\\n")
        """
    )
    lab.makeconftest('pytest_plugins = ["restorer"]\n')
    lab.makepyfile(test_cases=CASES)
    result = run(lab)
    result.assert_outcomes(passed=2, failed=1, skipped=1)
    assert hook_log(lab) == ["start", "restore", "idle", "restore", "idle", "restore", "stop"]


def test_an_interrupted_run_still_stops_the_device(lab: pytest.Pytester) -> None:
    """A run interrupted inside a case (Ctrl-C) still runs session_stop."""
    write_profile(lab, HOOKS)
    lab.makepyfile(
        test_cases="""
        from harness import testcase

        @testcase("TC_B_01_CSMS")
        def test_interrupted():
            raise KeyboardInterrupt
        """
    )
    run(lab)
    assert hook_log(lab)[0] == "start"
    assert hook_log(lab)[-1] == "stop"


def test_a_terminated_run_still_stops_the_device(lab: pytest.Pytester) -> None:
    """SIGTERM (as ``ocpp-harness suite`` forwards it) ends the run and session_stop runs."""
    write_profile(lab, HOOKS)
    lab.makepyfile(
        test_cases="""
        import time
        from harness import testcase

        @testcase("TC_B_01_CSMS")
        def test_long():
            open("running", "w").close()
            time.sleep(30)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--dut=dut.toml", "-p", "no:cacheprovider"],
        cwd=lab.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (lab.path / "running").exists():
            assert process.poll() is None, "pytest ended before the case ran"
            assert time.monotonic() < deadline, "the case did not start within 30 s"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert hook_log(lab)[0] == "start"
    assert hook_log(lab)[-1] == "stop"


def test_a_failing_session_start_errors_every_case_and_still_stops(
    lab: pytest.Pytester,
) -> None:
    """A broken session_start ERRORs each case naming hook, command and output; stop still runs."""
    write_profile(
        lab,
        """
        session_start = "echo simulator missing >&2; exit 7"
        session_stop = "echo stop >> LOG"
        """,
    )
    lab.makepyfile(test_cases=CASES)
    result = run(lab, "-rE")
    result.assert_outcomes(passed=1, errors=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*DeviceHookError: device hook session_start failed with exit status 7: "
            "echo simulator missing*",
            "*stderr: …simulator missing*",
        ]
    )
    assert hook_log(lab) == ["stop"]


def test_no_device_hooks_cost_nothing(lab: pytest.Pytester) -> None:
    """Without a [device] table the cases run as before and no hook fixture is set up."""
    (lab.path / "dut.toml").write_text(BASE, encoding="utf-8")
    lab.makepyfile(test_cases=CASES)
    result = run(lab, "--setup-plan")
    plan = result.stdout.str()
    assert "SETUP    F device_session" in plan
    assert "S device_hooks" not in plan


def test_a_station_is_started_with_the_url_of_the_listening_harness_csms(
    lab: pytest.Pytester,
) -> None:
    """For a station DUT, {url} is where the harness CSMS listens, with the identity appended."""
    (lab.path / "dut.toml").write_text(
        textwrap.dedent(
            f"""
            [dut]
            role = "station"
            ocpp_version = "2.0.1"
            identity = "BENCH-03"

            [rig]
            backend = "none"

            [device]
            session_start = "echo {{url}} >> {lab.path / "hooks.log"}"
            """
        ),
        encoding="utf-8",
    )
    lab.makepyfile(test_cases=CASES.replace("_CSMS", "_CS"))
    run(lab).assert_outcomes(passed=2, failed=1, skipped=1)
    (url,) = hook_log(lab)
    assert re.fullmatch(r"ws://127\.0\.0\.1:\d+/ocpp/BENCH-03", url), url
