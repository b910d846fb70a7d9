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
CURRENT_VERSION = 3

#: Takes the document kind ("log", "snapshot", "export") and its data, returns the next version's.
Step = Callable[[str, JsonObject], JsonObject]

#: Version 1's length of a question's row in a snapshot (answers ... card; v2 adds the last
#: answer and the day its solution was shown).
_V1_QUESTION_ROW = 8


def _v1_progress(payload: Any) -> Any:
    """A progress snapshot's question rows, each given an unknown last answer and no solution
    day (a payload of another shape is left as it is: the fold is opaque to storage)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("questions"), dict):
        return payload
    rows = {
        key: [*row, None, None] if isinstance(row, list) and len(row) == _V1_QUESTION_ROW else row
        for key, row in payload["questions"].items()
    }
    return {**payload, "questions": rows}


def _v1_to_v2(kind: str, data: JsonObject) -> JsonObject:
    """Version 2 keeps each question's last answer: a snapshot's rows (an exported one's too)
    gain it, unknown. (A log's answer rows may carry one more field, the answer; version 1's
    rows, without it, read as they are.)"""
    if kind == "snapshot":
        return {**data, "payload": _v1_progress(data.get("payload"))}
    if kind == "export" and isinstance(data.get("snapshot"), dict):
        snapshot = data["snapshot"]
        return {**data, "snapshot": {**snapshot, "payload": _v1_progress(snapshot.get("payload"))}}
    return data


def _v2_to_v3_history(kind: str, data: JsonObject) -> JsonObject:
    """Version 3 keeps every folded event, so histories merge: a snapshot's fold so far becomes
    its `base` (the events it folded are gone) under an empty history, and its folds are packed
    (`codec.pack_json`: a snapshot's fold was most of the book's storage); an export's summary
    cannot be merged, so only how many answers it held is kept, for the import to say. Logs
    are unchanged."""
    if kind == "snapshot":
        from .codec import pack_json  # deferred: codec reads this module's names

        payload = pack_json(data.get("payload"))
        base = {"base": payload, "legacy": data.get("folded", 0), "payload": payload}
        return {**data, **base, "history": [], "last": None, "inboxes": []}
    if kind == "export":
        snapshot = data.get("snapshot")
        folded = snapshot.get("folded", 0) if isinstance(snapshot, dict) else 0
        rest = {key: value for key, value in data.items() if key != "snapshot"}
        return {**rest, "legacy_folded": folded, "history": ""}
    return data


def _v2_to_v3_epoch(kind: str, data: JsonObject) -> JsonObject:
    """Version 3 stamps logs and snapshots with the wipe epoch they belong to (the learner
    record's `epoch`, set by each wipe), so a tab that has not yet seen a wipe cannot bring the
    deleted progress back: whatever v2 stored belongs to epoch 0, as does a v2 learner record,
    whose wipes are all older than any v2 document still stored. (Version 3 also splits a tab's
    log into chunks, `keys.py`: a v2 whole-log key reads as one chunk until it is folded.)"""
    if kind in ("log", "snapshot"):
        return {**data, "epoch": 0}
    return data


def _v2_to_v3(kind: str, data: JsonObject) -> JsonObject:
    """The v2 to v3 steps, one function each, in order: the history, then the epoch."""
    return _v2_to_v3_epoch(kind, _v2_to_v3_history(kind, data))


STEPS: Mapping[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3}


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
