"""The progress reducer: replay, snapshots, XP, anti-farming, mastery, badges, review, dashboard."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import JsonValue, TypeAdapter, ValidationError

from socratiq_local.progress.badges import BADGES, BADGES_BY_ID
from socratiq_local.progress.book import BookIndex, BookSizes, question_key
from socratiq_local.progress.dashboard import dashboard
from socratiq_local.progress.events import (
    Answered,
    AnyEvent,
    Event,
    SettingsChanged,
    SolutionShown,
    sort_key,
)
from socratiq_local.progress.levels import level_for
from socratiq_local.progress.record import (
    BadgeEarned,
    LevelUp,
    XpEarned,
    record_answer,
    record_daily_goal,
)
from socratiq_local.progress.review import review_queue
from socratiq_local.progress.state import (
    ProgressState,
    QuestionProgress,
    apply,
    replay,
    with_sizes,
)
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import AnyQuestion, Quiz, Rating


def _tf(id: str, difficulty: str = "medium") -> dict[str, object]:
    return {"type": "true_false", "id": id, "text": f"Statement {id}.", "answer": True,
            "difficulty": difficulty}  # fmt: skip


QUIZZES = [
    Quiz.model_validate(
        {
            "id": "intro",
            "title": "Intro",
            "chapter": "ch1",
            "section": "s1",
            "questions": [_tf("q1", "easy"), _tf("q2"), _tf("q3", "hard")],
        }
    ),
    Quiz.model_validate(
        {
            "id": "more",
            "title": "More",
            "chapter": "ch1",
            "section": "s2",
            "questions": [_tf("q1"), _tf("q2")],
        }
    ),
    Quiz.model_validate(
        {
            "id": "small",
            "title": "Small",
            "chapter": "ch2",
            "section": "s3",
            "questions": [_tf("a"), _tf("b")],
        }
    ),
]
BOOK = BookIndex.from_quizzes(QUIZZES)
KEYS = list(BOOK.questions)
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def answered(
    key: str,
    at: datetime,
    *,
    correct: bool = True,
    offset_minutes: int = 0,
    review: bool = False,
    rating: Rating | None = None,
    score: float | None = None,
    revealed: bool = False,
    answer: JsonValue = None,
) -> Answered:
    """An answer event as the browser would record it, with a deterministic id."""
    place = BOOK.questions[key]
    local = at.astimezone(timezone(timedelta(minutes=offset_minutes)))
    spec = f"{key}{at.isoformat()}{correct}{offset_minutes}{review}{rating}{score}{revealed}"
    digest = hashlib.sha256(spec.encode()).hexdigest()
    return Answered(
        id=digest[:16],
        at=at,
        local_date=local.date(),
        utc_offset_minutes=offset_minutes,
        quiz_id=place.quiz_id,
        question_id=place.question_id,
        chapter=place.chapter,
        section=place.section,
        difficulty=place.difficulty,
        correct=correct,
        score=(1.0 if correct else 0.0) if score is None else score,
        rating=rating or ("good" if correct else "again"),
        review=review,
        revealed=revealed,
        answer=answer,
    )


def solution_shown(key: str, at: datetime, offset_minutes: int = 0) -> SolutionShown:
    place = BOOK.questions[key]
    return SolutionShown(
        id=hashlib.sha256(f"shown{key}{at.isoformat()}".encode()).hexdigest()[:16],
        at=at,
        local_date=at.astimezone(timezone(timedelta(minutes=offset_minutes))).date(),
        utc_offset_minutes=offset_minutes,
        quiz_id=place.quiz_id,
        question_id=place.question_id,
    )


def goal(at: datetime, xp: int) -> SettingsChanged:
    """A goal change with a deterministic id that, like the browser's random ones, differs from
    every other event's in its first characters (events.sort_key)."""
    return SettingsChanged(
        id=hashlib.sha256(f"goal{at.isoformat()}-{xp}".encode()).hexdigest()[:16],
        at=at,
        local_date=at.date(),
        utc_offset_minutes=0,
        daily_goal_xp=xp,
    )


