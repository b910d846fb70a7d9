import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.progress.events import AnyEvent
from socratiq_local.storage import BookStore, ImportRejected, MemoryStorage, StorageFull
from socratiq_local.storage.envelope import seal, unseal
from socratiq_local.storage.keys import CHUNK_EVENTS, BookKeys
from socratiq_local.storage.learner import Learner, read_learner
from socratiq_local.storage.migrations import CURRENT_VERSION

from .test_storage_codec import START, answered


def fold(previous: dict[str, Any] | None, events: Sequence[AnyEvent]) -> dict[str, Any]:
    """Records every event folded (its key's id: a snapshot's history shortens ids) and how many
    times anything was folded: double counts show."""
    previous = previous or {"ids": [], "count": 0}
    return {
        "ids": sorted({*previous["ids"], *(event.id[:8] for event in events)}),
        "count": previous["count"] + len(events),
    }


def counting_fold(previous: dict[str, Any] | None, events: Sequence[AnyEvent]) -> dict[str, Any]:
    return {"count": (previous or {"count": 0})["count"] + len(events)}


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def store(
    storage: MemoryStorage, writer: str = "tab-a", book: str = "book", **kw: Any
) -> BookStore:
    kw.setdefault("clock", Clock())
    return BookStore(storage, book, writer, kw.pop("fold", fold), **kw)


def stored_keys(storage: MemoryStorage) -> list[str]:
    return sorted(storage.keys())


def progress_ids(book: BookStore) -> list[str]:
    """Every event id the learner's progress is made of; fails on a double count."""
    loaded = book.load()
    snapshot = loaded.snapshot or {"ids": [], "count": 0}
    assert snapshot["count"] == len(snapshot["ids"]), "an event was folded twice"
    ids = [event.id[:8] for event in loaded.events]
    assert not set(ids) & set(snapshot["ids"]), "an event is both folded and pending"
    return sorted([*snapshot["ids"], *ids])


def test_appended_events_load_in_a_new_session() -> None:
    storage = MemoryStorage()
    events = answered(5)
    assert store(storage).append(events).stored == 5
    loaded = store(storage, "tab-b").load()
    assert loaded.events == tuple(events) and loaded.snapshot is None and not loaded.warnings


def test_layout_gives_each_writer_its_own_key_under_the_book_namespace() -> None:
    storage = MemoryStorage()
    store(storage, "tab-a").append(answered(1))
    store(storage, "tab-b").append(answered(1))
    store(storage, "tab-a", book="other").append(answered(1))
    assert sorted(storage.keys()) == [
        "socratiq:book:log:tab-a:0",
        "socratiq:book:log:tab-b:0",
        "socratiq:other:log:tab-a:0",
    ]


def test_books_never_mix_and_wipe_removes_only_its_own_keys() -> None:
    storage = MemoryStorage()
    storage.set("unrelated", "x")
    storage.set("socratiq:book2:log:tab-a", "someone else's")
    book = store(storage)
    book.append(answered(3))
    book.compact()
    assert store(storage, book="book-other").load().events == ()
    book.wipe(lambda: "fresh-seed-1")
    assert sorted(storage.keys()) == [
        "socratiq:book2:log:tab-a",
        "socratiq:book:learner",  # a new seed, and when the wipe was, for other tabs
        "unrelated",
    ]
    assert store(storage, "tab-z").load().events == ()


def test_compaction_folds_stored_events_and_removes_full_chunks_both_snapshots_cover() -> None:
    storage = MemoryStorage()
    book = store(storage)
    first, second = answered(CHUNK_EVENTS + 4), answered(3)
    book.append(first)
    assert book.compact().compacted
    assert progress_ids(book) == sorted(e.id[:8] for e in first)
    assert len(book.load().events) == 0
    # The log keeps the first events until a second snapshot also covers them.
    assert len(store(storage, "reader").load().events) == 0
    log = unseal("log", storage.get("socratiq:book:log:tab-a:0") or "")
    assert (log["start"], len(log["events"]["rows"])) == (0, CHUNK_EVENTS)
    book.append(second)
    book.compact()
    assert storage.get("socratiq:book:log:tab-a:0") is None  # full and covered twice
    log = unseal("log", storage.get("socratiq:book:log:tab-a:1") or "")
    # a chunk not full yet is rewritten only with the next event: its start says what is new
    assert (log["start"], len(log["events"]["rows"])) == (CHUNK_EVENTS, 7)
    third = answered(1)
    book.append(third)
    log = unseal("log", storage.get("socratiq:book:log:tab-a:1") or "")
    assert (log["start"], len(log["events"]["rows"])) == (CHUNK_EVENTS + 4, 4)
    assert progress_ids(store(storage, "tab-b")) == sorted(e.id[:8] for e in first + second + third)


