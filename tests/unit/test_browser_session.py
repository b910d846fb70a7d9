"""The worker's side of the browser runtime, driven as the page drives it: JSON in, JSON out.

`Page` plays one tab's socratiq.js: it owns a localStorage (a dict shared between tabs),
applies the writes each reply carries, and forwards what other tabs wrote.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socratiq_local.browser import worker
from socratiq_local.browser.mirror import MirrorStorage
from socratiq_local.browser.protocol import OPS, PROTOCOL
from socratiq_local.browser.session import Moment, Session, SessionError, read_quiz
from socratiq_local.quiz.checks import load_quiz
from socratiq_local.storage import BookStore

from .keys import right_answer, wrong_answer
from .test_render import Node, parse

QUIZZES = Path(__file__).parents[2] / "quizzes"
SERVING_TEXT = (QUIZZES / "serving.json").read_text(encoding="utf-8")
SERVING = load_quiz(SERVING_TEXT, "serving.json")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MLSYSBOOK = Path(__file__).parent / "data" / "mlsysbook" / "vol1_introduction_quizzes.json"


def ask(message: dict[str, Any]) -> dict[str, Any]:
    """The worker's reply to `message`, sent as the page sends it: with the protocol version."""
    reply: dict[str, Any] = json.loads(worker.handle(json.dumps({"protocol": PROTOCOL, **message})))
    return reply


def moment(at: datetime = NOW, offset: int = 60) -> Moment:
    return Moment.of({"now": at.timestamp() * 1000, "tzOffsetMinutes": offset})


class Page:
    """One tab: its session and the localStorage it shares with the other tabs, which holds
    at most `quota` characters (keys and values, as a browser counts them)."""

    def __init__(
        self,
        local_storage: dict[str, str],
        writer: str,
        book: str = "demo",
        quota: int | None = None,
    ) -> None:
        self.local_storage = local_storage
        self.quota = quota
        self.session = Session.start(book, writer, dict(local_storage), moment())
        self.session.ensure_loaded()
        self.flush()

    def fits(self, key: str, value: str) -> bool:
        if self.quota is None:
            return True
        used = sum(len(k) + len(v) for k, v in self.local_storage.items() if k != key)
        return used + len(key) + len(value) <= self.quota

    def flush(self, op: str = "check", retry: bool = True) -> str | None:
        """Apply the writes as web/src/rpc.js does: in order, up to the first that does not
        fit; then "write_failed" with what is held under the keys not written. The message an
        undone import fails with, if any."""
        writes = self.session.take_writes()
        for n, (key, value) in enumerate(writes):
            if value is None:
                self.local_storage.pop(key, None)
            elif self.fits(key, value):
                self.local_storage[key] = value
            else:
                actual = {k: self.local_storage.get(k) for k, _ in writes[n:]}
                if op == "write_failed" and not retry:
                    return None
                undo = op == "import"
                again = op != "write_failed" and not undo
                undone = self.session.write_failed(actual, retry=again, undo_import=undo)
                self.flush("write_failed", again)
                return undone
        return None

    def sync(self) -> bool:
        """The storage events this tab gets: each key another tab changed, with its value."""
        mirror = self.session.mirror
        keys = {*mirror.keys(), *self.local_storage}
        changes = {
            k: self.local_storage.get(k) for k in keys if mirror.get(k) != self.local_storage.get(k)
        }
        changed = self.session.storage_changed(changes)
        self.flush()
        return changed

    def answer(self, question_index: int, right: bool = True, at: datetime = NOW) -> dict[str, Any]:
        question = SERVING.questions[question_index]
        self.session.add_quiz(SERVING)
        answer = right_answer(question) if right else wrong_answer(question)
        self.session.clock.now = at  # as the worker sets it from each message
        result = self.session.check(SERVING.id, question.id, answer, False, moment(at))
        self.flush()
        return result


def test_an_answer_is_graded_stored_and_still_there_after_a_reload() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    result = tab.answer(0)
    assert result["correct"] is True
    assert "Correct" in result["html"]
    assert "+" in result["html"] and "XP" in result["html"]
    assert any(key.startswith("socratiq:demo:log:w0") for key in storage)
    xp = tab.session.state.xp
    assert xp > 0
    reloaded = Page(storage, "w0")
    reloaded.session.add_quiz(SERVING)
    assert reloaded.session.state.xp == xp
    assert reloaded.session.state.answers == 1


def test_two_tabs_answering_interleaved_lose_nothing() -> None:
    storage: dict[str, str] = {}
    left, right = Page(storage, "w0"), Page(storage, "w1")
    for i in range(6):
        tab, other = (left, right) if i % 2 == 0 else (right, left)
        tab.answer(i, at=NOW + timedelta(minutes=i))
        other.sync()
    left.session.compact()  # the tab holding the compactor lock folds both logs
    left.flush()
    fresh = Page(storage, "w2")
    fresh.session.add_quiz(SERVING)
    assert fresh.session.state.answers == 6
    right.sync()  # the compaction reached the other tab too
    assert right.session.state.answers == 6


def test_another_tabs_new_chunk_is_read_alone_and_gives_the_progress_a_full_read_gives() -> None:
    storage: dict[str, str] = {}
    left, right = Page(storage, "w0"), Page(storage, "w1")
    left.session.holds_lock = True
    for i in range(40):
        right.answer(i % 10, right=i % 3 > 0, at=NOW + timedelta(minutes=i))
        changed = [k for k in storage if left.session.mirror.get(k) != storage[k]]
        assert changed == [f"socratiq:demo:log:w1:{i // 16}"]  # one small key per answer
        assert left.sync() is True
        if i % 15 == 14:
            left.session.compact()
            left.flush()
            right.sync()
        full = Page(storage, "w2")
        for tab in (left, right):
            assert tab.session.state is not None and full.session.state is not None
            assert tab.session.state.answers == full.session.state.answers == i + 1
            assert tab.session.state.xp == full.session.state.xp