def fresh() -> ProgressState:
    return ProgressState.for_book(BOOK)


def question(key: str) -> tuple[Quiz, AnyQuestion]:
    quiz_id, question_id = key.split("/")
    quiz = next(q for q in QUIZZES if q.id == quiz_id)
    return quiz, next(q for q in quiz.questions if q.id == question_id)


def answer(
    state: ProgressState, key: str, at: datetime, right: bool = True, tz: tzinfo = UTC
) -> tuple[ProgressState, list[AnyEvent], list[object]]:
    quiz, q = question(key)
    state, events, notes = record_answer(state, quiz, q, grade(q, right), lambda: at, tz)
    return state, events, list(notes)


# --- replay, snapshots, purity ---------------------------------------------------------------

event_specs = st.lists(
    st.tuples(
        st.integers(0, 20 * 24 * 60),  # minutes after START
        st.sampled_from(KEYS),
        st.booleans(),  # correct
        st.sampled_from([-8 * 60, 0, 60, 9 * 60]),  # the learner's UTC offset: they travel
        st.booleans(),  # review
        # sometimes a goal change instead, a "Show answer", or an answer revealing the solution
        st.sampled_from([None, None, None, 20, 80, "shown", "revealed"]),
    ),
    max_size=40,
)

Spec = tuple[int, str, bool, int, bool, int | str | None]


def build(specs: list[Spec]) -> list[AnyEvent]:
    events: list[AnyEvent] = []
    for minutes, key, correct, offset, review, other in specs:
        at = START + timedelta(minutes=minutes)
        if isinstance(other, int):
            events.append(goal(at, other))
        elif other == "shown":
            events.append(solution_shown(key, at, offset))
        else:
            events.append(
                answered(
                    key, at, correct=correct, offset_minutes=offset, review=review,
                    revealed=other == "revealed", answer=[minutes % 4, "typed"],
                )
            )  # fmt: skip
    return events


@given(specs=event_specs, data=st.data())
def test_any_order_of_the_same_events_replays_to_the_same_state(
    specs: list[Spec], data: st.DataObject
) -> None:
    events = build(specs)
    shuffled = data.draw(st.permutations(events))
    assert replay(shuffled, fresh()) == replay(events, fresh())


@given(specs=event_specs, data=st.data())
def test_snapshot_plus_later_events_equals_full_replay(
    specs: list[Spec], data: st.DataObject
) -> None:
    events = sorted(build(specs), key=sort_key)
    cut = data.draw(st.integers(0, len(events)))
    snapshot = replay(events[:cut], fresh()).model_dump_json()
    resumed = replay(events[cut:], ProgressState.model_validate_json(snapshot))
    assert resumed == replay(events, fresh())


@given(specs=event_specs)
def test_applying_one_event_at_a_time_equals_replay_and_never_changes_its_input(
    specs: list[Spec],
) -> None:
    state = fresh()
    for event in sorted(build(specs), key=sort_key):
        before = state.model_dump_json()
        after = apply(state, event)
        assert state.model_dump_json() == before
        state = after
    assert state == replay(build(specs), fresh())
    assert state.xp == sum(state.day_xp.values())


def test_a_late_event_from_another_tab_still_counts() -> None:
    early = answered(KEYS[0], START)
    later = answered(KEYS[1], START + timedelta(minutes=5))
    snapshot = replay([later], fresh())
    caught_up = replay([early], snapshot)
    assert caught_up.answers == 2
    assert caught_up.questions.keys() == replay([early, later], fresh()).questions.keys()
    assert caught_up.xp == replay([early, later], fresh()).xp
    assert caught_up.last_event == snapshot.last_event


def test_events_round_trip_through_json_as_a_log() -> None:
    log: list[AnyEvent] = [answered(KEYS[0], START), goal(START, 30)]
    adapter = TypeAdapter(list[Event])
    assert adapter.validate_json(adapter.dump_json(log)) == log


