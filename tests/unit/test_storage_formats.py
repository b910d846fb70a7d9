import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.progress import fold as session_fold
from socratiq_local.progress.events import AnyEvent, sort_key
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.storage import BookStore, FileStorage, MemoryStorage
from socratiq_local.storage.envelope import DamagedDocument, checksum, seal, unseal
from socratiq_local.storage.file import StorageUnreadable
from socratiq_local.storage.merge import merge_events
from socratiq_local.storage.migrations import CURRENT_VERSION, STEPS, FutureVersion, migrate

from .test_storage_book import fold
from .test_storage_codec import events

SAMPLES = Path(__file__).parent / "data" / "storage"


# -- envelope and checksum ------------------------------------------------------------------


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=5))
def test_a_sealed_document_unseals_to_its_data(data: dict[str, Any]) -> None:
    assert unseal("log", seal("log", data)) == data


@given(st.data())
def test_any_change_to_the_data_fails_the_checksum(draw: st.DataObject) -> None:
    text = seal("log", {"writer": "tab-a", "start": 12, "events": {"rows": [["abc", 1]]}})
    data_at = text.index('"data":') + len('"data":')
    i = draw.draw(st.integers(data_at, len(text) - 2))
    replacement = draw.draw(st.sampled_from("0123456789abcdefxyz"))
    changed = text[:i] + replacement + text[i + 1 :]
    if changed != text:
        with pytest.raises(DamagedDocument):
            unseal("log", changed)


def test_checksum_is_of_the_canonical_json_whatever_the_key_order() -> None:
    assert checksum({"a": 1, "b": [1, 2]}) == checksum({"b": [1, 2], "a": 1})
    assert checksum({"a": 1}) != checksum({"a": 2})


def test_a_document_of_another_kind_is_refused() -> None:
    with pytest.raises(DamagedDocument, match="not a socratiq snapshot"):
        unseal("snapshot", seal("log", {}))


# -- migrations -----------------------------------------------------------------------------


def test_every_released_version_has_a_step_forward() -> None:
    assert set(STEPS) == set(range(1, CURRENT_VERSION))


def test_migration_applies_each_step_in_order() -> None:
    steps = {
        1: lambda kind, data: {**data, "trail": [*data["trail"], f"{kind}:1->2"]},
        2: lambda kind, data: {**data, "trail": [*data["trail"], f"{kind}:2->3"]},
    }
    moved = migrate("log", 1, {"trail": []}, steps, current=3)
    assert moved == {"trail": ["log:1->2", "log:2->3"]}
    assert migrate("log", 2, {"trail": []}, steps, current=3) == {"trail": ["log:2->3"]}
    with pytest.raises(FutureVersion, match="schema v4; this one reads up to v3"):
        migrate("log", 4, {}, steps, current=3)


def test_a_future_version_is_reported_as_such_not_as_damage() -> None:
    future = json.loads(seal("log", {"x": 1}))
    future["v"] = CURRENT_VERSION + 1
    with pytest.raises(FutureVersion):
        unseal("log", json.dumps(future))


def test_the_v1_storage_sample_loads(tmp_path: Path) -> None:
    path = tmp_path / "storage.json"
    shutil.copy(SAMPLES / "v1" / "storage.json", path)
    loaded = BookStore(FileStorage(path), "mlsysbook", "tab-c", fold).load()
    assert not loaded.warnings
    assert loaded.snapshot == {
        "count": 5,
        "ids": [f"{i:032x}" for i in range(1, 5)] + ["settings-1"],
    }
    assert [event.id for event in loaded.events] == [
        f"{5:032x}",
        f"{6:032x}",
        "import-1",
    ]


def test_the_v1_export_sample_imports() -> None:
    book = BookStore(MemoryStorage(), "mlsysbook", "tab-a", fold)
    text = (SAMPLES / "v1" / "export.json").read_text()
    report = book.import_(text, holds_lock=True)
    # Its summary cannot be merged (schema v3): counted and left out; its events come in, two
    # answers counted and the import marker it carries stored, not counted.
    assert report.legacy_folded > 0 and report.added == 2
    assert len(book.load().events) == 3


