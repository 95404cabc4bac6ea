"""The shipped templates load, and the configuration reference documents every key."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.ocppj.versions import Role
from harness.profile import load_profile
from harness.profile.loader import _KEYS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "profile.md"


@pytest.mark.parametrize(
    ("name", "role"),
    [("real-station-template.toml", Role.STATION), ("real-csms-template.toml", Role.CSMS)],
)
def test_templates_load_as_shipped(monkeypatch: pytest.MonkeyPatch, name: str, role: Role) -> None:
    """Each template is a valid profile once its password variable is set."""
    monkeypatch.setenv("DUT_BASIC_AUTH_PASSWORD", "template-test-pw-93b1f7")
    profile = load_profile(ROOT / "profiles" / name)
    assert profile.role is role
    assert profile.embedded is None
    password = profile.connection.basic_auth_password
    assert password is not None
    assert password.source == "env:DUT_BASIC_AUTH_PASSWORD"


@pytest.mark.parametrize("table", sorted(_KEYS))
def test_reference_documents_every_key(table: str) -> None:
    """docs/profile.md has a section for each table and a row for each of its keys."""
    text = REFERENCE.read_text(encoding="utf-8")
    heading = f"## `[[{table}]]`" if table == "evse" else f"## `[{table}]`"
    assert heading in text
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    for key in _KEYS[table]:
        assert f"| `{key}` |" in section, f"[{table}].{key} is not documented"
