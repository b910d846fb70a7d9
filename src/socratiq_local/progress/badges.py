"""Badges are data: each is a counter of the learner's progress and the value that earns it.

Adding a badge is adding a row here; no code changes. A badge is earned once, on the local
date of the event that first lifted its counter to the threshold, and is kept even if the
counter falls later (a mastered question forgotten, a streak broken).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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

    id: str = Field(description="Its words are the UI strings badge.<id>.title and .description.")
    metric: Metric
    at_least: int


BADGES: tuple[Badge, ...] = (
    Badge(id="first-answer", metric="answers", at_least=1),
    Badge(id="first-goal", metric="goal_days", at_least=1),
    Badge(id="first-perfect-section", metric="perfect_sections", at_least=1),
    Badge(id="streak-3", metric="streak", at_least=3),
    Badge(id="streak-7", metric="streak", at_least=7),
    Badge(id="first-review", metric="review_days", at_least=1),
    Badge(id="mastered-10", metric="mastered_questions", at_least=10),
    Badge(id="level-5", metric="level", at_least=5),
    Badge(id="answers-100", metric="answers", at_least=100),
    Badge(id="chapter-mastered", metric="mastered_chapters", at_least=1),
    Badge(id="perfect-sections-10", metric="perfect_sections", at_least=10),
    Badge(id="review-days-10", metric="review_days", at_least=10),
    Badge(id="streak-30", metric="streak", at_least=30),
    Badge(id="goal-days-30", metric="goal_days", at_least=30),
    Badge(id="level-10", metric="level", at_least=10),
    Badge(id="mastered-100", metric="mastered_questions", at_least=100),
    Badge(id="answers-1000", metric="answers", at_least=1000),
    Badge(id="streak-100", metric="streak", at_least=100),
)

BADGES_BY_ID: dict[str, Badge] = {badge.id: badge for badge in BADGES}
