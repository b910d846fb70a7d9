"""One book's progress in a Storage: load, append, compact, export, import, wipe.

The layout keeps every key to one writer (localStorage is not coherent across tabs):

- each tab appends its own events to `log:<writer id>`, rewriting only that key;
- only the tab holding the writer lock compacts: it folds every event it can read that no
  snapshot covers into a new snapshot, written to the slot the older snapshot held, so the
  previous one stays as a fallback;
- a log is trimmed, or removed, only once both stored snapshots cover its events, so a damaged
  newest snapshot is recovered from the older one plus the events still stored.

Anything unreadable under the book's prefix is moved aside to `quarantine:` (never deleted) by
its owner or by the lock holder, and reported in `warnings`; nothing found in storage raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, ValidationError

from ..progress.events import AnyEvent, Clock, sort_key, system_clock
from .backend import Storage, StorageFull
from .codec import decode_events, encode_events, pack_history, pack_json, unpack_history
from .documents import ExportedProgress, StoredInbox, StoredLog, StoredSnapshot
from .envelope import DamagedDocument, seal, unseal
from .keys import SNAPSHOT_SLOTS, BookKeys, check_writer_id
from .learner import write_learner
from .merge import merge_events
from .migrations import FutureVersion, JsonObject

#: The reducer, injected: the previous snapshot payload (None at first) and the events to add,
#: in log order, give the next payload. Events may be older than some already folded (another
#: tab's answers reach the snapshot later).
Fold = Callable[[JsonObject | None, Sequence[AnyEvent]], JsonObject]

#: Events dated outside this window are refused: none was made before the project existed, and
#: none stored later than this is real (one in the year 9999 overflows every date sum).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_STORED = datetime(2200, 1, 1, tzinfo=UTC)
#: An imported event may be dated at most this far past the device's clock.
IMPORT_SLACK = timedelta(days=1)
#: What reading a stored value may raise; each is caught per value, so one bad value never
#: stops the rest from loading.
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError)


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True)

    warnings: tuple[str, ...] = ()


class Loaded(_Report):
    """What storage holds for a book: the latest sound snapshot and the events it does not cover.

    `events` include this tab's unsaved ones; fold them onto `snapshot` to get the progress.
    """

    snapshot: JsonObject | None
    events: tuple[AnyEvent, ...]
    unsaved: int = 0


class SaveReport(_Report):
    stored: int
    unsaved: int
    compacted: bool = False


class ImportReport(_Report):
    added: int
    already_present: int
    #: Events refused for a date outside the sane window (see `EARLIEST`).
    refused: int = 0
    #: Answers the file holds only as a schema v2 summary, which cannot be merged.
    legacy_folded: int = 0
    #: The key the new events were stored under, if any (the page checks it was written).
    inbox: str | None = None


class ImportRejected(ValueError):
    """The file cannot be imported; nothing was changed."""


@dataclass
class _ReadLog:
    doc: StoredLog
    events: list[AnyEvent]

    @property
    def end(self) -> int:
        return self.doc.start + len(self.events)

    def after(self, position: int) -> list[AnyEvent]:
        return self.events[max(0, position - self.doc.start) :]


@dataclass
class _Scan:
    """Every sound document of a book, read at one moment."""

    snapshots: list[StoredSnapshot] = field(default_factory=list)
    logs: dict[str, _ReadLog] = field(default_factory=dict)
    inboxes: dict[str, tuple[AnyEvent, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def latest(self) -> StoredSnapshot | None:
        return max(self.snapshots, key=lambda s: (s.generation, s.folded), default=None)

    def latest_cover(self, writer_id: str) -> int:
        latest = self.latest
        return 0 if latest is None else latest.covered(writer_id)

    def settled_cover(self, writer_id: str) -> int:
        """The positions both snapshot slots cover: safe to trim even if one is lost."""
        if len(self.snapshots) < len(SNAPSHOT_SLOTS):
            return 0
        return min(snapshot.covered(writer_id) for snapshot in self.snapshots)

    def pending_inboxes(self) -> dict[str, tuple[AnyEvent, ...]]:
        """The imported files the latest snapshot has not folded."""
        latest = self.latest
        done = set() if latest is None else set(latest.inboxes)
        return {name: events for name, events in self.inboxes.items() if name not in done}

    def settled_inboxes(self) -> set[str]:
        """The inboxes both snapshot slots have folded: safe to remove."""
        if len(self.snapshots) < len(SNAPSHOT_SLOTS):
            return set()
        return set.intersection(*(set(snapshot.inboxes) for snapshot in self.snapshots))


def _micros_key(event: AnyEvent) -> tuple[int, str]:
    at, short_id = sort_key(event)
    return ((at - _EPOCH) // timedelta(microseconds=1), short_id)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def history_of(snapshot: StoredSnapshot | None) -> list[AnyEvent]:
    """Every event a snapshot folded, in log order."""
    if snapshot is None:
        return []
    # Each chunk is later than the one before (see `_next_snapshot`): joined, they are in order.
    return [event for chunk in snapshot.history for event in unpack_history(chunk)]


def check_dates(events: Iterable[AnyEvent], latest: datetime) -> None:
    """Raise ValueError if an event is dated before `EARLIEST` or after `latest`."""
    for event in events:
        if not EARLIEST <= event.at <= latest:
            raise ValueError(
                f"an event dated {event.at:%Y-%m-%d}, outside {EARLIEST:%Y}-{latest:%Y}"
            )


def _read_snapshot(text: str) -> StoredSnapshot:
    snapshot = StoredSnapshot.model_validate(unseal("snapshot", text))
    snapshot.progress()  # a fold that cannot be read is damage, found now
    snapshot.base_progress()
    return snapshot


def _read_log(text: str, writer_id: str) -> _ReadLog:
    doc = StoredLog.model_validate(unseal("log", text))
    doc.check_writer(writer_id)
    events = decode_events(doc.events)
    check_dates(events, LATEST_STORED)
    return _ReadLog(doc, events)


@lru_cache(maxsize=4)
def _read_inbox(text: str) -> tuple[AnyEvent, ...]:
    """An imported file's events; read once per text (an inbox never changes, and every scan
    sees it until the compactor has folded it)."""
    events = unpack_history(StoredInbox.model_validate(unseal("inbox", text)).history)
    check_dates(events, LATEST_STORED)
    return tuple(events)


def read_export(text: str) -> ExportedProgress:
    """The progress in an export file; raises ImportRejected saying what is wrong with it."""
    try:
        return ExportedProgress.model_validate(unseal("export", text))
    except FutureVersion as error:
        raise ImportRejected(f"This progress file was {error}; update to import it.") from error
    except DamagedDocument as error:
        raise ImportRejected(f"This is not a sound socratiq progress file: {error}.") from error
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ImportRejected(
            f"This progress file is invalid at {where}: {problem['msg']}."
        ) from error


class BookStore:
    """The progress of one book, as seen by one writer (one tab).

    `writer_id` must be unique among the tabs open at once (e.g. claimed from a small pool with
    a lock held for the tab's life, so snapshots name few writers). Methods that may move
    others' keys or write the snapshot take `holds_lock`: whether the caller holds the lock
    that elects a single compacting tab.
    """

    def __init__(
        self,
        storage: Storage,
        book_id: str,
        writer_id: str,
        fold: Fold,
        clock: Clock = system_clock,
        *,
        stale_after: timedelta = timedelta(days=1),
    ) -> None:
        self.storage = storage
        self.keys = BookKeys(book_id)
        self.writer_id = check_writer_id(writer_id)
        self.fold = fold
        self.clock = clock
        self.stale_after = stale_after
        self._own_key = self.keys.log(writer_id)
        self._start = 0
        self._saved: list[AnyEvent] = []
        self._unsaved: list[AnyEvent] = []
        self._last_written: str | None = None
        self._synced = False

    # -- public ---------------------------------------------------------------------------

    def load(self, *, holds_lock: bool = False) -> Loaded:
        """Read everything; save what this tab holds that storage lacks."""
        scan = self._scan(move_aside=holds_lock)
        warnings = scan.warnings
        trimmed = self._trim_own(scan.settled_cover(self.writer_id))
        if trimmed or self._unsaved or self.storage.get(self._own_key) != self._last_written:
            warnings += self._save(holds_lock).warnings
        latest = scan.latest
        snapshot, events = None if latest is None else latest.progress(), self._visible_events(scan)
        if latest is not None and not _all_after(events, latest.last):
            # Older events than the snapshot's (an import not yet folded): replay them all in
            # log order, as the compactor will, so this tab shows what every device will.
            snapshot, events = latest.base_progress(), merge_events(history_of(latest), events)
        return Loaded(
            snapshot=snapshot,
            events=events,
            unsaved=len(self._unsaved),
            warnings=tuple(warnings),
        )

    def append(self, events: Sequence[AnyEvent], *, holds_lock: bool = False) -> SaveReport:
        """Add events to this tab's log; if storage is full, compact (lock holder) and retry.

        Events that still do not fit stay in memory, are reported, and are retried on the next
        append or load.
        """
        if not self._synced:
            self._scan(move_aside=False)
        known = {sort_key(event) for event in (*self._saved, *self._unsaved)}
        for event in events:
            if sort_key(event) not in known:
                known.add(sort_key(event))
                self._unsaved.append(event)
        return self._save(holds_lock)

    def compact(self) -> SaveReport:
        """Fold every stored event no snapshot covers into a new snapshot.

        Call only while holding the writer lock. Folds only what is stored (durably visible),
        never this tab's unsaved events.
        """
        scan = self._scan(move_aside=True)
        compacted = self._fold_into_snapshot(scan, urgent=False)
        if self._unsaved:  # the room a compaction made may take what did not fit before
            scan.warnings += self._save(holds_lock=True).warnings
        return self._report(scan.warnings, compacted)

    def export(self) -> str:
        """All progress of the book as one versioned, checksummed JSON document: every event it
        is made of, so any other device can merge it."""
        scan = self._scan(move_aside=False)
        latest = scan.latest
        events = merge_events(history_of(latest), self._visible_events(scan))
        progress = ExportedProgress(
            book=self.keys.book_id,
            exported_at=self.clock(),
            legacy_folded=0 if latest is None else latest.legacy,
            history=pack_history(events),
        )
        return seal("export", progress.model_dump(mode="json"))

    def import_(self, text: str, *, holds_lock: bool = False) -> ImportReport:
        """Merge an export file's events in, in any tab; raises ImportRejected and changes
        nothing if the file is unsound, for another book, from a newer release, or has no room.

        The file is read and checked whole first. Events dated outside the sane window are
        refused and counted; the rest that this book lacks are stored at once in an inbox key
        of this tab's own, which the compactor folds into the snapshot. Nothing the file says
        about XP or levels is read: progress is always recomputed from the events.
        """
        progress = read_export(text)
        if progress.book != self.keys.book_id:
            raise ImportRejected(
                f"This progress file is for the book {progress.book!r}, not {self.keys.book_id!r}."
            )
        try:
            given = merge_events(unpack_history(progress.history), progress.events)
        except ValueError as error:
            raise ImportRejected(f"This progress file's events are unreadable: {error}.") from None
        latest_allowed = self.clock() + IMPORT_SLACK
        sane = [event for event in given if EARLIEST <= event.at <= latest_allowed]
        scan = self._scan(move_aside=False)
        present = {
            sort_key(event)
            for event in (
                *history_of(scan.latest),
                *self._visible_events(scan),
                *(e for events in scan.inboxes.values() for e in events),
            )
        }
        fresh = [event for event in sane if sort_key(event) not in present]
        return ImportReport(
            inbox=self._write_inbox(fresh) if fresh else None,
            added=len(fresh),
            already_present=len(sane) - len(fresh),
            refused=len(given) - len(sane),
            legacy_folded=progress.legacy_folded,
            warnings=tuple(scan.warnings),
        )

    def wipe(self, new_seed: Callable[[], str]) -> tuple[str, int]:
        """Remove every key of this book (quarantine included), and no other book's; then
        record a new seed and the time of the wipe, for the other open tabs to see."""
        for key in list(self.storage.keys()):
            if self.keys.owns(key):
                self.storage.remove(key)
        self.forget()
        seed, wiped = new_seed(), int(self.clock().timestamp() * 1000)
        write_learner(self.storage, self.keys, seed, wiped)
        return seed, wiped

    def forget(self) -> None:
        """Drop what this tab holds (its log's events, saved or not): the book was wiped."""
        self._start, self._saved, self._unsaved = 0, [], []
        self._last_written = None

    # -- reading --------------------------------------------------------------------------

    def _scan(self, *, move_aside: bool) -> _Scan:
        scan = _Scan()
        damaged_snapshot = False
        for key in sorted(self.storage.keys()):
            if not self.keys.owns(key):
                continue
            parsed = self.keys.parse(key)
            text = self.storage.get(key)
            if parsed.kind in ("quarantine", "learner") or text is None:
                continue
            try:
                if parsed.kind == "snapshot":
                    scan.snapshots.append(_read_snapshot(text))
                elif parsed.kind == "log":
                    scan.logs[parsed.name] = _read_log(text, parsed.name)
                elif parsed.kind == "inbox":
                    scan.inboxes[parsed.name] = _read_inbox(text)
                else:
                    raise DamagedDocument("not a key socratiq_local writes")
            except _UNREADABLE as error:
                mine = key == self._own_key
                self._set_aside(key, text, str(error), move_aside or mine, scan.warnings)
                damaged_snapshot = damaged_snapshot or parsed.kind == "snapshot"
        latest = scan.latest
        if damaged_snapshot:
            scan.warnings.append(
                "Progress was rebuilt from "
                + (
                    "the events"
                    if latest is None
                    else f"snapshot {latest.generation} and the events"
                )
                + " still stored."
            )
        if not self._synced:
            self._adopt_own(scan)
        return scan

    def _adopt_own(self, scan: _Scan) -> None:
        """On first use, continue this writer's stored log (a writer id reused after a reload)."""
        stored = scan.logs.get(self.writer_id)
        if stored is not None and not self._saved:
            self._start, self._saved = stored.doc.start, stored.events
            self._last_written = self.storage.get(self._own_key)
        if not self._saved:
            # Positions below the snapshot's cover are folded: never reuse them.
            self._start = max(self._start, scan.latest_cover(self.writer_id))
        self._synced = True

    def _set_aside(
        self, key: str, text: str, reason: str, allowed: bool, warnings: list[str]
    ) -> None:
        if not allowed:
            warnings.append(f"Ignored {key}: {reason}.")
            return
        stamp = str(int(self.clock().timestamp() * 1000))
        target = self.keys.quarantine(self.writer_id, stamp, key)
        while self.storage.get(target) is not None:
            target += "+"
        record = {"socratiq": "quarantine", "key": key, "reason": reason, "value": text}
        try:
            self.storage.set(target, json.dumps(record, ensure_ascii=False))
        except StorageFull:
            warnings.append(f"Ignored {key}: {reason}; no room to move it aside.")
            return
        self.storage.remove(key)
        warnings.append(f"Moved {key} aside to {target} (kept, not deleted): {reason}.")

    def _visible_events(self, scan: _Scan) -> tuple[AnyEvent, ...]:
        """Events no snapshot covers: others' as stored, this tab's as it holds them, imported
        files' not yet folded."""
        own_cover = scan.latest_cover(self.writer_id)
        own = self._saved[max(0, own_cover - self._start) :] + self._unsaved
        others = (log.after(scan.latest_cover(w)) for w, log in scan.logs.items())
        return merge_events(own, *others, *scan.pending_inboxes().values())

    # -- writing --------------------------------------------------------------------------

    def _report(self, warnings: list[str], compacted: bool = False) -> SaveReport:
        return SaveReport(
            stored=len(self._saved),
            unsaved=len(self._unsaved),
            compacted=compacted,
            warnings=tuple(warnings),
        )

    def _write_own(self) -> None:
        """Store this tab's log: its saved and unsaved events; raises StorageFull."""
        if self.storage.get(self._own_key) != self._last_written:
            # Removed by the lock holder once covered, or by a wipe: drop what is covered.
            self._trim_own(self._scan(move_aside=False).latest_cover(self.writer_id))
        events = self._saved + self._unsaved
        log = StoredLog(
            writer=self.writer_id,
            start=self._start,
            written_at=int(self.clock().timestamp()),
            events=encode_events(events),
        )
        text = seal("log", log.model_dump(mode="json"))
        self.storage.set(self._own_key, text)
        self._last_written = text
        self._saved, self._unsaved = events, []

    def _save(self, holds_lock: bool) -> SaveReport:
        warnings: list[str] = []
        compacted = False
        try:
            self._write_own()
        except StorageFull:
            scan = self._scan(move_aside=holds_lock)
            if holds_lock:
                compacted = self._fold_into_snapshot(scan, urgent=True)
            else:
                self._trim_own(scan.settled_cover(self.writer_id))
            warnings += scan.warnings
            try:
                self._write_own()
            except StorageFull:
                warnings.append(
                    f"Storage is full: {len(self._unsaved)} answers are kept in this tab's memory "
                    "only and will be saved when there is room. Export your progress to keep them."
                )
        return self._report(warnings, compacted)

    def _trim_own(self, cover: int) -> bool:
        """Forget this tab's saved events below `cover`; True if any were dropped."""
        dropped = min(max(cover - self._start, 0), len(self._saved))
        if dropped:
            self._saved = self._saved[dropped:]
            self._start += dropped
        return dropped > 0

    def _fold_into_snapshot(self, scan: _Scan, *, urgent: bool) -> bool:
        """Write the next snapshot and trim what is safe; True if a snapshot was written.

        The new events join the snapshot's history. Its payload is the fold of that history in
        log order: the last one's plus the new events if they all come after its history, else
        folded again from the start (an import of older events), so it never depends on the
        order events arrived in. `urgent` (storage is full) trims what the new snapshot alone
        covers, giving up the fallback generation for the room.
        """
        latest = scan.latest
        covers = {} if latest is None else dict(latest.covers)
        fresh: list[AnyEvent] = []
        for writer_id, log in scan.logs.items():
            fresh += log.after(covers.get(writer_id, 0))
            covers[writer_id] = max(covers.get(writer_id, 0), log.end)
        inboxes = scan.pending_inboxes()
        for events in inboxes.values():
            fresh += events
        written: StoredSnapshot | None = None
        if fresh:
            # The files folded now, and those folded before whose keys are not removed yet.
            kept = [] if latest is None else [n for n in latest.inboxes if n in scan.inboxes]
            names = sorted({*inboxes, *kept})
            written = self._next_snapshot(latest, covers, names, merge_events(fresh), urgent)
            if not self._store_snapshot(written, scan.warnings):
                return False
        if urgent:  # the newest snapshot alone: room matters more than the fallback now
            newest = written or latest
            covers = {} if newest is None else newest.covers
        elif written is not None:  # the slots now hold `latest` and `written`
            covers = {} if latest is None else latest.covers
        else:
            covers = {w: scan.settled_cover(w) for w in scan.logs}
        self._remove_dead_logs(scan, covers)
        settled = scan.settled_inboxes()
        if urgent or written is not None:  # as for the logs above: what both slots now hold
            newest = written or latest
            older = set() if urgent or latest is None else set(latest.inboxes)
            settled = set() if newest is None else set(newest.inboxes)
            settled = settled if urgent else settled & older
        for name in settled & set(scan.inboxes):
            self.storage.remove(self.keys.inbox(name))
        if self._trim_own(covers.get(self.writer_id, 0)):
            with suppress(StorageFull):  # the caller retries: the events are still in memory
                self._write_own()
        return written is not None

    def _next_snapshot(
        self,
        latest: StoredSnapshot | None,
        covers: dict[str, int],
        inboxes: list[str],
        fresh: Sequence[AnyEvent],
        compact: bool,
    ) -> StoredSnapshot:
        """The snapshot after `latest` that folds `fresh` too (events it may already hold);
        `compact`: its history in one chunk, the smallest (storage is full)."""
        chunks = [] if latest is None else list(latest.history)
        base = None if latest is None else latest.base
        if latest is not None and _all_after(fresh, latest.last) and not compact:
            new = list(fresh)  # all later than the history's last: none of them is in it
            payload = self.fold(latest.progress(), new)
            union_last, folded = new[-1], latest.folded + len(new)
            chunks = _joined([*chunks, pack_history(new)])
        else:
            union = merge_events(history_of(latest), fresh)
            payload = self.fold(None if latest is None else latest.base_progress(), union)
            union_last, folded = union[-1], len(union) + (0 if latest is None else latest.legacy)
            chunks = [pack_history(union)]
        return StoredSnapshot(
            generation=1 if latest is None else latest.generation + 1,
            covers=covers,
            inboxes=inboxes,
            folded=folded,
            made_at=int(self.clock().timestamp()),
            base=base,
            legacy=0 if latest is None else latest.legacy,
            history=chunks,
            last=_micros_key(union_last),
            payload=pack_json(payload),
        )

    def _write_inbox(self, events: Sequence[AnyEvent]) -> str:
        """Store an imported file's new events under a key of this tab's own, written once;
        the key."""
        stamp = int(self.clock().timestamp() * 1000)
        while self.storage.get(self.keys.inbox(f"{self.writer_id}:{stamp}")) is not None:
            stamp += 1
        key = self.keys.inbox(f"{self.writer_id}:{stamp}")
        text = seal("inbox", StoredInbox(history=pack_history(events)).model_dump(mode="json"))
        try:
            self.storage.set(key, text)
        except StorageFull:
            raise ImportRejected(
                f"This browser's storage has no room for the file's {len(events)} new answers; "
                "nothing was imported. Free some space (or delete this book's progress after "
                "exporting it) and try again."
            ) from None
        return key

    def _store_snapshot(self, snapshot: StoredSnapshot, warnings: list[str]) -> bool:
        slot = SNAPSHOT_SLOTS[snapshot.generation % len(SNAPSHOT_SLOTS)]
        try:
            self.storage.set(
                self.keys.snapshot(slot), seal("snapshot", snapshot.model_dump(mode="json"))
            )
        except StorageFull:
            warnings.append("Storage is full: could not store a new snapshot.")
            return False
        return True

    def _remove_dead_logs(self, scan: _Scan, settled: dict[str, int]) -> None:
        """Remove other writers' logs that are covered and untouched for `stale_after`."""
        stale_before = int((self.clock() - self.stale_after).timestamp())
        for writer_id, log in scan.logs.items():
            covered = log.end <= settled.get(writer_id, 0)
            if writer_id != self.writer_id and covered and log.doc.written_at <= stale_before:
                self.storage.remove(self.keys.log(writer_id))


def _joined(chunks: list[str]) -> list[str]:
    """History chunks with the newest joined to the one before while that one is not much
    larger: like a binary counter, a few chunks of growing size, and each event repacked only
    a logarithmic number of times over the book's life."""
    chunks = list(chunks)
    while len(chunks) >= 2 and len(chunks[-2]) <= 2 * len(chunks[-1]):
        newer, older = chunks.pop(), chunks.pop()
        chunks.append(pack_history([*unpack_history(older), *unpack_history(newer)]))
    return chunks


def _all_after(events: Iterable[AnyEvent], last: tuple[int, str] | None) -> bool:
    """Whether every event sorts after a history whose last event's key is `last`."""
    return last is None or all(_micros_key(event) > last for event in events)
