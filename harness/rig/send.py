"""Send RIGP/1 commands to a rig from the shell: the client behind ``[rig.hooks]`` examples.

Usage::

    python -m harness.rig.send socket://127.0.0.1:7777 "PLUG IN 1; CP C 1"
    python -m harness.rig.send tcp://127.0.0.1:7777 STATUS? 1

The words after the URL are joined by spaces and split at ``;`` into
commands, so a hook template may leave its placeholders unquoted (the hooks
backend shell-quotes each one). ``tcp://`` is accepted as another spelling of
pyserial's ``socket://``. Each command's reply is printed (``OK key=value…``);
the exit status is 0 when every command was answered OK, 1 when the rig
answered ``ERR`` (the rest are not sent), 2 when the rig could not be reached
or did not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

from harness.rig.errors import RigCommandError, RigError
from harness.rig.serial_driver import RigDriver

__all__ = ["main", "send"]


async def send(
    url: str,
    commands: Sequence[str],
    *,
    timeout: float = 2.0,
    on_reply: Callable[[str], object] | None = None,
) -> list[str]:
    """Send commands in order and return each reply as text.

    Args:
        url: a pyserial URL (``tcp://`` is read as ``socket://``).
        commands: command lines without tag or checksum, e.g. ``"PLUG IN 1"``.
        timeout: bound on each reply, in seconds.
        on_reply: called with each reply as it arrives.

    Returns:
        ``OK`` and the reply's fields, one string per command.

    Raises:
        RigCommandError: a command was refused (the following ones are not sent).
        RigError: the rig could not be reached or did not answer.
    """
    if url.startswith("tcp://"):
        url = "socket://" + url[len("tcp://") :]
    replies = []
    async with await RigDriver.open(url, timeout=timeout) as driver:
        for line in commands:
            words = line.split()
            if not words:
                continue
            reply = await driver.command(words[0].upper(), *words[1:])
            text = " ".join(["OK", *(f"{k}={v}" for k, v in reply.fields.items())])
            replies.append(text)
            if on_reply is not None:
                on_reply(text)
    return replies


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m harness.rig.send", description="Send RIGP/1 commands to a rig."
    )
    parser.add_argument("url", help="pyserial URL of the rig, e.g. tcp://127.0.0.1:7777")
    parser.add_argument("words", nargs="+", help='commands, e.g. "PLUG IN 1; CP C 1"')
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per reply")
    args = parser.parse_args(argv)
    try:
        commands = " ".join(args.words).split(";")
        asyncio.run(send(args.url, commands, timeout=args.timeout, on_reply=print))
    except RigCommandError as error:
        print(f"ERR {error.code} {error.name} {error.detail}".rstrip(), file=sys.stderr)
        return 1
    except (RigError, ValueError) as error:
        print(f"rig error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
