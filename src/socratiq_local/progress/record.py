"""Recording what the learner does: new events, the state after them, and what to announce.

The browser stores the new events, keeps the new state, and turns each notice into a DOM
event (`socratiq:badge`, `socratiq:level`, ...). Notices are the difference between the state
before and after, so the same function can announce what a merge of another tab's events
brought.
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, JsonValue

from ..quiz.grading import GradeResult
from ..quiz.models import AnyQuestion, Quiz
from .badges import BADGES_BY_ID, Badge
from .events import Answered, AnyEvent, Clock, SettingsChanged, SolutionShown, new_event_fields
from .levels import level_for
from .state import ProgressState, apply


class _Notice(BaseModel):
    model_config = ConfigDict(frozen=True)


class XpEarned(_Notice):
    kind: Literal["xp"] = "xp"
    xp: int
    total: int


class LevelUp(_Notice):
    kind: Literal["level"] = "level"
    level: int


class BadgeEarned(_Notice):
    kind: Literal["badge"] = "badge"
    badge: Badge
    earned_on: date


class GoalMet(_Notice):
    kind: Literal["goal"] = "goal"
    day: date
    daily_goal_xp: int


class StreakExtended(_Notice):
    kind: Literal["streak"] = "streak"
    days: int


class FreezesSpent(_Notice):
    """Freezes spent on missed days to keep the streak alive."""

    kind: Literal["freeze"] = "freeze"
    count: int
    held: int


Notice = Annotated[
    XpEarned | LevelUp | BadgeEarned | GoalMet | StreakExtended | FreezesSpent,
    Discriminator("kind"),
]


def notices(before: ProgressState, after: ProgressState) -> list[Notice]:
    """What changed between two states that the learner should be told about."""
    found: list[Notice] = []
    if after.xp > before.xp:
        found.append(XpEarned(xp=after.xp - before.xp, total=after.xp))
    if (level := level_for(after.xp)) > level_for(before.xp):
        found.append(LevelUp(level=level))
    new_goal_days = sorted(set(after.goal_days) - set(before.goal_days))
    found += [GoalMet(day=day, daily_goal_xp=after.daily_goal_xp) for day in new_goal_days]
    if (spent := after.streak.freezes_used - before.streak.freezes_used) > 0:
        found.append(FreezesSpent(count=spent, held=after.streak.freezes))
    if new_goal_days and after.streak.length > 1:
        found.append(StreakExtended(days=after.streak.length))
    found += [
        BadgeEarned(badge=BADGES_BY_ID[badge_id], earned_on=earned_on)
        for badge_id, earned_on in after.badges.items()
        if badge_id not in before.badges and badge_id in BADGES_BY_ID
    ]
    return found


def _event_fields(state: ProgressState, clock: Clock, tz: tzinfo) -> dict[str, Any]:
    """Fields for a new event, which must sort after the state's last (clocks can go back)."""
    fields = new_event_fields(clock, tz)
    if state.last_event is not None and fields["at"] <= state.last_event[0]:
        fields["at"] = state.last_event[0] + timedelta(milliseconds=1)
    return fields


def _record(
    state: ProgressState, event: AnyEvent
) -> tuple[ProgressState, list[AnyEvent], list[Notice]]:
    after = apply(state, event)
    return after, [event], notices(state, after)


def record_answer(
    state: ProgressState,
    quiz: Quiz,
    question: AnyQuestion,
    result: GradeResult,
    clock: Clock,
    tz: tzinfo,
    review: bool = False,
    *,
    answer: JsonValue = None,
    revealed: bool = False,
) -> tuple[ProgressState, list[AnyEvent], list[Notice]]:
    """Record a graded answer (`answer` as `quiz.kept` keeps it; `revealed`: its feedback shows
    the solution). An answer that could not be graded is not an attempt: no event."""
    if result.question_id != question.id:
        raise ValueError(f"the result is for {result.question_id!r}, not {question.id!r}")
    if not result.valid:
        return state, [], []
    event = Answered(
        **_event_fields(state, clock, tz),
        quiz_id=quiz.id,
        question_id=question.id,
        chapter=quiz.chapter,
        section=quiz.section_of(question),
        difficulty=question.worth,
        correct=result.correct,
        score=result.score,
        rating=result.rating,
        self_rated=question.type == "short_answer",
        review=review,
        answer=answer,
        revealed=revealed,
    )
    return _record(state, event)


def record_solution_shown(
    state: ProgressState, quiz: Quiz, question: AnyQuestion, clock: Clock, tz: tzinfo
) -> tuple[ProgressState, list[AnyEvent], list[Notice]]:
    """The learner asked for the solution: answers to it later today are not recall."""
    event = SolutionShown(
        **_event_fields(state, clock, tz), quiz_id=quiz.id, question_id=question.id
    )
    return _record(state, event)


def record_daily_goal(
    state: ProgressState, daily_goal_xp: int, clock: Clock, tz: tzinfo
) -> tuple[ProgressState, list[AnyEvent], list[Notice]]:
    """Change the daily XP goal from now on (a day already met stays met)."""
    event = SettingsChanged(**_event_fields(state, clock, tz), daily_goal_xp=daily_goal_xp)
    return _record(state, event)
