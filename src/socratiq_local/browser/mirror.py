"""The worker's copy of the page's localStorage.

A worker cannot reach localStorage, so the page sends this book's keys when the engine starts,
and then each key another tab changes, as it changes (never the whole copy again); the engine
reads and writes this copy synchronously, and every write is queued for the page, which applies
them in order and stops at the first that does not fit (a later write may depend on it: a chunk
is removed only once the snapshot covering it is stored). The page then sends what it really
holds under the keys it could not write; the copy takes those values back, and its size then as
a quota hint, so the engine's own quota handling (compact, else keep events in memory) runs at
once instead of at every answer. The hint is lifted to try again (`Session.retry_if_full`, and
at each compaction): a full storage always recovers once there is room.
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

    def apply(self, changes: Mapping[str, str | None]) -> None:
        """Values the page holds now (another tab wrote them, or our write did not fit); None:
        the key is gone. Not queued for the page: it has them already."""
        for key, value in changes.items():
            if value is None:
                super().remove(key)
            else:
                self._values[key] = value

    def found_full(self, actual: Mapping[str, str | None]) -> None:
        """The page could not write some keys: hold what it really holds, and no more room
        than that until the hint is lifted."""
        self.apply(actual)
        self._writes = []
        self.quota_bytes = self.used_bytes()

    def lift_quota(self) -> None:
        """Try the real storage again: room may have been made (by compaction, another tab,
        the host page)."""
        self.quota_bytes = None