def test_unreadable_saved_progress_is_left_alone_and_answers_still_count() -> None:
    storage: dict[str, str] = {}
    Page(storage, "w0").answer(0)
    newer = MirrorStorage(storage)  # a newer version's tab writes a snapshot this one can't read
    BookStore(newer, "demo", "w9", lambda snapshot, events: {"xp": "lots"}).compact()
    storage.update((key, value) for key, value in newer.take_writes() if value is not None)
    snapshot = storage["socratiq:demo:snapshot:1"]
    tab = Page(storage, "w1")
    result = tab.answer(1)
    assert result["correct"] is True
    assert any("newer or damaged" in warning for warning in result["warnings"])
    assert tab.session.state is not None and tab.session.state.answers == 1
    assert storage["socratiq:demo:snapshot:1"] == snapshot


def test_quizzes_render_from_our_format_and_from_raw_mlsysbook_files() -> None:
    tab = Page({}, "w0")
    html = tab.session.quiz_html(SERVING, "sec-serving-latency", "sq1")
    assert html.count('class="sq-question"') == 3
    raw = MLSYSBOOK.read_text(encoding="utf-8")
    quiz = read_quiz(raw, MLSYSBOOK.name, "mlsysbook")
    section = "sec-introduction-engineering-revolution-artificial-intelligence-a3eb"
    html = tab.session.quiz_html(quiz, section, "sq2")
    assert html.count('class="sq-question"') == 4
    assert "What distinguishes machine learning systems" in html


def test_a_long_quiz_comes_a_page_at_a_time_each_question_as_it_was_left() -> None:
    """Issue 14: 120 questions are drawn 50 at a time ("quiz", then "quiz_more" from the first
    not drawn), an answered question on a later page drawn as the learner left it."""

    def send(**message: Any) -> dict[str, Any]:
        reply = ask({"now": NOW.timestamp() * 1000, **message})
        assert "error" not in reply, reply
        result: dict[str, Any] = reply["result"]
        return result

    send(op="init", book="long", writerId="w0")
    questions = [
        {"type": "true_false", "id": f"q{i}", "text": f"Is {i} even?", "answer": i % 2 == 0}
        for i in range(120)
    ]
    source = json.dumps({"id": "long", "title": "Long", "questions": questions})
    first = parse(send(op="quiz", source=source, sourceName="long.json", instance="sq1")["html"])
    assert [f.attrs["data-question-id"] for f in first.find_all("form")] == [
        f"q{i}" for i in range(50)
    ]
    assert first.find("div", **{"data-sq-more": "50"})
    checked = send(op="check", quizId="long", questionId="q70", answer=True, instance="sq1")
    assert checked["correct"] is True
    more = send(op="quiz_more", quizId="long", section=None, start=50, instance="sq1")
    assert more["announce"] == "100 of 120 questions shown."
    page = parse(more["html"])
    forms = page.find_all("form")
    assert [f.attrs["data-question-id"] for f in forms] == [f"q{i}" for i in range(50, 100)]
    assert forms[20].attrs["data-stage"] == "final"
    assert {f.attrs["data-stage"] for f in forms[:20] + forms[21:]} == {"fresh"}
    assert page.find("div", **{"data-sq-more": "100"})
    last = send(op="quiz_more", quizId="long", start=100, instance="sq1")
    assert len(parse(last["html"]).find_all("form")) == 20 and "sq-more" not in last["html"]
    assert last["announce"] == "120 of 120 questions shown."
    assert "error" in ask({"op": "quiz_more", "quizId": "none", "start": 0})
    assert "error" in ask({"op": "quiz_more", "quizId": "long"})  # from where?


def test_a_broken_quiz_file_gets_a_clear_message_not_a_crash() -> None:
    reply = ask({"op": "init", "book": "b", "writerId": "w0"})
    assert reply["result"]["warnings"] == []
    bad = json.dumps({"id": "x", "title": "T", "questions": [{"type": "essay", "text": "?"}]})
    reply = ask({"op": "quiz", "source": bad, "sourceName": "x.json"})
    assert reply["error"].startswith("This quiz file has a problem: x.json: questions[0].type:")
    reply = ask({"op": "quiz", "source": "{", "sourceName": "y.json"})
    assert "y.json" in reply["error"]
    for nonsense in ["[]", "null", '{"op": 3}', '{"op": "launch"}', "not json"]:
        assert "error" in json.loads(worker.handle(nonsense))


def test_two_questions_with_one_id_are_refused_naming_the_id() -> None:
    same = {"type": "true_false", "id": "q1", "text": "One?", "answer": True}
    text = json.dumps({"id": "x", "title": "T", "questions": [same, {**same, "text": "Two?"}]})
    with pytest.raises(SessionError) as refused:
        read_quiz(text, "x.json")
    assert str(refused.value) == (
        'This quiz file has a problem: x.json: questions[1].id: error: duplicate question id "q1"'
        " (also questions[0])"
    )
    chapter = json.loads(MLSYSBOOK.read_text(encoding="utf-8"))
    questions = chapter["sections"][0]["quiz_data"]["questions"]
    questions.append(questions[0])  # the same question twice: the same derived id
    with pytest.raises(SessionError, match=r"questions\[\d+\]: error: same content as"):
        read_quiz(json.dumps(chapter), MLSYSBOOK.name, "auto")


@pytest.mark.parametrize("format_name", ["auto", "native", "mlsysbook"])
def test_a_deeply_nested_file_is_refused_before_any_parser_sees_it(format_name: str) -> None:
    deep = '{"sections": [' + "[" * 5000 + "]" * 5000 + "]}"
    with pytest.raises(SessionError, match="nests more than 64 levels deep"):
        read_quiz(deep, "deep.json", format_name)