# --- XP and anti-farming ---------------------------------------------------------------------


def test_xp_is_weighted_by_difficulty_with_a_first_try_bonus() -> None:
    easy, medium, hard = KEYS[0], KEYS[1], KEYS[2]
    assert replay([answered(easy, START)], fresh()).xp == 10 + 5
    assert replay([answered(medium, START)], fresh()).xp == 20 + 10
    assert replay([answered(hard, START)], fresh()).xp == 30 + 15
    assert replay([answered(hard, START, correct=False)], fresh()).xp == 0
    assert replay([answered(hard, START, correct=False, score=0.5)], fresh()).xp == 15


def test_a_retry_on_the_same_day_earns_only_the_improvement_and_no_bonus() -> None:
    key = KEYS[1]  # medium: 20 XP
    log = [
        answered(key, START, correct=False, score=0.5),
        answered(key, START + timedelta(minutes=1), correct=True),
        answered(key, START + timedelta(minutes=2), correct=True),
        answered(key, START + timedelta(minutes=3), correct=False),
    ]
    assert replay(log, fresh()).xp == 20


def test_after_the_solution_was_shown_an_answer_that_day_is_not_recall() -> None:
    key = KEYS[1]
    first_miss = answered(key, START, correct=False, answer=0)
    second_miss = answered(key, START + timedelta(minutes=1), correct=False, revealed=True)
    right_then = answered(key, START + timedelta(minutes=2), answer=1)
    before = replay([first_miss, second_miss], fresh())
    after = replay([first_miss, second_miss, right_then], fresh())
    mine, was = after.questions[key], before.questions[key]
    assert after.xp == before.xp and after.day_xp == before.day_xp
    assert (mine.card, mine.last_right, mine.right_days, mine.round_best) == (
        was.card, was.last_right, was.right_days, was.round_best,
    )  # fmt: skip
    assert after.correct == before.correct and not mine.mastered
    assert mine.answers == 3 and after.answers == 3  # still an answer given, and shown on reload
    assert mine.last_answer == 1 and mine.solution_day == START.date()
    next_day = answered(key, START + timedelta(days=1), answer=1)
    recalled = replay([first_miss, second_miss, right_then, next_day], fresh())
    assert recalled.questions[key].last_right and recalled.questions[key].right_days == 1
    assert recalled.questions[key].solution_day is None


def test_a_second_try_without_the_solution_still_pays_and_counts() -> None:
    key = KEYS[1]
    miss = answered(key, START, correct=False)
    retry = answered(key, START + timedelta(minutes=1))
    state = replay([miss, retry], fresh())
    assert state.xp == 20 and state.questions[key].right_days == 1  # medium, no first-try bonus


def test_show_answer_stops_recall_for_the_rest_of_the_local_day_in_any_tab() -> None:
    key = KEYS[1]
    miss = answered(key, START, correct=False)
    shown = solution_shown(key, START + timedelta(minutes=1))
    other_tab = answered(key, START + timedelta(minutes=2))
    state = replay([miss, shown, other_tab], fresh())
    assert state.xp == 0 and not state.questions[key].last_right
    assert replay([shown], fresh()).questions == {}  # nothing answered: nothing to mark
    late_evening = solution_shown(key, START + timedelta(hours=14))  # 23:00 on the 4th
    after_midnight = answered(key, START + timedelta(hours=15, minutes=30))
    counted = replay([miss, late_evening, after_midnight], fresh())
    assert counted.xp == 20 and counted.questions[key].right_days == 1


def test_snapshot_rows_are_compact_and_read_the_long_form_too() -> None:
    state = replay([answered(KEYS[0], START, answer=[1, 2])], fresh())
    row = state.model_dump(mode="json")["questions"][KEYS[0]]
    assert row[:7] == [1, 1, 1, 1, 19786, 19786, 1] and row[8:] == [[1, 2], None]
    long_form = [1, True, True, 1, "2024-03-04", "2024-03-04", 1.0, row[7], [1, 2], None]
    assert QuestionProgress.model_validate(long_form) == state.questions[KEYS[0]]


