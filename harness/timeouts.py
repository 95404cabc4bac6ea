"""The ``timeout=`` convention of the session API.

``DEFAULT`` means "the configured message timeout", ``None`` means "no
deadline" (the per-test timeout still guards), a number means that many
seconds; the session multiplies every one by its time factor.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT", "Timeout"]


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


#: "Use the configured value" for a ``timeout=`` argument.
DEFAULT: Final = _Default()
Timeout = float | None | _Default