def test_a_file_the_worker_could_not_fetch_is_told_by_name_and_limit() -> None:
    ask({"op": "init", "book": "b", "writerId": "w0"})
    too_large = {"status": 200, "tooLarge": True, "limit": 1_048_576}
    sent = {"op": "quiz", "sourceName": "big.json", "sourceProblem": too_large}
    reply = ask(sent)
    assert reply["error"] == (
        "The quiz file big.json is larger than 1 MB, the most a quiz file may be, so it was not"
        " read."
    )
    sent["sourceProblem"] = {"status": 404, "tooLarge": False, "limit": 1_048_576}
    reply = ask(sent)
    assert reply["error"] == "The quiz file big.json could not be loaded (HTTP 404)."
    book = [
        {"name": "big.json", "format": "auto", "problem": too_large},
        {"name": "gone.json", "format": "auto", "problem": {"status": 404, "tooLarge": False}},
    ]
    reply = ask({"op": "progress", "elements": [], "quizzes": book})
    assert reply["result"]["warnings"] == [
        "The quiz file big.json is larger than 1 MB, the most a quiz file may be, so it was not"
        " read."
    ]


def test_the_worker_protocol_round_trip() -> None:
    page_storage: dict[str, str] = {}

    def send(**message: Any) -> dict[str, Any]:
        return send_to_worker(page_storage, **message)

    started = send(op="init", book="b", writerId="w0")
    assert any(key == "socratiq:b:learner" for key, _ in started["writes"])
    shown = send(op="quiz", source=SERVING_TEXT, sourceName="serving.json", instance="sq1")
    assert shown["quizId"] == "serving" and shown["title"] == "Model serving"
    question = SERVING.questions[0]
    checked = send(
        op="check", quizId="serving", questionId=question.id, answer=right_answer(question)
    )
    assert checked["correct"] is True
    assert any(key == "socratiq:b:log:w0:0" for key, _ in checked["writes"])
    invalid = send(op="check", quizId="serving", questionId=question.id, answer={"x": 1})
    assert invalid["valid"] is False and invalid["writes"] == []
    exported = send(op="export")["text"]
    assert json.loads(exported)["socratiq"] == "export"
    wiped = send(op="wipe")
    assert ("socratiq:b:log:w0:0", None) in [tuple(w) for w in wiped["writes"]]
    imported = send(op="import", text=exported)
    assert imported["message"] == "Imported 1 answer or setting."


def test_export_wipe_import_gives_back_the_same_progress() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    for i in range(4):
        tab.answer(i, right=i % 2 == 0, at=NOW + timedelta(hours=i))
    before = tab.session.state
    exported = tab.session.export()
    tab.session.wipe()
    tab.flush()
    assert tab.session.state.answers == 0
    assert not [k for k in storage if k.startswith("socratiq:demo:log")]
    tab.session.import_(exported, moment())
    tab.flush()
    after = tab.session.state
    assert (after.xp, after.answers, after.correct, after.questions) == (
        before.xp,
        before.answers,
        before.correct,
        before.questions,
    )


def test_files_passed_back_and_forth_between_two_devices_settle_on_imported_0() -> None:
    """Each import leaves a marker event that travels with the next export; it is not one of
    the reader's answers or settings, so it is neither counted nor answered with a new marker:
    a second round trip imports nothing."""
    phone, laptop = Page({}, "w0"), Page({}, "w1")
    phone.answer(0, at=NOW)
    laptop.answer(1, at=NOW + timedelta(minutes=5))
    said = []
    for _ in range(3):
        for source, target in ((phone, laptop), (laptop, phone)):
            said.append(target.session.import_(source.session.export(), moment())["message"])
            target.flush("import")
    assert said[:2] == [
        "Imported 1 answer or setting.",
        "Imported 1 answer or setting. (1 was already here.)",
    ]
    assert said[2:] == ["Imported 0 answers and settings. (2 were already here.)"] * 4
    assert phone.session.state.answers == laptop.session.state.answers == 2


def test_corrupted_and_foreign_values_are_reported_and_the_rest_kept() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    tab.answer(0)
    tab.answer(1, at=NOW + timedelta(minutes=1))
    storage["socratiq:demo:log:w7"] = '{"socratiq": "log", "v": 1, "sum": "00", "data": {}}'
    storage["socratiq:demo:something"] = "<script>alert(1)</script>"
    reader = Page(storage, "w1")
    reader.session.compact()
    reader.flush()
    reader.session.add_quiz(SERVING)
    assert reader.session.state.answers == 2
    warnings = " ".join(reader.session.warnings)
    assert "socratiq:demo:log:w7" in warnings and "socratiq:demo:something" in warnings
    assert any(k.startswith("socratiq:demo:quarantine:") for k in storage)  # moved, not deleted
    html = reader.session.dashboard_html("sqd", moment())
    assert "Moved socratiq:demo:something aside" in html
    assert "<script>alert" not in html


def used(storage: dict[str, str]) -> int:
    return sum(len(k) + len(v) for k, v in storage.items())


def full_warnings(tab: Page) -> int:
    return sum("storage for the site is full" in w for w in tab.session.warnings)


@pytest.mark.parametrize("snapshots", [0, 2])
def test_a_full_storage_keeps_answers_in_memory_says_so_once_and_recovers(snapshots: int) -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    for n in range(snapshots):
        tab.answer(n, at=NOW + timedelta(minutes=n))
        tab.session.compact()
        tab.flush()
    tab.quota = used(storage)  # from now on, nothing more fits
    said = 0
    for n in range(40):
        result = tab.answer(n % 10, at=NOW + timedelta(minutes=10, seconds=n))
        assert result["valid"] is True
        said += sum("storage for the site is full" in w for w in result["warnings"])
    assert said == 1  # one warning, not one per answer
    assert tab.session.state.answers == 40 + snapshots  # still counted on this page
    assert tab.session.store.unsaved > 0
    html = tab.session.dashboard_html("sqd", moment(NOW + timedelta(minutes=11)))
    assert "storage for the site is full" in html  # and on every drawing, until resolved
    assert "storage for the site is full" in tab.session.dashboard_html("sqd", moment())
    tab.quota = None  # room again (the host page freed some, say)
    tab.answer(0, at=NOW + timedelta(minutes=12))  # tried for real after RETRY_FULL_AFTER
    assert tab.session.store.unsaved == 0
    assert "storage for the site is full" not in tab.session.dashboard_html("sqd", moment())
    fresh = Page(storage, "w1")
    assert fresh.session.state.answers == 41 + snapshots  # nothing was lost


