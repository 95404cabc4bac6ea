"""Secrets from the environment or the file never show in repr, str, reports or masked text."""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.errors import ConfigurationError
from harness.profile import MASK, DutProfile, Secret, load_profile, mask, register_secret

WriteProfile = Callable[..., Path]

# Long and unlikely values: the registry is process-wide, so a short value would mask
# text in unrelated tests.
LITERAL = "literal-pw-6c1f0b3e9d2a47"
FROM_ENV = "env-pw-a93d5e0c71b24f"
ENV_NAME = "HARNESS_TEST_PROFILE_PASSWORD"


def profile_with_password(password_toml: str, identity: str = "CP-SECRET-1") -> str:
    """A station profile over security profile 1 with the given password value."""
    return (
        f'[dut]\nrole = "station"\nocpp_version = "2.0.1"\nidentity = "{identity}"\n'
        f"[connection]\nsecurity_profile = 1\nbasic_auth_password = {password_toml}\n"
    )


@pytest.fixture
def literal_profile(write_profile: WriteProfile) -> DutProfile:
    """A profile whose password is written in the file."""
    return load_profile(write_profile(profile_with_password(f'"{LITERAL}"')))


@pytest.fixture
def env_profile(write_profile: WriteProfile, monkeypatch: pytest.MonkeyPatch) -> DutProfile:
    """A profile whose password is read from an environment variable."""
    monkeypatch.setenv(ENV_NAME, FROM_ENV)
    return load_profile(write_profile(profile_with_password(f'{{ env = "{ENV_NAME}" }}')))


def assert_hidden(profile: DutProfile, value: str) -> None:
    """``value`` is in the profile, yet none of its renderings shows it."""
    __tracebackhide__ = True
    secret = profile.connection.basic_auth_password
    assert secret is not None
    assert secret.reveal() == value
    assert repr(secret) == "Secret('******')"
    assert str(secret) == MASK
    assert f"{secret}" == MASK
    for text in (
        repr(profile),
        str(profile),
        repr(profile.connection),
        json.dumps(profile.masked()),
        str(dataclasses.asdict(profile)),
    ):
        assert value not in text
    masked = profile.masked()["connection"]
    assert isinstance(masked, dict)
    assert masked["basic_auth_password"] == MASK
    assert mask(f"Authorization failed for {value}!") == f"Authorization failed for {MASK}!"


def test_literal_password_is_hidden(literal_profile: DutProfile) -> None:
    """A password written in the file is masked everywhere and says where it came from."""
    assert_hidden(literal_profile, LITERAL)
    secret = literal_profile.connection.basic_auth_password
    assert secret is not None
    assert secret.source == "literal"


def test_env_password_is_hidden(env_profile: DutProfile) -> None:
    """A password read from the environment is masked; the variable's name may be shown."""
    assert_hidden(env_profile, FROM_ENV)
    secret = env_profile.connection.basic_auth_password
    assert secret is not None
    assert secret.source == f"env:{ENV_NAME}"


def test_basic_auth_header_is_masked_too(literal_profile: DutProfile) -> None:
    """The Authorization header a station would send is masked in traces."""
    token = base64.b64encode(f"CP-SECRET-1:{LITERAL}".encode()).decode()
    assert mask(f"Authorization: Basic {token}") == f"Authorization: Basic {MASK}"


def test_masked_profile_masks_secrets_inside_other_values(write_profile: WriteProfile) -> None:
    """A registered secret reused elsewhere in the profile (say a hook URL) is masked there."""
    secret = "hook-pw-0f4b2c8e1a9d"
    text = profile_with_password(f'"{secret}"') + (
        f'[rig]\nbackend = "hooks"\n[rig.hooks]\nplug_in = "curl -u me:{secret} http://rig/plug"\n'
    )
    profile = load_profile(write_profile(text))
    assert secret not in json.dumps(profile.masked())
    assert f"me:{MASK}" in json.dumps(profile.masked())


def test_wrongly_typed_password_is_not_echoed(write_profile: WriteProfile) -> None:
    """An error about the password field shows the mask, never the value written."""
    path = write_profile(profile_with_password("8675309123"))
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    assert "8675309123" not in str(info.value)
    assert f"basic_auth_password = {MASK} is not allowed" in str(info.value)


def test_errors_mask_registered_secrets(write_profile: WriteProfile) -> None:
    """A configuration error message never carries a registered secret, whatever the field."""
    register_secret("identity-that-is-secret-77")
    path = write_profile(
        profile_with_password('"pw-4410-unrelated"', identity="identity-that-is-secret-77/")
    )
    with pytest.raises(ConfigurationError) as info:
        load_profile(path)
    assert info.value.field == "dut.identity"
    assert "identity-that-is-secret-77" not in str(info.value)


def test_longest_secret_is_masked_whole() -> None:
    """When one secret contains another, the longer one is masked in one piece."""
    register_secret("nested-secret-31d7")
    register_secret("nested-secret-31d7-and-more")
    assert mask("a nested-secret-31d7-and-more b") == f"a {MASK} b"
    assert mask("a nested-secret-31d7 b") == f"a {MASK} b"


def test_empty_secret_is_not_registered() -> None:
    """Registering an empty value does not make mask() replace empty strings."""
    register_secret("")
    assert mask("nothing to hide") == "nothing to hide"
    assert mask("") == ""


def test_secret_is_frozen_hashable_and_copyable() -> None:
    """A Secret cannot be changed, compares by value, and survives copy and pickle."""
    secret = Secret("copyable-secret-5e2a", "env:X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        secret.source = "literal"
    assert secret == Secret("copyable-secret-5e2a", "env:X")
    assert secret != Secret("copyable-secret-5e2a")
    assert len({secret, Secret("copyable-secret-5e2a", "env:X")}) == 1
    for clone in (copy.copy(secret), copy.deepcopy(secret), pickle.loads(pickle.dumps(secret))):
        assert clone == secret
        assert clone.reveal() == "copyable-secret-5e2a"


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty secret registry for this test, so short secrets mask nothing elsewhere."""
    from harness.profile import secrets

    monkeypatch.setattr(secrets, "_values", set())
    monkeypatch.setattr(secrets, "_pattern", None)


@pytest.mark.usefixtures("isolated_registry")
def test_a_short_secret_is_masked_only_as_a_whole_value() -> None:
    """Password ``x`` masks ``'x'`` and ``:x@`` but leaves "expected" whole (else it would tell)."""
    register_secret("x")
    assert mask("expected 'x' to be sent") == f"expected '{MASK}' to be sent"
    assert mask("ws://CP1:x@127.0.0.1 x") == f"ws://CP1:{MASK}@127.0.0.1 {MASK}"
    assert mask("x_1 x1 1x text") == "x_1 x1 1x text"


@pytest.mark.usefixtures("isolated_registry")
def test_the_basic_auth_token_is_masked_as_a_whole_value() -> None:
    """The base64 Basic-auth form of identity and password is masked in a header, quoted or not."""
    token = base64.b64encode(b"CP1:x").decode("ascii")
    register_secret("x")
    register_secret(token)
    assert mask(f"Authorization: Basic {token}") == f"Authorization: Basic {MASK}"
    assert mask(f"('Authorization', 'Basic {token}')") == f"('Authorization', 'Basic {MASK}')"


@pytest.mark.usefixtures("isolated_registry")
def test_a_secret_with_punctuation_at_its_edges_is_masked_wherever_it_stands() -> None:
    """An edge that is punctuation needs no boundary: ``!pw!`` is masked even between letters."""
    register_secret("!pw!")
    assert mask("a!pw!b") == f"a{MASK}b"
