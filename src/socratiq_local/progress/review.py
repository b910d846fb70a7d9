"""The review queue: every question of the book whose card is due, most overdue first."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from .book import BookIndex, Place
from .state import ProgressState


class DueQuestion(BaseModel):
    """A question to review, and since when it has been due."""

    model_config = ConfigDict(frozen=True)

    key: str
    place: Place
    due: datetime


def review_queue(
    state: ProgressState, book: BookIndex, now: datetime, limit: int | None = None
) -> list[DueQuestion]:
    """Due questions across the whole book, oldest due date first (ties in reading order)."""
    now_seconds = now.timestamp()
    due = [
        (progress.card.due, order, key)
        for order, key in enumerate(book.questions)
        if (progress := state.questions.get(key)) is not None and progress.card.due <= now_seconds
    ]
    due.sort()
    return [
        DueQuestion(key=key, place=book.questions[key], due=state.questions[key].card.due_at())
        for _, _, key in due[:limit]
    ]


def due_count(state: ProgressState, book: BookIndex, now: datetime) -> int:
    now_seconds = now.timestamp()
    return sum(
        1
        for key in book.questions
        if (progress := state.questions.get(key)) is not None and progress.card.due <= now_seconds
    )
