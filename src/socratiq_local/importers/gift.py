"""Moodle GIFT files → one native quiz per file.

Every GIFT question type has a native counterpart: multiple choice (single or multiple
answers), true/false, short answer (a fill-in with its blank in place for missing-word
questions, else at the end of the text), numeric, matching and essay (a self-rated short
answer). Where Moodle grades differently (answer weights, partial credit, several numeric
answers, feedback on typed answers), the import keeps the key and the report says what changed.
Descriptions (text without an answer set) are reported, not imported.

The import goes question by question, as Moodle's does: a question that cannot be read is left
out and reported with its line, the reason (in Moodle's words where Moodle has some) and its
text, and the others are imported. Only a text that is not GIFT at all fails as a whole.
Moodle's quirks are followed where its result makes sense (`~=right`, empty answers dropped, a
`}` after the answer set kept as text, an unclosed `::title`), and repaired where authors
plainly meant something Moodle garbles: several answer sets or Moodle's Cloze sets
(`{1:SA:=…}`) in one text become a fill-in with a blank each, a blank line inside an answer
set or between a text and its answer set does not part them, braces inside formulas are
literal. Each repair is reported.

Ids: a question's `// [id:…]` comment, else its `::title::`, sanitised to the id pattern and
kept unique within the file; without either, the id is derived from the content.
Categories: `$CATEGORY: a/b/c` tags each following question with its last part (`c`), as do
the question's own `// [tag:…]` comments. The quiz id comes from the file name.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from pydantic import TypeAdapter, ValidationError

from ..quiz.models import AnyQuestion, Question, Quiz
from .gift_questions import DESCRIPTION, Built, Note, NotImported, builder
from .gift_syntax import Block, GiftSyntaxError, read_blocks, read_question
from .report import LEFT_OUT, ImportFailed, ImportReport, Inexact

__all__ = ["DESCRIPTION", "read_gift"]

_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)
_NOT_ID = re.compile(r"[^A-Za-z0-9_.:-]+")
_ROOTS = {"$course$", "$cat$", "$module$", "$system$", "$coursecategory$", "top"}


def quiz_id(source: str) -> str:
    """`week-3.gift` → `week-3`."""
    stem = re.sub(r"(\.(gift|txt))+$", "", PurePath(source).name, flags=re.I)
    return _NOT_ID.sub("-", stem).strip("-_.:")[:100] or "quiz"


def sanitised_id(name: str) -> str:
    """A name as an id (ASCII letters, digits, `_.:-`), or "" when nothing is left."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_ID.sub("-", ascii_name).strip("-_.:")[:100]


def category_tag(path: str) -> str | None:
    """The last part of a Moodle category path (`//` is a slash inside a name)."""
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path)]
    named = [p for p in parts if p and p.lower() not in _ROOTS]
    return named[-1] if named else None


class _Ids:
    """Question ids from idnumbers and titles, made unique with a `-2`, `-3`… suffix."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, name: str | None) -> str:
        base = sanitised_id(name or "")
        if not base:
            return ""
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base[: 100 - len(str(n)) - 1]}-{n}"
        self.used.add(candidate)
        return candidate


def _tags(block: Block, category: str | None) -> list[str]:
    tags = [*([category] if category else []), *block.tags()]
    return list(dict.fromkeys(t[:2000] for t in tags))[:50]


def _question(
    built: Built, block: Block, title: str | None, ids: _Ids, category: str | None
) -> AnyQuestion:
    """The native question, validated, with its id and tags.

    Without an idnumber or title the id is derived from the content, made unique in the file
    too: files repeat a question word for word (to ask it twice, or in another category).
    """
    fields = {**built.fields, "tags": _tags(block, category)}
    fields["id"] = ids.claim(block.idnumber() or title)
    question = _QUESTION.validate_python(fields)
    if not fields["id"]:
        question.id = ids.claim(question.id)
    return question


def _shortened(text: str, limit: int = 300) -> str:
    """A question's source text for the report, cut at `limit` characters."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _skipped(block: Block, line: int, reason: str) -> Inexact:
    """A question not imported; a description is left out, as Moodle shows it without asking."""
    described = reason == DESCRIPTION
    return Inexact(
        location=f"line {line}",
        reason=reason,
        action=LEFT_OUT if described else "not imported",
        skipped=not described,
        original=_shortened(block.source),
    )


def _looks_like_gift(blocks: list[Block]) -> bool:
    """Some block has an answer set, a ::title::, a [format] or a category: meant as GIFT."""
    return any(
        b.category is not None
        or re.search(r"[{}]|::|^\s*\[(moodle|html|plain|markdown)\]", b.source)
        for b in blocks
    )


def _read(text: str, source: str) -> ImportReport:
    ids = _Ids()
    category: str | None = None
    questions: list[AnyQuestion] = []
    inexact: list[Inexact] = []
    blocks = read_blocks(text)
    if blocks and not _looks_like_gift(blocks):
        raise ImportFailed(
            source, "", "this is not GIFT: no question has an answer set {…} or a ::title::"
        )
    for block in blocks:
        if block.category is not None:
            category = category_tag(block.category)
        if not block.located.text.strip():
            continue
        line = block.located.line_numbers[0]
        try:
            raw = read_question(block)
            built = builder(raw)(raw)
            question = _question(built, block, raw.title, ids, category)
        except GiftSyntaxError as error:
            inexact.append(_skipped(block, error.line, error.message))
            continue
        except NotImported as skipped:
            inexact.append(_skipped(block, line, str(skipped)))
            continue
        except ValidationError as error:
            first = error.errors()[0]
            reason = f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
            inexact.append(_skipped(block, line, reason))
            continue
        original = _shortened(block.source)
        if block.joined:
            built.notes.insert(0, Note(block.joined, "read as one question"))
        built.notes[:0] = [Note(n, "kept in the text, as Moodle does") for n in raw.notes]
        if raw.title is None and block.located.text.lstrip().startswith("::"):
            note = Note("the title ::… is not closed by ::", "read as text, as Moodle does")
            built.notes.insert(0, note)
        inexact += [
            Inexact(location=f"line {line}", reason=n.reason, action=n.action, original=original)
            for n in built.notes
        ]
        questions.append(question)
    ident = quiz_id(source)
    title = re.sub(r"[-_.]+", " ", ident).strip().title() or ident
    try:
        quizzes = [Quiz(id=ident, title=title, questions=questions)] if questions else []
    except ValidationError as error:
        raise ImportFailed(source, "", error.errors()[0]["msg"]) from None
    return ImportReport(source=source, quizzes=quizzes, inexact=inexact)


def read_gift(text: str, source: str) -> ImportReport:
    """Import the text of one GIFT file, question by question.

    A question that cannot be imported is left out and reported (line, reason, its text);
    ImportFailed only when the text is not GIFT at all or not Unicode text.
    """
    try:
        return _read(text, source)
    except GiftSyntaxError as error:
        raise ImportFailed(source, f"line {error.line}", error.message) from None
