"""The dashboard's data: one model with everything the progress page shows, for "today".

"Today" is the learner's local date from the injected clock and time zone; everything else
comes from the state, so the page can be redrawn at any moment without touching the log.
Besides the numbers it decides the one thing to do next (`NextStep`), so the page can say it
in a sentence instead of leaving the reader to read it off a report.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .badges import BADGES, Badge
from .book import BookIndex
from .events import Clock
from .levels import LevelProgress, level_progress
from .mastery import BookMastery, mastery
from .review import due_count, next_due
from .state import ProgressState

CALENDAR_WEEKS = 12
#: The daily goals a reader picks from (XP a day); the default, 50, is among them.
GOAL_CHOICES = (20, 50, 100, 200)


class EarnedBadge(BaseModel):
    model_config = ConfigDict(frozen=True)

    badge: Badge
    earned_on: date


class BadgeProgress(BaseModel):
    """A badge not yet earned, and how far its counter has come."""

    model_config = ConfigDict(frozen=True)

    badge: Badge
    value: int


class DayActivity(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    xp: int
    goal_met: bool


class NextStep(BaseModel):
    """The one thing to do next: review what is due, go on with a chapter, come back on a day
    when questions right once come back (right again then, they count as mastered), and so on.

    `chapter` is an index into the dashboard's `mastery.chapters`."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["empty", "start", "review", "continue", "come_back", "done"]
    chapter: int | None = None
    count: int = 0
    on: date | None = None


class Dashboard(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: date
    level: LevelProgress
    answers: int
    correct: int
    daily_goal_xp: int
    today_xp: int
    goal_met_today: bool
    streak: int
    best_streak: int
    freezes_held: int
    missed_days_to_freeze: int
    badges: list[EarnedBadge]
    next_badges: list[BadgeProgress]
    mastery: BookMastery
    calendar: list[DayActivity]
    due_for_review: int
    next_review_on: date | None
    current_chapter: int | None
    next_step: NextStep
    goal_choices: list[int]


def activity_calendar(state: ProgressState, today: date) -> list[DayActivity]:
    """XP per local day for the last 12 calendar weeks (Monday first), through today."""
    start = today - timedelta(days=today.weekday() + 7 * (CALENDAR_WEEKS - 1))
    goal_days = set(state.goal_days)
    days = (start + timedelta(days=n) for n in range((today - start).days + 1))
    return [DayActivity(day=d, xp=state.day_xp.get(d, 0), goal_met=d in goal_days) for d in days]


def next_badges(state: ProgressState, count: int = 3) -> list[BadgeProgress]:
    """The unearned badges closest to being earned."""
    pending = [
        BadgeProgress(badge=badge, value=state.metric(badge.metric))
        for badge in BADGES
        if badge.id not in state.badges
    ]
    pending.sort(key=lambda p: -min(p.value, p.badge.at_least) / p.badge.at_least)
    return pending[:count]


def current_chapter(state: ProgressState, book: BookIndex, board: BookMastery) -> int | None:
    """The chapter of the latest answer (the first chapter before any): where the reader is."""
    if not board.chapters:
        return None
    latest: tuple[int, str | None] | None = None
    for key, place in book.questions.items():
        progress = state.questions.get(key)
        if progress is not None and (latest is None or progress.card.last_review > latest[0]):
            latest = (progress.card.last_review, place.chapter)
    ids = [chapter.id for chapter in board.chapters]
    return 0 if latest is None else ids.index(latest[1])


def next_step(
    board: BookMastery, current: int | None, due: int, next_review_on: date | None
) -> NextStep:
    """What to do next, in order: review what is due, go on where the reader is, go on with
    the next chapter that has new questions, come back when questions return, or rest."""
    if current is None or not board.book.total:
        return NextStep(kind="empty")
    if not board.book.answered:
        return NextStep(kind="start", chapter=current, count=board.chapters[current].total)
    if due:
        return NextStep(kind="review", count=due)
    chapters = board.chapters
    for index in [current, *range(current + 1, len(chapters)), *range(current)]:
        if chapters[index].new:
            return NextStep(kind="continue", chapter=index, count=chapters[index].new)
    if board.book.mastered < board.book.total:
        return NextStep(
            kind="come_back", count=board.book.total - board.book.mastered, on=next_review_on
        )
    return NextStep(kind="done", count=board.book.total)


def goal_choices(current: int) -> list[int]:
    """The goals offered, the reader's own among them even if set otherwise."""
    return sorted({*GOAL_CHOICES, current})


def dashboard(state: ProgressState, book: BookIndex, clock: Clock, tz: tzinfo) -> Dashboard:
    now = clock()
    today = now.astimezone(tz).date()
    board = mastery(state, book, tz)
    current = current_chapter(state, book, board)
    due = due_count(state, book, now)
    upcoming: datetime | None = next_due(state, book)
    review_on = None if upcoming is None else upcoming.astimezone(tz).date()
    streak = state.streak.current(today)
    missed = state.streak.missed_before(today)
    today_xp = state.day_xp.get(today, 0)
    return Dashboard(
        today=today,
        level=level_progress(state.xp),
        answers=state.answers,
        correct=state.correct,
        daily_goal_xp=state.daily_goal_xp,
        today_xp=today_xp,
        goal_met_today=today in state.goal_days,
        streak=streak,
        best_streak=state.streak.best,
        freezes_held=state.streak.freezes,
        missed_days_to_freeze=missed if streak else 0,
        badges=sorted(
            (
                EarnedBadge(badge=badge, earned_on=state.badges[badge.id])
                for badge in BADGES
                if badge.id in state.badges
            ),
            key=lambda earned: earned.earned_on,
        ),
        next_badges=next_badges(state),
        mastery=board,
        calendar=activity_calendar(state, today),
        due_for_review=due,
        next_review_on=review_on,
        current_chapter=current,
        next_step=next_step(board, current, due, review_on),
        goal_choices=goal_choices(state.daily_goal_xp),
    )