def test_compacting_with_nothing_new_writes_no_snapshot() -> None:
    storage = MemoryStorage()
    book = store(storage)
    book.append(answered(2))
    book.compact()
    before = dict(storage._values)
    assert not book.compact().compacted
    assert dict(storage._values) == before


ops = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["append", "compact", "load"])),
    max_size=25,
)


@given(ops)
def test_interleaved_writers_lose_and_double_count_nothing(steps: list[tuple[str, str]]) -> None:
    storage = MemoryStorage()
    clock = Clock()
    tabs = {name: store(storage, f"tab-{name}", clock=clock) for name in "abc"}
    made: list[str] = []
    for i, (name, op) in enumerate(steps):
        clock.now += timedelta(hours=7)  # so finished tabs' logs go stale and get removed
        if op == "append":
            events = answered(2, start=START + timedelta(days=i))
            made += [e.id[:8] for e in events]
            tabs[name].append(events)
        elif op == "compact" and name == "a":  # tab a holds the writer lock
            tabs[name].compact()
        else:
            tabs[name].load()
    assert progress_ids(store(storage, "reader", clock=clock)) == sorted(made)


def test_a_tab_reloading_with_its_writer_id_continues_its_log() -> None:
    storage = MemoryStorage()
    first, later = answered(2), answered(2, start=START + timedelta(days=1))
    store(storage).append(first)
    store(storage).append(later)
    assert store(storage, "reader").load().events == tuple(first + later)


def test_dead_tabs_logs_are_removed_after_both_snapshots_cover_them_and_a_day_passes() -> None:
    storage = MemoryStorage()
    clock = Clock()
    store(storage, "gone", clock=clock).append(answered(3))
    elected = store(storage, "tab-a", clock=clock)
    elected.compact()
    elected.append(answered(1))
    elected.compact()
    assert "socratiq:book:log:gone:0" in stored_keys(storage)  # not stale yet
    clock.now += timedelta(days=2)
    elected.append(answered(1))
    elected.compact()
    assert "socratiq:book:log:gone:0" not in stored_keys(storage)
    assert len(progress_ids(elected)) == 5


# -- damage ---------------------------------------------------------------------------------


def damaged_variants(text: str) -> list[str]:
    middle = len(text) // 2
    flipped = text[:middle] + ("0" if text[middle] != "0" else "1") + text[middle + 1 :]
    return [text[:middle], text[:-1], flipped, "", "null", "[]", '{"socratiq": "log"}']


def built_book() -> tuple[MemoryStorage, list[str]]:
    """Two snapshots, a log of the lock holder and one of another tab."""
    storage = MemoryStorage()
    clock = Clock()
    a, b = store(storage, "tab-a", clock=clock), store(storage, "tab-b", clock=clock)
    made = answered(9)
    a.append(made[:3])
    b.append(made[3:5])
    a.compact()
    a.append(made[5:7])
    a.compact()
    b.append(made[7:])
    return storage, [e.id[:8] for e in made]