def test_a_mastered_question_pays_nothing_until_it_is_due() -> None:
    key = KEYS[1]
    state = replay([answered(key, START), answered(key, START + timedelta(days=1))], fresh())
    assert state.questions[key].mastered
    due = state.questions[key].card.due_at()
    xp = state.xp
    farming = [answered(key, START + timedelta(days=1, minutes=n)) for n in range(1, 30)]
    farming += [answered(key, START + timedelta(days=2, hours=n)) for n in range(3)]
    assert all(e.at < due for e in farming)
    state = replay(farming, state)
    assert state.xp == xp
    due = state.questions[key].card.due_at()  # every answer reschedules the card
    later = replay([answered(key, due + timedelta(hours=1))], state)
    assert later.xp == xp + 20


@given(
    answers=st.lists(
        st.tuples(st.integers(0, 10 * 24 * 60), st.sampled_from([0.0, 0.5, 1.0])),
        min_size=1,
        max_size=40,
    )
)
def test_a_question_never_pays_more_than_its_value_plus_bonus_per_local_day(
    answers: list[tuple[int, float]],
) -> None:
    key = KEYS[2]  # hard: 30 XP, bonus 15
    log = sorted(
        (
            answered(key, START + timedelta(minutes=m), correct=s == 1.0, score=s)
            for m, s in answers
        ),
        key=sort_key,
    )
    per_day: dict[date, int] = {}
    state = fresh()
    for event in log:
        after = apply(state, event)
        per_day[event.local_date] = per_day.get(event.local_date, 0) + after.xp - state.xp
        state = after
    assert all(0 <= xp <= 30 + 15 for xp in per_day.values())
    assert state.xp == sum(per_day.values())


# --- mastery, badges -------------------------------------------------------------------------


def test_mastered_means_right_on_two_different_days_and_right_last() -> None:
    key = KEYS[0]
    day1 = replay([answered(key, START), answered(key, START + timedelta(hours=2))], fresh())
    assert not day1.questions[key].mastered
    day2 = replay([answered(key, START + timedelta(days=1))], day1)
    assert day2.questions[key].mastered and day2.mastered_questions == 1
    wrong = replay([answered(key, START + timedelta(days=1, hours=1), correct=False)], day2)
    assert not wrong.questions[key].mastered and wrong.mastered_questions == 0


def test_book_index_keeps_same_question_ids_of_different_quizzes_apart() -> None:
    assert question_key("intro", "q1") in BOOK.questions
    assert question_key("more", "q1") in BOOK.questions
    assert BOOK.sizes().sections == {"s1": 3, "s2": 2, "s3": 2}
    assert BOOK.sizes().chapters == {"ch1": 5, "ch2": 2}


def test_badges_are_earned_once_on_the_local_date_they_were_earned() -> None:
    tokyo = 9 * 60
    first = START.replace(hour=20)  # 05:00 the next day in Tokyo
    state = replay([answered(KEYS[0], first, offset_minutes=tokyo)], fresh())
    assert state.badges["first-answer"] == date(2024, 3, 5)
    state = replay([answered(KEYS[1], first + timedelta(days=3))], state)
    assert state.badges["first-answer"] == date(2024, 3, 5)
    assert list(state.badges).count("first-answer") == 1


def test_perfect_section_and_chapter_mastered_badges() -> None:
    small = [k for k in KEYS if k.startswith("small/")]
    day1 = replay([answered(k, START) for k in small], fresh())
    assert day1.badges["first-perfect-section"] == START.date()
    assert "chapter-mastered" not in day1.badges
    day2 = replay([answered(k, START + timedelta(days=1)) for k in small], day1)
    assert day2.badges["chapter-mastered"] == START.date() + timedelta(days=1)
    assert day2.mastered_chapters == 1
    forgot = replay([answered(small[0], START + timedelta(days=1, hours=1), correct=False)], day2)
    assert forgot.mastered_chapters == 0 and "chapter-mastered" in forgot.badges