def test_the_lock_holder_makes_room_by_compacting_when_storage_is_full() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    tab.session.holds_lock = True
    for n in range(40):
        tab.answer(n % 10, at=NOW + timedelta(seconds=n))
    tab.quota = used(storage) + 2_000  # full soon: the logs must be folded to go on
    for n in range(200):
        tab.answer(n % 10, at=NOW + timedelta(minutes=1, seconds=n))
    assert tab.session.store.unsaved == 0 and not tab.session.standing
    assert Page(storage, "w1").session.state.answers == 240


def test_a_greedy_host_page_filling_the_storage_loses_no_answer() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    tab.answer(0)
    tab.quota = 200_000
    storage["host:cache"] = "x" * (tab.quota - used(storage) - 10)  # the host takes the rest
    for n in range(30):
        tab.answer(n % 10, at=NOW + timedelta(seconds=n))
    assert tab.session.store.unsaved > 0
    del storage["host:cache"]
    tab.answer(1, at=NOW + timedelta(minutes=5))
    assert tab.session.store.unsaved == 0
    assert Page(storage, "w1").session.state.answers == 32


def test_warnings_stay_on_every_drawing_of_the_dashboard_until_dismissed() -> None:
    storage: dict[str, str] = {"socratiq:demo:learner": "{damaged"}
    tab = Page(storage, "w0")
    for _ in range(3):
        html = tab.session.dashboard_html("sqd", moment())
        assert "Moved socratiq:demo:learner aside" in html and "dismiss-warnings" in html
    assert json.loads(worker_reply(tab, "dismiss_warnings")) == {"writes": []}
    assert "socratiq:demo:learner aside" not in tab.session.dashboard_html("sqd", moment())
    assert "dismiss-warnings" not in tab.session.dashboard_html("sqd", moment())


def worker_reply(tab: Page, op: str) -> str:
    """`op` answered by the worker's own handler, for this tab's session."""
    worker._session = tab.session
    return json.dumps(ask({"op": op})["result"])


def test_an_import_larger_than_the_free_space_fails_and_later_answers_still_save() -> None:
    source: dict[str, str] = {}
    other = Page(source, "w0")
    for n in range(300):
        other.answer(n % 10, at=NOW - timedelta(days=3, minutes=n))
    text = other.session.export()
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    tab.answer(0)
    tab.quota = used(storage) + 600  # the file's answers, packed, take more
    message = tab.session.import_(text, moment())["message"]
    undone = tab.flush("import")
    assert message.startswith("Imported 300")  # what the engine thought, until the page said
    assert undone is not None and undone.startswith("Nothing was imported")
    assert tab.session.state.answers == 1
    tab.answer(1, at=NOW + timedelta(minutes=1))
    assert tab.session.store.unsaved == 0
    assert Page(storage, "w1").session.state.answers == 2
    assert not [key for key in storage if ":inbox:" in key]  # nothing of the file stays


@pytest.mark.parametrize("offset", [-600, 0, 540])
def test_the_page_clock_and_offset_set_the_local_day(offset: int) -> None:
    late_evening_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    tab = Page({}, "w0")
    tab.session.add_quiz(SERVING)
    question = SERVING.questions[0]
    tab.session.check(
        SERVING.id, question.id, right_answer(question), False, moment(late_evening_utc, offset)
    )
    local_day = (late_evening_utc + timedelta(minutes=offset)).date()
    assert list(tab.session.state.day_xp) == [local_day]


def test_a_tab_open_for_days_stamps_its_writes_with_the_page_clock() -> None:
    def send(at: datetime, **message: Any) -> dict[str, Any]:
        reply = ask({"now": at.timestamp() * 1000, **message})
        assert "error" not in reply, reply
        result: dict[str, Any] = reply["result"]
        return result

    send(NOW, op="init", book="b", writerId="w0", storage={})
    send(NOW, op="quiz", source=SERVING_TEXT, sourceName="serving.json", instance="sq1")
    later = NOW + timedelta(days=2)
    question = SERVING.questions[0]
    writes = send(
        later, op="check", quizId="serving", questionId=question.id, answer=right_answer(question)
    )["writes"]
    (log,) = [value for key, value in writes if key == "socratiq:b:log:w0:0"]
    assert json.loads(log)["data"]["written_at"] == int(later.timestamp())


def test_a_wipe_in_one_tab_is_not_undone_by_another() -> None:
    storage: dict[str, str] = {}
    left, right = Page(storage, "w0"), Page(storage, "w1")
    left.answer(0)
    right.sync()
    right.answer(1, at=NOW + timedelta(minutes=1))
    left.session.mirror.replace(storage)  # the page sends what it holds with a wipe
    left.session.clock.now = NOW + timedelta(minutes=2)
    left.session.wipe()
    left.flush()
    assert [key for key in storage if key.startswith("socratiq:demo:")] == ["socratiq:demo:learner"]
    assert right.sync() is True
    right.session.add_quiz(SERVING)
    assert right.session.state.answers == 0
    assert not [key for key in storage if ":log:" in key]
    assert Page(storage, "w2").session.state.answers == 0


