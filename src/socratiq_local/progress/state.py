"""The progress state: everything derived from the event log, as one serialisable model.

`replay(events, start)` folds events, in log order, into a state; `apply(state, event)` is the
one-event case. Both are pure: they never change the state they are given. A state dumped to
JSON is a snapshot; replaying later events onto a loaded snapshot gives exactly the state a
replay of the whole log gives.

Every event given is applied once: saying which events a snapshot already holds is the
storage's job (it records, per tab, how far each log was folded). An event that arrives late,
from another tab or an imported file, and sorts before the state's `last_event` is still
counted; it is applied after the newer ones, which only shifts the order-dependent details
(a first-try bonus, the spacing of one review). Old events are folded away for good, so a
snapshot is never thrown away: when a page knows more of the book, `with_sizes` widens the
sizes the chapter and section badges compare with.

A question is *mastered* when its latest answer was right and it has been answered right on at
least two different local days: remembered, not just seen. An answer given on the day its
solution was shown is not recall: it changes no XP, mastery or review card (see `xp.py`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, JsonValue

from .badges import BADGES, Metric
from .book import BookIndex, BookSizes, question_key
from .cards import ReviewCard, review
from .events import Answered, AnyEvent, ProgressImported, SettingsChanged, SolutionShown, sort_key
from .levels import level_for
from .rows import Day, Flag, Number, Row
from .streak import Streak, streak_over
from .xp import first_try_bonus, round_xp

#: Bump when a rule changes what a log derives to: snapshots made under other rules are replayed.
RULES_VERSION = 1
DEFAULT_DAILY_GOAL_XP = 50
MASTERY_DAYS = 2


class QuestionProgress(Row):
    """One question's history, as far as the rules need it, its review card, and the last
    answer (as `quiz.kept` keeps it) with the day its solution was shown, if that is the
    day of the latest answer or later."""

    answers: int
    first_right: Flag
    last_right: Flag
    right_days: int
    last_right_day: Day | None
    round_day: Day | None
    round_best: Number
    card: ReviewCard
    last_answer: JsonValue = None
    solution_day: Day | None = None

    @property
    def mastered(self) -> bool:
        return self.last_right and self.right_days >= MASTERY_DAYS


class ProgressState(BaseModel):
    """Everything derived from the log so far; its JSON is the snapshot."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    rules: int = RULES_VERSION
    sizes: BookSizes = BookSizes()
    events: int = 0
    last_event: tuple[datetime, str] | None = None
    daily_goal_xp: int = DEFAULT_DAILY_GOAL_XP
    xp: int = 0
    answers: int = 0
    correct: int = 0
    review_days: int = 0
    last_review_day: date | None = None
    mastered_questions: int = 0
    mastered_chapters: int = 0
    perfect_sections: int = 0
    chapter_mastered: dict[str, int] = {}
    section_first_right: dict[str, int] = {}
    day_xp: dict[date, int] = {}
    goal_days: list[date] = []
    streak: Streak = Streak()
    badges: dict[str, date] = {}
    questions: dict[str, QuestionProgress] = {}

    @classmethod
    def for_book(cls, book: BookIndex) -> ProgressState:
        """The state of a learner who has done nothing yet in this book."""
        return cls(sizes=book.sizes())

    def metric(self, name: Metric) -> int:
        """The counter a badge rule compares with its threshold."""
        match name:
            case "streak":
                return self.streak.length
            case "goal_days":
                return len(self.goal_days)
            case "level":
                return level_for(self.xp)
            case _:
                value: int = getattr(self, name)
                return value


def with_sizes(state: ProgressState, sizes: BookSizes) -> ProgressState:
    """The state, aware of every chapter and section in `sizes` too (a size never shrinks)."""
    chapters = dict(state.sizes.chapters)
    sections = dict(state.sizes.sections)
    for name, size in sizes.chapters.items():
        chapters[name] = max(size, chapters.get(name, 0))
    for name, size in sizes.sections.items():
        sections[name] = max(size, sections.get(name, 0))
    merged = BookSizes(chapters=chapters, sections=sections)
    return state if merged == state.sizes else state.model_copy(update={"sizes": merged})


def replay(events: Iterable[AnyEvent], start: ProgressState) -> ProgressState:
    """`start` with each of `events` applied once, in log order among themselves."""
    state = start.model_copy(
        update={
            "chapter_mastered": dict(start.chapter_mastered),
            "section_first_right": dict(start.section_first_right),
            "day_xp": dict(start.day_xp),
            "goal_days": list(start.goal_days),
            "badges": dict(start.badges),
            "questions": dict(start.questions),
        }
    )
    for event in sorted(events, key=sort_key):
        _apply_in_place(state, event)
    return state


