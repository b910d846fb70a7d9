"""Badges are data: each is a counter of the learner's progress and the value that earns it.

Adding a badge is adding a row here; no code changes. A badge is earned once, on the local
date of the event that first lifted its counter to the threshold, and is kept even if the
counter falls later (a mastered question forgotten, a streak broken).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Metric = Literal[
    "answers",
    "goal_days",
    "streak",
    "perfect_sections",
    "mastered_questions",
    "mastered_chapters",
    "review_days",
    "level",
]

METRIC_MEANING: dict[Metric, str] = {
    "answers": "questions answered (every answer counts)",
    "goal_days": "days on which the daily goal was met",
    "streak": "the current streak, in days",
    "perfect_sections": "sections with every question right at the first try",
    "mastered_questions": "questions mastered now",
    "mastered_chapters": "chapters with every question mastered now",
    "review_days": "days with a review session",
    "level": "the current level",
}


class Badge(BaseModel):
    """A badge, earned when `metric` first reaches `at_least`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    description: str
    metric: Metric
    at_least: int


def _badge(id: str, title: str, description: str, metric: Metric, at_least: int) -> Badge:
    return Badge(id=id, title=title, description=description, metric=metric, at_least=at_least)


BADGES: tuple[Badge, ...] = (
    _badge("first-answer", "First step", "Answer your first question.", "answers", 1),
    _badge("first-goal", "On target", "Meet your daily goal.", "goal_days", 1),
    _badge(
        "first-perfect-section",
        "Flawless",
        "Get every question of a section right at the first try.",
        "perfect_sections",
        1,
    ),
    _badge("streak-3", "Warming up", "Keep a 3-day streak.", "streak", 3),
    _badge("streak-7", "One week", "Keep a 7-day streak.", "streak", 7),
    _badge(
        "first-review", "Looking back", "Answer questions in a review session.", "review_days", 1
    ),
    _badge("mastered-10", "Taking root", "Master 10 questions.", "mastered_questions", 10),
    _badge("level-5", "Level 5", "Reach level 5.", "level", 5),
    _badge("answers-100", "Century", "Answer 100 questions.", "answers", 100),
    _badge(
        "chapter-mastered",
        "Chapter master",
        "Master every question of a chapter.",
        "mastered_chapters",
        1,
    ),
    _badge(
        "perfect-sections-10",
        "Sharpshooter",
        "Get 10 sections right at the first try.",
        "perfect_sections",
        10,
    ),
    _badge("review-days-10", "Spaced out", "Review on 10 different days.", "review_days", 10),
    _badge("streak-30", "One month", "Keep a 30-day streak.", "streak", 30),
    _badge("goal-days-30", "Habit", "Meet your daily goal on 30 days.", "goal_days", 30),
    _badge("level-10", "Level 10", "Reach level 10.", "level", 10),
    _badge("mastered-100", "Deep roots", "Master 100 questions.", "mastered_questions", 100),
    _badge("answers-1000", "Thousand", "Answer 1,000 questions.", "answers", 1000),
    _badge("streak-100", "Unstoppable", "Keep a 100-day streak.", "streak", 100),
)

BADGES_BY_ID: dict[str, Badge] = {badge.id: badge for badge in BADGES}