@pytest.mark.parametrize("run", range(20))
def test_a_wipe_racing_another_tabs_answers_sticks_and_its_next_answers_count(run: int) -> None:
    storage: dict[str, str] = {}
    left, right = Page(storage, "w0"), Page(storage, "w1")
    left.session.holds_lock = True
    for n in range(5 + run):
        right.answer(n % 10, at=NOW + timedelta(seconds=n))
    left.sync()
    left.session.compact()
    left.flush()
    wiped_at = NOW + timedelta(minutes=1)
    left.session.mirror.replace(storage)
    left.session.clock.now = wiped_at
    left.session.wipe()
    left.flush()
    # The other tab answers before the wipe reaches it: its write lands after the wipe.
    right.answer(run % 10, at=wiped_at - timedelta(milliseconds=1 + run))
    left.sync()
    left.session.compact()  # the compactor must not fold it back
    left.flush()
    assert left.session.state is not None and left.session.state.answers == 0
    assert right.sync() is True
    assert right.session.state is not None and right.session.state.answers == 0
    for n in range(3):  # its next answers count, from position 0 of the new epoch
        right.answer(n, at=wiped_at + timedelta(seconds=1 + n))
    left.sync()
    left.session.compact()
    left.flush()
    right.sync()
    for tab in (left, right, Page(storage, "w2")):
        assert tab.session.state is not None and tab.session.state.answers == 3


def test_a_tab_whose_log_was_taken_for_a_dead_ones_writes_it_back() -> None:
    storage: dict[str, str] = {}
    tab = Page(storage, "w0")
    tab.answer(0)
    del storage["socratiq:demo:log:w0:0"]  # as a compactor in another tab would, after a day idle
    tab.sync()
    assert "socratiq:demo:log:w0:0" in storage
    assert Page(storage, "w1").session.state.answers == 1


# --- the dashboard's ops: review one card at a time, the goal, progress anywhere ----------


def serving_tab() -> Page:
    tab = Page({}, "w0")
    tab.session.add_quiz(SERVING)
    return tab


def test_a_review_session_shows_one_card_at_a_time_and_sums_up() -> None:
    tab = serving_tab()
    missed = [q for q in SERVING.questions if q.type != "short_answer"][:3]
    for n, question in enumerate(missed):
        tab.session.check(
            SERVING.id,
            question.id,
            wrong_answer(question),
            False,
            moment(NOW + timedelta(minutes=n)),
        )
    later = moment(NOW + timedelta(hours=1))
    first = tab.session.start_review("sqd", later)
    assert (first["position"], first["total"], first["done"]) == (1, 3, False)
    assert "Review: 1 of 3" in first["html"] and 'data-review="1"' in first["html"]
    assert first["html"].count('class="sq-question"') == 1
    assert (
        '<button type="button" class="sq-primary sq-review-next" data-action="review-next"'
        ' hidden="">Next</button>' in first["html"]
    )
    card_ids = [item.place.question_id for item in tab.session.review.cards]  # type: ignore[union-attr]
    assert f'data-question-id="{card_ids[0]}"' in first["html"]
    question = next(q for q in SERVING.questions if q.id == card_ids[0])
    checked = tab.session.check(SERVING.id, question.id, right_answer(question), True, later)
    assert checked["correct"] is True
    second = tab.session.review_next("sqd", later)
    assert (second["position"], second["done"]) == (2, False)
    assert f'data-question-id="{card_ids[1]}"' in second["html"]
    third = tab.session.review_next("sqd", later)  # the second card skipped
    assert "Review: 3 of 3" in third["html"] and "See how it went" in third["html"]
    question = next(q for q in SERVING.questions if q.id == card_ids[2])
    tab.session.check(SERVING.id, question.id, wrong_answer(question), True, later)
    summary = tab.session.review_next("sqd", later)
    assert summary["done"] is True and tab.session.review is None
    html = summary["html"]
    assert "Review done" in html and "2 of 3 questions answered, 1 right." in html
    assert "come back for review" in html or "comes back for review" in html
    assert "1 more question is due." in html and 'data-action="review"' in html  # the skipped one
    assert 'data-action="review-done"' in html
    assert tab.session.state is not None and tab.session.state.review_days == 1
    with pytest.raises(SessionError):
        tab.session.review_next("sqd", later)


def test_a_self_rated_card_says_how_to_rate_it() -> None:
    tab = serving_tab()
    short = next(q for q in SERVING.questions if q.type == "short_answer")
    tab.session.check(SERVING.id, short.id, {"rating": "again", "text": ""}, False, moment())
    card = tab.session.start_review("sqd", moment(NOW + timedelta(hours=1)))
    assert card["total"] == 1 and "rate how well you remembered it" in card["html"]


def test_nothing_due_is_a_short_answer_not_a_session() -> None:
    tab = serving_tab()
    reply = tab.session.start_review("sqd", moment())
    assert reply == {
        "position": 0,
        "total": 0,
        "done": True,
        "html": '<p class="sq-review-empty">Nothing is due for review.</p>',
    }
    assert tab.session.review is None


def send_to_worker(
    page_storage: dict[str, str], at: datetime = NOW, **message: Any
) -> dict[str, Any]:
    """As socratiq.js does: the page's keys along where the op takes them (init, export, wipe),
    the writes that come back applied."""
    sent = {"now": at.timestamp() * 1000, **message}
    if "storage" in OPS[message["op"]].model_fields:
        sent.setdefault("storage", page_storage)
    reply = ask(sent)
    assert "error" not in reply, reply
    result: dict[str, Any] = reply["result"]
    for key, value in result["writes"]:
        if value is None:
            page_storage.pop(key, None)
        else:
            page_storage[key] = value
    return result


