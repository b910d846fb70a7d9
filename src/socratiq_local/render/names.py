"""The names a reader sees for the book's chapters and sections: their titles, never raw ids.

Titles come from the quizzes (a chapter is named by a quiz of the whole chapter, a section by
a quiz's `section_titles` or by a quiz of that section alone) and from the headings the page
reads around a quiz. A part without a title gets a neutral name by its place in the book
("Chapter 2", "Section 3"): an id such as "sec-introduction-…-a3eb" is for machines. Titles
are plain text, escaped where they are drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from ..i18n import ENGLISH, Texts
from ..quiz.models import Quiz
from .markdown import markdown_to_text

#: A title longer than this is cut (with "…"): a heading, not a paragraph.
TITLE_LENGTH = 120


class Titles(BaseModel):
    """Chapter and section titles by id."""

    model_config = ConfigDict(frozen=True)

    chapters: dict[str, str] = {}
    sections: dict[str, str] = {}


def plain_title(text: str) -> str:
    """One line of plain text from a title that may be Markdown, cut to `TITLE_LENGTH`."""
    words = " ".join(markdown_to_text(text).split())
    return words if len(words) <= TITLE_LENGTH else words[: TITLE_LENGTH - 1].rstrip() + "…"


def titles_from(quizzes: Iterable[Quiz], headings: Mapping[str, str] | None = None) -> Titles:
    """The titles the quizzes give, the page's section `headings` filling the gaps."""
    chapters: dict[str, str] = {}
    given: dict[str, str] = {}
    quiz_named: dict[str, str] = {}
    for quiz in quizzes:
        if quiz.chapter is not None and quiz.section is None:
            chapters.setdefault(quiz.chapter, quiz.title)
        if quiz.section is not None:
            quiz_named.setdefault(quiz.section, quiz.title)
        for section, title in quiz.section_titles.items():
            given.setdefault(section, title)
    sections = {**quiz_named, **(headings or {}), **given}
    return Titles(
        chapters={id: title for id, text in chapters.items() if (title := plain_title(text))},
        sections={id: title for id, text in sections.items() if (title := plain_title(text))},
    )


def chapter_name(titles: Titles, id: str | None, number: int, *, t: Texts = ENGLISH) -> str:
    """A chapter's title, else "Chapter <number>" (its place in the book, from 1)."""
    if id is None:
        return t("progress.outside_chapters")
    return titles.chapters.get(id) or t("progress.chapter_number", number=number)


def section_name(titles: Titles, id: str | None, number: int, *, t: Texts = ENGLISH) -> str:
    """A section's title, else "Section <number>" (its place in its chapter, from 1)."""
    if id is None:
        return t("progress.other_questions")
    return titles.sections.get(id) or t("progress.section_number", number=number)
