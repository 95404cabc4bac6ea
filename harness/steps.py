"""Steps: the numbered lines of a test case's step table.

``with step("3. BootNotification is answered Accepted"):`` opens an Allure
step (synchronous context manager, safe in async code) and, when the body
fails, names the step and the test case at the head of the failure message
("Step '3. ...' of TC_B_03_CS failed: ..."), so every verdict cites the
catalogue step the device broke. The plugin tells this module which case runs
(:func:`set_case`) before each test, and where steps are reported
(:func:`set_step_reporter`: Allure's ``allure.step`` under pytest), so the
library itself imports neither pytest nor Allure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from harness.errors import HarnessError, NonConformance

__all__ = ["StepReporter", "current_case", "set_case", "set_step_reporter", "step"]

StepReporter = Callable[[str], AbstractContextManager[object]]
"""Opens a report's step of the given title for the length of a ``with`` block."""


def _unreported(title: str) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


_reporter: StepReporter = _unreported


_PREFIX = "Step '"
# pytest runs one test at a time in a process, so a module value is enough (and,
# unlike a context variable, also reaches an event loop created before the test).
_case: str | None = None


def set_case(case_id: str | None) -> None:
    """Name the certification case now running (None outside a test case)."""
    global _case
    _case = case_id


def set_step_reporter(reporter: StepReporter | None) -> None:
    """Report every later step through ``reporter`` (None: report steps nowhere)."""
    global _reporter
    _reporter = reporter or _unreported


def current_case() -> str | None:
    """The certification case now running, as set by :func:`set_case`."""
    return _case


@contextlib.contextmanager
def step(title: str) -> Iterator[None]:
    """One step of a test case; failures inside it are prefixed with its title.

    The innermost step also names the test case, so the message cites its
    source (``Step 'Booted 5-6. ...' of TC_B_01_CS failed: ...``).
    """
    with _reporter(title):
        try:
            yield
        except (NonConformance, HarnessError) as error:
            if error.args and isinstance(error.args[0], str):
                message = error.args[0]
                of = f" of {_case}" if _case and not message.startswith(_PREFIX) else ""
                error.args = (f"{_PREFIX}{title}'{of} failed: {message}", *error.args[1:])
            raise
