"""The progress dashboard's HTML: structure, the numbers of the model it draws, and safety."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.i18n import Texts
from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.progress.dashboard import Dashboard, NextStep, dashboard, next_step
from socratiq_local.progress.events import Answered as AnsweredEvent
from socratiq_local.progress.events import AnyEvent, SettingsChanged
from socratiq_local.progress.mastery import BookMastery, ChapterMastery, Mastery
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.render.badges import badge_words
from socratiq_local.render.charts import CHART_WIDTH
from socratiq_local.render.dashboard import render_dashboard
from socratiq_local.render.names import Titles

from .test_render import (
    DANGEROUS_ELEMENTS,
    HOSTILE,
    URL_ATTRIBUTES,
    Node,
    browser_scheme,
    parse,
)

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday
EVIL = " ".join(HOSTILE)

DASHBOARD_ELEMENTS = frozenset(
    {"section", "div", "h2", "h3", "h4", "p", "span", "strong", "progress", "ul", "ol", "li"}
    | {"time", "button", "input", "form", "fieldset", "legend", "label", "details", "summary"}
)
#: Our own pictures: the SVG classes the dashboard draws, and the shapes inside them.
SVG_CLASSES = {"sq-ring", "sq-chart", "sq-badge-art"}
SVG_SHAPES = frozenset({"circle", "rect", "path", "g", "title", "text"})
HEADINGS = [
    "Today",
    "Level and streak",
    "Your path through the book",
    "Activity",
    "Mastery by chapter",
    "Badges",
    "Your data",
]


def make_book(
    chapters: Mapping[str | None, Mapping[str | None, int]],
) -> BookIndex:
    """A book of true/false questions: chapter -> section -> how many questions."""
    places: dict[str, Place] = {}
    for c, (chapter, sections) in enumerate(chapters.items()):
        for s, (section, count) in enumerate(sections.items()):
            quiz_id = f"quiz{c}-{s}"
            for n in range(count):
                place = Place(
                    quiz_id=quiz_id, question_id=f"q{n}", chapter=chapter, section=section
                )
                places[question_key(quiz_id, f"q{n}")] = place
    return BookIndex(questions=places)


BOOK = make_book({"ch1": {"s1": 3, "s2": 2}, "ch2": {"s3": 2}, None: {None: 1}})
KEYS = list(BOOK.questions)


def answered(book: BookIndex, key: str, at: datetime, correct: bool = True) -> AnsweredEvent:
    """An answer event as the browser would record it (UTC learner), with a stable id."""
    place = book.questions[key]
    return AnsweredEvent(
        id=hashlib.sha256(f"{key}{at.isoformat()}{correct}".encode()).hexdigest()[:16],
        at=at,
        local_date=at.date(),
        utc_offset_minutes=0,
        quiz_id=place.quiz_id,
        question_id=place.question_id,
        chapter=place.chapter,
        section=place.section,
        difficulty=place.difficulty,
        correct=correct,
        score=1.0 if correct else 0.0,
        rating="good" if correct else "again",
    )


def history(book: BookIndex) -> list[AnyEvent]:
    """A goal of 20 XP met on 8 days in a row (a new question each day, which earns a freeze),
    one question right on two days (mastered), one answered wrong the next day."""
    keys = list(book.questions)
    events: list[AnyEvent] = [
        SettingsChanged(
            id="goal-setting-1",
            at=START,
            local_date=START.date(),
            utc_offset_minutes=0,
            daily_goal_xp=20,
        )
    ]
    for day, key in enumerate(keys[:8]):
        events.append(answered(book, key, START + timedelta(days=day, minutes=1)))
    events.append(answered(book, keys[0], START + timedelta(days=1, minutes=2)))
    events.append(answered(book, keys[1], START + timedelta(days=2, minutes=2), correct=False))
    return events


def board_at(
    moment: datetime, book: BookIndex = BOOK, events: Sequence[AnyEvent] | None = None
) -> Dashboard:
    state = replay(history(book) if events is None else events, ProgressState.for_book(book))
    return dashboard(state, book, lambda: moment, UTC)


#: Two days after the last goal day (2024-03-11): one missed day, covered by the freeze held.
WEDNESDAY = START + timedelta(days=9, hours=3)
#: A Sunday: the calendar's twelve weeks are complete.
SUNDAY = START + timedelta(days=13)


def assert_dashboard_inert(html: str) -> Node:
    """`assert_inert`'s rules, with one exception: our own SVG pictures of shapes and text."""
    tree = parse(html)
    for svg in tree.find_all("svg"):
        assert svg.classes() & SVG_CLASSES, html
        assert {n.tag for n in svg.walk()[1:]} <= SVG_SHAPES, html
        assert svg.attrs.get("role") == "img" or svg.attrs.get("aria-hidden") == "true", html
    for node in tree.walk()[1:]:
        assert node.tag in DASHBOARD_ELEMENTS | SVG_SHAPES | {"svg"}, html
        assert node.tag == "svg" or node.tag not in DANGEROUS_ELEMENTS, html
        for name, value in node.attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in URL_ATTRIBUTES:
                assert browser_scheme(value or "") in (None, "http", "https", "mailto"), html
    return tree