def test_a_section_is_not_perfect_when_one_first_try_was_wrong() -> None:
    small = [k for k in KEYS if k.startswith("small/")]
    log = [
        answered(small[0], START, correct=False),
        answered(small[0], START + timedelta(minutes=1)),
        answered(small[1], START + timedelta(minutes=2)),
    ]
    assert "first-perfect-section" not in replay(log, fresh()).badges


def test_badge_table_is_well_formed() -> None:
    assert len(BADGES_BY_ID) == len(BADGES) >= 15
    assert all(badge.at_least >= 1 for badge in BADGES)
    state = fresh()
    for badge in BADGES:
        assert state.metric(badge.metric) >= 0


def test_first_review_badge_comes_from_a_review_answer() -> None:
    state = replay([answered(KEYS[0], START)], fresh())
    assert "first-review" not in state.badges
    later = START + timedelta(days=5)
    state = replay([answered(KEYS[0], later, review=True)], state)
    assert state.badges["first-review"] == later.date()


# --- review queue ----------------------------------------------------------------------------


def test_review_queue_lists_what_is_due_most_overdue_first() -> None:
    log = [
        answered(KEYS[3], START, correct=False),
        answered(KEYS[1], START + timedelta(minutes=5), correct=False),
        answered(KEYS[0], START + timedelta(minutes=5), correct=False),
        answered(KEYS[2], START + timedelta(minutes=9)),  # right: due in 10 minutes
    ]
    state = replay(log, fresh())
    now = START + timedelta(minutes=7)
    queue = review_queue(state, BOOK, now)
    assert [item.key for item in queue] == [KEYS[3], KEYS[0], KEYS[1]]
    assert all(item.due <= now for item in queue)
    assert [i.key for i in review_queue(state, BOOK, now, limit=1)] == [KEYS[3]]
    everything = review_queue(state, BOOK, START + timedelta(days=400))
    assert {item.key for item in everything} == {KEYS[0], KEYS[1], KEYS[2], KEYS[3]}


def test_ratings_drive_the_schedule() -> None:
    key = KEYS[6]

    def due_after(rating: Rating) -> datetime:
        day1 = replay([answered(key, START)], fresh())
        event = answered(key, START + timedelta(days=1), rating=rating)
        return replay([event], day1).questions[key].card.due_at()

    assert due_after("again") < due_after("hard") < due_after("good") <= due_after("easy")


# --- recording and the dashboard -------------------------------------------------------------


def test_record_answer_returns_the_event_the_new_state_and_notices() -> None:
    state, events, notes = answer(fresh(), KEYS[2], START)
    assert len(events) == 1 and isinstance(events[0], Answered)
    assert events[0].question_id == "q3" and events[0].section == "s1"
    assert state == replay(events, fresh())
    assert XpEarned(xp=45, total=45) in notes
    assert any(isinstance(n, BadgeEarned) and n.badge.id == "first-answer" for n in notes)
    state, _, notes = answer(state, KEYS[0], START + timedelta(minutes=1))
    state, _, notes = answer(state, KEYS[1], START + timedelta(minutes=2))
    assert state.xp == 90 and not any(isinstance(n, LevelUp) for n in notes)
    state, _, notes = answer(state, KEYS[3], START + timedelta(minutes=3))
    assert state.xp == 120 and LevelUp(level=2) in notes


def test_an_invalid_answer_records_nothing() -> None:
    quiz, q = question(KEYS[0])
    state = fresh()
    after, events, notes = record_answer(state, quiz, q, grade(q, "maybe"), lambda: START, UTC)
    assert after is state and events == [] and notes == []
    with pytest.raises(ValueError):
        other = question(KEYS[1])[1]
        record_answer(state, quiz, q, grade(other, True), lambda: START, UTC)


