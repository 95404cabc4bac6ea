"""Message ids: unique per connection, at most 36 characters."""

from __future__ import annotations

import itertools
import os

__all__ = ["IdGenerator"]


class IdGenerator:
    """Hands out ids ``<prefix>-<n>``: unique for the connection, short, readable.

    The random prefix keeps ids from two connections (or two runs) apart in
    merged traces; the counter keeps them ordered for a human reader.
    """

    def __init__(self, prefix: str | None = None) -> None:
        self.prefix = prefix if prefix is not None else os.urandom(4).hex()
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        return f"{self.prefix}-{next(self._counter)}"
