"""The ``[device]`` table: lab hooks that start, stop and settle the device under test.

::

    [device]
    session_start = "./start-charger-sim.sh {identity} {url} &"
    session_stop = "./stop-charger-sim.sh"
    idle = "https://bench.lab/charger/{identity}/idle"
    timeout = 60

Each hook is a shell command or an ``http(s)://`` URL, as in ``[rig.hooks]``.
Placeholders: ``{identity}`` (the station identity), ``{url}`` (the URL the
station connects to: the harness's CSMS for a station DUT, the CSMS under
test for a CSMS DUT) and ``{hook}`` (the hook's name); ``{{`` and ``}}`` stand
for literal braces. :mod:`harness.device` runs them.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # _tables imports the model, which imports this module
    from harness.profile._tables import Table

__all__ = [
    "DEVICE_HOOKS",
    "DEVICE_KEYS",
    "DEVICE_PLACEHOLDERS",
    "Device",
    "check_placeholders",
    "read_device",
]

DEVICE_HOOKS = ("session_start", "session_stop", "idle")
"""The hook names, in the order a run calls them (idle after each case)."""

DEVICE_KEYS = (*DEVICE_HOOKS, "timeout")
"""The keys ``[device]`` may hold."""

DEVICE_PLACEHOLDERS = ("identity", "url", "hook")
"""What a device hook may use in braces."""


@dataclass(frozen=True)
class Device:
    """Device hooks of a lab: each a shell command or an http(s) URL, or None.

    Attributes:
        session_start: run once before the first test case (start the device
            or its simulator).
        session_stop: run once after the last, also when the run was
            interrupted or a case failed.
        idle: run after each test case, once the harness restored idle.
        timeout: seconds each hook may take (stretched by the time factor).
    """

    session_start: str | None = None
    session_stop: str | None = None
    idle: str | None = None
    timeout: float = 60.0

    def hook(self, name: str) -> str | None:
        """The command or URL of hook ``name`` (one of :data:`DEVICE_HOOKS`), or None."""
        value: str | None = getattr(self, name)
        return value

    @property
    def configured(self) -> bool:
        """Whether any hook is set."""
        return any(self.hook(name) for name in DEVICE_HOOKS)


def read_device(table: Table) -> Device:
    """Read and check the ``[device]`` table.

    Raises:
        ConfigurationError: a hook is not a non-empty string, uses an unknown
            placeholder or has unbalanced braces; or timeout is not > 0.
    """
    hooks = {name: table.text(name) for name in DEVICE_HOOKS}
    for name, template in hooks.items():
        if template is not None:
            check_placeholders(table, name, template, DEVICE_PLACEHOLDERS)
    return Device(**hooks, timeout=table.number("timeout", Device.timeout))


def check_placeholders(table: Table, key: str, template: str, allowed: tuple[str, ...]) -> None:
    """Check that a hook template uses only ``allowed`` placeholders and balanced braces.

    Raises:
        ConfigurationError: naming the field and the placeholders it may use.
    """
    names = ", ".join(f"{{{name}}}" for name in allowed)
    expected = f"a shell command or an http(s) URL using only {names}"
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(template)}
    except ValueError as error:
        table.fail(key, f"is not allowed ({error})", expected + "; write {{ }} for braces")
    unknown = sorted(f for f in fields if f is not None and f not in allowed)
    if unknown:
        table.fail(key, f"uses {{{unknown[0]}}}, which is not a placeholder", expected)
