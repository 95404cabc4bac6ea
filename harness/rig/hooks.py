"""The ``hooks`` rig backend: each rig action runs a command or calls a URL.

``[rig.hooks]`` maps an action to a shell command or an ``http(s)://`` URL::

    [rig.hooks]
    plug_in = "./bench.sh plug {evse} {connector} in"
    present_card = "https://bench.lab/rig/card?token={token}"

Placeholders (``{evse}``, ``{connector}``, ``{state}``, ``{token}``,
``{fault}``, ``{action}``) are shell-quoted in commands and URL-quoted in URLs;
``{{`` and ``}}`` stand for literal braces. A command runs under
``/bin/sh`` with a bound (``[rig.options] timeout``, default 30 s), through
:mod:`harness.hookcall` (a process it leaves in the background does not hold
the run); a non-zero exit is a :class:`~harness.errors.RigError` quoting the
end of its output. A
URL receives ``POST`` with the action and its arguments as JSON; a status
outside 2xx is a rig error. The capabilities are the actions that have a hook.
"""

from __future__ import annotations

import json
import shlex
import string
import urllib.parse
from collections.abc import Mapping

from harness.errors import ConfigurationError, NotRun, RigError
from harness.hookcall import TAIL, HookFailure, is_url, post_json, run_command
from harness.rig.base import Capability, EvState, Fault, Rig
from harness.rig.log import LogEntry, RigLog
from harness.rig.options import RigOptions

__all__ = ["HOOK_ACTIONS", "HooksRig", "hook_capabilities"]

HOOK_ACTIONS: dict[str, tuple[str, ...]] = {
    "plug_in": ("evse", "connector"),
    "plug_out": ("evse", "connector"),
    "ev_state": ("evse", "connector", "state"),
    "present_card": ("token", "evse"),
    "power_on": (),
    "power_off": (),
    "power_cycle": (),
    "inject_fault": ("fault", "evse", "connector"),
    "clear_fault": ("fault", "evse", "connector"),
    "drive_in": ("evse", "connector"),
    "drive_out": ("evse", "connector"),
}
"""Every hook name and the placeholders it may use (``{action}`` is always allowed)."""

_NEEDS = {
    Capability.PLUG: ("plug_in", "plug_out"),
    Capability.EV_STATE: ("ev_state",),
    Capability.CARD: ("present_card",),
    Capability.POWER: ("power_on", "power_off"),
    Capability.FAULT: ("inject_fault", "clear_fault"),
    Capability.PARKING: ("drive_in", "drive_out"),
}


def hook_capabilities(hooks: Mapping[str, str]) -> frozenset[Capability]:
    """The capabilities whose every action has a hook."""
    return frozenset(cap for cap, needs in _NEEDS.items() if all(a in hooks for a in needs))