def accessible_name(node: Node) -> str:
    return node.attrs.get("aria-label") or " ".join(node.text().split())


def by_class(tree: Node, css_class: str) -> list[Node]:
    return [n for n in tree.walk() if css_class in n.classes()]


def one(tree: Node, css_class: str) -> Node:
    found = by_class(tree, css_class)
    assert len(found) == 1, f"expected one .{css_class}, found {len(found)}"
    return found[0]


def words(node: Node) -> str:
    return " ".join(node.text().split())


def text_of(tree: Node, css_class: str) -> str:
    return words(one(tree, css_class))


def shown_text(tree: Node) -> str:
    """The text a reader sees or hears: everything but the attributes."""
    return words(tree)


def rendered(
    board: Dashboard,
    *,
    instance: str = "sq",
    titles: Titles | None = None,
    warnings: Sequence[str] = (),
    t: Texts | None = None,
) -> Node:
    html = render_dashboard(
        board, instance=instance, titles=titles, warnings=warnings, t=t or Texts("en")
    )
    return assert_dashboard_inert(html)


def section_named(tree: Node, heading: str) -> Node:
    """The section a heading names (by its aria-labelledby)."""
    (h3,) = [h for h in tree.find_all("h3") if h.text() == heading]
    return tree.find("section", aria_labelledby=h3.attrs["id"] or "")


# --- the scenario behind the tests ----------------------------------------------------------


def test_the_history_gives_the_board_the_tests_expect() -> None:
    board = board_at(WEDNESDAY)
    assert board.streak == 8 and board.freezes_held == 1 and board.missed_days_to_freeze == 1
    assert board.mastery.book.mastered == 1 and board.due_for_review > 0
    assert board.badges and board.next_badges
    assert board.level.xp == 260 and board.level.level == 2
    assert board.current_chapter == 2  # the last answer was the question outside any chapter
    assert len(board_at(SUNDAY).calendar) == 84 and board_at(SUNDAY).streak == 0


# --- structure ------------------------------------------------------------------------------


