"""A storage backend in a dict, with an optional quota so tests can fill it up."""

from __future__ import annotations

from collections.abc import Mapping

from .backend import StorageFull


def stored_size(key: str, value: str) -> int:
    """The bytes a key and its value count against a quota (UTF-8 of both)."""
    return len(key.encode()) + len(value.encode())


class MemoryStorage:
    """Keys and values in memory; `quota_bytes` bounds the UTF-8 size of all keys and values."""

    def __init__(self, quota_bytes: int | None = None) -> None:
        self.quota_bytes = quota_bytes
        self._values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        if self.quota_bytes is not None:
            old = self._values.get(key)
            freed = 0 if old is None else stored_size(key, old)
            if self.used_bytes() - freed + stored_size(key, value) > self.quota_bytes:
                raise StorageFull(f"{key}: quota of {self.quota_bytes} bytes exceeded")
        self._values[key] = value

    def remove(self, key: str) -> None:
        self._values.pop(key, None)

    def keys(self) -> list[str]:
        return list(self._values)

    def replace(self, values: Mapping[str, str]) -> None:
        """Hold exactly `values` (what another copy of the storage now holds)."""
        self._values = dict(values)

    def used_bytes(self) -> int:
        return sum(stored_size(key, value) for key, value in self._values.items())
