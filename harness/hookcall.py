"""Run one hook of a DUT profile: a shell command or an HTTP POST, always bounded in time.

Rig hooks (:mod:`harness.rig.hooks`), device hooks (:mod:`harness.device`)
and the command and HTTP triggers (:mod:`harness.trigger`) all reach the lab
the same way, through :func:`run_command` and :func:`post_json`. Each caller
turns a :class:`HookFailure` into its own error type (a rig error, a device
hook error, a trigger error), so a report says which part of the lab failed.

A command runs under ``/bin/sh`` in a session of its own. Its output goes to
temporary files, not pipes, and the harness waits for the shell to exit, not
for the end of its output: a command that leaves a process in the background
(``./start-sim.sh &``, a daemon keeping stdout open) returns as soon as the
shell does. A command that outlives its bound is killed with its whole process
group. Every message passes through :func:`~harness.profile.secrets.mask`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from harness.profile.secrets import mask

__all__ = ["TAIL", "CommandOutput", "HookFailure", "is_url", "post_json", "run_command"]

TAIL = 400
"""How many characters of a hook's output or answer a message quotes."""


def is_url(template: str) -> bool:
    """Whether a hook is an http(s) URL (else it is a shell command)."""
    return template.startswith(("http://", "https://"))


class HookFailure(Exception):
    """A hook did not succeed; the message names it, its command or URL and its output.

    Attributes:
        status: the exit status of a command, the HTTP status of a URL, or None
            (timed out, could not be started or reached).
        output: the tail of what the command printed or the URL answered.
    """

    def __init__(self, message: str, *, status: int | None = None, output: str = "") -> None:
        super().__init__(mask(message))
        self.status = status
        self.output = mask(output)


@dataclass(frozen=True)
class CommandOutput:
    """What a command that exited with status 0 printed.

    Attributes:
        stdout: its standard output (complete, masked).
        stderr: its standard error (complete, masked).
    """

    stdout: str
    stderr: str


def _read(file: IO[bytes]) -> str:
    file.seek(0)
    return mask(file.read().decode("utf-8", errors="replace"))


def _quote(label: str, text: str) -> str:
    text = text.strip()
    return f"\n{label}: …{text[-TAIL:]}" if text else ""


async def run_command(
    label: str,
    command: str,
    *,
    timeout: float,
    stdin: bytes | None = None,
    ok: frozenset[int] = frozenset({0}),
) -> CommandOutput:
    """Run ``command`` under ``/bin/sh`` and wait (bounded) for the shell to exit.

    Args:
        label: what the command is, first words of every message, e.g.
            ``"device hook session_start"``.
        command: the shell command line, placeholders already filled in.
        timeout: seconds it may take.
        stdin: bytes written to its standard input (closed after them); None
            gives it no input.
        ok: the exit statuses that count as success.

    Returns:
        Its output.

    Raises:
        HookFailure: it could not be started, timed out, or exited with another
            status; the message quotes the end of its stderr and stdout.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = await asyncio.create_subprocess_shell(
                command,
                stdin=asyncio.subprocess.DEVNULL if stdin is None else asyncio.subprocess.PIPE,
                # Files, not pipes: a background child keeping them open must not hang the run.
                stdout=out,
                stderr=err,
                start_new_session=True,  # so a timeout can end the whole process group
            )
        except OSError as error:
            raise HookFailure(f"{label} could not be started: {error}: {command}") from error
        try:
            async with asyncio.timeout(timeout):
                if stdin is not None and process.stdin is not None:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        process.stdin.write(stdin)
                        await process.stdin.drain()
                    process.stdin.close()
                status = await process.wait()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            output = _read(err) + _read(out)
            raise HookFailure(
                f"{label} did not finish within {timeout:g} s: {command}"
                + _quote("output", output),
                output=output[-TAIL:],
            ) from None
        stdout, stderr = _read(out), _read(err)
    if status not in ok:
        quoted = _quote("stderr", stderr) + _quote("stdout", stdout)
        raise HookFailure(
            f"{label} failed with exit status {status}: {command}" + (quoted or " (no output)"),
            status=status,
            output=(stderr.strip() or stdout.strip())[-TAIL:],
        )
    return CommandOutput(stdout, stderr)


async def post_json(
    label: str, url: str, body: Mapping[str, object], *, timeout: float
) -> tuple[int, str]:
    """POST ``body`` as JSON to ``url`` and return the HTTP status and the answer's text.

    Any status is returned; the caller decides what counts as success.

    Args:
        label: what the URL is, first words of every message.
        url: an http(s) URL.
        body: the JSON object to send.
        timeout: seconds the whole exchange may take.

    Raises:
        HookFailure: the URL could not be reached or did not answer in time.
    """
    data = json.dumps(body).encode("utf-8")

    def call() -> tuple[int, str]:
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read(TAIL * 16).decode(errors="replace")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(TAIL * 16).decode(errors="replace")

    try:
        # The thread's own socket timeout ends it; this bound ends the wait for it.
        async with asyncio.timeout(timeout + 1.0):
            status, text = await asyncio.to_thread(call)
    except TimeoutError:
        raise HookFailure(f"{label} got no answer from {url} within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise HookFailure(f"{label} got no answer from {url} within {timeout:g} s") from None
        raise HookFailure(f"{label} could not reach {url}: {reason}") from error
    return status, mask(text)
