"""A storage backend in one JSON file, for the command line and tests across processes.

Every call reads the file and every write replaces it atomically (write a sibling, then
rename), so a crash mid-write leaves the old map, never half of a new one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class StorageUnreadable(ValueError):
    """The storage file exists but is not a JSON object of strings; it is left untouched."""


class FileStorage:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def get(self, key: str) -> str | None:
        return self._read().get(key)

    def set(self, key: str, value: str) -> None:
        values = self._read()
        values[key] = value
        self._write(values)

    def remove(self, key: str) -> None:
        values = self._read()
        if values.pop(key, None) is not None:
            self._write(values)

    def keys(self) -> list[str]:
        return list(self._read())

    def _read(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            values = json.loads(text)
        except ValueError as error:
            raise StorageUnreadable(f"{self.path} is not JSON: {error}") from error
        if not isinstance(values, dict) or not all(
            isinstance(value, str) for value in values.values()
        ):
            raise StorageUnreadable(f"{self.path} is not a JSON object of strings")
        return values

    def _write(self, values: dict[str, str]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(values, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(temporary, self.path)
