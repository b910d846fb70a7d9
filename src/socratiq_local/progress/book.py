"""The book's structure: where each question sits, so mastery can be summed per section and chapter.

Questions are keyed by quiz id *and* question id: authors often number questions "q1", "q2" in
every quiz, so a question id alone is not unique across a book.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from ..quiz.models import Difficulty, Quiz


def question_key(quiz_id: str, question_id: str) -> str:
    """The book-wide key of a question (ids never contain "/", so it is unambiguous)."""
    return f"{quiz_id}/{question_id}"


class Place(BaseModel):
    """Where one question sits in the book."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quiz_id: str
    question_id: str
    chapter: str | None = None
    section: str | None = None
    difficulty: Difficulty = "medium"


class BookSizes(BaseModel):
    """How many questions each chapter and section holds: what "all of a chapter" means."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    chapters: dict[str, int] = {}
    sections: dict[str, int] = {}


class BookIndex(BaseModel):
    """Every question of the book, in reading order, keyed by `question_key`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    questions: dict[str, Place] = {}

    @classmethod
    def from_quizzes(cls, quizzes: Iterable[Quiz]) -> BookIndex:
        places: dict[str, Place] = {}
        for quiz in quizzes:
            for question in quiz.questions:
                places[question_key(quiz.id, question.id)] = Place(
                    quiz_id=quiz.id,
                    question_id=question.id,
                    chapter=quiz.chapter,
                    section=quiz.section_of(question),
                    difficulty=question.worth,
                )
        return cls(questions=places)

    def sizes(self) -> BookSizes:
        chapters: dict[str, int] = {}
        sections: dict[str, int] = {}
        for place in self.questions.values():
            if place.chapter is not None:
                chapters[place.chapter] = chapters.get(place.chapter, 0) + 1
            if place.section is not None:
                sections[place.section] = sections.get(place.section, 0) + 1
        return BookSizes(chapters=chapters, sections=sections)