def test_set_goal_is_stored_like_an_answer_and_the_dashboard_follows() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="b", writerId="w0")
    send_to_worker(storage, op="quiz", source=SERVING_TEXT, sourceName="serving.json")
    question = SERVING.questions[1]
    send_to_worker(
        storage, op="check", quizId="serving", questionId=question.id, answer=right_answer(question)
    )
    reply = send_to_worker(storage, op="set_goal", xp=20)
    assert reply["goal"] == 20 and reply["message"] == "Daily goal set to 20 XP."
    # 20 XP: met at once, and with it the "On target" badge
    assert [c["kind"] for c in reply["celebrations"]] == ["goal", "badge"]
    assert "Daily goal met!" in reply["celebrations"][0]["text"]
    assert any(key == "socratiq:b:log:w0:0" for key, _ in reply["writes"])
    html = send_to_worker(storage, op="dashboard", instance="sqd")["html"]
    assert 'value="20" checked=""' in html and "Daily goal of 20 XP met" in html
    reloaded = Page(storage, "w9", book="b")
    assert reloaded.session.state is not None and reloaded.session.state.daily_goal_xp == 20
    for bad in (0, 10_001, 2.5, "50", True, None):
        answer = ask({"op": "set_goal", "xp": bad})
        assert answer["error"] == "A daily goal is a whole number of XP from 1 to 10,000."


def test_the_review_ops_through_the_worker() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="b", writerId="w0")
    send_to_worker(storage, op="quiz", source=SERVING_TEXT, sourceName="serving.json")
    question = SERVING.questions[1]
    send_to_worker(
        storage, op="check", quizId="serving", questionId=question.id, answer=wrong_answer(question)
    )
    later = NOW + timedelta(hours=1)
    card = send_to_worker(storage, later, op="review", instance="sqd")
    assert (card["position"], card["total"], card["done"]) == (1, 1, False)
    send_to_worker(
        storage,
        later,
        op="check",
        quizId="serving",
        questionId=question.id,
        answer=right_answer(question),
        review=True,
    )
    summary = send_to_worker(storage, later, op="review_next", instance="sqd")
    assert summary["done"] is True and "1 of 1 question answered, 1 right." in summary["html"]
    ended = ask({"op": "review_next"})
    assert ended["error"].startswith("This review session has ended")


def test_progress_anywhere_for_one_chapter_and_a_list() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="b", writerId="w0")
    quizzes = [{"name": "serving.json", "format": "native", "text": SERVING_TEXT}]
    for question in SERVING.questions[:3]:
        send_to_worker(storage, op="quiz", source=SERVING_TEXT, sourceName="serving.json")
        send_to_worker(
            storage,
            op="check",
            quizId="serving",
            questionId=question.id,
            answer=right_answer(question),
        )
    reply = send_to_worker(
        storage,
        op="progress",
        quizzes=quizzes,
        elements=[
            {"chapter": "serving"},
            {"chapters": "serving elsewhere"},
            {"chapters": []},
            {"chapter": "serving", "compact": True},
            {"chapters": ["serving", "elsewhere"], "compact": True},
        ],
    )
    one_chapter, listed, empty, badge, badges = reply["items"]
    assert one_chapter.startswith('<p class="sq-progress-chip" data-chapter-id="serving">')
    assert '<svg class="sq-ring"' in one_chapter
    assert "Model serving" in one_chapter and "3 of 10 answered · 0 mastered" in one_chapter
    assert listed.startswith('<ul class="sq-progress-list" aria-label="Progress by chapter">')
    assert listed.count("<li") == 2 and "No questions here yet" in listed
    assert "elsewhere" not in listed.replace('data-chapter-id="elsewhere"', "")  # no raw id shown
    assert "Chapter 2" in listed
    assert empty.count("<li") == 0
    assert badge.startswith('<span class="sq-progress-badges"><span class="sq-progress-badge"')
    assert '<span class="sq-progress-count" aria-hidden="true">3/10</span>' in badge
    assert "Model serving: 3 of 10 answered · 0 mastered" in badge
    assert badges.count('class="sq-progress-badge"') == 2 and "0/0" in badges
    missing = ask({"op": "progress", "elements": [{}]})
    assert "without naming a chapter" in missing["error"]


def test_a_quiz_header_line_counts_the_questions_it_shows() -> None:
    tab = serving_tab()
    latency = [q for q in SERVING.questions if q.section == "sec-serving-latency"]
    tab.session.check(SERVING.id, latency[0].id, right_answer(latency[0]), False, moment())
    tab.session.check(SERVING.id, latency[1].id, wrong_answer(latency[1]), False, moment())
    line = tab.session.quiz_progress_html("serving", "sec-serving-latency", moment().tz)
    assert line.startswith('<p class="sq-progress-line"><svg class="sq-ring"')
    assert "2 of 3 answered · 0 mastered" in line
    whole = tab.session.quiz_progress_html("serving", None, moment().tz)
    assert "2 of 10 answered · 0 mastered" in whole


def test_the_quiz_reply_carries_its_progress_line_and_the_page_can_redraw_it() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="b", writerId="w0")
    section = "sec-serving-latency"
    first = send_to_worker(
        storage, op="quiz", source=SERVING_TEXT, sourceName="serving.json", section=section
    )
    assert worker._session is not None and not worker._session.loaded  # no progress was read
    box = parse(first["html"]).find("div", **{"class": "sq-quiz-progress"})
    assert box.text() == "0 of 3 answered · 0 mastered"
    latency = [q for q in SERVING.questions if q.section == section]
    send_to_worker(
        storage,
        op="check",
        quizId="serving",
        questionId=latency[0].id,
        answer=right_answer(latency[0]),
    )
    redrawn = send_to_worker(storage, op="quiz_progress", quizId="serving", section=section)
    assert "1 of 3 answered · 0 mastered" in redrawn["html"]
    whole = send_to_worker(storage, op="quiz_progress", quizId="serving")
    assert "1 of 10 answered · 0 mastered" in whole["html"]
    again = send_to_worker(
        storage, op="quiz", source=SERVING_TEXT, sourceName="serving.json", section=section
    )
    assert parse(again["html"]).find("div", **{"class": "sq-quiz-progress"}).text() == (
        "1 of 3 answered · 0 mastered"
    )
    gone = ask({"op": "quiz_progress", "quizId": "nope"})
    assert "no longer on the page" in gone["error"]