def fold(snapshot: dict[str, Any] | None, events: Sequence[AnyEvent]) -> dict[str, Any]:
    """The storage's fold (storage.BookStore): a snapshot's progress, as JSON, with more events
    in it."""
    start = ProgressState() if snapshot is None else ProgressState.model_validate(snapshot)
    return replay(events, start).model_dump(mode="json")


def apply(state: ProgressState, event: AnyEvent) -> ProgressState:
    """The state after one more event (the one-event case of `replay`)."""
    return replay([event], state)


def _apply_in_place(state: ProgressState, event: AnyEvent) -> None:
    match event:
        case Answered():
            _answered(state, event)
        case SolutionShown():
            _solution_shown(state, event)
        case SettingsChanged():
            if event.daily_goal_xp is not None:
                state.daily_goal_xp = event.daily_goal_xp
                _check_goal(state, event.local_date)
        case ProgressImported():
            pass
    state.events += 1
    if state.last_event is None or sort_key(event) > state.last_event:
        state.last_event = sort_key(event)
    for badge in BADGES:
        if badge.id not in state.badges and state.metric(badge.metric) >= badge.at_least:
            state.badges[badge.id] = event.local_date


def _answered(state: ProgressState, event: Answered) -> None:
    day = event.local_date
    key = question_key(event.quiz_id, event.question_id)
    before = state.questions.get(key)
    state.answers += 1
    if event.review and state.last_review_day != day:
        state.review_days += 1
        state.last_review_day = day
    if before is not None and seen_solution(before, day):
        state.questions[key] = before.model_copy(
            update={"answers": before.answers + 1, "last_answer": event.answer}
        )
        return

    xp = 0
    if before is None:
        round_day: date | None = day
        best = event.score
        xp = round_xp(event.difficulty, 0.0, best)
        if event.correct:
            xp += first_try_bonus(event.difficulty)
    elif before.round_day == day or before.card.due <= event.at.timestamp():
        best_before = before.round_best if before.round_day == day else 0.0
        round_day, best = day, max(best_before, event.score)
        xp = round_xp(event.difficulty, best_before, best)
    else:
        round_day, best = before.round_day, before.round_best

    last_right_day = None if before is None else before.last_right_day
    right_today = event.correct and last_right_day != day
    after = QuestionProgress(
        answers=1 if before is None else before.answers + 1,
        first_right=event.correct if before is None else before.first_right,
        last_right=event.correct,
        right_days=(0 if before is None else before.right_days) + right_today,
        last_right_day=day if event.correct else last_right_day,
        round_day=round_day,
        round_best=best,
        card=review(None if before is None else before.card, event.rating, event.at),
        last_answer=event.answer,
        solution_day=day if event.revealed else None,
    )
    state.questions[key] = after

    state.correct += event.correct
    if before is None and event.correct and event.section is not None:
        _count_first_right(state, event.section)
    was_mastered = before is not None and before.mastered
    if after.mastered != was_mastered:
        _count_mastered(state, event.chapter, +1 if after.mastered else -1)
    if xp:
        state.xp += xp
        state.day_xp[day] = state.day_xp.get(day, 0) + xp
        _check_goal(state, day)


def seen_solution(progress: QuestionProgress, day: date) -> bool:
    """Whether the learner saw this question's solution on `day` (an answer then is not recall)."""
    return progress.solution_day == day


def _solution_shown(state: ProgressState, event: SolutionShown) -> None:
    key = question_key(event.quiz_id, event.question_id)
    before = state.questions.get(key)
    if before is not None:  # "Show answer" follows an answer; a stray one has nothing to mark
        state.questions[key] = before.model_copy(update={"solution_day": event.local_date})


def _count_first_right(state: ProgressState, section: str) -> None:
    count = state.section_first_right.get(section, 0) + 1
    state.section_first_right[section] = count
    if count == state.sizes.sections.get(section):
        state.perfect_sections += 1


def _count_mastered(state: ProgressState, chapter: str | None, change: int) -> None:
    state.mastered_questions += change
    if chapter is None:
        return
    size = state.sizes.chapters.get(chapter)
    count = state.chapter_mastered.get(chapter, 0)
    state.chapter_mastered[chapter] = count + change
    if size == (count + 1 if change > 0 else count):
        state.mastered_chapters += change


def _check_goal(state: ProgressState, day: date) -> None:
    """Mark `day` a goal day once its XP reaches the goal in force, and update the streak."""
    if state.day_xp.get(day, 0) < state.daily_goal_xp:
        return
    days = state.goal_days
    at = bisect_left(days, day)
    if at < len(days) and days[at] == day:
        return
    if at == len(days):
        days.append(day)
        state.streak = state.streak.extend(day)
    else:  # local dates can go back in log order (flying west): recount from the start
        insort(days, day)
        state.streak = streak_over(days)
