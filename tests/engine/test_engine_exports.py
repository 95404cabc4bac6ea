"""The OCPP-J package's public surface: a short explicit ``__all__`` (CONVENTIONS rule 1)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import harness.ocppj

#: The public API of harness.ocppj, written down on purpose: a change here is an API change.
PUBLIC = [
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Channel",
    "ChannelClosed",
    "Frame",
    "FrameError",
    "IncomingCall",
    "MessageType",
    "OcppConnection",
    "OcppVersion",
    "Problem",
    "Reply",
    "Role",
    "Send",
    "Violation",
    "encode",
    "error_code_for",
    "error_codes",
    "memory_pair",
    "parse",
    "validate_payload",
]

MODULES = sorted(m.name for m in pkgutil.iter_modules(harness.ocppj.__path__))


def test_package_exports_exactly_the_public_api() -> None:
    """harness.ocppj.__all__ lists exactly the written-down public names, sorted, once each."""
    assert harness.ocppj.__all__ == PUBLIC


def test_every_exported_name_exists() -> None:
    """Every name in __all__ is importable from the package."""
    for name in harness.ocppj.__all__:
        assert getattr(harness.ocppj, name, None) is not None, name


def test_nothing_public_is_left_out_of_all() -> None:
    """Apart from its submodules, the package has no public attribute missing from __all__."""
    public = {
        name
        for name, value in vars(harness.ocppj).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(harness.ocppj.__all__)


def test_star_import_gives_the_public_api() -> None:
    """``from harness.ocppj import *`` brings in exactly the public API."""
    namespace: dict[str, object] = {}
    exec("from harness.ocppj import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == PUBLIC


@pytest.mark.parametrize("module", MODULES)
def test_each_module_declares_its_exports(module: str) -> None:
    """Each submodule declares __all__, and every name in it exists."""
    loaded = importlib.import_module(f"harness.ocppj.{module}")
    assert isinstance(loaded.__all__, list)
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"harness.ocppj.{module} lacks {name}"


def test_package_exports_come_from_the_modules() -> None:
    """Each exported object is the one defined in its submodule, not a copy."""
    from harness.ocppj import channel, connection, frames, validation, versions

    assert harness.ocppj.parse is frames.parse
    assert harness.ocppj.memory_pair is channel.memory_pair
    assert harness.ocppj.OcppConnection is connection.OcppConnection
    assert harness.ocppj.validate_payload is validation.validate_payload
    assert harness.ocppj.OcppVersion is versions.OcppVersion
