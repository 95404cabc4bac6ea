"""Device hooks: the lab starts the device under test, stops it, and settles it between cases.

The profile's ``[device]`` table (:class:`~harness.profile.Device`) names up
to three hooks, each a shell command or an http(s) URL:

* ``session_start`` — once, before the first test case: power the charger,
  start a simulator or a CSMS container. A command may leave a process in the
  background (``./start-sim.sh &``); the run does not wait for it.
* ``session_stop`` — once, after the last test case, also when a case failed
  or the run was interrupted.
* ``idle`` — after each test case, once the harness restored idle: e.g. reset
  a bench relay or clear a CSMS's test data.

Commands get their placeholders shell-quoted, URLs get them URL-quoted and
receive ``POST {"hook", "identity", "url"}``. Every hook is bounded
(``[device] timeout`` stretched by the time factor). A hook that fails, times
out or answers outside 2xx raises :class:`DeviceHookError` (an ERROR: the
device is not blamed) naming the hook, its command or URL and its output,
secrets masked.
"""

from __future__ import annotations

import shlex
import time
import urllib.parse

from harness.errors import HarnessError
from harness.hookcall import TAIL, HookFailure, is_url, post_json, run_command
from harness.profile import DutProfile
from harness.profile.device import DEVICE_HOOKS
from harness.profile.secrets import mask

__all__ = ["DeviceHookError", "DeviceHooks"]


class DeviceHookError(HarnessError):
    """A device hook failed, timed out or could not be reached.

    Attributes:
        hook: the hook's name, e.g. ``session_start``.
    """

    def __init__(self, hook: str, message: str) -> None:
        super().__init__(mask(message))
        self.hook = hook


class DeviceHooks:
    """Runs the profile's ``[device]`` hooks and keeps a log of each call.

    Args:
        dut: the profile (``dut.device`` holds the hooks).
        url: the URL the station connects to, for ``{url}``; None when unknown.
        time_factor: stretches each hook's bound.
    """

    def __init__(self, dut: DutProfile, *, url: str | None, time_factor: float = 1.0) -> None:
        self.dut = dut
        self.url = url or ""
        self.timeout = dut.device.timeout * time_factor
        #: Lines ``HH:MM:SS hook: ...`` for the report, secrets masked.
        self.log: list[str] = []
        #: Whether session_start was run (so session_stop is owed).
        self.started = False
        #: Whether session_start succeeded (so idle hooks make sense).
        self.ready = False
        #: Whether session_stop was run.
        self.stopped = False

    @property
    def configured(self) -> bool:
        """Whether the profile sets any device hook."""
        return self.dut.device.configured

    async def start(self) -> None:
        """Run ``session_start`` (if set); session_stop is owed from now on, even if it fails."""
        self.started = True
        await self.run("session_start")
        self.ready = True

    async def stop(self) -> None:
        """Run ``session_stop`` (if set) once; later calls do nothing."""
        if self.stopped:
            return
        self.stopped = True
        await self.run("session_stop")

    async def idle(self) -> None:
        """Run the ``idle`` hook (if set)."""
        await self.run("idle")

    async def run(self, hook: str) -> None:
        """Run hook ``hook`` with its placeholders filled in; nothing when it is not set.

        Raises:
            DeviceHookError: the command failed or timed out, or the URL could
                not be reached or answered outside 2xx.
        """
        if hook not in DEVICE_HOOKS:
            raise ValueError(f"unknown device hook {hook!r}; expected one of {DEVICE_HOOKS}")
        template = self.dut.device.hook(hook)
        if template is None:
            return
        values = {"identity": self.dut.identity, "url": self.url, "hook": hook}
        label = f"device hook {hook}"
        try:
            if is_url(template):
                quoted = {k: urllib.parse.quote(v, safe="") for k, v in values.items()}
                url = template.format_map(quoted)
                self._note(hook, f"POST {url}")
                status, text = await post_json(label, url, values, timeout=self.timeout)
                self._note(hook, f"HTTP {status} {text[-TAIL:]}")
                if not 200 <= status < 300:
                    raise HookFailure(
                        f"{label}: {url} answered HTTP {status}: {text.strip()[-TAIL:]}"
                    )
            else:
                command = template.format_map({k: shlex.quote(v) for k, v in values.items()})
                self._note(hook, command)
                output = await run_command(label, command, timeout=self.timeout)
                self._note(hook, f"exit 0 {output.stdout.strip()[-TAIL:]}")
        except HookFailure as failure:
            self._note(hook, str(failure))
            raise DeviceHookError(hook, str(failure)) from None

    def _note(self, hook: str, text: str) -> None:
        self.log.append(mask(f"{time.strftime('%H:%M:%S')} {hook}: {text}"))