# -- merge ----------------------------------------------------------------------------------

logs = st.lists(events(), max_size=6)


def _with_clashes(log: list[AnyEvent], other: list[AnyEvent]) -> list[AnyEvent]:
    """`log` plus copies of some of `other` under its ids, to exercise clashing ids."""
    return log + [e.model_copy(update={"id": o.id}) for e, o in zip(log, other, strict=False)]


@given(logs, logs, logs)
def test_merge_is_commutative_associative_and_idempotent(
    a: list[AnyEvent], b: list[AnyEvent], c: list[AnyEvent]
) -> None:
    a = _with_clashes(a, b)
    assert merge_events(a, b) == merge_events(b, a)
    assert merge_events(merge_events(a, b), c) == merge_events(a, merge_events(b, c))
    assert merge_events(a, a) == merge_events(a) == merge_events(merge_events(a))


@given(logs, logs)
def test_merge_keeps_one_event_per_id_and_loses_no_id(a: list[AnyEvent], b: list[AnyEvent]) -> None:
    merged = merge_events(a, b)
    assert sorted(sort_key(e) for e in merged) == sorted({sort_key(e) for e in a + b})


# -- file backend ---------------------------------------------------------------------------


def test_file_storage_round_trips_and_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    storage = FileStorage(path)
    storage.set("a", "1")
    storage.set("b", "\u00e9\n")
    storage.remove("a")
    storage.remove("missing")
    assert FileStorage(path).keys() == ["b"] and FileStorage(path).get("b") == "\u00e9\n"
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


