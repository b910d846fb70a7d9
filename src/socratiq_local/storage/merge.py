"""Merging event logs from several tabs or devices: a union by event id.

The result depends only on the set of events given, not on their order or grouping, so
whichever tab writes or reads last, no answer is lost and none is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..progress.events import AnyEvent, sort_key


def merge_events(*logs: Iterable[AnyEvent]) -> tuple[AnyEvent, ...]:
    """Every event of every log once, in log order (time, then id).

    Two different events under one id should never happen; if they do, the one whose JSON sorts
    first wins, so every replica still picks the same one.
    """
    by_id: dict[str, AnyEvent] = {}
    for log in logs:
        for event in log:
            kept = by_id.get(event.id)
            if kept is None or (kept != event and event.model_dump_json() < kept.model_dump_json()):
                by_id[event.id] = event
    return tuple(sorted(by_id.values(), key=sort_key))
