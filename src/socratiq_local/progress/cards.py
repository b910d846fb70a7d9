"""Each question is an fsrs card; this keeps its scheduling state small and exact.

fsrs's own JSON stores full-precision floats and ISO timestamps with microseconds (about 190
bytes a card). Here times are whole UTC seconds and stability and difficulty are rounded to 4
decimals *every time a card is reviewed*, so a card resumed from a snapshot is bit-for-bit the
card a full replay would have: snapshot + later events always equals replaying everything.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Scheduler, State
from fsrs import Rating as FsrsRating
from pydantic import Field

from ..quiz.models import Rating
from .rows import Row

#: No fuzzing: the same log must give the same schedule on every replay.
SCHEDULER = Scheduler(enable_fuzzing=False)

FSRS_RATING: dict[Rating, FsrsRating] = {
    "again": FsrsRating.Again,
    "hard": FsrsRating.Hard,
    "good": FsrsRating.Good,
    "easy": FsrsRating.Easy,
}


class ReviewCard(Row):
    """An fsrs card: state 1 learning, 2 review, 3 relearning; times in UTC epoch seconds."""

    state: int = Field(ge=1, le=3)
    step: int | None = Field(ge=0)
    stability: float = Field(gt=0)
    difficulty: float = Field(ge=1, le=10)
    due: int
    last_review: int

    def to_fsrs(self) -> Card:
        return Card(
            card_id=0,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=datetime.fromtimestamp(self.due, UTC),
            last_review=datetime.fromtimestamp(self.last_review, UTC),
        )

    def due_at(self) -> datetime:
        return datetime.fromtimestamp(self.due, UTC)


def review(card: ReviewCard | None, rating: Rating, at: datetime) -> ReviewCard:
    """The card after being answered with `rating` at `at` (None: a question never seen).

    A late answer (from another tab, or imported) that predates the card's last review is
    taken as given at that review: a schedule cannot run backwards."""
    seconds = max(int(at.timestamp()), card.last_review if card is not None else 0)
    when = datetime.fromtimestamp(seconds, UTC)
    before = Card(card_id=0, due=when) if card is None else card.to_fsrs()
    after, _ = SCHEDULER.review_card(before, FSRS_RATING[rating], review_datetime=when)
    assert after.stability is not None and after.difficulty is not None
    return ReviewCard(
        state=int(after.state),
        step=after.step,
        stability=round(after.stability, 4),
        difficulty=round(after.difficulty, 4),
        due=int(after.due.timestamp()),
        last_review=seconds,
    )