def test_one_h2_and_the_blocks_in_reading_order() -> None:
    tree = rendered(board_at(WEDNESDAY))
    root = tree.children[0]
    assert isinstance(root, Node) and root.tag == "section"
    assert root.classes() == {"sq-dashboard"}
    assert [h.text() for h in tree.find_all("h2")] == ["Progress at a glance"]
    assert [h.text() for h in tree.find_all("h3")] == HEADINGS
    ids = [n.attrs["id"] for n in tree.walk() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for node in tree.walk():
        for attribute in ("aria-labelledby", "aria-describedby"):
            if attribute in node.attrs:
                assert node.attrs[attribute] in ids
    # today's goal and "Review now" come first, the review session's area right under them
    today = section_named(tree, "Today")
    assert today.find("button", data_action="review")
    assert one(today, "sq-review-area").children == []
    assert one(today, "sq-goal-xp")


def test_nothing_needs_a_table_or_a_style() -> None:
    html = render_dashboard(board_at(WEDNESDAY))
    assert "<table" not in html and "style=" not in html


def test_instances_get_their_own_ids() -> None:
    board = board_at(WEDNESDAY)
    first = {n.attrs["id"] for n in rendered(board, instance="sq1").walk() if "id" in n.attrs}
    second = {n.attrs["id"] for n in rendered(board, instance="sq2").walk() if "id" in n.attrs}
    assert first and not first & second
    hostile = rendered(board, instance='"><script>')
    assert all(
        n.attrs["id"] and n.attrs["id"].replace("_", "").replace("-", "").isalnum()
        for n in hostile.walk()
        if "id" in n.attrs
    )


def test_data_controls_by_accessible_name() -> None:
    tree = rendered(board_at(WEDNESDAY))
    controls = one(tree, "sq-data-controls")
    buttons = {accessible_name(b): b for b in controls.find_all("button")}
    assert {name: b.attrs["data-action"] for name, b in buttons.items()} == {
        "Export progress": "export",
        "Import progress": "import",
        "Delete all progress": "wipe",
    }
    assert all(b.attrs["type"] == "button" and "disabled" not in b.attrs for b in buttons.values())
    file_input = controls.find("input")
    assert file_input.attrs["type"] == "file"
    assert file_input.attrs["data-action"] == "import-file"
    assert "hidden" in file_input.attrs and accessible_name(file_input)
    status = one(tree, "sq-data-status")
    assert status.tag == "p" and status.children == []
    assert (status.attrs["role"], status.attrs["aria-live"]) == ("status", "polite")
    assert "on this device" in text_of(tree, "sq-data-note")


# --- today: review and the goal -------------------------------------------------------------


def test_review_now_says_how_many_are_due() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    button = tree.find("button", data_action="review")
    assert accessible_name(button) == f"Review now ({board.due_for_review} due)"
    assert "disabled" not in button.attrs and "sq-primary" in button.classes()
    assert text_of(tree, "sq-due") == f"{board.due_for_review} questions are due for review."


def test_nothing_due_says_when_the_next_review_is() -> None:
    events = [answered(BOOK, KEYS[0], START)]
    state = replay(events, ProgressState.for_book(BOOK))
    card_due = state.questions[KEYS[0]].card.due_at()
    before = dashboard(state, BOOK, lambda: START + timedelta(seconds=1), UTC)
    assert before.due_for_review == 0 and before.next_review_on == card_due.date()
    tree = rendered(before)
    button = tree.find("button", data_action="review")
    assert "disabled" in button.attrs and accessible_name(button) == "Nothing to review now"
    assert text_of(tree, "sq-due") == "Next review later today."
    # answered right twice on day one: the card graduates and comes back days later
    again = replay([answered(BOOK, KEYS[0], card_due + timedelta(minutes=1))], state)
    later = again.questions[KEYS[0]].card.due_at()
    board = dashboard(again, BOOK, lambda: card_due + timedelta(minutes=2), UTC)
    assert later.date() > board.today and board.next_review_on == later.date()
    expected = f"{later.day} {later.strftime('%B')} {later.year}"
    assert text_of(rendered(board), "sq-due") == f"Next review on {expected}."


def test_nothing_answered_nothing_due() -> None:
    board = dashboard(ProgressState.for_book(BOOK), BOOK, lambda: START, UTC)
    tree = rendered(board)
    assert "disabled" in tree.find("button", data_action="review").attrs
    assert text_of(tree, "sq-due") == "No questions are due for review."
    assert "Review now" not in shown_text(tree)


def test_one_question_due_is_said_in_the_singular() -> None:
    events = [answered(BOOK, KEYS[0], START)]
    board = board_at(START + timedelta(days=1), events=events)
    assert board.due_for_review == 1
    assert text_of(rendered(board), "sq-due") == "1 question is due for review."


@pytest.mark.parametrize(
    ("moment", "met"), [(START + timedelta(days=7, hours=5), True), (WEDNESDAY, False)]
)
def test_todays_goal_in_words(moment: datetime, met: bool) -> None:
    board = board_at(moment)
    assert board.goal_met_today is met
    tree = rendered(board)
    status = text_of(tree, "sq-goal-status")
    if met:
        assert text_of(tree, "sq-goal-xp") == f"{board.today_xp} XP today"
        assert status == f"✓ Daily goal of {board.daily_goal_xp} XP met"
    else:
        assert text_of(tree, "sq-goal-xp") == f"{board.today_xp} of {board.daily_goal_xp} XP today"
        left = board.daily_goal_xp - board.today_xp
        assert status == f"{left} XP to go for today's goal"
    bar = one(tree, "sq-goal-progress")
    assert bar.attrs["max"] == str(board.daily_goal_xp)
    assert bar.attrs["value"] == str(min(board.today_xp, board.daily_goal_xp))


def test_more_xp_than_the_goal_is_never_said_as_a_fraction() -> None:
    """ "205 of 50 XP" read like a bug: past the goal, the XP stand alone."""
    keys = KEYS[:5]
    events = [answered(BOOK, key, START + timedelta(minutes=n)) for n, key in enumerate(keys)]
    board = board_at(START + timedelta(hours=1), events=events)
    assert board.today_xp > board.daily_goal_xp
    goal = text_of(rendered(board), "sq-goal-xp")
    assert goal == f"{board.today_xp} XP today" and " of " not in goal


def test_the_daily_goal_is_a_form_the_page_submits() -> None:
    tree = rendered(board_at(WEDNESDAY))
    form = tree.find("form", data_action="set-goal")
    radios = form.find_all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == ["20", "50", "100", "200"]
    assert all(r.attrs["name"] == "goal" for r in radios)
    assert [r.attrs["value"] for r in radios if "checked" in r.attrs] == ["20"]
    labels = form.find_all("label")
    assert [words(label) for label in labels] == ["20 XP", "50 XP", "100 XP", "200 XP"]
    assert all(label.find("input") for label in labels)  # each radio named by its label
    assert words(form.find("legend")) == "XP a day"
    assert form.find("button").attrs["type"] == "submit"
    status = one(form, "sq-goal-status-message")
    assert status.attrs["role"] == "status" and status.children == []
    setting = one(tree, "sq-goal-setting")
    assert setting.tag == "details" and "open" not in setting.attrs
    assert words(setting.find("summary")) == "Change daily goal"


def test_a_goal_set_elsewhere_is_among_the_choices() -> None:
    events: list[AnyEvent] = [
        SettingsChanged(
            id="goal-setting-30",
            at=START,
            local_date=START.date(),
            utc_offset_minutes=0,
            daily_goal_xp=30,
        )
    ]
    tree = rendered(board_at(START + timedelta(hours=1), events=events))
    radios = tree.find("form", data_action="set-goal").find_all("input", type="radio")
    assert [r.attrs["value"] for r in radios] == ["20", "30", "50", "100", "200"]
    assert [r.attrs["value"] for r in radios if "checked" in r.attrs] == ["30"]


# --- level, XP, streak ----------------------------------------------------------------------


def test_level_and_xp_in_one_line() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    assert text_of(tree, "sq-level-line") == "260 XP · Level 2 · 40 XP to level 3"
    assert text_of(tree, "sq-xp-total") == "260 XP"
    assert text_of(tree, "sq-level-number") == "Level 2"
    bar = one(tree, "sq-level-progress")
    assert bar.tag == "progress" and accessible_name(bar) == "Progress to level 3"
    assert (bar.attrs["value"], bar.attrs["max"]) == ("160", "200")
    assert bar.attrs["aria-describedby"] == one(tree, "sq-xp-needed").attrs["id"]
    assert text_of(tree, "sq-answers") == f"{board.answers} answers, {board.correct} right"


def test_streak_best_and_freezes() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    assert text_of(tree, "sq-streak-line") == "8-day streak · best 8 days · 1 streak freeze"
    assert text_of(tree, "sq-freeze-note") == (
        "Meet today's goal and a streak freeze will cover the missed day."
    )
    broken = rendered(board_at(SUNDAY))
    assert text_of(broken, "sq-streak-days") == "0-day streak"
    assert by_class(broken, "sq-freeze-note") == []
    assert text_of(broken, "sq-streak-note") == "Meet your daily goal to start a streak."


def test_numbers_and_plurals_follow_the_language() -> None:
    """Numbers are formatted by the reader's language (German: 1.234), plurals by its rules."""
    many = make_book({"big": {"s": 60}})
    keys = list(many.questions)
    events = [
        answered(many, key, START + timedelta(days=n % 3, minutes=n)) for n, key in enumerate(keys)
    ]
    board = board_at(START + timedelta(days=3), book=many, events=events)
    assert board.level.xp >= 1000
    english = text_of(rendered(board), "sq-xp-total")
    german = text_of(rendered(board, t=Texts("de")), "sq-xp-total")
    assert english == f"{board.level.xp:,} XP"
    assert german == f"{board.level.xp:,} XP".replace(",", ".")
    one_answer = board_at(START + timedelta(hours=1), events=[answered(BOOK, KEYS[0], START)])
    assert text_of(rendered(one_answer), "sq-answers") == "1 answer, 1 right"


# --- the path -------------------------------------------------------------------------------


TITLES = Titles(chapters={"ch1": "Introduction"}, sections={"s1": "Why systems", "s3": "Data"})


def test_the_book_as_a_path_of_chapters_named_never_by_id() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board, titles=TITLES)
    path = tree.find("ol")
    assert "sq-path" in path.classes()
    steps = [li for li in path.children if isinstance(li, Node)]
    assert [s.attrs.get("data-chapter-id") for s in steps] == ["ch1", "ch2", None]
    names = [words(one(s, "sq-chapter-title")) for s in steps]
    assert names == ["Introduction", "Chapter 2", "Questions outside any chapter"]
    for step, chapter in zip(steps, board.mastery.chapters, strict=True):
        assert text_of(step, "sq-step-counts") == (
            f"{chapter.answered} of {chapter.total} answered · {chapter.mastered} mastered"
        )
        ring = step.find("svg")
        assert "sq-ring" in ring.classes() and ring.attrs["aria-hidden"] == "true"
    sections = [words(one(row, "sq-section-title")) for row in by_class(tree, "sq-section-row")]
    assert sections == ["Why systems", "Section 2", "Data"]
    text = shown_text(tree)
    for raw in ("ch1", "ch2", "s1", "s2", "s3", "quiz0"):
        assert not re.search(rf"\b{raw}\b", text), raw


