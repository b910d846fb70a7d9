"""Moving a bad value aside: copied under `quarantine:` with why, then removed from its key.

Nothing found in storage is deleted for being unreadable: a human (or a later release) may
still want it. The mover's id is in the quarantine key, so two tabs never write one key.
"""

from __future__ import annotations

import json
from datetime import datetime

from .backend import Storage, StorageFull
from .keys import BookKeys


def set_aside(
    storage: Storage, keys: BookKeys, mover_id: str, now: datetime, key: str, reason: str
) -> str:
    """Move `key`'s value aside; the sentence saying what was done (or why it could not be)."""
    text = storage.get(key)
    if text is None:
        return f"Ignored {key}: {reason}."
    target = keys.quarantine(mover_id, str(int(now.timestamp() * 1000)), key)
    while storage.get(target) is not None:
        target += "+"
    record = {"socratiq": "quarantine", "key": key, "reason": reason, "value": text}
    try:
        storage.set(target, json.dumps(record, ensure_ascii=False))
    except StorageFull:
        return f"Ignored {key}: {reason}; no room to move it aside."
    storage.remove(key)
    return f"Moved {key} aside to {target} (kept, not deleted): {reason}."
