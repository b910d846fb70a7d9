"""Mastery per section, chapter and book: the share of their questions that are mastered.

A question is mastered when its latest answer was right and it has been answered right on at
least two different days (see `QuestionProgress.mastered`). Sections and chapters count the
questions the book places in them now, so mastery follows the book as it is revised.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field

from .book import BookIndex
from .state import ProgressState


class Mastery(BaseModel):
    """How far a part of the book is known: total >= answered >= right >= mastered."""

    model_config = ConfigDict(frozen=True)

    id: str | None = None
    total: int = 0
    answered: int = 0
    right: int = Field(0, description="Questions whose latest answer was right.")
    mastered: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> int:
        """Mastered share, rounded down, so 100 means every question."""
        return 100 * self.mastered // self.total if self.total else 0


class ChapterMastery(Mastery):
    sections: list[Mastery] = []


class BookMastery(BaseModel):
    model_config = ConfigDict(frozen=True)

    book: Mastery
    chapters: list[ChapterMastery]


def _count(counts: list[int], answered: bool, right: bool, mastered: bool) -> None:
    counts[0] += 1
    counts[1] += answered
    counts[2] += right
    counts[3] += mastered


def _mastery(id: str | None, counts: list[int]) -> Mastery:
    total, answered, right, mastered = counts
    return Mastery(id=id, total=total, answered=answered, right=right, mastered=mastered)


def mastery(state: ProgressState, book: BookIndex) -> BookMastery:
    """Mastery of the whole book and of each chapter and its sections, in reading order."""
    whole = [0, 0, 0, 0]
    chapters: dict[str | None, list[int]] = {}
    sections: dict[str | None, dict[str | None, list[int]]] = {}
    for key, place in book.questions.items():
        progress = state.questions.get(key)
        flags = (
            progress is not None,
            progress is not None and progress.last_right,
            progress is not None and progress.mastered,
        )
        _count(whole, *flags)
        _count(chapters.setdefault(place.chapter, [0, 0, 0, 0]), *flags)
        in_chapter = sections.setdefault(place.chapter, {})
        _count(in_chapter.setdefault(place.section, [0, 0, 0, 0]), *flags)
    return BookMastery(
        book=_mastery(None, whole),
        chapters=[
            ChapterMastery(
                **_mastery(chapter, counts).model_dump(exclude={"percent"}),
                sections=[_mastery(s, c) for s, c in sections[chapter].items()],
            )
            for chapter, counts in chapters.items()
        ],
    )
