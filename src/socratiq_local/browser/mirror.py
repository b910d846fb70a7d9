"""The worker's copy of the page's localStorage.

A worker cannot reach localStorage, so the page sends this book's keys when the engine starts
and whenever another tab changes them; the engine reads and writes this copy synchronously,
and every write is queued for the page, which applies it. When the page finds the real
storage full it says so, and the copy takes the size it had then as its quota: from then on
the engine's own quota handling (compact, else keep events in memory) runs as it would
against a full localStorage.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..storage.memory import MemoryStorage

Write = tuple[str, str | None]


class MirrorStorage(MemoryStorage):
    """A MemoryStorage that remembers each change, for the page to apply to localStorage."""

    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__()
        self.replace(values)
        self._writes: list[Write] = []

    def set(self, key: str, value: str) -> None:
        super().set(key, value)
        self._writes.append((key, value))

    def remove(self, key: str) -> None:
        if self.get(key) is not None:
            super().remove(key)
            self._writes.append((key, None))

    def take_writes(self) -> list[Write]:
        """The changes since the last call (None removes the key), in order."""
        writes, self._writes = self._writes, []
        return writes

    def found_full(self, actual: Mapping[str, str]) -> None:
        """The page could not write: hold what it really holds, and no more than that."""
        self.replace(actual)
        self._writes = []
        self.quota_bytes = self.used_bytes()
