"""One book's progress in a Storage: load, append, compact, export, import, wipe.

The layout keeps every key to one writer (localStorage is not coherent across tabs):

- each tab appends its own events to its log, kept in chunks of CHUNK_EVENTS events
  (`log:<writer id>:<n>`): an answer rewrites one small chunk, so few bytes are written per
  answer and the browser commits them to disk soon (it slows its commits for sites that
  write much);
- only the tab holding the writer lock compacts: it folds every event it can read that no
  snapshot covers into a new snapshot, written to the slot the older snapshot held, so the
  previous one stays as a fallback;
- a chunk is removed only once it is full and both stored snapshots cover it (the newest alone
  when storage is full), so a damaged newest snapshot is recovered from the older one plus the
  events still stored; the lock holder removes any writer's such chunks (no one writes a full
  chunk again), so compaction frees room while every tab is answering;
- imports go to an `inbox:<writer>:<n>` key, written once by the importing tab (any tab) and
  folded by the lock holder; a snapshot keeps every event it folded (a packed history), so the
  progress of any two devices merges by union, and its payload is the fold of that history in
  time order;
- every log, inbox and snapshot carries the wipe epoch (learner.py) it was written in; one of
  an older epoch than the newest known is deleted progress that a tab wrote (or imported)
  before it saw the wipe: it is read by no one and removed, and a tab that sees a new epoch
  keeps only its events made after the wipe.

Anything unreadable under the book's prefix is moved aside to `quarantine:` (never deleted) by
its owner or by the lock holder, and reported in `warnings`; nothing found in storage raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, ValidationError

from ..progress.events import AnyEvent, Clock, ProgressImported, sort_key, system_clock
from .backend import Storage, StorageFull
from .codec import decode_events, encode_events, pack_history, pack_json, unpack_history
from .documents import ExportedProgress, StoredInbox, StoredLog, StoredSnapshot
from .envelope import DamagedDocument, seal, unseal
from .keys import CHUNK_EVENTS, SNAPSHOT_SLOTS, BookKeys, check_writer_id
from .learner import read_epoch, write_learner
from .merge import merge_events
from .migrations import FutureVersion, JsonObject
from .quarantine import set_aside

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
    #: The reader's answers and settings new to this book, and those it held already (the
    #: import markers another device's file carries along are stored, not counted).
    added: int
    already_present: int
    #: Events refused for a date outside the sane window (see `EARLIEST`).
    refused: int = 0
    #: Answers the file holds only as a schema v2 summary, which cannot be merged.
    legacy_folded: int = 0
    #: The key the new events were stored under, if any (taken back out should it not fit).
    inbox: str | None = None


class ImportRejected(ValueError):
    """The file cannot be imported; nothing was changed."""


@dataclass
class _ReadLog:
    """One writer's stored log, from all its chunks (and a v2 whole-log key)."""

    events: dict[int, AnyEvent] = field(default_factory=dict)
    #: Each of its keys, with the chunk number (None: a v2 whole log) and the end it holds.
    keys: dict[str, tuple[int | None, int]] = field(default_factory=dict)
    written_at: int = 0

    @property
    def end(self) -> int:
        return max(self.events, default=-1) + 1

    def add(self, key: str, chunk: int | None, doc: StoredLog, events: list[AnyEvent]) -> None:
        for offset, event in enumerate(events):
            self.events[doc.start + offset] = event
        self.keys[key] = (chunk, doc.start + len(events))
        self.written_at = max(self.written_at, doc.written_at)

    def after(self, position: int) -> list[AnyEvent]:
        return [event for at, event in sorted(self.events.items()) if at >= position]


@dataclass
class _Scan:
    """Every sound document of a book's current wipe epoch, read at one moment."""

    epoch: int = 0
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


def _read_log(text: str, writer_id: str, chunk: int | None) -> tuple[StoredLog, list[AnyEvent]]:
    doc = StoredLog.model_validate(unseal("log", text))
    doc.check_writer(writer_id)
    events = decode_events(doc.events)
    if chunk is not None and not (
        chunk * CHUNK_EVENTS <= doc.start and doc.start + len(events) <= (chunk + 1) * CHUNK_EVENTS
    ):
        raise DamagedDocument(f"events outside chunk {chunk}'s positions")
    check_dates(events, LATEST_STORED)
    return doc, events