def test_the_current_chapter_is_highlighted() -> None:
    events = [answered(BOOK, KEYS[0], START), answered(BOOK, KEYS[5], START + timedelta(hours=1))]
    board = board_at(START + timedelta(hours=2), events=events)
    assert board.current_chapter == 1
    tree = rendered(board)
    current = [n for n in tree.walk() if n.attrs.get("aria-current") == "step"]
    assert len(current) == 1 and current[0].attrs["data-chapter-id"] == "ch2"
    assert "sq-step-current" in current[0].classes()
    assert text_of(current[0], "sq-here") == "You are here"
    assert "open" in current[0].find("details").attrs  # its sections shown
    others = [s for s in by_class(tree, "sq-step") if s is not current[0]]
    assert all("open" not in d.attrs for s in others for d in s.find_all("details"))


def test_mastery_explains_itself_on_day_one() -> None:
    """A whole chapter right on its first day: nothing is mastered yet, and the page says why
    and when the questions come back."""
    keys = [k for k in KEYS if BOOK.questions[k].chapter == "ch1"]
    events = [answered(BOOK, key, START + timedelta(minutes=n)) for n, key in enumerate(keys)]
    moment = START + timedelta(minutes=6)
    board = board_at(moment, events=events)
    chapter = board.mastery.chapters[0]
    assert (chapter.answered, chapter.right, chapter.mastered) == (5, 5, 0)
    tree = rendered(board, titles=TITLES)
    step = by_class(tree, "sq-step")[0]
    assert text_of(step, "sq-step-counts") == "5 of 5 answered · 0 mastered"
    assert text_of(step, "sq-step-detail") == "5 right once: back for review today."
    rows = [words(one(r, "sq-section-counts")) for r in by_class(step, "sq-section-row")]
    assert rows == ["3 right once, back for review today", "2 right once, back for review today"]
    assert text_of(tree, "sq-mastery-rule") == (
        "A question counts as mastered once you have answered it right on two different days."
    )
    assert text_of(tree, "sq-next-step") == (
        "Next: Chapter 2 has 2 questions you have not tried yet."
    )