def test_section_titles_come_from_the_quiz_the_mlsysbook_file_and_the_page() -> None:
    storage: dict[str, str] = {}
    send_to_worker(storage, op="init", book="b", writerId="w0")
    untitled = json.loads(SERVING_TEXT)
    del untitled["section_titles"]
    send_to_worker(
        storage,
        op="quiz",
        source=json.dumps(untitled),
        sourceName="serving.json",
        section="sec-serving-batching",
        sectionTitle="  Batching <b>requests</b>\n",
    )
    send_to_worker(
        storage,
        op="quiz",
        source=MLSYSBOOK.read_text(encoding="utf-8"),
        sourceName=MLSYSBOOK.name,
        format="mlsysbook",
    )
    html = send_to_worker(storage, op="dashboard", instance="sqd")["html"]
    assert "Batching &lt;b&gt;requests&lt;/b&gt;" in html  # the page's heading, as text
    assert "Section 1" in html  # sec-serving-latency: no title anywhere, never its id
    assert "AI and ML Basics" in html and "Overview" in html  # from section_title
    assert "sec-introduction" not in html.replace('data-section-id="sec-introduction', "")


# --- answering that teaches -------------------------------------------------------------------

TEACHING = read_quiz(
    json.dumps(
        {
            "id": "teach",
            "title": "Teaching *quiz*",
            "description": "About it.",
            "chapter": "ch",
            "shuffle_choices": False,
            "questions": [
                {"type": "single_choice", "id": "sc", "text": "Pick", "hint": "Think.",
                 "explanation": "Because.", "difficulty": "medium", "tags": ["t"],
                 "choices": [{"id": "a", "text": "A", "correct": True},
                             {"id": "b", "text": "B", "feedback": "Not B."},
                             {"id": "c", "text": "C"}]},
                {"type": "true_false", "id": "tf", "text": "True?", "answer": True},
                {"type": "short_answer", "id": "sa", "text": "Why?", "model_answer": "So."},
                {"type": "numeric", "id": "nu", "text": "Latency?", "value": 110.5, "unit": "ms"},
                {"type": "fill_blank", "id": "fb", "text": "Scale: ____",
                 "blanks": [{"accepted": ["0.02"], "tolerance": 0.0005}]},
            ],
        }
    ),
    "teach.json",
    "native",
)  # fmt: skip


class Reader(Page):
    """A tab with the teaching quiz on it, answering as the page would."""

    def __init__(self, local_storage: dict[str, str], writer: str = "w0", lang: str = "") -> None:
        self.local_storage, self.quota = local_storage, None
        self.session = Session.start("demo", writer, dict(local_storage), moment(), lang or None)
        self.flush()
        self.quiz_html = self.session.quiz_html(TEACHING, None, "sq1")
        self.flush()

    def check(self, question_id: str, answer: object, at: datetime = NOW) -> dict[str, Any]:
        reply = self.session.check(
            TEACHING.id, question_id, answer, False, moment(at), instance="sq1"
        )
        self.flush()
        return reply

    def events(self) -> int:
        return 0 if self.session.state is None else self.session.state.events


def form_of(html: str, question_id: str) -> Node:
    (form,) = [
        f for f in parse(html).find_all("form") if f.attrs["data-question-id"] == question_id
    ]
    return form


def classes_in(form: Node) -> set[str]:
    return {c for n in form.walk() for c in n.classes()}


def test_an_empty_answer_is_never_graded_nor_stored() -> None:
    storage: dict[str, str] = {}
    tab = Reader(storage)
    for question_id, empty in [
        ("sc", None),
        ("fb", [" "]),
        ("nu", ""),
        ("sa", {"text": "", "rating": "easy"}),
    ]:
        reply = tab.check(question_id, empty)
        assert reply["stage"] == "nudge" and reply["recorded"] is False and reply["valid"] is False
        assert reply["announce"] in (
            "Give an answer first.",
            "Write your answer first, or choose “I don't know”.",
        )
    assert tab.events() == 0 and not [k for k in storage if ":log:" in k]


def test_a_miss_gets_one_more_try_then_the_solution_and_no_xp_after_it() -> None:
    storage: dict[str, str] = {}
    tab = Reader(storage)
    first = tab.check("sc", "b")
    form = form_of(first["html"], "sc")
    assert first["stage"] == "retry" and form.attrs["data-stage"] == "retry"
    assert "sq-missed" not in classes_in(form) and "sq-explanation" not in classes_in(form)
    assert form.find("button", **{"data-action": "show-answer"})
    assert first["announce"].startswith("Not quite. Have another try: the hint is open.")
    second = tab.check("sc", "c", NOW + timedelta(minutes=1))
    assert second["stage"] == "final" and "sq-missed" in classes_in(form_of(second["html"], "sc"))
    xp = tab.session.state.xp
    right = tab.check("sc", "a", NOW + timedelta(minutes=2))
    assert right["correct"] is True and tab.session.state.xp == xp
    assert "earns no XP" in right["announce"]
    # a reload, or another tab, knows the solution was shown today
    other = Reader(storage, "w1")
    other.check("sc", "a", NOW + timedelta(minutes=3))
    assert other.session.state.xp == xp and not other.session.state.questions["teach/sc"].mastered


def test_a_miss_then_right_on_the_second_try_pays() -> None:
    tab = Reader({})
    tab.check("sc", "b")
    reply = tab.check("sc", "a", NOW + timedelta(minutes=1))
    assert reply["stage"] == "final" and tab.session.state.xp == 20
    assert "+20 XP" in reply["announce"]


def test_true_false_shows_the_solution_at_the_first_miss() -> None:
    reply = Reader({}).check("tf", False)
    assert reply["stage"] == "final" and "sq-missed" in classes_in(form_of(reply["html"], "tf"))