def _read_inbox(text: str) -> tuple[StoredInbox, tuple[AnyEvent, ...]]:
    """An imported file's events (an inbox never changes: `_parse` reads it once per text)."""
    doc = StoredInbox.model_validate(unseal("inbox", text))
    events = unpack_history(doc.history)
    check_dates(events, LATEST_STORED)
    return doc, tuple(events)


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


#: A stored value as last read: its text, and the document (with a log's or inbox's events).
_Parsed = tuple[
    str,
    StoredSnapshot | tuple[StoredLog, list[AnyEvent]] | tuple[StoredInbox, tuple[AnyEvent, ...]],
]


class BookStore:
    """The progress of one book, as seen by one writer (one tab).

    `writer_id` must be unique among the tabs open at once (e.g. claimed from a small pool with
    a lock held for the tab's life, so snapshots name few writers). Methods that may move
    others' keys or write the snapshot take `holds_lock`: whether the caller holds the lock
    that elects a single compacting tab.

    This tab's log is held in memory (`_events`, at positions `_start` and on) and written
    chunk by chunk; `_written` remembers, per chunk, the text it last stored there and up to
    which position, so only a chunk that changed (or that storage lost) is written again.
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
        self.epoch = 0
        self.full = False
        self._start = 0
        self._events: list[AnyEvent] = []
        self._written: dict[int, tuple[int, str]] = {}
        self._whole_log = False  # a v2 whole log of this writer is stored, to fold into chunks
        self._parsed: dict[str, _Parsed] = {}
        self._synced = False

    # -- public ---------------------------------------------------------------------------

    def load(self, *, holds_lock: bool = False) -> Loaded:
        """Read everything; save what this tab holds that storage lacks."""
        scan = self._scan(move_aside=holds_lock)
        warnings = scan.warnings
        self._trim_own(scan.settled_cover(self.writer_id))
        if self.unsaved:
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
            unsaved=self.unsaved,
            warnings=tuple(warnings),
        )

    def append(self, events: Sequence[AnyEvent], *, holds_lock: bool = False) -> SaveReport:
        """Add events to this tab's log; if storage is full, compact (lock holder) and retry.

        Events that still do not fit stay in memory, are reported once, and are retried on
        the next append, load or compaction.
        """
        if not self._synced:
            self._scan(move_aside=False)
        known = {sort_key(event) for event in self._events}
        for event in events:
            if sort_key(event) not in known:
                known.add(sort_key(event))
                self._events.append(event)
        return self._save(holds_lock)

    def discard(self, ids: set[str], inbox: str | None = None) -> SaveReport:
        """Take events this tab could not store back out of its log, and an import's `inbox`
        out of storage (an import too large for the room left): its later events then save as
        they would have."""
        if inbox is not None:
            self.storage.remove(inbox)
        first = next((n for n, e in enumerate(self._events) if e.id in ids), len(self._events))
        before = self._chunks()
        self._events = [event for event in self._events if event.id not in ids]
        moved = self._start + first  # from here on, positions hold other events now
        for chunk in [c for c in self._written if (c + 1) * CHUNK_EVENTS > moved]:
            del self._written[chunk]
        end = self._start + len(self._events)
        for chunk in before:
            if chunk * CHUNK_EVENTS >= end:
                self.storage.remove(self.keys.log(self.writer_id, chunk))
        return self._save(holds_lock=False)

    def make_room(self, *, holds_lock: bool) -> SaveReport:
        """Storage was found full: fold and remove what the newest snapshot covers (lock
        holder), else trim what both cover, then save again."""
        scan = self._scan(move_aside=holds_lock)
        compacted = holds_lock and self._fold_into_snapshot(scan, urgent=True)
        if not holds_lock:
            self._trim_own(scan.settled_cover(self.writer_id))
        try:
            self._write_own()
        except StorageFull:
            self.full = True
        return self._report(scan.warnings, compacted)

    def fresh_events(self, changes: Mapping[str, str | None]) -> list[AnyEvent] | None:
        """The events other tabs' changed chunks hold that no snapshot covers, read from those
        keys alone; None if a change needs everything read again (a snapshot, this tab's own
        log, anything else)."""
        snapshots = [
            doc
            for text, doc in self._parsed.values()
            if isinstance(doc, StoredSnapshot) and doc.epoch >= self.epoch
        ]
        latest = max(snapshots, key=lambda s: (s.epoch, s.generation, s.folded), default=None)
        fresh: list[AnyEvent] = []
        for key, text in changes.items():
            if not self.keys.owns(key):
                continue
            parsed = self.keys.parse(key)
            if parsed.kind != "log" or parsed.name == self.writer_id:
                return None
            if text is None:
                continue  # a chunk removed once covered: the progress has its events already
            try:
                found = self._parse(key, text, "log", parsed.name, parsed.chunk)
            except _UNREADABLE:
                return None  # the full read reports it
            self._parsed[key] = found
            doc, events = found[1] if isinstance(found[1], tuple) else (None, [])
            if not isinstance(doc, StoredLog) or doc.epoch != self.epoch:
                return None
            cover = 0 if latest is None else latest.covered(parsed.name)
            fresh += [e for n, e in enumerate(events, doc.start) if n >= cover]
        return fresh

    def resync(self) -> None:
        """Storage was found to differ from what this tab wrote (a write the page could not
        apply): read this tab's own log from it again before the next write."""
        self._synced = False

    @property
    def unsaved(self) -> int:
        """How many of this tab's events storage does not hold (as far as this tab can see)."""
        end = self._start + len(self._events)
        missing = 0
        for chunk in self._chunks():
            low, high = max(self._start, chunk * CHUNK_EVENTS), min(end, (chunk + 1) * CHUNK_EVENTS)
            missing += high - max(low, min(high, self._stored_end(chunk)))
        return missing

    def compact(self) -> SaveReport:
        """Fold every stored event no snapshot covers into a new snapshot.

        Call only while holding the writer lock. Folds only what is stored (durably visible),
        never this tab's unsaved events.
        """
        scan = self._scan(move_aside=True)
        compacted = self._fold_into_snapshot(scan, urgent=False)
        if self.unsaved:  # the room a compaction made may take what did not fit before
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
        # another device's import markers travel along, but are not the reader's answers or
        # settings: counted, a round trip would never end on "Imported 0"
        answers_and_settings = [event for event in sane if not isinstance(event, ProgressImported)]
        added = sum(not isinstance(event, ProgressImported) for event in fresh)
        return ImportReport(
            inbox=self._write_inbox(fresh, scan.epoch) if fresh else None,
            added=added,
            already_present=len(answers_and_settings) - added,
            refused=len(given) - len(sane),
            legacy_folded=progress.legacy_folded,
            warnings=tuple(scan.warnings),
        )

    def wipe(self, new_seed: Callable[[], str]) -> tuple[str, int]:
        """Remove every key of this book (quarantine included), and no other book's, under a
        new wipe epoch (and seed) that every tab checks before it writes: the learner record
        is written first, so the other tabs see the wipe before the removals."""
        epoch = max(int(self.clock().timestamp() * 1000), self._scan(move_aside=False).epoch + 1)
        seed, learner = new_seed(), self.keys.learner()
        with suppress(StorageFull):  # else written below, once the removals made room
            write_learner(self.storage, self.keys, seed, epoch, strict=True)
        for key in list(self.storage.keys()):
            if self.keys.owns(key) and key != learner:
                self.storage.remove(key)
        write_learner(self.storage, self.keys, seed, epoch)
        self._events = []
        self._rebase(epoch)
        return seed, epoch

    # -- reading --------------------------------------------------------------------------

    def _parse(self, key: str, text: str, kind: str, name: str, chunk: int | None) -> _Parsed:
        """The document under `key`, parsed once per value (a scan after each storage event
        reads only what changed)."""
        cached = self._parsed.get(key)
        if cached is not None and cached[0] == text:
            return cached
        if kind == "snapshot":
            parsed: _Parsed = (text, _read_snapshot(text))
        elif kind == "log":
            parsed = (text, _read_log(text, name, chunk))
        elif kind == "inbox":
            parsed = (text, _read_inbox(text))
        else:
            raise DamagedDocument("not a key socratiq_local writes")
        return parsed

    def _scan(self, *, move_aside: bool) -> _Scan:
        scan = _Scan(epoch=read_epoch(self.storage, self.keys))
        damaged_snapshot = False
        sound: list[tuple[str, str, int | None, _Parsed]] = []
        parsed_now: dict[str, _Parsed] = {}
        for key in sorted(self.storage.keys()):
            if not self.keys.owns(key):
                continue
            parsed = self.keys.parse(key)
            text = self.storage.get(key)
            if parsed.kind in ("quarantine", "learner") or text is None:
                continue
            try:
                found = self._parse(key, text, parsed.kind, parsed.name, parsed.chunk)
            except _UNREADABLE as error:
                mine = parsed.kind == "log" and parsed.name == self.writer_id
                self._set_aside(key, str(error), move_aside or mine, scan.warnings)
                damaged_snapshot = damaged_snapshot or parsed.kind == "snapshot"
                continue
            parsed_now[key] = found
            sound.append((key, parsed.name, parsed.chunk, found))
            doc = found[1] if isinstance(found[1], StoredSnapshot) else found[1][0]
            scan.epoch = max(scan.epoch, doc.epoch)  # a newer wipe than the learner shows
        self._parsed = parsed_now
        for key, name, chunk, (_, document) in sound:
            doc = document if isinstance(document, StoredSnapshot) else document[0]
            if doc.epoch < scan.epoch:  # written before a wipe by a tab that had not seen it
                if move_aside or name.partition(":")[0] == self.writer_id:
                    self.storage.remove(key)
            elif isinstance(document, StoredSnapshot):
                scan.snapshots.append(document)
            elif isinstance(document[0], StoredInbox):
                scan.inboxes[name] = tuple(document[1])
            else:
                scan.logs.setdefault(name, _ReadLog()).add(
                    key, chunk, document[0], list(document[1])
                )
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
        if scan.epoch != self.epoch:
            self._rebase(scan.epoch)
        if not self._synced:
            self._adopt_own(scan)
        return scan

    def _adopt_own(self, scan: _Scan) -> None:
        """On first use (or after a failed write), continue this writer's stored log (a writer
        id reused after a reload): what storage holds below the events held in memory."""
        stored = scan.logs.get(self.writer_id)
        if stored is not None:
            held = {self._start + n: event for n, event in enumerate(self._events)}
            every = stored.events | held
            end = max(every) + 1
            start = end
            while start - 1 in every:
                start -= 1
            self._start, self._events = start, [every[p] for p in range(start, end)]
            for key, (chunk, chunk_end) in stored.keys.items():
                text = self.storage.get(key)
                if chunk is None:
                    self._whole_log = True
                elif text is not None and chunk not in self._written:
                    self._written[chunk] = (chunk_end, text)
        if not self._events:
            # Positions below the snapshot's cover are folded: never reuse them.
            self._start = max(self._start, scan.latest_cover(self.writer_id))
        self._synced = True

    def _rebase(self, epoch: int) -> None:
        """The book was wiped at `epoch` (milliseconds): keep only this tab's events made after
        it, as a new log; forget every chunk written before."""
        if epoch > self.epoch:
            self._events = [e for e in self._events if e.at.timestamp() * 1000 > epoch]
        self.epoch, self._start, self._written, self._whole_log = epoch, 0, {}, False

    def _set_aside(self, key: str, reason: str, allowed: bool, warnings: list[str]) -> None:
        if not allowed:
            warnings.append(f"Ignored {key}: {reason}.")
            return
        warnings.append(
            set_aside(self.storage, self.keys, self.writer_id, self.clock(), key, reason)
        )

    def _visible_events(self, scan: _Scan) -> tuple[AnyEvent, ...]:
        """Events no snapshot covers: others' as stored, this tab's as it holds them, imported
        files' not yet folded."""
        own_cover = scan.latest_cover(self.writer_id)
        own = self._events[max(0, own_cover - self._start) :]
        others = (log.after(scan.latest_cover(w)) for w, log in scan.logs.items())
        return merge_events(own, *others, *scan.pending_inboxes().values())

    # -- writing --------------------------------------------------------------------------

    def _report(self, warnings: list[str], compacted: bool = False) -> SaveReport:
        unsaved = self.unsaved
        return SaveReport(
            stored=len(self._events) - unsaved,
            unsaved=unsaved,
            compacted=compacted,
            warnings=tuple(warnings),
        )

    def _chunks(self) -> range:
        """The chunks this tab's held events fall in."""
        if not self._events:
            return range(0)
        last = self._start + len(self._events) - 1
        return range(self._start // CHUNK_EVENTS, last // CHUNK_EVENTS + 1)

    def _stored_end(self, chunk: int) -> int:
        """Up to which position storage holds `chunk` as this tab last wrote it."""
        written = self._written.get(chunk)
        if written is None or self.storage.get(self.keys.log(self.writer_id, chunk)) != written[1]:
            return chunk * CHUNK_EVENTS
        return written[0]

    def _write_own(self) -> None:
        """Store each chunk of this tab's log that storage lacks; raises StorageFull."""
        if any(self._stored_end(c) == c * CHUNK_EVENTS for c in self._written):
            # Removed by the lock holder once covered, or by a wipe: drop what is covered.
            self._trim_own(self._scan(move_aside=False).latest_cover(self.writer_id))
        end = self._start + len(self._events)
        for chunk in self._chunks():
            low, high = max(self._start, chunk * CHUNK_EVENTS), min(end, (chunk + 1) * CHUNK_EVENTS)
            if self._stored_end(chunk) == high:
                continue
            log = StoredLog(
                writer=self.writer_id,
                epoch=self.epoch,
                start=low,
                written_at=int(self.clock().timestamp()),
                events=encode_events(self._events[low - self._start : high - self._start]),
            )
            text = seal("log", log.model_dump(mode="json"))
            self.storage.set(self.keys.log(self.writer_id, chunk), text)
            self._written[chunk] = (high, text)
        if self._whole_log:  # its events are all in chunks now
            self.storage.remove(self.keys.log(self.writer_id))
            self._whole_log = False

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
                if not self.full:  # said once, not at every answer
                    warnings.append(
                        f"Storage is full: {self.unsaved} answers are kept in this tab's memory "
                        "only and will be saved when there is room. Export your progress to "
                        "keep them."
                    )
                self.full = True
                return self._report(warnings, compacted)
        self.full = False
        return self._report(warnings, compacted)

    def _trim_own(self, cover: int) -> bool:
        """Forget this tab's events below `cover`, and remove its chunks that are full and
        covered; True if any events were dropped."""
        dropped = min(max(cover - self._start, 0), len(self._events))
        if dropped:
            self._events = self._events[dropped:]
            self._start += dropped
        for chunk in [c for c in self._written if (c + 1) * CHUNK_EVENTS <= cover]:
            self.storage.remove(self.keys.log(self.writer_id, chunk))
            del self._written[chunk]
        return dropped > 0

    def _fold_into_snapshot(self, scan: _Scan, *, urgent: bool) -> bool:
        """Write the next snapshot and remove what is safe; True if a snapshot was written.

        The new events join the snapshot's history. Its payload is the fold of that history in
        log order: the last one's plus the new events if they all come after its history, else
        folded again from the start (an import of older events), so it never depends on the
        order events arrived in. `urgent` (storage is full) removes what the new snapshot alone
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
            snapshot = self._next_snapshot(
                latest, scan.epoch, covers, names, merge_events(fresh), urgent
            )
            stored = self._store_snapshot(snapshot, replace=latest if urgent else None)
            if not stored and urgent:
                # No room even for the snapshot: this tab's own full chunks go first (their
                # events are held in memory, and rewritten should the snapshot still not fit).
                for chunk in [
                    c
                    for c in self._written
                    if (c + 1) * CHUNK_EVENTS <= covers.get(self.writer_id, 0)
                ]:
                    self.storage.remove(self.keys.log(self.writer_id, chunk))
                    del self._written[chunk]
                stored = self._store_snapshot(snapshot, replace=latest)
            if not stored and urgent:
                # Then the fallback: the new snapshot holds every event it does (the history).
                self._drop_fallback(latest)
                stored = self._store_snapshot(snapshot, replace=latest)
            if not stored:
                scan.warnings.append("Storage is full: could not store a new snapshot.")
                return False
            written = snapshot
        if urgent:  # the newest snapshot alone: room matters more than the fallback now
            newest = written or latest
            covers = {} if newest is None else newest.covers
            self._drop_fallback(newest)
        elif written is not None:  # the slots now hold `latest` and `written`
            covers = {} if latest is None else latest.covers
        else:
            covers = {w: scan.settled_cover(w) for w in scan.logs}
        self._remove_covered_logs(scan, covers)
        self._remove_folded_inboxes(scan, written, urgent)
        if self._trim_own(covers.get(self.writer_id, 0)):
            with suppress(StorageFull):  # the caller retries: the events are still in memory
                self._write_own()
        return written is not None

    def _next_snapshot(
        self,
        latest: StoredSnapshot | None,
        epoch: int,
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
            epoch=epoch,
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

    def _write_inbox(self, events: Sequence[AnyEvent], epoch: int) -> str:
        """Store an imported file's new events under a key of this tab's own, written once and
        stamped with the wipe epoch (a wipe then makes it deleted progress); the key."""
        stamp = int(self.clock().timestamp() * 1000)
        while self.storage.get(self.keys.inbox(f"{self.writer_id}:{stamp}")) is not None:
            stamp += 1
        key = self.keys.inbox(f"{self.writer_id}:{stamp}")
        text = seal(
            "inbox", StoredInbox(epoch=epoch, history=pack_history(events)).model_dump(mode="json")
        )
        try:
            self.storage.set(key, text)
        except StorageFull:
            raise ImportRejected(
                f"This browser's storage has no room for the file's {len(events)} new answers; "
                "nothing was imported. Free some space (or delete this book's progress after "
                "exporting it) and try again."
            ) from None
        return key

    def _remove_folded_inboxes(
        self, scan: _Scan, written: StoredSnapshot | None, urgent: bool
    ) -> None:
        """Remove the inboxes both snapshot slots now hold (the newest alone if `urgent`)."""
        latest = scan.latest
        settled = scan.settled_inboxes()
        if urgent or written is not None:  # as for the logs: what both slots now hold
            newest = written or latest
            older = set() if urgent or latest is None else set(latest.inboxes)
            settled = set() if newest is None else set(newest.inboxes)
            settled = settled if urgent else settled & older
        for name in settled & set(scan.inboxes):
            self.storage.remove(self.keys.inbox(name))

    def _store_snapshot(
        self, snapshot: StoredSnapshot, replace: StoredSnapshot | None = None
    ) -> bool:
        """Store `snapshot` in its slot; if that does not fit and storage is full, in place of
        `replace` (the latest), which it supersedes: no fallback, but room."""
        text = seal("snapshot", snapshot.model_dump(mode="json"))
        slots = [snapshot.generation % len(SNAPSHOT_SLOTS)]
        if replace is not None:
            slots.append(replace.generation % len(SNAPSHOT_SLOTS))
        for slot in slots:
            key = self.keys.snapshot(SNAPSHOT_SLOTS[slot])
            try:
                self.storage.set(key, text)
            except StorageFull:
                continue
            self._parsed[key] = (text, snapshot)
            return True
        return False

    def _drop_fallback(self, newest: StoredSnapshot | None) -> None:
        """Storage is full: remove every snapshot slot but the one holding `newest` (each
        snapshot holds the whole history of the one before, so only the room is given up)."""
        for slot in SNAPSHOT_SLOTS:
            key = self.keys.snapshot(slot)
            stored = self._parsed.get(key)
            if stored is not None and stored[1] is not newest:
                self.storage.remove(key)

    def _remove_covered_logs(self, scan: _Scan, settled: dict[str, int]) -> None:
        """Remove other writers' chunks that are full and covered (their writers never write
        them again), and whole logs that are covered and untouched for `stale_after`."""
        stale_before = int((self.clock() - self.stale_after).timestamp())
        for writer_id, log in scan.logs.items():
            if writer_id == self.writer_id:
                continue
            cover = settled.get(writer_id, 0)
            dead = log.end <= cover and log.written_at <= stale_before
            for key, (chunk, _) in log.keys.items():
                full = chunk is not None and (chunk + 1) * CHUNK_EVENTS <= cover
                if dead or full:
                    self.storage.remove(key)


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