def test_each_section_counts_new_missed_right_once_and_mastered() -> None:
    book = make_book({"ch": {"s": 5}})
    keys = list(book.questions)
    day_two = START + timedelta(days=2)
    events = [
        answered(book, keys[0], START),
        answered(book, keys[0], START + timedelta(days=1)),  # right on two days: mastered
        answered(book, keys[1], day_two, correct=False),
        answered(book, keys[2], day_two),
    ]
    board = board_at(day_two + timedelta(seconds=1), book=book, events=events)
    section = board.mastery.chapters[0].sections[0]
    assert (section.new, section.missed, section.right_once, section.mastered) == (2, 1, 1, 1)
    row = one(rendered(board), "sq-section-counts")
    assert words(row) == (
        "2 new · 1 to practise again · 1 right once, back for review today · 1 mastered"
    )


def test_a_review_date_in_the_future_is_said_as_a_date() -> None:
    board = board_at(WEDNESDAY)
    chapter = board.mastery.chapters[1]  # ch2: both right once, the first back on 9 March
    assert chapter.comes_back_on == date(2024, 3, 9) < board.today
    future = board.model_copy(
        update={
            "mastery": BookMastery(
                book=board.mastery.book,
                chapters=[chapter.model_copy(update={"comes_back_on": date(2024, 3, 20)})],
            ),
            "current_chapter": 0,
        }
    )
    step = by_class(rendered(future), "sq-step")[0]
    assert text_of(step, "sq-step-detail") == "2 right once: back for review from 20 March 2024."


