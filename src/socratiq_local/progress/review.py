"""Review: the queue of questions whose card is due, and a review session over it.

A session is the due queue taken when the reader presses "Review now", shown one card at a
time. It holds no answers of its own: each card is answered through the usual log, and the
session reads what happened to a card from the progress state (did its answer count grow,
was the latest answer right), so a session can never disagree with the log.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .book import BookIndex, Place
from .state import ProgressState

Outcome = Literal["right", "wrong", "skipped"]


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


def next_due(
    state: ProgressState, book: BookIndex, keys: list[str] | None = None
) -> datetime | None:
    """When the first card of the book (or of `keys`) is due; None if none was answered."""
    dues = [
        progress.card.due
        for key in (book.questions if keys is None else keys)
        if (progress := state.questions.get(key)) is not None
    ]
    return datetime.fromtimestamp(min(dues), UTC) if dues else None


class ReviewSession(BaseModel):
    """The cards of one review session, where the reader is, and what became of each card."""

    model_config = ConfigDict(frozen=True)

    cards: list[DueQuestion]
    answers_before: list[int]
    outcomes: list[Outcome] = []

    @property
    def position(self) -> int:
        """The index of the card shown (== len(cards) when the session is over)."""
        return len(self.outcomes)

    @property
    def current(self) -> DueQuestion | None:
        return self.cards[self.position] if self.position < len(self.cards) else None


class ReviewSummary(BaseModel):
    """The end of a session: how it went and when the reviewed questions come back."""

    model_config = ConfigDict(frozen=True)

    today: date
    cards: int
    answered: int
    right: int
    next_review_on: date | None
    still_due: int


def start_review(state: ProgressState, book: BookIndex, now: datetime, limit: int) -> ReviewSession:
    """A session over the due queue, at most `limit` cards (an empty one if nothing is due)."""
    cards = review_queue(state, book, now, limit)
    return ReviewSession(
        cards=cards, answers_before=[state.questions[card.key].answers for card in cards]
    )


def next_card(session: ReviewSession, state: ProgressState) -> ReviewSession:
    """The session moved past its current card, noting whether it was answered, and how."""
    card = session.current
    if card is None:
        return session
    progress = state.questions.get(card.key)
    before = session.answers_before[session.position]
    outcome: Outcome
    if progress is None or progress.answers <= before:
        outcome = "skipped"
    else:
        outcome = "right" if progress.last_right else "wrong"
    return session.model_copy(update={"outcomes": [*session.outcomes, outcome]})


def review_summary(
    session: ReviewSession, state: ProgressState, book: BookIndex, now: datetime, tz: tzinfo
) -> ReviewSummary:
    upcoming = next_due(state, book, [card.key for card in session.cards])
    return ReviewSummary(
        today=now.astimezone(tz).date(),
        cards=len(session.cards),
        answered=sum(outcome != "skipped" for outcome in session.outcomes),
        right=session.outcomes.count("right"),
        next_review_on=None if upcoming is None else upcoming.astimezone(tz).date(),
        still_due=due_count(state, book, now),
    )