@pytest.mark.parametrize(
    "key", ["socratiq:book:snapshot:0", "socratiq:book:snapshot:1", "socratiq:book:log:tab-b:0"]
)
@pytest.mark.parametrize("variant", range(7))
def test_a_damaged_value_is_moved_aside_and_the_rest_recovered(key: str, variant: int) -> None:
    storage, made = built_book()
    original = storage.get(key) or ""
    bad = damaged_variants(original)[variant]
    storage.set(key, bad)
    loaded = store(storage, "tab-a").load(holds_lock=True)
    assert any(key in warning and "aside" in warning for warning in loaded.warnings)
    assert storage.get(key) is None
    quarantined = [k for k in stored_keys(storage) if ":quarantine:" in k]
    assert len(quarantined) == 1 and json.loads(storage.get(quarantined[0]) or "")["value"] == bad
    ids = progress_ids(store(storage, "reader"))
    if key.endswith("tab-b:0"):  # that tab's unfolded events are what was lost, nothing else
        assert ids == sorted(made[:7])
    else:  # a snapshot: recovered from the other one and the logs
        assert ids == sorted(made)


def test_the_lock_holder_recovers_a_lost_snapshot_when_it_next_compacts() -> None:
    storage, made = built_book()
    storage.set("socratiq:book:snapshot:0", "garbage")  # the newest (generation 2)
    elected = store(storage, "tab-a")
    assert any("rebuilt from snapshot 1" in w for w in elected.compact().warnings)
    assert progress_ids(store(storage, "reader")) == sorted(made)


def test_a_tab_without_the_lock_only_reports_others_bad_values() -> None:
    storage, _ = built_book()
    storage.set("socratiq:book:log:tab-b:0", "{truncated")
    loaded = store(storage, "tab-c").load()
    assert any("Ignored socratiq:book:log:tab-b" in w for w in loaded.warnings)
    assert storage.get("socratiq:book:log:tab-b:0") == "{truncated"


def test_a_foreign_key_under_the_prefix_is_moved_aside() -> None:
    storage, made = built_book()
    storage.set("socratiq:book:settings", '{"theme": "dark"}')
    warnings = store(storage, "tab-a").load(holds_lock=True).warnings
    assert any("socratiq:book:settings" in w for w in warnings)
    assert "socratiq:book:settings" not in stored_keys(storage)
    assert progress_ids(store(storage, "reader")) == sorted(made)


def test_a_future_version_document_is_moved_aside_with_a_clear_message() -> None:
    storage, _ = built_book()
    future = json.loads(storage.get("socratiq:book:log:tab-b:0") or "")
    future["v"] = 99
    storage.set("socratiq:book:log:tab-b:0", json.dumps(future))
    warnings = store(storage, "tab-a").load(holds_lock=True).warnings
    assert any("newer socratiq_local (schema v99" in w and "aside" in w for w in warnings)
    [aside] = [k for k in stored_keys(storage) if ":quarantine:" in k]
    assert json.loads(json.loads(storage.get(aside) or "")["value"])["v"] == 99


stored_junk = st.one_of(
    st.text(max_size=40),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=10,
    ).map(json.dumps),
)
junk_documents = st.builds(
    lambda kind, data: seal(kind, data),
    st.sampled_from(["log", "snapshot", "export"]),
    st.dictionaries(
        st.sampled_from(["writer", "start", "events", "covers", "payload", "generation", "x"]),
        st.recursive(st.none() | st.integers() | st.text(max_size=5), st.lists, max_leaves=5),
    ),
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "socratiq:book:snapshot:0",
                "socratiq:book:snapshot:1",
                "socratiq:book:log:tab-a:0",
                "socratiq:book:log:tab-b:0",
                "socratiq:book:zzz",
                "socratiq:book:quarantine:x",
            ]
        ),
        stored_junk | junk_documents,
        max_size=4,
    ),
    st.booleans(),
)
def test_nothing_found_in_storage_crashes_the_tracker(
    values: dict[str, str], holds_lock: bool
) -> None:
    storage = MemoryStorage()
    for key, value in values.items():
        storage.set(key, value)
    book = store(storage)
    book.load(holds_lock=holds_lock)
    book.append(answered(1), holds_lock=holds_lock)
    book.compact()
    book.export()
    assert len(book.load().events) + (book.load().snapshot or {"count": 0})["count"] >= 1


# -- quota ----------------------------------------------------------------------------------