class HooksRig(Rig):
    """Rig actions carried out by the profile's commands and URLs.

    Args:
        hooks: ``[rig.hooks]``: action name -> shell command or http(s) URL.
        options: ``[rig.options]`` (``timeout``: seconds per hook, default 30).

    Raises:
        ConfigurationError: an unknown action name, an unknown placeholder, or
            a malformed template; the field is named.
    """

    name = "hooks"

    def __init__(self, hooks: Mapping[str, str], options: Mapping[str, object] | None = None):
        opts = RigOptions(options or {}, "hooks", {"timeout": "seconds per hook, default 30"})
        self.timeout = opts.number("timeout", 30.0, minimum=0.001)
        self.hooks = dict(hooks)
        self.log = RigLog("hooks")
        for action, template in self.hooks.items():
            self._check(action, template)

    @staticmethod
    def _check(action: str, template: str) -> None:
        where = f"rig.hooks.{action}"
        if action not in HOOK_ACTIONS:
            raise ConfigurationError(
                f"[rig.hooks] {action} is not a rig action; use one of {', '.join(HOOK_ACTIONS)}",
                field=where,
            )
        allowed = {*HOOK_ACTIONS[action], "action"}
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as error:
            raise ConfigurationError(f"[rig.hooks] {action}: {error}", field=where) from error
        unknown = sorted({name for _, name, _, _ in parsed if name is not None} - allowed)
        if unknown:
            raise ConfigurationError(
                f"[rig.hooks] {action} uses {{{unknown[0]}}}; it may use "
                + ", ".join(f"{{{name}}}" for name in sorted(allowed)),
                field=where,
            )

    @property
    def capabilities(self) -> frozenset[Capability]:
        return hook_capabilities(self.hooks)

    def log_text(self) -> str:
        return self.log.format_text()

    def log_entries(self) -> list[LogEntry]:
        return self.log.entries

    async def run(self, action: str, **values: object) -> None:
        """Run the hook of ``action`` with its placeholders filled in.

        Args:
            action: a key of :data:`HOOK_ACTIONS`.
            **values: the placeholder values (None becomes an empty string).

        Raises:
            RigError: the command failed or timed out, or the URL answered badly.
        """
        template = self.hooks.get(action)
        if template is None:
            raise NotRun(f"the hooks rig has no [rig.hooks] {action}")
        params = {key: "" if value is None else str(value) for key, value in values.items()}
        params["action"] = action
        if is_url(template):
            quoted = {k: urllib.parse.quote(v, safe="") for k, v in params.items()}
            await self._post(action, template.format_map(quoted), params)
        else:
            quoted = {k: shlex.quote(v) for k, v in params.items()}
            await self._shell(action, template.format_map(quoted))

    async def _shell(self, action: str, command: str) -> None:
        self.log.add(">", f"{action}: {command}")
        try:
            output = await run_command(f"rig hook {action}", command, timeout=self.timeout)
        except HookFailure as failure:
            self.log.add("x", str(failure))
            raise RigError(str(failure)) from None
        self.log.add("<", f"{action}: exit 0; {output.stdout[-TAIL:]}")

    async def _post(self, action: str, url: str, params: dict[str, str]) -> None:
        self.log.add(">", f"{action}: POST {url} {json.dumps(params)}")
        try:
            status, text = await post_json(f"rig hook {action}", url, params, timeout=self.timeout)
        except HookFailure as failure:
            self.log.add("x", str(failure))
            raise RigError(str(failure)) from None
        self.log.add("<", f"{action}: HTTP {status} {text[-TAIL:]}")
        if not 200 <= status < 300:
            raise RigError(f"rig hook {action}: {url} answered HTTP {status}: {text[-TAIL:]}")

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        await self.run("plug_in", evse=evse, connector=connector)

    async def plug_out(self, evse: int = 1, connector: int = 1) -> None:
        await self.run("plug_out", evse=evse, connector=connector)

    async def ev_state(self, state: EvState, evse: int = 1, connector: int = 1) -> None:
        await self.run("ev_state", evse=evse, connector=connector, state=state.value)

    async def present_card(self, token: str, evse: int | None = None) -> None:
        await self.run("present_card", token=token, evse=evse)

    async def power(self, on: bool) -> None:
        await self.run("power_on" if on else "power_off")

    async def power_cycle(self) -> None:
        if "power_cycle" in self.hooks:
            await self.run("power_cycle")
        else:
            await self.run("power_off")
            await self.run("power_on")

    async def inject_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.run("inject_fault", fault=fault.value, evse=evse, connector=connector)

    async def clear_fault(self, fault: Fault, evse: int = 1, connector: int = 1) -> None:
        await self.run("clear_fault", fault=fault.value, evse=evse, connector=connector)

    async def drive_in(self, evse: int = 1, connector: int = 1) -> None:
        await self.run("drive_in", evse=evse, connector=connector)

    async def drive_out(self, evse: int = 1, connector: int = 1) -> None:
        await self.run("drive_out", evse=evse, connector=connector)