NEXT_SENTENCES = [
    (NextStep(kind="empty"), "This book has no questions yet."),
    (
        NextStep(kind="start", chapter=0, count=5),
        "Start with Introduction: 5 questions are waiting.",
    ),
    (
        NextStep(kind="review", count=1),
        "Next: review the question that is due, while you still remember it.",
    ),
    (
        NextStep(kind="continue", chapter=1, count=2),
        "Next: Chapter 2 has 2 questions you have not tried yet.",
    ),
    (
        NextStep(kind="come_back", count=3, on=date(2024, 3, 20)),
        "Next: come back on 20 March 2024; the 3 questions you have not mastered yet come back"
        " for review from then.",
    ),
    (
        NextStep(kind="done", count=8),
        "Every question of the book is mastered. Reviews will still come back now and then to"
        " keep it that way.",
    ),
]


@pytest.mark.parametrize(("step", "sentence"), NEXT_SENTENCES)
def test_what_comes_next_in_one_sentence(step: NextStep, sentence: str) -> None:
    board = board_at(WEDNESDAY).model_copy(update={"next_step": step})
    assert text_of(rendered(board, titles=TITLES), "sq-next-step") == sentence


def _book_mastery(*chapters: tuple[int, int, int, int]) -> BookMastery:
    """Chapters as (total, answered, right, mastered)."""
    parts = [
        ChapterMastery(id=f"c{n}", total=t, answered=a, right=r, mastered=m)
        for n, (t, a, r, m) in enumerate(chapters)
    ]
    whole = Mastery(
        total=sum(p.total for p in parts),
        answered=sum(p.answered for p in parts),
        right=sum(p.right for p in parts),
        mastered=sum(p.mastered for p in parts),
    )
    return BookMastery(book=whole, chapters=parts)


def test_the_next_step_is_chosen_in_order() -> None:
    later = date(2024, 3, 20)
    assert next_step(_book_mastery(), None, 0, None).kind == "empty"
    fresh = _book_mastery((4, 0, 0, 0), (3, 0, 0, 0))
    assert next_step(fresh, 0, 0, None) == NextStep(kind="start", chapter=0, count=4)
    going = _book_mastery((4, 4, 4, 0), (3, 1, 1, 0))
    assert next_step(going, 1, 2, later) == NextStep(kind="review", count=2)
    assert next_step(going, 1, 0, later) == NextStep(kind="continue", chapter=1, count=2)
    back = _book_mastery((4, 4, 4, 0), (3, 3, 3, 0), (2, 1, 1, 1))
    assert next_step(back, 0, 0, later) == NextStep(kind="continue", chapter=2, count=1)
    waiting = _book_mastery((4, 4, 4, 0), (3, 3, 2, 1))
    assert next_step(waiting, 0, 0, later) == NextStep(kind="come_back", count=6, on=later)
    assert next_step(_book_mastery((2, 2, 2, 2)), 0, 0, later) == NextStep(kind="done", count=2)