def test_a_full_storage_is_compacted_and_the_write_retried() -> None:
    storage = MemoryStorage(quota_bytes=12_000)
    book = store(storage, fold=counting_fold)
    compacted = False
    for day in range(20):
        # A batch that no longer fits leaves room for the snapshot that makes room.
        report = book.append(answered(25, start=START + timedelta(days=day)), holds_lock=True)
        compacted = compacted or report.compacted
        assert report.unsaved == 0 and not report.warnings
    assert compacted
    loaded = store(storage, "reader").load()
    assert (loaded.snapshot or {})["count"] + len(loaded.events) == 500


def test_the_lock_holder_removes_its_own_chunks_to_fit_the_snapshot_that_covers_them() -> None:
    storage = MemoryStorage()
    book = store(storage, fold=counting_fold)
    book.append(answered(CHUNK_EVENTS * 2), holds_lock=True)
    storage.quota_bytes = storage.used_bytes() + 50  # no room for a snapshot beside the log
    report = book.append(answered(1, start=START + timedelta(days=1)), holds_lock=True)
    assert report.unsaved == 0 and report.compacted and not report.warnings
    loaded = store(storage, "reader").load()
    assert (loaded.snapshot or {})["count"] + len(loaded.events) == CHUNK_EVENTS * 2 + 1


def test_when_not_even_the_snapshot_fits_the_lock_holder_keeps_events_in_memory() -> None:
    storage = MemoryStorage()
    store(storage, "tab-b").append(answered(20))  # another tab's: only it may remove them
    book = store(storage, fold=counting_fold)
    storage.quota_bytes = storage.used_bytes() + 50
    report = book.append(answered(1, start=START + timedelta(days=1)), holds_lock=True)
    assert report.unsaved == 1 and not report.compacted
    assert "could not store a new snapshot" in report.warnings[0]
    assert "kept in this tab's memory" in report.warnings[-1]


def test_when_compaction_cannot_help_events_stay_in_memory_and_are_saved_later() -> None:
    storage = MemoryStorage(quota_bytes=3_000)
    book = store(storage)  # not the lock holder: may not compact
    report = book.append(answered(40))
    assert report.stored == CHUNK_EVENTS and report.unsaved == 40 - CHUNK_EVENTS
    assert f"Storage is full: {40 - CHUNK_EVENTS} answers" in report.warnings[-1]
    assert not book.append(answered(1)).warnings  # said once, not at every answer
    assert len(book.load().events) == 41  # still in the tracker's view
    storage.quota_bytes = None
    loaded = book.load()
    assert loaded.unsaved == 0
    assert len(store(storage, "reader").load().events) == 41


def test_memory_backend_rejects_a_write_over_quota_and_changes_nothing() -> None:
    storage = MemoryStorage(quota_bytes=20)
    storage.set("k", "v" * 10)
    with pytest.raises(StorageFull):
        storage.set("k2", "v" * 10)
    storage.set("k", "w" * 19)  # replacing counts the freed bytes
    assert storage.keys() == ["k"] and storage.used_bytes() == 20


# -- export / import ------------------------------------------------------------------------


def test_export_wipe_import_gives_back_the_same_progress() -> None:
    storage = MemoryStorage()
    book = store(storage)
    events = answered(6)
    book.append(events[:4])
    book.compact()
    book.append(events[4:])
    before = progress_ids(book)
    text = book.export()
    book.wipe(lambda: "fresh-seed-1")
    assert storage.keys() == ["socratiq:book:learner"]
    report = book.import_(text)  # any tab: the compactor folds it later
    assert report.added == 6
    assert progress_ids(store(storage, "tab-b")) == before
    book.append(answered(1))
    book.compact()
    assert len(progress_ids(store(storage, "reader"))) == 7


def test_import_merges_by_id_without_duplicates() -> None:
    here, there = MemoryStorage(), MemoryStorage()
    shared, mine, theirs = answered(3), answered(2), answered(2)
    store(here).append(shared + mine)
    store(there, "phone").append(shared + theirs)
    report = store(here).import_(store(there, "phone").export())
    assert (report.added, report.already_present) == (2, 3)
    assert store(here).import_(store(there, "phone").export()).added == 0
    assert len(store(here, "reader").load().events) == 7


