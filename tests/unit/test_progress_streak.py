"""Streaks and freezes: the fold itself, then real answers across DST, travel and a year."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socratiq_local.progress.book import BookIndex
from socratiq_local.progress.dashboard import dashboard
from socratiq_local.progress.events import AnyEvent, sort_key
from socratiq_local.progress.levels import level_for
from socratiq_local.progress.record import FreezesSpent, record_answer
from socratiq_local.progress.review import review_queue
from socratiq_local.progress.state import ProgressState, replay
from socratiq_local.progress.streak import MAX_FREEZES, streak_over
from socratiq_local.quiz.grading import grade
from socratiq_local.quiz.models import Quiz

D0 = date(2024, 1, 1)


def days(*offsets: int) -> list[date]:
    return [D0 + timedelta(days=n) for n in offsets]


def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - a Python without time-zone data
        pytest.skip(f"no time-zone data for {name}")


# --- the fold --------------------------------------------------------------------------------


def test_consecutive_days_make_a_streak_and_a_gap_breaks_it() -> None:
    assert streak_over(days(0, 1, 2)).length == 3
    broken = streak_over(days(0, 1, 2, 4, 5))
    assert broken.length == 2 and broken.best == 3 and broken.freezes == 0


def test_a_freeze_is_earned_every_7_days_and_at_most_2_are_held() -> None:
    assert streak_over(days(*range(6))).freezes == 0
    assert streak_over(days(*range(7))).freezes == 1
    assert streak_over(days(*range(14))).freezes == 2
    capped = streak_over(days(*range(21)))
    assert capped.freezes == MAX_FREEZES == capped.freezes_earned


def test_freezes_cover_missed_days_automatically() -> None:
    week = list(range(7))
    one_missed = streak_over(days(*week, 8))  # day 7 missed, covered
    assert one_missed.length == 8 and one_missed.freezes == 0 and one_missed.freezes_used == 1
    two_missed = streak_over(days(*week, 9))  # one freeze cannot cover two days
    assert two_missed.length == 1 and two_missed.freezes == 1 and two_missed.freezes_used == 0
    fortnight = streak_over(days(*range(14), 16))  # two freezes cover two days
    assert fortnight.length == 15 and fortnight.freezes == 0 and fortnight.freezes_used == 2


def test_the_streak_shown_today_waits_for_freezes_and_for_today() -> None:
    streak = streak_over(days(*range(7)))  # last goal day: day 6, one freeze
    assert streak.current(D0 + timedelta(days=7)) == 7  # today still open
    assert streak.current(D0 + timedelta(days=8)) == 7  # one missed day, one freeze
    assert streak.current(D0 + timedelta(days=9)) == 0
    assert streak.current(D0 + timedelta(days=3)) == 7  # "today" behind the log: travelled west
    with pytest.raises(ValueError):
        streak.extend(D0 + timedelta(days=6))


@given(offsets=st.sets(st.integers(0, 120), max_size=80))
def test_streak_invariants(offsets: set[int]) -> None:
    goal_days = days(*sorted(offsets))
    streak = streak_over(goal_days)
    assert 0 <= streak.freezes <= MAX_FREEZES
    assert streak.freezes == streak.freezes_earned - streak.freezes_used
    assert streak.length <= streak.best <= len(goal_days)
    assert streak.last_day == (goal_days[-1] if goal_days else None)
    if goal_days and goal_days[-1] - goal_days[0] == timedelta(days=len(goal_days) - 1):
        assert streak.length == len(goal_days)


# --- real answers ----------------------------------------------------------------------------

QUIZ = Quiz.model_validate(
    {
        "id": "daily",
        "title": "A question a day",
        "chapter": "ch",
        "section": "sec",
        "questions": [
            {"type": "true_false", "id": f"d{n}", "text": f"Fact {n}.", "answer": True}
            for n in range(1_000)
        ],
    }
)
BOOK = BookIndex.from_quizzes([QUIZ])


class Learner:
    """Answers questions through `record_answer`, keeping the state and the log."""

    def __init__(self) -> None:
        self.state = ProgressState.for_book(BOOK)
        self.log: list[AnyEvent] = []
        self.next_new = 0
        self.notices: list[object] = []

    def answer(
        self, at: datetime, tz: tzinfo, right: bool = True, index: int | None = None
    ) -> None:
        if index is None:
            index, self.next_new = self.next_new, self.next_new + 1
        question = QUIZ.questions[index]
        result = grade(question, right)
        self.state, events, notes = record_answer(
            self.state, QUIZ, question, result, lambda: at, tz, review=index < self.next_new - 1
        )
        self.log += events
        self.notices += notes

    def meets_goal(self, local: datetime) -> None:
        """Two new questions right (60 XP, goal 50) at a local wall-clock time."""
        assert local.tzinfo is not None
        for minute in range(2):
            self.answer((local + timedelta(minutes=minute)).astimezone(UTC), local.tzinfo)


def local(tz: tzinfo, day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=tz)


@pytest.mark.parametrize(
    ("name", "dst_day"),
    [
        ("America/New_York", date(2024, 3, 10)),
        ("America/New_York", date(2024, 11, 3)),
        ("Europe/Berlin", date(2024, 3, 31)),
        ("Europe/Berlin", date(2024, 10, 27)),
    ],
)
def test_a_streak_runs_through_a_dst_change(name: str, dst_day: date) -> None:
    tz = zone(name)
    learner = Learner()
    first = dst_day - timedelta(days=3)
    for n in range(7):  # alternate just before and just after midnight
        day = first + timedelta(days=n)
        learner.meets_goal(local(tz, day, 23, 45) if n % 2 else local(tz, day, 0, 5))
    assert [e.local_date for e in learner.log[::2]] == [first + timedelta(n) for n in range(7)]
    assert learner.state.streak.length == 7 and learner.state.goal_days[-1] == first + timedelta(6)
    board = dashboard(learner.state, BOOK, lambda: local(tz, first + timedelta(7), 12), tz)
    assert board.streak == 7 and board.freezes_held == 1


def test_minutes_apart_across_a_dst_midnight_are_two_days() -> None:
    tz = zone("America/New_York")
    learner = Learner()
    learner.meets_goal(local(tz, date(2024, 3, 9), 23, 57))
    learner.meets_goal(local(tz, date(2024, 3, 10), 0, 1))
    assert learner.state.goal_days == [date(2024, 3, 9), date(2024, 3, 10)]
    assert learner.state.streak.length == 2


def test_the_repeated_hour_of_fall_back_is_one_day() -> None:
    tz = zone("Europe/Berlin")
    learner = Learner()
    day = date(2024, 10, 27)
    learner.answer(local(tz, day, 2, 30, fold=0).astimezone(UTC), tz)
    learner.answer(local(tz, day, 2, 30, fold=1).astimezone(UTC), tz)
    first, second = learner.log
    assert second.at - first.at == timedelta(hours=1)
    assert first.local_date == second.local_date == day
    assert (first.utc_offset_minutes, second.utc_offset_minutes) == (120, 60)
    assert learner.state.goal_days == [day]


def test_flying_berlin_tokyo_san_francisco_answering_every_local_day_keeps_the_streak() -> None:
    berlin, tokyo, sf = zone("Europe/Berlin"), zone("Asia/Tokyo"), zone("America/Los_Angeles")
    learner = Learner()
    trip = [(berlin, 20, 0)] * 5 + [(tokyo, 7, 30)] * 5 + [(sf, 21, 0)] * 5
    start = date(2024, 3, 25)  # Berlin switches to summer time during the trip
    for n, (tz, hour, minute) in enumerate(trip):
        learner.meets_goal(local(tz, start + timedelta(days=n), hour, minute))
    log_days = sorted({e.local_date for e in learner.log})
    assert log_days == [start + timedelta(days=n) for n in range(15)]
    assert learner.state.streak.length == 15 and learner.state.streak.freezes_used == 0
    assert learner.state.badges["streak-7"] == start + timedelta(days=6)


def test_a_day_met_late_in_log_order_flying_west_still_joins_the_streak() -> None:
    tokyo, sf = zone("Asia/Tokyo"), zone("America/Los_Angeles")
    learner = Learner()
    learner.meets_goal(local(tokyo, date(2024, 5, 10), 20))
    learner.meets_goal(local(tokyo, date(2024, 5, 12), 7))  # 11th skipped in Tokyo...
    learner.meets_goal(local(sf, date(2024, 5, 11), 18))  # ...and met after landing in SF
    assert [e.local_date.day for e in learner.log[::2]] == [10, 12, 11]
    assert learner.log[-1].at > learner.log[2].at
    assert learner.state.goal_days == [date(2024, 5, d) for d in (10, 11, 12)]
    assert learner.state.streak.length == 3
    assert learner.state == replay(learner.log, ProgressState.for_book(BOOK))


def test_freezes_spent_under_replay_are_announced_and_stable() -> None:
    tz = UTC
    learner = Learner()
    for n in [*range(7), 8]:  # a missed day covered by the freeze earned on day 7
        learner.meets_goal(local(tz, D0 + timedelta(days=n), 10))
    assert learner.state.streak.length == 8 and learner.state.streak.freezes_used == 1
    assert FreezesSpent(count=1, held=0) in learner.notices
    log = sorted(learner.log, key=sort_key)
    for cut in range(0, len(log) + 1, 3):
        head = replay(log[:cut], ProgressState.for_book(BOOK))
        resumed = replay(log[cut:], ProgressState.model_validate_json(head.model_dump_json()))
        assert resumed.streak == learner.state.streak


def test_a_year_of_daily_use() -> None:
    try:
        tz: tzinfo = ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:  # Pyodide has no time-zone data: the offset the page gives
        tz = timezone(timedelta(hours=1))
    rng = random.Random(2024)
    learner = Learner()
    day = date(2024, 1, 1)
    for _ in range(366):
        if rng.random() < 0.9:  # some days off
            at = local(tz, day, rng.randint(6, 22), rng.randint(0, 59))
            learner.meets_goal(at)
            now = at.astimezone(UTC) + timedelta(minutes=5)
            for n, due in enumerate(review_queue(learner.state, BOOK, now, limit=5)):
                index = int(due.place.question_id[1:])
                learner.answer(now + timedelta(minutes=n), tz, rng.random() < 0.85, index)
        day += timedelta(days=1)

    state = learner.state
    assert state == replay(learner.log, ProgressState.for_book(BOOK))
    assert state.xp == sum(state.day_xp.values()) and state.answers == len(learner.log)
    assert 300 <= len(state.goal_days) <= 366 and state.goal_days == sorted(set(state.goal_days))
    assert state.streak.freezes == state.streak.freezes_earned - state.streak.freezes_used
    assert state.streak.freezes_used > 0 and state.streak.best >= 30
    assert {"first-answer", "streak-7", "streak-30", "goal-days-30", "first-review"} <= set(
        state.badges
    )
    answered_days = {e.local_date for e in learner.log}
    assert all(earned in answered_days for earned in state.badges.values())
    assert list(state.badges.values()) == sorted(state.badges.values())
    board = dashboard(state, BOOK, lambda: local(tz, day, 12), tz)
    assert board.level.level == level_for(state.xp) > 10
    assert sum(a.xp for a in board.calendar) == sum(
        xp for d, xp in state.day_xp.items() if d >= board.calendar[0].day
    )
    assert len(state.model_dump_json()) < 200 * len(state.questions) + 20_000
