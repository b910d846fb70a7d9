"""The storage interface every backend offers: a flat map of string keys to string values.

It is the shape of the browser's localStorage, so the tracker written against it runs the same
on a test's dict, a file on disk and the real page.
"""

from __future__ import annotations

from typing import Protocol


class StorageFull(Exception):
    """A write did not fit: the backend's quota (localStorage's QuotaExceededError) is used up.

    The write changed nothing.
    """


class Storage(Protocol):
    def get(self, key: str) -> str | None:
        """The value stored under `key`, or None."""
        ...

    def set(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing any value; raises StorageFull when it won't fit."""
        ...

    def remove(self, key: str) -> None:
        """Forget `key`; removing a missing key does nothing."""
        ...

    def keys(self) -> list[str]:
        """Every key stored, in no particular order."""
        ...
