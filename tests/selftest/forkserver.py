"""A fork server for the self-tests' pytest runs: the start-up is paid once per worker.

A proof runs one case in a pytest process of its own against a mutant (a
fresh interpreter: no state leaks between proofs). Most of a short proof's
wall time is that interpreter starting and importing pytest, the harness,
websockets and jsonschema again. This server imports them once and forks a
child per run; the child is the fresh process a subprocess would be (its own
pid, environment, working folder, output files), minus the imports.

Only modules no pytest plugin registers for assertion rewriting are imported
ahead: pytest warns about a plugin module imported before it could rewrite it
(and the self-tests turn warnings into errors), so the plugins load in the
child, as they would in a subprocess.

Protocol, one JSON object a line on stdin and stdout: a request
``{"args": [...], "cwd": ..., "env": {...}, "stdout": path, "stderr": path,
"timeout": seconds}`` gets ``{"ret": exit code}`` or ``{"ret": null,
"timeout": true}`` once the child ended or was killed at its bound.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
from typing import Any

# Warmed once: what every run imports and no plugin marks for rewriting.
import jsonschema  # noqa: F401
import pytest
import websockets  # noqa: F401

import harness
import harness.session
import harness.sim.embedded  # noqa: F401


def _child(request: dict[str, Any]) -> None:
    """Become the run: its folder, environment and output files, then pytest; never returns."""
    code = 3
    try:
        os.chdir(request["cwd"])
        # As ``python -m pytest`` started there: its folder first on the path.
        sys.path[0] = request["cwd"]
        os.environ.clear()
        os.environ.update(request["env"])
        random.seed()
        out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.close(out)
        os.close(err)
        code = int(pytest.main(request["args"]))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, timeout: float) -> dict[str, Any]:
    """The child's exit code, or a timeout once it ran past its bound (then it is killed)."""
    handle = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([handle], [], [], timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"ret": None, "timeout": True}
        _, status = os.waitpid(pid, 0)
        return {"ret": os.waitstatus_to_exitcode(status)}
    finally:
        os.close(handle)


def serve() -> None:
    """Answer run requests from stdin, one at a time, until stdin closes."""
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        answer = _wait(pid, float(request["timeout"]))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
