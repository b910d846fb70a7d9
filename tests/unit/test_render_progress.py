"""Progress anywhere, badge pictures, celebrations and the names of the book's parts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from socratiq_local.i18n import Texts
from socratiq_local.progress.badges import BADGES, BADGES_BY_ID
from socratiq_local.progress.book import BookIndex, Place, question_key
from socratiq_local.progress.mastery import Mastery, mastery, mastery_of
from socratiq_local.progress.record import (
    BadgeEarned,
    FreezesSpent,
    GoalMet,
    LevelUp,
    StreakExtended,
    XpEarned,
)
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.quiz.models import Quiz
from socratiq_local.render.badges import SIGNS, badge_svg
from socratiq_local.render.celebrations import celebrations
from socratiq_local.render.names import Titles, chapter_name, section_name, titles_from
from socratiq_local.render.rings import (
    render_chapter_progress,
    render_chapters_progress,
    render_progress_badges,
    render_progress_line,
    ring_svg,
)

from .test_render import HOSTILE, Node, parse
from .test_render_dashboard import answered

EVIL = " ".join(HOSTILE)
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def arcs(svg_html: str) -> dict[str, float]:
    tree = parse(svg_html)
    return {
        next(iter(c.classes())): float((c.attrs["stroke-dasharray"] or "").split()[0])
        for c in tree.find_all("circle")
        if "stroke-dasharray" in c.attrs
    }


# --- rings ----------------------------------------------------------------------------------


def test_the_ring_draws_answered_and_mastered_shares() -> None:
    part = Mastery(id="c", total=8, answered=6, right=5, mastered=2)
    assert arcs(ring_svg(part)) == {"sq-ring-answered": 75.0, "sq-ring-mastered": 25.0}
    svg = parse(ring_svg(part)).find("svg")
    assert svg.attrs["aria-hidden"] == "true" and "style" not in svg.attrs
    assert arcs(ring_svg(Mastery(id="c", total=3))) == {}  # nothing answered: the track only
    done = Mastery(id="c", total=3, answered=3, right=3, mastered=3)
    assert "sq-ring-done" in parse(ring_svg(done)).find("svg").classes()
    assert arcs(ring_svg(Mastery(id="c", total=0))) == {}


def test_progress_words_for_a_chapter_a_list_and_a_quiz() -> None:
    part = Mastery(id="ch1", total=5, answered=3, right=2, mastered=1)
    chip = parse(render_chapter_progress(part, f"Intro {EVIL}"))
    (p,) = chip.children
    assert isinstance(p, Node) and p.attrs == {
        "class": "sq-progress-chip",
        "data-chapter-id": "ch1",
    }
    assert p.find("span", **{"class": "sq-progress-title"}).text() == f"Intro {EVIL}"
    assert p.find("span", **{"class": "sq-progress-words"}).text() == "3 of 5 answered · 1 mastered"
    assert not [n for n in chip.walk() if n.tag in ("script", "img", "iframe")]
    listed = parse(render_chapters_progress([(part, "A"), (Mastery(id="x"), "B")]))
    items = listed.find("ul").find_all("li")
    assert [li.attrs["data-chapter-id"] for li in items] == ["ch1", "x"]
    assert "No questions here yet" in items[1].text()
    line = parse(render_progress_line(part, t=Texts("de")))
    assert line.find("p").attrs["class"] == "sq-progress-line"
    assert line.find("svg").attrs["width"] == "24"


def test_a_badge_shows_a_small_ring_and_counts_and_says_its_chapter_only_to_screen_readers() -> (
    None
):
    part = Mastery(id="ch1", total=10, answered=3, right=2, mastered=1)
    tree = parse(render_progress_badges([(part, f"Intro {EVIL}")]))
    assert not [n for n in tree.walk() if n.tag in ("script", "img", "iframe")]
    (badge,) = tree.find("span", **{"class": "sq-progress-badges"}).children
    assert isinstance(badge, Node) and badge.attrs["data-chapter-id"] == "ch1"
    ring = badge.find("svg")
    assert (ring.attrs["width"], ring.attrs["aria-hidden"]) == ("16", "true")
    count = badge.find("span", **{"class": "sq-progress-count"})
    assert count.text() == "3/10" and count.attrs["aria-hidden"] == "true"
    heard = badge.find("span", **{"class": "sq-visually-hidden"}).text()
    assert heard == f"Intro {EVIL}: 3 of 10 answered · 1 mastered"  # escaped, then read back
    assert "sq-progress-title" not in render_progress_badges([(part, "Intro")])  # no title shown
    two = parse(render_progress_badges([(part, "A"), (Mastery(id="x"), "B")]))
    badges = two.find_all("span", **{"class": "sq-progress-badge"})
    assert [b.attrs["data-chapter-id"] for b in badges] == ["ch1", "x"]
    big = Mastery(id="c", total=12_345, answered=1_234, right=1_000, mastered=1_000)
    french = parse(render_progress_badges([(big, "Tout")], t=Texts("fr")))
    assert french.find("span", **{"class": "sq-progress-count"}).text() == "1\u202f234/12\u202f345"
    assert french.find("span", **{"class": "sq-visually-hidden"}).text().startswith("Tout : ")


def test_progress_numbers_follow_the_language() -> None:
    big = Mastery(id="c", total=12_345, answered=1_234, right=1_000, mastered=1_000)
    assert "1,234 of 12,345 answered · 1,000 mastered" in render_progress_line(big)
    assert "1.234 von 12.345" in render_progress_line(big, t=Texts("de"))


# --- mastery, explained -----------------------------------------------------------------------


def book_of(*sections: tuple[str | None, str | None, int]) -> BookIndex:
    places = {}
    for s, (chapter, section, count) in enumerate(sections):
        for n in range(count):
            key = question_key(f"quiz{s}", f"q{n}")
            places[key] = Place(
                quiz_id=f"quiz{s}", question_id=f"q{n}", chapter=chapter, section=section
            )
    return BookIndex(questions=places)


def test_mastery_counts_new_missed_right_once_and_mastered_with_the_day_they_return() -> None:
    book = book_of(("ch", "s1", 4), ("ch", "s2", 1))
    keys = list(book.questions)
    events = [
        answered(book, keys[0], START),
        answered(book, keys[0], START + timedelta(days=1)),
        answered(book, keys[1], START + timedelta(days=1), correct=False),
        answered(book, keys[2], START + timedelta(days=1)),
    ]
    state = replay(events, ProgressState.for_book(book))
    board = mastery(state, book)
    s1 = board.chapters[0].sections[0]
    assert (s1.total, s1.new, s1.missed, s1.right_once, s1.mastered) == (4, 1, 1, 1, 1)
    due = state.questions[keys[2]].card.due_at()
    assert s1.comes_back_on == due.date()
    assert board.chapters[0].sections[1].comes_back_on is None  # nothing right once there
    tokyo = mastery(state, book, tz=__import__("datetime").timezone(timedelta(hours=14)))
    assert tokyo.chapters[0].comes_back_on == (due + timedelta(hours=14)).date()
    only = mastery_of(state, keys[:2], "mine")
    assert (only.id, only.total, only.answered, only.mastered, only.missed) == ("mine", 2, 2, 1, 1)


# --- names ----------------------------------------------------------------------------------


def quiz(**fields: object) -> Quiz:
    return Quiz.model_validate(
        {
            "id": "q",
            "title": "T",
            "questions": [{"type": "true_false", "text": "x", "answer": True}],
        }
        | fields
    )


def test_titles_from_quizzes_and_page_headings_in_order_of_trust() -> None:
    quizzes = [
        quiz(
            id="a",
            title="The *whole* chapter",
            chapter="ch1",
            section_titles={"s1": "Given", "s2": "Given too"},
        ),
        quiz(id="b", title="A quiz of one section", chapter="ch2", section="s3"),
        quiz(id="c", title="Another section quiz", chapter="ch2", section="s1"),
    ]
    titles = titles_from(quizzes, {"s1": "Heading", "s4": "From the page"})
    assert titles.chapters == {"ch1": "The whole chapter"}  # plain text; ch2 has no quiz of its own
    assert titles.sections == {
        "s1": "Given",
        "s2": "Given too",
        "s3": "A quiz of one section",
        "s4": "From the page",
    }
    long = titles_from([quiz(chapter="c", title="x" * 500)]).chapters["c"]
    assert len(long) == 120 and long.endswith("…")


def test_parts_without_titles_get_neutral_names_never_ids() -> None:
    titles = Titles(chapters={"c1": "Intro"}, sections={"s1": "Basics"})
    assert chapter_name(titles, "c1", 1) == "Intro"
    assert chapter_name(titles, "sec-abc-a3eb", 4) == "Chapter 4"
    assert chapter_name(titles, None, 9) == "Questions outside any chapter"
    assert section_name(titles, "s1", 1) == "Basics"
    assert section_name(titles, "sec-x", 2) == "Section 2"
    assert section_name(titles, None, 3) == "Other questions"


def test_section_titles_are_checked_like_the_rest_of_a_quiz() -> None:
    assert quiz(section_titles={"sec-a": "A"}).section_titles == {"sec-a": "A"}
    for bad in ({"bad id": "A"}, {"sec-a": ""}, {"sec-a": "x" * 2001}, {"sec-a": 3}):
        with pytest.raises(ValidationError):
            quiz(section_titles=bad)


# --- badges and celebrations ------------------------------------------------------------------


def test_every_badge_has_a_picture_of_its_own_kind() -> None:
    assert {badge.metric for badge in BADGES} <= set(SIGNS)
    for badge in BADGES:
        svg = parse(badge_svg(badge)).find("svg")
        assert svg.attrs["data-badge-id"] == badge.id and svg.attrs["aria-hidden"] == "true"
        assert f"sq-medal-{badge.metric}" in badge_svg(badge)
        assert {n.tag for n in svg.walk()[1:]} <= {"circle", "path"}
        assert "style" not in badge_svg(badge) and "href" not in badge_svg(badge)
    assert badge_svg(BADGES[0], size=40).count('width="40"') == 1


DAY = date(2024, 3, 4)
NOTICES = [
    XpEarned(xp=20, total=1_340),
    LevelUp(level=3),
    BadgeEarned(badge=BADGES_BY_ID["first-answer"], earned_on=DAY),
    GoalMet(day=DAY, daily_goal_xp=50),
    StreakExtended(days=5),
    FreezesSpent(count=1, held=0),
]


def test_each_notice_becomes_a_toast_and_a_sentence() -> None:
    found = celebrations(NOTICES)
    assert [c["kind"] for c in found] == ["xp", "level", "badge", "goal", "streak", "freeze"]
    assert [c["text"] for c in found] == [
        "+20 XP 1,340 XP in all.",
        "Level 3! You reached a new level.",
        "Badge earned: First step Answer your first question.",
        "Daily goal met! Your goal: 50 XP a day.",
        "5-day streak! Keep meeting your goal to keep it going.",
        "A streak freeze covered 1 missed day 0 freezes left.",
    ]
    for toast in found:
        tree = parse(toast["html"])
        root = tree.find("div")
        assert root.attrs["data-kind"] == toast["kind"]
        assert f"sq-toast-{toast['kind']}" in root.classes()
        assert "role" not in root.attrs and "aria-live" not in root.attrs  # the page announces
        assert tree.find("svg").attrs["aria-hidden"] == "true"
        assert " ".join(tree.text().split()) == toast["text"]
    badge = parse(found[2]["html"]).find("svg")
    assert badge.attrs["data-badge-id"] == "first-answer"  # the dashboard's own picture


def test_no_xp_no_toast_and_plurals_by_count() -> None:
    assert celebrations([XpEarned(xp=0, total=10)]) == []
    (two,) = celebrations([FreezesSpent(count=2, held=1)])
    assert two["text"] == "Streak freezes covered 2 missed days 1 freeze left."
    (german,) = celebrations([XpEarned(xp=1_500, total=12_000)], t=Texts("de"))
    assert re.search(r"\+1\.500 XP", german["text"])
