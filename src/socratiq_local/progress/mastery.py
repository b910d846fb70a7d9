"""Mastery per section, chapter and book, said so that it explains itself on day one.

A question is mastered when its latest answer was right and it has been answered right on at
least two different days (see `QuestionProgress.mastered`): remembered, not just seen. So a
chapter answered right on its first day is not yet mastered, and the reader should be told
why and when that changes. Each part of the book therefore counts its questions in four
groups (new, missed, right once, mastered) and says when the first "right once" question
comes back for review: right again then, it counts as mastered. Sections and chapters count
the questions the book places in them now, so mastery follows the book as it is revised.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo

from pydantic import BaseModel, ConfigDict, Field, computed_field

from .book import BookIndex
from .state import ProgressState, QuestionProgress


class Mastery(BaseModel):
    """How far a part of the book is known: total >= answered >= right >= mastered."""

    model_config = ConfigDict(frozen=True)

    id: str | None = None
    total: int = 0
    answered: int = 0
    right: int = Field(0, description="Questions whose latest answer was right.")
    mastered: int = 0
    comes_back_on: date | None = Field(
        None, description="The local day the first question right only once is due again."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> int:
        """Mastered share, rounded down, so 100 means every question."""
        return 100 * self.mastered // self.total if self.total else 0

    @property
    def new(self) -> int:
        """Never answered."""
        return self.total - self.answered

    @property
    def missed(self) -> int:
        """Answered, the latest answer wrong."""
        return self.answered - self.right

    @property
    def right_once(self) -> int:
        """Right at the latest answer, but not yet on two different days."""
        return self.right - self.mastered


class ChapterMastery(Mastery):
    sections: list[Mastery] = []


class BookMastery(BaseModel):
    model_config = ConfigDict(frozen=True)

    book: Mastery
    chapters: list[ChapterMastery]


class _Counts:
    """A running count of one part of the book."""

    def __init__(self) -> None:
        self.total = self.answered = self.right = self.mastered = 0
        self.comes_back: datetime | None = None

    def add(self, progress: QuestionProgress | None) -> None:
        self.total += 1
        if progress is None:
            return
        self.answered += 1
        self.right += progress.last_right
        self.mastered += progress.mastered
        if progress.last_right and not progress.mastered:
            due = progress.card.due_at()
            self.comes_back = due if self.comes_back is None else min(self.comes_back, due)

    def mastery(self, id: str | None, tz: tzinfo) -> Mastery:
        return Mastery(
            id=id,
            total=self.total,
            answered=self.answered,
            right=self.right,
            mastered=self.mastered,
            comes_back_on=None
            if self.comes_back is None
            else self.comes_back.astimezone(tz).date(),
        )


def mastery(state: ProgressState, book: BookIndex, tz: tzinfo = UTC) -> BookMastery:
    """Mastery of the whole book and of each chapter and its sections, in reading order;
    review days are local days in `tz`."""
    whole = _Counts()
    chapters: dict[str | None, _Counts] = {}
    sections: dict[str | None, dict[str | None, _Counts]] = {}
    for key, place in book.questions.items():
        progress = state.questions.get(key)
        whole.add(progress)
        chapters.setdefault(place.chapter, _Counts()).add(progress)
        sections.setdefault(place.chapter, {}).setdefault(place.section, _Counts()).add(progress)
    return BookMastery(
        book=whole.mastery(None, tz),
        chapters=[
            ChapterMastery(
                **counts.mastery(chapter, tz).model_dump(exclude={"percent"}),
                sections=[c.mastery(s, tz) for s, c in sections[chapter].items()],
            )
            for chapter, counts in chapters.items()
        ],
    )


def mastery_of(
    state: ProgressState, keys: Iterable[str], id: str | None = None, tz: tzinfo = UTC
) -> Mastery:
    """Mastery of some questions (by `question_key`), such as those a quiz shows."""
    counts = _Counts()
    for key in keys:
        counts.add(state.questions.get(key))
    return counts.mastery(id, tz)