def test_two_summarised_books_merge_into_the_union_of_their_events() -> None:
    here, there = MemoryStorage(), MemoryStorage()
    shared = answered(2)
    for storage, own in ((here, answered(3)), (there, answered(2))):
        store(storage).append(shared + own)
        store(storage).compact()
    expected = sorted({*progress_ids(store(here)), *progress_ids(store(there))})
    store(here).import_(store(there).export())
    store(here).compact()
    assert progress_ids(store(here)) == expected


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda text: text[:-5], "not a sound"),
        (lambda text: text.replace('"book":"book"', '"book":"boot"', 1), "checksum"),
        (lambda text: text.replace('"v":3', '"v":7'), "newer socratiq_local"),
        (lambda text: seal("export", {"book": "book", "events": "no"}), "invalid at"),
        (lambda text: seal("export", {**unseal("export", text), "book": "other"}), "for the book"),
        (lambda text: "", "not a sound"),
    ],
)
def test_a_bad_import_file_gives_a_clear_error_and_changes_nothing(
    mangle: Any, message: str
) -> None:
    storage = MemoryStorage()
    book = store(storage)
    book.append(answered(2))
    text = mangle(store(MemoryStorage()).export() if False else book.export())
    before = dict(storage._values)
    with pytest.raises(ImportRejected, match=message):
        book.import_(text, holds_lock=True)
    assert dict(storage._values) == before


def test_export_is_a_versioned_checksummed_document() -> None:
    book = store(MemoryStorage())
    book.append(answered(1))
    document = json.loads(book.export())
    assert (
        document["socratiq"] == "export"
        and document["v"] == CURRENT_VERSION
        and len(document["sum"]) == 64
    )
    assert document["data"]["book"] == "book" and document["data"]["history"]
    assert datetime.fromisoformat(document["data"]["exported_at"]).tzinfo == UTC


def test_the_learner_seed_is_made_once_kept_and_renewed_by_a_wipe() -> None:
    storage = MemoryStorage()
    keys = BookKeys("book")
    seeds = iter(["seed-one-1234", "seed-two-5678", "seed-three-90"])
    first = read_learner(storage, keys, lambda: next(seeds))
    assert first == Learner("seed-one-1234", 0)
    assert read_learner(storage, keys, lambda: next(seeds)) == first  # another tab, later
    report = store(storage, "w1").load(holds_lock=True)
    assert report.warnings == ()  # the seed's key is part of the layout, not foreign
    storage.set("socratiq:book:learner", "{damaged")
    renewed = read_learner(storage, keys, lambda: next(seeds), "w1", START)
    assert renewed.seed == "seed-two-5678" and "aside" in (renewed.warning or "")
    [aside] = [k for k in stored_keys(storage) if ":quarantine:" in k]
    assert json.loads(storage.get(aside) or "")["value"] == "{damaged"  # set aside, not lost
    storage.remove(aside)
    seed, epoch = store(storage, "w0").wipe(lambda: next(seeds))
    assert seed == "seed-three-90" and epoch == int(START.timestamp() * 1000)
    assert stored_keys(storage) == ["socratiq:book:learner"]
    assert read_learner(storage, keys, lambda: "unused-seed") == Learner(seed, epoch)


def test_a_learner_record_of_a_newer_release_is_set_aside_not_overwritten() -> None:
    storage = MemoryStorage()
    keys = BookKeys("book")
    future = json.loads(seal("learner", {"seed": "seed-from-the-future", "epoch": 7}))
    future["v"] = 99
    storage.set(keys.learner(), json.dumps(future))
    learner = read_learner(storage, keys, lambda: "seed-of-today", "w0", START)
    assert learner == Learner("seed-of-today", 0, learner.warning)
    assert "newer socratiq_local (schema v99" in (learner.warning or "")
    [aside] = [k for k in stored_keys(storage) if ":quarantine:" in k]
    assert json.loads(json.loads(storage.get(aside) or "")["value"])["v"] == 99
    storage.set(keys.learner(), json.dumps(future))
    storage.quota_bytes = storage.used_bytes()  # no room to move this one aside: kept
    kept = read_learner(storage, keys, lambda: "seed-of-today", "w0", START)
    assert "no room" in (kept.warning or "") and storage.get(keys.learner()) == json.dumps(future)
