"""Schema versions of stored documents, and the steps that move old documents forward.

Every stored document names its version. `STEPS[n]` turns the data of a version-n document
into version n+1, so a document of any released version reaches the current one step by step.
Each step is tested against a stored sample of the old shape (tests/unit/data/storage/v<n>/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonObject = dict[str, Any]

#: The version this code writes. Version 1 is the first released shape.
CURRENT_VERSION = 1

#: Takes the document kind ("log", "snapshot", "export") and its data, returns the next version's.
Step = Callable[[str, JsonObject], JsonObject]

STEPS: Mapping[int, Step] = {}


class FutureVersion(ValueError):
    """A document written by a newer socratiq_local than this one; it is kept, not read."""


def check_readable(version: int, current: int = CURRENT_VERSION) -> None:
    """Raise unless a document of `version` can be migrated to `current`."""
    if version > current:
        raise FutureVersion(
            f"written by a newer socratiq_local (schema v{version}; this one reads up to "
            f"v{current})"
        )
    if version < 1:
        raise ValueError(f"schema version {version} was never released")


def migrate(
    kind: str,
    version: int,
    data: JsonObject,
    steps: Mapping[int, Step] = STEPS,
    current: int = CURRENT_VERSION,
) -> JsonObject:
    """The data of a version-`version` document, moved forward to version `current`."""
    check_readable(version, current)
    for step_from in range(version, current):
        data = steps[step_from](kind, data)
    return data
