"""The dashboard's data: one model with everything the progress page shows, for "today".

"Today" is the learner's local date from the injected clock and time zone; everything else
comes from the state, so the page can be redrawn at any moment without touching the log.
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict

from .badges import BADGES, Badge
from .book import BookIndex
from .events import Clock
from .levels import LevelProgress, level_progress
from .mastery import BookMastery, mastery
from .review import due_count
from .state import ProgressState

CALENDAR_WEEKS = 12


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


def dashboard(state: ProgressState, book: BookIndex, clock: Clock, tz: tzinfo) -> Dashboard:
    now = clock()
    today = now.astimezone(tz).date()
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
        mastery=mastery(state, book),
        calendar=activity_calendar(state, today),
        due_for_review=due_count(state, book, now),
    )
