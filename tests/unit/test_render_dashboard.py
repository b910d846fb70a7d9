"""The progress dashboard's HTML: structure, the numbers of the model it draws, and safety."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.progress.dashboard import Dashboard, dashboard
from socratiq_local.progress.events import Answered as AnsweredEvent
from socratiq_local.progress.events import AnyEvent, SettingsChanged
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.render.dashboard import render_dashboard

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
    {"section", "div", "h2", "h3", "h4", "p", "span", "strong", "progress", "ul", "li", "time"}
    | {"table", "caption", "thead", "tbody", "tr", "th", "td", "button", "input"}
    | {"svg", "rect", "title", "text"}
)
HEADINGS = [
    "Level and XP",
    "Today's goal",
    "Streak",
    "Badges",
    "Mastery",
    "Activity",
    "Review",
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
    """`assert_inert`'s rules, with one exception: the calendar's own SVG of squares and text."""
    tree = parse(html)
    svgs = tree.find_all("svg")
    assert len(svgs) <= 1 and all(s.classes() == {"sq-calendar"} for s in svgs), html
    for svg in svgs:
        assert {n.tag for n in svg.walk()[1:]} <= {"rect", "title", "text"}, html
    for node in tree.walk()[1:]:
        assert node.tag in DASHBOARD_ELEMENTS, html
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


def text_of(tree: Node, css_class: str) -> str:
    return " ".join(one(tree, css_class).text().split())


def rendered(
    board: Dashboard,
    *,
    instance: str = "sq",
    titles: Mapping[str, str] | None = None,
    warnings: Sequence[str] = (),
) -> Node:
    html = render_dashboard(board, instance=instance, titles=titles, warnings=warnings)
    return assert_dashboard_inert(html)


# --- the scenario behind the tests ----------------------------------------------------------


def test_the_history_gives_the_board_the_tests_expect() -> None:
    board = board_at(WEDNESDAY)
    assert board.streak == 8 and board.freezes_held == 1 and board.missed_days_to_freeze == 1
    assert board.mastery.book.mastered == 1 and board.due_for_review > 0
    assert board.badges and board.next_badges
    assert len(board_at(SUNDAY).calendar) == 84 and board_at(SUNDAY).streak == 0


# --- structure ------------------------------------------------------------------------------


def test_headings_and_landmarks() -> None:
    tree = rendered(board_at(WEDNESDAY))
    root = tree.children[0]
    assert isinstance(root, Node) and root.tag == "section"
    assert root.classes() == {"sq-dashboard"}
    assert [h.text() for h in tree.find_all("h2")] == ["Your progress"]
    assert [h.text() for h in tree.find_all("h3")] == HEADINGS
    ids = [n.attrs["id"] for n in tree.walk() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for node in tree.walk():
        for attribute in ("aria-labelledby", "aria-describedby"):
            if attribute in node.attrs:
                assert node.attrs[attribute] in ids
    assert len(by_class(tree, "sq-card")) == 3
    assert one(tree, "sq-dashboard-grid").find_all("section") == by_class(tree, "sq-card")


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
    assert controls.tag == "div"
    buttons = {accessible_name(b): b for b in controls.find_all("button")}
    assert {name: b.attrs["data-action"] for name, b in buttons.items()} == {
        "Export progress": "export",
        "Import progress": "import",
        "Delete all progress": "wipe",
    }
    assert all(b.attrs["type"] == "button" and "disabled" not in b.attrs for b in buttons.values())
    file_input = controls.find("input")
    assert file_input.attrs["type"] == "file"
    assert file_input.attrs["accept"] == "application/json,.json"
    assert file_input.attrs["data-action"] == "import-file"
    assert "hidden" in file_input.attrs and accessible_name(file_input)
    status = one(tree, "sq-data-status")
    assert status.tag == "p" and status.children == []
    assert (status.attrs["role"], status.attrs["aria-live"]) == ("status", "polite")
    assert "on this device" in text_of(tree, "sq-data-note")


def test_review_button_when_questions_are_due() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    button = tree.find("button", data_action="review")
    assert accessible_name(button) == "Review now" and "disabled" not in button.attrs
    assert text_of(tree, "sq-due") == f"{board.due_for_review} questions are due for review."
    area = one(tree, "sq-review-area")
    assert area.tag == "div" and area.children == []


def test_review_is_disabled_when_nothing_is_due() -> None:
    board = dashboard(ProgressState.for_book(BOOK), BOOK, lambda: START, UTC)
    assert board.due_for_review == 0
    tree = rendered(board)
    button = tree.find("button", data_action="review")
    assert "disabled" in button.attrs
    assert accessible_name(button) == "Nothing to review today"
    assert "Review now" not in tree.text()
    assert text_of(tree, "sq-due") == "No questions are due for review."
    assert one(tree, "sq-review-area").children == []


def test_one_question_due_is_said_in_the_singular() -> None:
    events = [answered(BOOK, KEYS[0], START)]
    board = board_at(START + timedelta(days=1), events=events)
    assert board.due_for_review == 1
    assert text_of(rendered(board), "sq-due") == "1 question is due for review."


# --- the numbers are the model's ------------------------------------------------------------


def test_level_and_xp() -> None:
    board = board_at(WEDNESDAY)
    level = board.level
    tree = rendered(board)
    assert text_of(tree, "sq-level-number") == f"Level {level.level}"
    assert text_of(tree, "sq-xp-total") == f"{level.xp} XP in total"
    assert (
        text_of(tree, "sq-xp-needed") == f"{level.xp_to_next_level} XP to level {level.level + 1}"
    )
    bar = one(tree, "sq-level-progress")
    assert bar.tag == "progress"
    assert accessible_name(bar) == f"Progress to level {level.level + 1}"
    assert int(bar.attrs["value"] or "") == level.xp - level.level_starts_at
    assert int(bar.attrs["max"] or "") == level.next_level_at - level.level_starts_at
    assert text_of(tree, "sq-answers") == f"{board.answers} answers, {board.correct} right"


@pytest.mark.parametrize(
    ("moment", "met"), [(START + timedelta(days=7, hours=5), True), (WEDNESDAY, False)]
)
def test_todays_goal_in_words(moment: datetime, met: bool) -> None:
    board = board_at(moment)
    assert board.goal_met_today is met
    tree = rendered(board)
    assert text_of(tree, "sq-goal-xp") == f"{board.today_xp} of {board.daily_goal_xp} XP"
    status = text_of(tree, "sq-goal-status")
    if met:
        assert status == "✓ Goal met today"
    else:
        assert status == f"Not met yet: {board.daily_goal_xp - board.today_xp} XP to go"
    bar = one(tree, "sq-goal-progress")
    assert bar.attrs["max"] == str(board.daily_goal_xp)
    assert bar.attrs["value"] == str(min(board.today_xp, board.daily_goal_xp))


def test_streak_best_and_freezes() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    assert text_of(tree, "sq-streak-days") == f"{board.streak} days"
    assert text_of(tree, "sq-best-streak") == f"Best streak: {board.best_streak} days"
    assert text_of(tree, "sq-freezes") == f"Streak freezes held: {board.freezes_held}"
    assert text_of(tree, "sq-freeze-note") == (
        "Meet today's goal and 1 freeze will cover the 1 missed day."
    )
    broken = rendered(board_at(SUNDAY))
    assert text_of(broken, "sq-streak-days") == "0 days"
    assert by_class(broken, "sq-freeze-note") == []
    assert text_of(broken, "sq-streak-note") == "Meet your daily goal to start a streak."


def test_badges_earned_and_next() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    earned = by_class(tree, "sq-earned")
    assert [li.attrs["data-badge-id"] for li in earned] == [b.badge.id for b in board.badges]
    for li, badge in zip(earned, board.badges, strict=True):
        assert li.find("strong").text() == badge.badge.title
        assert badge.badge.description in li.text()
        assert li.find("time").attrs["datetime"] == badge.earned_on.isoformat()
    locked = by_class(tree, "sq-locked")
    assert [li.attrs["data-badge-id"] for li in locked] == [p.badge.id for p in board.next_badges]
    for li, pending in zip(locked, board.next_badges, strict=True):
        assert li.find("strong").text() == pending.badge.title
        assert f"Locked: {pending.value} of {pending.badge.at_least}" in li.text()
    assert all("sq-badges" in ul.classes() for ul in tree.find_all("ul"))


def test_no_badges_yet() -> None:
    board = dashboard(ProgressState.for_book(BOOK), BOOK, lambda: START, UTC)
    tree = rendered(board)
    assert by_class(tree, "sq-earned") == []
    assert "No badges yet" in text_of(tree, "sq-no-badges")
    assert len(by_class(tree, "sq-locked")) == len(board.next_badges) == 3


def test_mastery_tables() -> None:
    board = board_at(WEDNESDAY)
    titles = {"ch1": "Introduction", "s1": "Why systems", "s3": ""}
    tree = rendered(board, titles=titles)
    book = board.mastery.book
    assert text_of(tree, "sq-book-percent") == f"{book.percent}%"
    assert text_of(tree, "sq-book-mastery").startswith(
        f"{book.mastered} of {book.total} questions in the book mastered"
    )
    bar = one(tree, "sq-book-progress")
    assert (bar.attrs["value"], bar.attrs["max"]) == (str(book.mastered), str(book.total))
    tables = tree.find_all("table")
    assert len(tables) == len(board.mastery.chapters) == 3
    for table, chapter in zip(tables, board.mastery.chapters, strict=True):
        assert table.attrs.get("data-chapter-id") == chapter.id
        name = table.find("caption").find("span").text()
        assert name == (
            "Questions outside any chapter"
            if chapter.id is None
            else titles.get(chapter.id) or chapter.id
        )
        caption = " ".join(table.find("caption").text().split())
        assert f"{chapter.percent}% ({chapter.mastered} of " in caption
        rows = table.find("tbody").find_all("tr")
        assert len(rows) == len(chapter.sections)
        for row, section in zip(rows, chapter.sections, strict=True):
            expected = (
                "Other questions" if section.id is None else titles.get(section.id) or section.id
            )
            assert row.find("th").text() == expected
            assert row.find("th").attrs["scope"] == "row"
            cells = [td.text() for td in row.find_all("td")]
            assert cells[:2] == [f"{section.mastered} / {section.total}", f"{section.percent}%"]
            mini = row.find("progress")
            assert mini.attrs["value"] == str(section.mastered)
            assert mini.attrs["max"] == str(section.total)
    assert "Introduction" in tree.text() and "Why systems" in tree.text()
    assert tables[1].find("tbody").find("th").text() == "s3"  # an empty title falls back


def test_empty_book() -> None:
    empty = BookIndex()
    board = dashboard(ProgressState.for_book(empty), empty, lambda: START, UTC)
    tree = rendered(board)
    assert tree.find_all("table") == []
    assert "This book has no questions yet." in tree.text()


# --- the activity calendar ------------------------------------------------------------------


def _rects(tree: Node) -> list[Node]:
    return tree.find("svg").find_all("rect")


def test_the_calendar_draws_twelve_full_weeks_on_a_sunday() -> None:
    board = board_at(SUNDAY)
    tree = rendered(board)
    svg = tree.find("svg")
    assert svg.attrs["role"] == "img" and accessible_name(svg).startswith("Activity calendar")
    rects = _rects(tree)
    assert len(rects) == 84
    positions = {(r.attrs["x"], r.attrs["y"]) for r in rects}
    assert len(positions) == 84
    assert len({x for x, _ in positions}) == 12 and len({y for _, y in positions}) == 7
    for rect, day in zip(rects, board.calendar, strict=True):
        title = rect.find("title").text()
        expected = f"{day.day.isoformat()}: {day.xp} XP" + (", goal met" if day.goal_met else "")
        assert title.removesuffix(" (today)") == expected
        assert rect.attrs["data-date"] == day.day.isoformat()
        assert "sq-day" in rect.classes()
    # Monday at the top: the first row is every Monday
    top = min(int(r.attrs["y"] or "") for r in rects)
    assert all(
        date.fromisoformat(r.attrs["data-date"] or "").weekday() == 0
        for r in rects
        if int(r.attrs["y"] or "") == top
    )


def test_the_calendar_stops_at_today() -> None:
    board = board_at(WEDNESDAY)
    rects = _rects(rendered(board))
    assert len(rects) == len(board.calendar) == 80
    assert rects[-1].find("title").text() == (
        f"{board.today.isoformat()}: {board.today_xp} XP (today)"
    )
    assert "sq-today" in rects[-1].classes()


def test_the_calendar_shades_by_xp_and_sums_up_in_words() -> None:
    board = board_at(WEDNESDAY)
    tree = rendered(board)
    shades: dict[tuple[bool, bool], set[str]] = {}
    for rect, day in zip(_rects(tree), board.calendar, strict=True):
        bucket = next(c for c in rect.classes() if c.startswith("sq-day-"))
        shades.setdefault((day.xp > 0, day.goal_met), set()).add(bucket)
        assert rect.attrs["fill-opacity"]
    assert shades[(False, False)] == {"sq-day-0"}
    assert not shades[(True, True)] & {"sq-day-0", "sq-day-1", "sq-day-2"}
    active = sum(d.xp > 0 for d in board.calendar)
    met = sum(d.goal_met for d in board.calendar)
    assert active == met == 8
    summary = one(tree, "sq-calendar-summary")
    assert summary.text().startswith(
        f"Active on {active} of the last {len(board.calendar)} days; daily goal met on {met} days."
    )
    assert tree.find("svg").attrs["aria-describedby"] == summary.attrs["id"]


# --- safety ---------------------------------------------------------------------------------


def test_hostile_ids_titles_and_warnings_are_inert() -> None:
    book = make_book({f"ch{EVIL}": {f"s{EVIL}": 2, "s2": 1}, "ch2": {None: 1}})
    board = board_at(WEDNESDAY, book=book)
    titles = {f"ch{EVIL}": f"T {EVIL}", "s2": f"S {EVIL}", "ch2": EVIL}
    tree = rendered(board, titles=titles, warnings=HOSTILE)
    warnings = one(tree, "sq-warnings")
    assert warnings.attrs["role"] == "status"
    assert [p.text() for p in warnings.find_all("p")] == HOSTILE
    root = tree.children[0]
    assert isinstance(root, Node) and root.children[0] is warnings  # at the top
    captions = [t.find("caption").find("span").text() for t in tree.find_all("table")]
    assert captions == [f"T {EVIL}", EVIL]
    headers = [th.text() for th in tree.find_all("table")[0].find("tbody").find_all("th")]
    assert headers == [f"s{EVIL}", f"S {EVIL}"]
    assert tree.find_all("table")[0].attrs["data-chapter-id"] == f"ch{EVIL}"


def test_no_warnings_no_box() -> None:
    assert by_class(rendered(board_at(WEDNESDAY)), "sq-warnings") == []


IDS = [f"ch{EVIL}", "ch1", "ch2", "s1", "s2", "s3", f"s{EVIL}"]


@settings(max_examples=40)
@given(
    st.dictionaries(st.sampled_from(IDS), st.text(max_size=40)),
    st.lists(st.text(min_size=1, max_size=40), max_size=3),
)
def test_any_titles_and_warnings_render_inert_and_exact(
    titles: dict[str, str], warnings: list[str]
) -> None:
    book = make_book({"ch1": {"s1": 1, f"s{EVIL}": 1}, f"ch{EVIL}": {"s3": 1}})
    board = board_at(
        WEDNESDAY, book=book, events=[answered(book, k, START) for k in book.questions]
    )
    tree = rendered(board, titles=titles, warnings=warnings)
    captions = [t.find("caption").find("span").text() for t in tree.find_all("table")]
    assert captions == [titles.get(c.id or "") or c.id for c in board.mastery.chapters]
    headers = [th.text() for th in tree.find_all("th", scope="row")]
    assert headers == [
        titles.get(s.id or "") or s.id for c in board.mastery.chapters for s in c.sections
    ]
    shown = [p.text() for p in one(tree, "sq-warnings").find_all("p")] if warnings else []
    assert shown == warnings
