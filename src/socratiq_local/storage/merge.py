"""Merging event logs from several tabs or devices: a union by event key (time and id).

The result depends only on the set of events given, not on their order or grouping, so
whichever tab writes or reads last, no answer is lost and none is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..progress.events import AnyEvent, sort_key


def merge_events(*logs: Iterable[AnyEvent]) -> tuple[AnyEvent, ...]:
    """Every event of every log once, in log order (time, then id): one per `sort_key`.

    Two different events under one key should never happen (a forged file may try); if they
    do, the one whose JSON sorts first wins, so every replica still picks the same one. A copy
    whose id a stored history shortened (see `codec.pack_history`) is the same event.
    """
    by_key: dict[tuple[datetime, str], AnyEvent] = {}
    for log in logs:
        for event in log:
            key = sort_key(event)
            kept = by_key.get(key)
            if kept is None or (kept != event and event.model_dump_json() < kept.model_dump_json()):
                by_key[key] = event
    return tuple(by_key[key] for key in sorted(by_key))
