"""The README's commands are the ones CI runs: they cannot drift apart unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_copy_paste_commands() -> None:
    """The quick start offers two commands: the certification suite and the project's tests."""
    commands = _readme_commands()
    assert len(commands) == 2
    assert "ocpp-harness suite --embedded" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    """.ci/run contains the README's test command unchanged."""
    assert _readme_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_main_job_runs_every_builtin_profile() -> None:
    """``suite --embedded`` covers every builtin profile, each station one persistent DUT."""
    from harness.profile.loader import _builtin_dir
    from harness.suite import EMBEDDED_PROFILES

    builtins = {path.stem for path in _builtin_dir().glob("*.toml")}
    assert set(EMBEDDED_PROFILES) == builtins
