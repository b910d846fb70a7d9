"""Progress that merges between devices (storage schema v3): any histories, exchanged in any
order any number of times, give what one device that saw every answer shows; forged and
damaged files never break a book."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socratiq_local.progress import fold
from socratiq_local.progress.events import Answered, AnyEvent
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.storage import BookStore, ImportRejected, MemoryStorage
from socratiq_local.storage.codec import encode_events, pack_history
from socratiq_local.storage.envelope import seal, unseal

SAMPLES = Path(__file__).parent / "data" / "storage"
DAY0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NOW = DAY0 + timedelta(days=40)


def answer(n: int, day: int, minute: int, question: int, correct: bool) -> Answered:
    at = DAY0 + timedelta(days=day, minutes=minute, milliseconds=n)
    return Answered(
        id=f"{n:08x}{'ab' * 12}",
        at=at,
        local_date=(at + timedelta(hours=1)).date(),
        utc_offset_minutes=60,
        quiz_id="ch1",
        question_id=f"q{question}",
        chapter="ch1",
        section=f"sec-{question % 3}",
        difficulty=("easy", "medium", "hard")[question % 3],
        correct=correct,
        score=1.0 if correct else 0.0,
        rating="good" if correct else "again",
        answer=[question, correct],
    )


def device(name: str = "w0") -> tuple[MemoryStorage, BookStore]:
    storage = MemoryStorage()
    return storage, BookStore(storage, "book", name, fold, clock=lambda: NOW)


def progress(storage: MemoryStorage, book: str = "book") -> ProgressState:
    """What a tab opening this storage shows (before or after compaction alike)."""
    loaded = BookStore(storage, book, "reader", fold, clock=lambda: NOW).load()
    snapshot = loaded.snapshot
    start = ProgressState() if snapshot is None else ProgressState.model_validate(snapshot)
    return replay(loaded.events, start)


def used(storage: MemoryStorage, book: BookStore, days: Sequence[list[AnyEvent]]) -> None:
    """A device used day after day, the elected tab compacting after each day."""
    for events in days:
        book.append(events, holds_lock=True)
        book.compact()


histories = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 600), st.integers(0, 6), st.booleans()),
    max_size=14,
)


def events_of(draws: list[tuple[int, int, int, bool]], offset: int) -> list[list[AnyEvent]]:
    made = sorted((answer(offset + n, *draw) for n, draw in enumerate(draws)), key=lambda e: e.at)
    days = sorted({e.local_date for e in made})
    return [[e for e in made if e.local_date == day] for day in days]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(histories, histories, histories, st.permutations(range(3)))
def test_three_devices_merged_in_any_order_twice_show_one_device_that_saw_every_answer(
    a: list, b: list, c: list, order: list[int]
) -> None:
    days = [events_of(a, 0), events_of(b, 1000), events_of(c, 2000)]
    devices = [device(f"w{i}") for i in range(3)]
    for (storage, book), used_days in zip(devices, days, strict=True):
        used(storage, book, used_days)
    for _ in range(2):  # exchanged in the drawn order, then once more: nothing counts twice
        for i in order:
            for j in order:
                if i != j:
                    devices[j][1].import_(devices[i][1].export())
                    if (i + j) % 2:
                        devices[j][1].compact()
    single, book = device()
    used(single, book, [sorted((e for d in days for day in d for e in day), key=lambda e: e.at)])
    expected = progress(single)
    for storage, book in devices:
        assert progress(storage) == expected
        book.compact()
        assert progress(storage) == expected
    assert expected.answers == len(a) + len(b) + len(c)


def test_an_import_into_a_tab_without_the_lock_is_folded_by_the_compactor_and_removed() -> None:
    phone_storage, phone = device()
    used(phone_storage, phone, [[answer(n, 0, n, n % 5, True) for n in range(5)]])
    storage, compactor = device("w0")
    used(storage, compactor, [[answer(100 + n, 1, n, n % 5, n % 2 == 0) for n in range(4)]])
    other_tab = BookStore(storage, "book", "w1", fold, clock=lambda: NOW)
    report = other_tab.import_(phone.export())  # not the compactor: works all the same
    assert (report.added, report.already_present) == (5, 0)
    assert [k for k in stored(storage) if ":inbox:w1:" in k]
    assert progress(storage).answers == 9  # shown at once, in log order
    compactor.compact()
    compactor.append([answer(200, 2, 0, 1, True)], holds_lock=True)
    compactor.compact()  # both snapshot slots hold it now: the inbox goes
    assert not [k for k in stored(storage) if ":inbox:" in k]
    assert progress(storage).answers == 10
    assert other_tab.import_(phone.export()).added == 0


def forged_export(packed: list[AnyEvent], **data: object) -> str:
    body = {
        "book": "book",
        "exported_at": NOW.isoformat(),
        "legacy_folded": 0,
        "history": pack_history(packed),
        "events": [],
    }
    return seal("export", {**body, **data})


def test_events_dated_outside_the_sane_window_are_refused_and_counted() -> None:
    storage, book = device()
    good = [answer(n, 0, n, n, True) for n in range(3)]
    far = [
        good[0].model_copy(update={"id": "farfuture1", "at": datetime(9999, 12, 30, tzinfo=UTC)}),
        good[0].model_copy(update={"id": "tomorrow99", "at": NOW + timedelta(days=2)}),
        good[0].model_copy(update={"id": "longago999", "at": datetime(1999, 12, 31, tzinfo=UTC)}),
    ]
    report = book.import_(forged_export(sorted([*good, *far], key=lambda e: e.at)))
    assert (report.added, report.refused) == (3, 3)
    book.compact()
    state = progress(storage)
    assert (state.answers, state.xp) == (3, 15 + 30 + 45)  # easy, medium, hard, first try
    book.append([answer(50, 1, 0, 0, True)], holds_lock=True)  # later operations still work
    book.compact()
    assert progress(storage).answers == 4


def test_figures_in_a_file_are_never_trusted_only_events_count() -> None:
    storage, book = device()
    e = answer(1, 0, 0, 0, True)
    legacy = json.loads(seal("export", {}))
    legacy["v"] = 2  # a v2 file whose summary claims a billion XP
    legacy["data"] = {
        "book": "book",
        "exported_at": NOW.isoformat(),
        "snapshot": {"folded": 7, "payload": {"xp": 1_000_000_000, "answers": 7}},
        "events": [e.model_dump(mode="json")],
    }
    from socratiq_local.storage.envelope import checksum

    legacy["sum"] = checksum(legacy["data"])
    report = book.import_(json.dumps(legacy))
    assert (report.added, report.legacy_folded) == (1, 7)
    state = progress(storage)
    assert state.answers == 1 and state.xp == 15


def test_duplicate_events_in_a_file_count_once() -> None:
    storage, book = device()
    e = answer(1, 0, 0, 0, True)
    text = forged_export([e], events=[e.model_dump(mode="json")] * 3)
    assert book.import_(text).added == 1
    assert progress(storage).answers == 1


FILE = {"book": "book", "exported_at": NOW.isoformat()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 3000 + "]" * 3000, "deeper than"),
        (seal("export", {**FILE, "history": "not packed"}), "unreadable"),
        (seal("export", {**FILE, "history": "\u3400" + "\u3401" * 8}), "unreadable"),
        (seal("export", {**FILE, "book": "other"}), "for the book"),
    ],
)
def test_a_forged_or_damaged_file_is_refused_whole_and_changes_nothing(
    text: str, message: str
) -> None:
    storage, book = device()
    used(storage, book, [[answer(1, 0, 0, 0, True)]])
    before = dict(storage._values)
    with pytest.raises(ImportRejected, match=message):
        book.import_(text)
    assert dict(storage._values) == before


def test_a_newer_format_is_refused_and_changes_nothing() -> None:
    storage, book = device()
    document = json.loads(book.export())
    document["v"] = 99
    with pytest.raises(ImportRejected, match="newer socratiq_local"):
        book.import_(json.dumps(document))
    assert storage.keys() == []


def test_a_file_too_large_for_the_room_left_is_refused_and_changes_nothing() -> None:
    phone_storage, phone = device()
    used(phone_storage, phone, [[answer(n, 0, n, n, True) for n in range(300)]])
    storage, book = device()
    used(storage, book, [[answer(1000, 1, 0, 0, True)]])
    storage.quota_bytes = storage.used_bytes() + 200
    before = dict(storage._values)
    with pytest.raises(ImportRejected, match="no room"):
        book.import_(phone.export())
    assert dict(storage._values) == before


def test_a_stored_event_in_the_year_9999_is_set_aside_and_the_book_heals() -> None:
    storage, book = device()
    used(storage, book, [[answer(1, 0, 0, 0, True)]])
    bad = answer(2, 0, 1, 1, True).model_copy(update={"at": datetime(9999, 12, 31, tzinfo=UTC)})
    log = {"writer": "w7", "start": 0, "written_at": 0, "events": encode_events([bad])}
    storage.set("socratiq:book:log:w7", seal("log", log))
    report = book.compact()
    assert any("aside" in warning for warning in report.warnings)
    assert progress(storage).answers == 1
    book.append([answer(3, 1, 0, 2, True)], holds_lock=True)
    book.compact()
    assert progress(storage).answers == 2


def test_version_2_progress_written_by_the_released_code_reads_as_it_was() -> None:
    """`v2/progress-storage-snapshot.json` and `v2/progress-export.json` were written by schema
    v2's own code (main at dfa66ab): four answers over two compactions, a fifth in the tab's
    log, and their export."""
    stored = json.loads((SAMPLES / "v2" / "progress-storage-snapshot.json").read_text())
    storage = MemoryStorage()
    for key, value in stored.items():
        storage.set(key, value)
    book = BookStore(storage, "demo", "w0", fold, clock=lambda: NOW)
    loaded = book.load()
    assert not loaded.warnings and loaded.snapshot is not None
    state = replay(loaded.events, ProgressState.model_validate(loaded.snapshot))
    assert (state.answers, state.correct) == (5, 3)
    later = answer(9, 0, 0, 0, True).model_copy(update={"quiz_id": "quantization"})
    book.append([later], holds_lock=True)
    book.compact()  # the v2 summary carries on as the base of a v3 snapshot
    snapshot = unseal("snapshot", storage.get("socratiq:demo:snapshot:1") or "")
    assert snapshot["legacy"] == 4 and snapshot["folded"] == 6 and len(snapshot["history"]) == 1
    assert progress(storage, "demo").answers == 6
    # Its export: the summary cannot be merged and is counted; its pending event comes in.
    later = datetime(2026, 12, 2, tzinfo=UTC)
    fresh = BookStore(MemoryStorage(), "demo", "w0", fold, clock=lambda: later)
    report = fresh.import_((SAMPLES / "v2" / "progress-export.json").read_text())
    assert (report.added, report.legacy_folded) == (1, 4)


def stored(storage: MemoryStorage) -> list[str]:
    return list(storage.keys())


def test_a_snapshot_whose_fold_cannot_be_read_is_set_aside_and_rebuilt() -> None:
    storage, book = device()
    used(storage, book, [[answer(1, 0, 0, 0, True)], [answer(2, 1, 0, 1, True)]])
    key = "socratiq:book:snapshot:0"
    data = unseal("snapshot", storage.get(key) or "")
    storage.set(key, seal("snapshot", {**data, "payload": pack_history([])}))  # sound, unreadable
    report = book.compact()
    assert any(key in warning and "aside" in warning for warning in report.warnings)
    assert progress(storage).answers == 2


def test_an_inbox_written_before_a_wipe_brings_no_progress_back() -> None:
    phone_storage, phone = device("p0")
    used(phone_storage, phone, [[answer(1, 0, 0, 0, True)], [answer(2, 1, 0, 1, True)]])
    text = phone.export()
    storage = MemoryStorage()
    importer = BookStore(storage, "book", "w0", fold, clock=lambda: NOW)
    wiper = BookStore(storage, "book", "w1", fold, clock=lambda: NOW)
    inbox = importer.import_(text).inbox
    assert inbox is not None and progress(storage).answers == 2
    late = storage.get(inbox) or ""  # the importing tab's write, reaching storage after the wipe
    wiper.wipe(lambda: "seed-after")
    storage.set(inbox, late)
    assert progress(storage).answers == 0  # stamped with the epoch before the wipe: read by none
    wiper.compact()
    assert storage.get(inbox) is None  # and removed by the lock holder
    again = importer.import_(text)  # the importing tab, having seen the wipe, imports anew
    assert again.added == 2 and progress(storage).answers == 2
    wiper.compact()
    assert progress(storage).answers == 2