@pytest.mark.parametrize("content", ["{not json", "[]", '{"a": 1}'])
def test_an_unreadable_storage_file_is_reported_and_left_alone(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "progress.json"
    path.write_text(content)
    with pytest.raises(StorageUnreadable):
        FileStorage(path).set("k", "v")
    assert path.read_text() == content


def test_version_1_progress_written_by_the_released_code_reads_as_it_was(tmp_path: Path) -> None:
    """`progress-*.json` were written by version 1's own session (main at 3e8ed0f): three
    answers folded into a snapshot, a fourth in the tab's log, and their export."""
    stored: dict[str, str] = json.loads((SAMPLES / "v1" / "progress-storage.json").read_text())
    path = tmp_path / "storage.json"
    path.write_text(json.dumps(stored))
    loaded = BookStore(FileStorage(path), "demo", "w1", session_fold).load()
    assert not loaded.warnings and loaded.snapshot is not None
    state = replay(loaded.events, ProgressState.model_validate(loaded.snapshot))
    assert (state.xp, state.answers, state.correct) == (95, 4, 3)
    assert all(q.last_answer is None and q.solution_day is None for q in state.questions.values())
    assert [q.answers for q in state.questions.values()] == [1, 2, 1]
    imported = BookStore(MemoryStorage(), "demo", "w0", session_fold)
    report = imported.import_(
        (SAMPLES / "v1" / "progress-export.json").read_text(), holds_lock=True
    )
    assert report.legacy_folded == 3 and report.added == 1  # the summary stays where it is
    assert replay(imported.load().events, ProgressState()).answers == 1


def test_the_v1_to_v2_step_gives_snapshot_rows_their_new_fields_and_leaves_the_rest() -> None:
    row = [1, True, True, 1, "2026-03-01", "2026-03-01", 1.0, [1, 1, 2.3, 2.1, 5, 4]]
    data = {"payload": {"questions": {"q/a": row}, "xp": 3}}
    assert STEPS[1]("snapshot", data) == {
        "payload": {"questions": {"q/a": [*row, None, None]}, "xp": 3}
    }
    export = {"snapshot": data, "events": []}
    assert STEPS[1]("export", export)["snapshot"]["payload"]["questions"]["q/a"][8:] == [None, None]
    assert STEPS[1]("snapshot", {"payload": {"count": 5}}) == {"payload": {"count": 5}}
    log = {"events": {"rows": [["id", 0, 0, 0, [0, 1, -1, -1, 1, 1, 1, 2]]]}}
    assert STEPS[1]("log", log) == log  # version 1's answer rows read as they are


# -- version 2 to 3, and values no parser should meet --------------------------------------


def test_version_2_progress_written_by_the_released_code_reads_and_moves_to_chunks() -> None:
    """`v2/progress-storage.json` was written by version 2's own sessions (main at dfa66ab):
    two tabs, 7 answers, 4 folded into a snapshot, 3 in the tabs' whole-log keys."""
    stored: dict[str, str] = json.loads((SAMPLES / "v2" / "progress-storage.json").read_text())
    storage = MemoryStorage()
    for key, value in stored.items():
        storage.set(key, value)
    loaded = BookStore(storage, "demo", "w0", session_fold).load()
    assert not loaded.warnings and loaded.snapshot is not None
    state = replay(loaded.events, ProgressState.model_validate(loaded.snapshot))
    assert (state.xp, state.answers, state.correct) == (195, 7, 6)
    # The tab that continues its v2 log moves it into chunks; the other's is read as it is.
    keys = set(storage.keys())
    assert "socratiq:demo:log:w0" not in keys
    assert "socratiq:demo:log:w0:0" in keys and "socratiq:demo:log:w1" in keys
    again = BookStore(storage, "demo", "w2", session_fold).load()
    assert replay(again.events, ProgressState.model_validate(again.snapshot)) == state
    assert json.loads(storage.get("socratiq:demo:log:w0:0") or "")["v"] == 3


def test_the_v2_to_v3_step_stamps_logs_and_snapshots_with_epoch_zero() -> None:
    assert STEPS[2]("log", {"writer": "w0"}) == {"writer": "w0", "epoch": 0}
    snapshot = STEPS[2]("snapshot", {"generation": 1, "folded": 2, "payload": {"xp": 5}})
    assert snapshot["epoch"] == 0 and snapshot["generation"] == 1  # and the history step's fields
    assert (snapshot["legacy"], snapshot["history"], snapshot["inboxes"]) == (2, [], [])
    learner = {"seed": "0123456789", "wiped_at": 5}  # a v2 wipe: older than what v2 stored
    assert STEPS[2]("learner", learner) == learner


DEEP = "[" * 3000 + "]" * 3000


@pytest.mark.parametrize(
    "key", ["socratiq:demo:learner", "socratiq:demo:log:w1", "socratiq:demo:snapshot:1"]
)
@pytest.mark.parametrize("where", ["value", "data"])
def test_a_3000_deep_value_in_any_key_is_set_aside_and_the_book_goes_on(
    key: str, where: str
) -> None:
    """Under Pyodide such a value overflowed the WebAssembly stack (not a RecursionError): the
    depth is checked before parsing, by `check_bounds`, whatever the key."""
    from socratiq_local.browser.session import Moment, Session

    stored: dict[str, str] = json.loads((SAMPLES / "v2" / "progress-storage.json").read_text())
    deep = DEEP if where == "value" else '{"socratiq":"x","v":3,"sum":"","data":' + DEEP + "}"
    stored[key] = deep
    session = Session.start("demo", "w0", stored, Moment.of({"now": 1.8e12}))
    session.holds_lock = True  # the tab that may move others' keys aside (any tab says so)
    state = session.ensure_loaded()
    said = [*session.standing, *session.warnings]
    assert any(key in w and "aside" in w and "deeper than" in w for w in said), said
    if key.endswith("learner"):  # a new record, a new seed: not the damaged one overwritten
        assert "seed" in unseal("learner", session.mirror.get(key) or "")
    else:
        assert session.mirror.get(key) is None
    [aside] = [k for k in list(session.mirror.keys()) if ":quarantine:" in k]
    assert json.loads(session.mirror.get(aside) or "")["value"] == deep
    assert state.answers >= 3  # what the other keys hold is still there