def test_show_answer_is_stored_and_later_answers_that_day_earn_nothing() -> None:
    storage: dict[str, str] = {}
    tab = Reader(storage)
    tab.check("sc", "b")
    shown = tab.session.show_answer("teach", "sc", moment(), instance="sq1", show_meta=False)
    tab.flush()
    form = form_of(shown["html"], "sc")
    assert form.attrs["data-stage"] == "final" and "sq-missed" in classes_in(form)
    assert form.find("input", value="b").attrs.get("checked") == ""  # the last answer, kept
    assert Reader(storage, "w1").check("sc", "a", NOW + timedelta(minutes=5))["recorded"]
    assert Reader(storage, "w2").session.state.xp == 0


def test_a_reload_shows_each_question_as_it_was_left() -> None:
    storage: dict[str, str] = {}
    tab = Reader(storage)
    tab.check("sc", "b")  # one miss: another try is open
    tab.check("tf", True)  # right
    tab.check("nu", "9")
    tab.check("nu", "8")  # two misses: solved
    again = Reader(storage, "w1")
    page = again.quiz_html
    sc, tf, nu, sa = (form_of(page, q) for q in ("sc", "tf", "nu", "sa"))
    assert (
        sc.attrs["data-stage"] == "retry" and sc.find("input", value="b").attrs.get("checked") == ""
    )
    assert tf.attrs["data-stage"] == "final" and tf.find("button", **{"data-action": "retry"})
    assert nu.attrs["data-stage"] == "final" and nu.find("input", type="text").attrs["value"] == "8"
    assert sa.attrs["data-stage"] == "fresh"
    assert [n for n in parse(page).walk() if "data-sq-focus" in n.attrs] == []
    # the reloaded retry still counts the miss: the next one shows the solution
    assert again.check("sc", "c")["stage"] == "final"


def test_try_again_gives_a_fresh_form_and_counts_misses_anew() -> None:
    tab = Reader({})
    tab.check("sc", "b")
    html = tab.session.fresh_question("teach", "sc", instance="sq1", show_meta=False)
    form = form_of(html, "sc")
    assert (
        form.attrs["data-stage"] == "fresh" and "checked" not in form.find("input", value="b").attrs
    )
    focus = [n for n in form.walk() if "data-sq-focus" in n.attrs]
    assert [n.attrs["value"] for n in focus] == ["a"]
    assert tab.check("sc", "c", NOW + timedelta(minutes=1))["stage"] == "retry"


def test_a_short_answer_needs_text_shows_the_model_answer_then_takes_the_rating() -> None:
    tab = Reader({})
    compare = tab.check("sa", {"text": "Because."})
    assert compare["stage"] == "compare" and compare["recorded"] is False and tab.events() == 0
    form = form_of(compare["html"], "sa")
    (focus,) = [n for n in form.walk() if "data-sq-focus" in n.attrs]
    assert focus.tag == "div" and "sq-self-rating" in focus.classes()
    assert len(form.find_all("button", name="rating")) == 4
    rated = tab.check("sa", {"text": "Because.", "rating": "good"})
    assert rated["stage"] == "final" and rated["recorded"] and tab.session.state.xp == 30
    # the model answer was shown: rating again today earns nothing and is not recall
    tab.check("sa", {"text": "Because.", "rating": "easy"}, NOW + timedelta(minutes=1))
    assert tab.session.state.xp == 30


def test_i_dont_know_records_a_miss_and_shows_the_model_answer() -> None:
    tab = Reader({})
    reply = tab.check("sa", {"text": "", "rating": "again"})
    assert reply["recorded"] and reply["correct"] is False and tab.events() == 1
    assert "So." in form_of(reply["html"], "sa").text()


def test_german_readers_type_decimal_commas_in_blanks_and_numbers_alike() -> None:
    tab = Reader({}, lang="de")
    assert tab.check("nu", "110,5")["correct"] is True
    assert tab.check("fb", ["0,02"])["correct"] is True
    english = Reader({})
    assert english.check("nu", "110,5")["stage"] == "nudge"
    assert english.check("fb", ["0.02"])["correct"] is True


def test_metadata_and_title_only_when_the_page_asks() -> None:
    tab = Reader({})
    assert "Difficulty" not in tab.quiz_html and "Teaching" not in parse(tab.quiz_html).text()
    asked = tab.session.quiz_html(TEACHING, None, "sq2", show_title=True, show_meta=True)
    assert "Difficulty: medium" in asked and parse(asked).find("h2").text() == "Teaching quiz"


def test_the_worker_ops_for_retry_and_show_answer() -> None:
    def send(**message: Any) -> dict[str, Any]:
        reply = ask({"now": NOW.timestamp() * 1000, **message})
        assert "error" not in reply, reply
        result: dict[str, Any] = reply["result"]
        return result

    send(op="init", book="b", writerId="w0", storage={}, lang="fr")
    text = json.dumps(TEACHING.model_dump(mode="json", by_alias=True, exclude_none=True))
    shown = send(op="quiz", source=text, instance="sq1", showTitle=True)
    assert "<h2" in shown["html"] and 'data-mode="list"' in shown["html"]
    cards = send(op="quiz", source=text, instance="sq2", mode="cards")
    assert 'data-mode="cards"' in cards["html"] and 'class="sq-qcard-heading"' in cards["html"]
    unknown = ask({"op": "quiz", "source": text, "instance": "sq3", "mode": "<b>"})
    assert unknown["error"] == (
        "Le moteur de quiz ne peut pas utiliser cette requête « quiz » : mode a un type ou une"
        " valeur incorrects."
    )
    miss = send(op="check", quizId="teach", questionId="nu", answer="1", instance="sq1")
    assert miss["stage"] == "retry" and 'data-instance="sq1"' in miss["html"]
    solved = send(op="show_answer", quizId="teach", questionId="nu", instance="sq1")
    assert solved["stage"] == "final" and "110,5 ms" in solved["html"]  # French notation
    assert any(":log:w0" in key for key, _ in solved["writes"])
    fresh = send(op="question", quizId="teach", questionId="nu", instance="sq1")
    assert 'data-stage="fresh"' in fresh["html"] and "data-sq-focus" in fresh["html"]