def test_empty_book() -> None:
    empty = BookIndex()
    board = dashboard(ProgressState.for_book(empty), empty, lambda: START, UTC)
    tree = rendered(board)
    assert tree.find_all("ol") == []
    assert text_of(tree, "sq-next-step") == "This book has no questions yet."
    assert by_class(tree, "sq-mastery-chart") == []


# --- charts ---------------------------------------------------------------------------------


def test_the_activity_chart_draws_xp_per_week_and_says_it() -> None:
    board = board_at(SUNDAY)
    tree = rendered(board)
    svg = one(tree, "sq-activity-chart")
    assert svg.attrs["role"] == "img"
    assert accessible_name(svg) == "XP per week over the last 12 weeks"
    bars = by_class(svg, "sq-week")
    assert len(bars) == 12 and len(by_class(svg, "sq-this-week")) == 1
    assert "sq-this-week" in bars[-1].classes()
    weekly = [sum(d.xp for d in board.calendar[i : i + 7]) for i in range(0, 84, 7)]
    titles = [bar.find("title").text() for bar in bars]
    assert titles[-2] == f"Week of 4 March 2024: {weekly[-2]} XP"
    assert titles[-1] == f"Week of 11 March 2024: {weekly[-1]} XP"
    heights = [float(bar.attrs["height"] or 0) for bar in bars]
    assert heights.index(max(heights)) == weekly.index(max(weekly))
    summary = one(tree, "sq-activity-summary")
    assert svg.attrs["aria-describedby"] == summary.attrs["id"]
    assert words(summary) == (
        f"{sum(weekly)} XP in the last 12 weeks. This week: {weekly[-1]} XP. Best week:"
        f" {max(weekly)} XP (week of 4 March 2024). Daily goal met on 8 days."
    )


def test_no_activity_yet_is_said_too() -> None:
    board = dashboard(ProgressState.for_book(BOOK), BOOK, lambda: START, UTC)
    assert text_of(rendered(board), "sq-activity-summary") == (
        "No XP earned in the last 12 weeks yet."
    )


def test_the_mastery_chart_stacks_each_chapters_questions() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board, titles=TITLES)
    svg = one(tree, "sq-mastery-chart")
    assert svg.attrs["role"] == "img" and accessible_name(svg).startswith("Questions per chapter")
    rows = by_class(svg, "sq-chart-row")
    assert len(rows) == len(board.mastery.chapters)
    for row, chapter in zip(rows, board.mastery.chapters, strict=True):
        widths = {
            next(c for c in r.classes() if c.startswith("sq-segment-")): float(
                r.attrs["width"] or 0
            )
            for r in by_class(row, "sq-segment")
        }
        assert sum(widths.values()) == pytest.approx(CHART_WIDTH)
        assert widths.get("sq-segment-mastered", 0) == pytest.approx(
            CHART_WIDTH * chapter.mastered / chapter.total
        )
    assert [row.find("text").text() for row in rows] == [
        "Introduction",
        "Chapter 2",
        "Questions outside any chapter",
    ]
    summary = one(tree, "sq-mastery-summary")
    assert svg.attrs["aria-describedby"] == summary.attrs["id"]
    assert words(summary).startswith(
        "Introduction: 1 mastered, 3 right once, 1 to practise again, 0 new."
    )
    legend = one(tree, "sq-legend")
    assert legend.attrs["aria-hidden"] == "true"  # the summary says it in words


# --- badges ---------------------------------------------------------------------------------


