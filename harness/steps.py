"""Steps: the numbered lines of a test case's step table.

``with step("3. BootNotification is answered Accepted"):`` opens an Allure
step (synchronous context manager, safe in async code) and, when the body
fails, names the step at the head of the failure message, so the verdict says
which step of the specification the device broke.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import allure as _allure

from harness.errors import HarnessError, NonConformance

__all__ = ["step"]

allure: Any = _allure  # allure-python ships partial annotations only


@contextlib.contextmanager
def step(title: str) -> Iterator[None]:
    """One step of a test case; failures inside it are prefixed with its title."""
    with allure.step(title):
        try:
            yield
        except (NonConformance, HarnessError) as error:
            if error.args and isinstance(error.args[0], str):
                error.args = (f"Step '{title}' failed: {error.args[0]}", *error.args[1:])
            raise