def test_the_daily_goal_can_change_and_a_met_day_stays_met() -> None:
    state, events, _ = record_daily_goal(fresh(), 20, lambda: START, UTC)
    assert state.daily_goal_xp == 20 and isinstance(events[0], SettingsChanged)
    state, *_ = answer(state, KEYS[0], START + timedelta(minutes=1))  # 15 XP
    assert START.date() not in state.goal_days
    state, _, notes = record_daily_goal(state, 10, lambda: START + timedelta(minutes=2), UTC)
    assert state.goal_days == [START.date()] and any(n.kind == "goal" for n in notes)
    state, *_ = record_daily_goal(state, 500, lambda: START + timedelta(minutes=3), UTC)
    assert state.goal_days == [START.date()]


def test_dashboard_shows_today_from_the_injected_clock_and_zone() -> None:
    state = fresh()
    for n, key in enumerate(KEYS):
        state, *_ = answer(state, key, START + timedelta(minutes=n), right=n % 2 == 0)
    later = START + timedelta(hours=12)  # 06:00 next day in Tokyo, same day in UTC
    tokyo = timezone(timedelta(hours=9))
    utc_board = dashboard(state, BOOK, lambda: later, UTC)
    tokyo_board = dashboard(state, BOOK, lambda: later, tokyo)
    assert utc_board.today == START.date() and tokyo_board.today == START.date() + timedelta(1)
    assert utc_board.today_xp == state.xp and tokyo_board.today_xp == 0
    assert utc_board.level.level == level_for(state.xp)
    assert (utc_board.answers, utc_board.correct) == (7, 4)
    assert utc_board.level.xp_to_next_level == utc_board.level.next_level_at - state.xp
    assert utc_board.goal_met_today and utc_board.streak == 1
    assert utc_board.calendar[-1].day == START.date() and utc_board.calendar[-1].xp == state.xp
    assert utc_board.calendar[0].day.weekday() == 0 and 78 <= len(utc_board.calendar) <= 84
    assert utc_board.mastery.book.total == 7 and utc_board.mastery.book.answered == 7
    assert utc_board.mastery.book.right == 4 and utc_board.mastery.book.mastered == 0
    assert [c.id for c in utc_board.mastery.chapters] == ["ch1", "ch2"]
    assert [s.id for s in utc_board.mastery.chapters[0].sections] == ["s1", "s2"]
    assert utc_board.due_for_review == 7  # learning steps: due again within minutes
    assert dashboard(state, BOOK, lambda: START + timedelta(minutes=7), UTC).due_for_review == 3
    assert {b.badge.id for b in utc_board.badges} == set(state.badges)
    assert len(utc_board.next_badges) == 3
    assert all(p.badge.id not in state.badges for p in utc_board.next_badges)


def test_a_clock_set_back_still_records_the_answer_after_the_last_event() -> None:
    state, first, _ = answer(fresh(), KEYS[0], START)
    state, second, _ = answer(state, KEYS[1], START - timedelta(hours=3))
    assert (
        second[0].at > first[0].at and second[0].local_date == (START - timedelta(hours=3)).date()
    )
    assert state.answers == 2 and state == replay(first + second, fresh())


def test_a_damaged_snapshot_is_rejected() -> None:
    snapshot = replay([answered(KEYS[0], START)], fresh()).model_dump()
    snapshot["questions"][KEYS[0]][7][0] = 7  # no such fsrs state
    with pytest.raises(ValidationError):
        ProgressState.model_validate(snapshot)
    snapshot["questions"][KEYS[0]] = [1, True]
    with pytest.raises(ValidationError):
        ProgressState.model_validate(snapshot)


def test_sizes_only_grow_and_keep_the_history() -> None:
    state = replay([answered(KEYS[0], START)], fresh())
    wider = with_sizes(state, BookSizes(chapters={"c9": 4}, sections={"s1": 1}))
    assert wider.sizes.chapters["c9"] == 4
    assert wider.sizes.sections["s1"] == state.sizes.sections["s1"]  # never shrinks
    assert wider.questions == state.questions and wider.xp == state.xp
    assert with_sizes(wider, wider.sizes) is wider