def test_badges_with_pictures_earned_and_next() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    earned = by_class(tree, "sq-earned")
    assert [li.attrs["data-badge-id"] for li in earned] == [b.badge.id for b in board.badges]
    for li, badge in zip(earned, board.badges, strict=True):
        picture = li.find("svg")
        assert picture.attrs["data-badge-id"] == badge.badge.id
        assert picture.attrs["aria-hidden"] == "true"
        title, description = badge_words(badge.badge)
        assert li.find("strong").text() == title
        assert description in li.text()
        assert li.find("time").attrs["datetime"] == badge.earned_on.isoformat()
    locked = by_class(tree, "sq-locked")
    assert [li.attrs["data-badge-id"] for li in locked] == [p.badge.id for p in board.next_badges]
    for li, pending in zip(locked, board.next_badges, strict=True):
        assert li.find("svg").attrs["data-badge-id"] == pending.badge.id
        assert f"{pending.value} of {pending.badge.at_least} so far" in li.text()
    earned_heading = [h for h in tree.find_all("h4") if h.text().startswith("Earned")]
    assert [h.text() for h in earned_heading] == [f"Earned ({len(board.badges)})"]


def test_no_badges_yet() -> None:
    board = dashboard(ProgressState.for_book(BOOK), BOOK, lambda: START, UTC)
    tree = rendered(board)
    assert by_class(tree, "sq-earned") == []
    assert "No badges yet" in text_of(tree, "sq-no-badges")
    assert len(by_class(tree, "sq-locked")) == len(board.next_badges) == 3


# --- safety ---------------------------------------------------------------------------------


def test_hostile_ids_titles_and_warnings_are_inert() -> None:
    book = make_book({f"ch{EVIL}": {f"s{EVIL}": 2, "s2": 1}, "ch2": {None: 1}})
    board = board_at(WEDNESDAY, book=book)
    titles = Titles(chapters={f"ch{EVIL}": f"T {EVIL}", "ch2": EVIL}, sections={"s2": f"S {EVIL}"})
    tree = rendered(board, titles=titles, warnings=HOSTILE)
    warnings = one(tree, "sq-warnings")
    assert warnings.attrs["role"] == "status"
    assert [p.text() for p in warnings.find_all("p")] == HOSTILE
    root = tree.children[0]
    assert isinstance(root, Node) and root.children[0] is warnings  # at the top
    names = [one(s, "sq-chapter-title").text() for s in by_class(tree, "sq-step")]
    assert names == [f"T {EVIL}", EVIL]
    sections = [one(r, "sq-section-title").text() for r in by_class(tree, "sq-section-row")]
    assert sections == ["Section 1", f"S {EVIL}"]  # an untitled section is never named by id
    assert by_class(tree, "sq-step")[0].attrs["data-chapter-id"] == f"ch{EVIL}"
    chart_names = [r.find("text").text() for r in by_class(tree, "sq-chart-row")]
    assert all(name.startswith(("T ", EVIL[:10])) for name in chart_names)


def test_no_warnings_no_box() -> None:
    assert by_class(rendered(board_at(WEDNESDAY)), "sq-warnings") == []


IDS = [f"ch{EVIL}", "ch1", "ch2", "s1", "s2", "s3", f"s{EVIL}"]


@settings(max_examples=40)
@given(
    st.dictionaries(st.sampled_from(IDS), st.text(max_size=40)),
    st.lists(st.text(min_size=1, max_size=40), max_size=3),
)
def test_any_titles_and_warnings_render_inert_and_exact(
    given_titles: dict[str, str], warnings: list[str]
) -> None:
    book = make_book({"ch1": {"s1": 1, f"s{EVIL}": 1}, f"ch{EVIL}": {"s3": 1}})
    board = board_at(
        WEDNESDAY, book=book, events=[answered(book, k, START) for k in book.questions]
    )
    titles = Titles(chapters=given_titles, sections=given_titles)
    tree = rendered(board, titles=titles, warnings=warnings)
    names = [one(s, "sq-chapter-title").text() for s in by_class(tree, "sq-step")]
    assert names == [
        given_titles.get(c.id or "") or f"Chapter {n}"
        for n, c in enumerate(board.mastery.chapters, 1)
    ]
    sections = [one(r, "sq-section-title").text() for r in by_class(tree, "sq-section-row")]
    assert sections == [
        given_titles.get(s.id or "") or f"Section {n}"
        for c in board.mastery.chapters
        for n, s in enumerate(c.sections, 1)
    ]
    shown = [p.text() for p in one(tree, "sq-warnings").find_all("p")] if warnings else []
    assert shown == warnings
