"""MLSysBook chapter quiz files (`<chapter>_quizzes.json`) → one native quiz per chapter.

The book keeps each question's key inside its prose answer: "The correct answer is C. …",
"False. …", a fill-in's text before the first ". ", "The correct order is: (4) …, (3) …".
Where the key can be read, the import is exact and the rest of the prose becomes the
explanation. Where it cannot, the question is kept as a self-rated short answer (its prose as
the model answer) and the report says so: no question is ever dropped silently.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ..quiz.models import AnyQuestion, Question, Quiz
from .report import ImportFailed, ImportReport, Inexact, parse_json


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class SourceQuestion(_Lenient):
    question_type: str
    question: str
    answer: str = ""
    learning_objective: str | None = None
    choices: list[str] | None = None
    hidden: bool = False


class SourceQuizData(_Lenient):
    quiz_needed: bool = True
    questions: list[SourceQuestion] = []


class SourceSection(_Lenient):
    section_id: str
    section_title: str | None = None
    quiz_data: SourceQuizData | None = None


class SourceChapter(_Lenient):
    metadata: dict[str, Any] = {}
    sections: list[SourceSection]


_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)
_MCQ_KEY = re.compile(
    r"^\s*(?:\*\*)?the correct answer is:?\s*\(?([A-Za-z])\)?(?:\*\*)?[.:)]?\s*", re.I
)
_TF_KEY = re.compile(r"^\s*(?:\*\*)?(true|false)(?:\*\*)?\b[.:,!]?\s*", re.I)
_TF_PREFIX = re.compile(r"^\s*true or false\s*[:?]\s*", re.I)
_CHOICE_LETTER = re.compile(r"^\s*\(?[A-Za-z][.)]\s+")
_ORDER_MARK = re.compile(r"\((\d+)\)\s*")
_ORDER_KEY = re.compile(r"^\s*(?:the correct order is\s*:?\s*)?", re.I)
_BLANKS = re.compile(r"_{3,}")


class _NotExact(Exception):
    """The key could not be read: the question is kept as a self-rated short answer."""


def _split_key(answer: str) -> tuple[str, str]:
    """A fill-in's key is the text before the first ". "; the rest explains it."""
    head, sep, rest = answer.strip().partition(". ")
    if not sep:
        head, rest = answer.strip().rstrip("."), ""
    return head.strip().strip("*").strip(), rest.strip()


def _fill_variants(key: str) -> list[str]:
    """The key and its obvious spellings: without an article, each side of a parenthesis."""
    variants = [key]
    bare = re.sub(r"^(the|a|an)\s+", "", key, flags=re.I)
    variants.append(bare)
    outside = re.sub(r"\s*\([^)]*\)\s*", " ", bare).strip()
    inside = re.findall(r"\(([^)]*)\)", bare)
    variants += [outside, *inside]
    return list(dict.fromkeys(v for v in variants if v))


def _mcq(q: SourceQuestion) -> dict[str, Any]:
    choices = [
        _CHOICE_LETTER.sub("", c, count=1) if _CHOICE_LETTER.match(c) else c
        for c in (q.choices or [])
    ]
    match = _MCQ_KEY.match(q.answer)
    if not choices:
        raise _NotExact("a multiple-choice question without choices")
    if not match:
        raise _NotExact('no "The correct answer is X." in the answer')
    index = ord(match.group(1).upper()) - ord("A")
    if index >= len(choices):
        raise _NotExact(f"the key {match.group(1)} names no choice")
    return {
        "type": "single_choice",
        "choices": [{"text": c, "correct": i == index} for i, c in enumerate(choices)],
        "explanation": q.answer[match.end() :].strip() or None,
    }


def _true_false(q: SourceQuestion) -> dict[str, Any]:
    match = _TF_KEY.match(q.answer)
    if not match:
        raise _NotExact('the answer starts with neither "True." nor "False."')
    return {
        "type": "true_false",
        "text": _TF_PREFIX.sub("", q.question).strip() or q.question,
        "answer": match.group(1).lower() == "true",
        "explanation": q.answer[match.end() :].strip() or None,
    }


def _fill(q: SourceQuestion) -> dict[str, Any]:
    blanks = len(_BLANKS.findall(q.question))
    if blanks != 1:
        raise _NotExact(f"expected one ____ blank, found {blanks}")
    key, explanation = _split_key(q.answer)
    if not key or len(key) > 200:
        raise _NotExact("no short key before the first full stop")
    return {
        "type": "fill_blank",
        "text": _BLANKS.sub("____", q.question),
        "blanks": [{"accepted": _fill_variants(key)}],
        "explanation": explanation or None,
    }


def _ordering(q: SourceQuestion) -> dict[str, Any]:
    marks = list(_ORDER_MARK.finditer(q.question))
    if len(marks) < 2:
        raise _NotExact('no "(1) …, (2) …" items in the question')
    numbers = [int(m.group(1)) for m in marks]
    if sorted(numbers) != list(range(1, len(marks) + 1)):
        raise _NotExact("the items are not numbered 1 to N")
    texts: dict[int, str] = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(q.question)
        segment = q.question[mark.end() : end].strip()
        texts[numbers[i]] = re.sub(r"(,|\.|;|\s+and)$", "", segment).strip()
    body = q.answer[_ORDER_KEY.match(q.answer).end() :]  # type: ignore[union-attr]
    order: list[int] = []
    position = 0
    for mark in _ORDER_MARK.finditer(body):
        if len(order) == len(texts):
            break
        order.append(int(mark.group(1)))
        position = mark.end()
    if sorted(order) != sorted(texts):
        raise _NotExact("the answer does not list every item exactly once")
    last_text = texts[order[-1]]
    rest = body[position:]
    if rest.startswith(last_text):
        rest = rest[len(last_text) :]
    return {
        "type": "ordering",
        "text": _as_sentence(q.question[: marks[0].start()]) or q.question,
        "items": [texts[n] for n in order],
        "explanation": rest.lstrip(" .,;").strip() or None,
    }


def _as_sentence(stem: str) -> str:
    """ "Order the following steps:" → "Order the following steps." """
    stem = stem.strip().rstrip(":").strip()
    return stem + "." if stem and stem[-1] not in ".?!" else stem


_BUILDERS = {"MCQ": _mcq, "TF": _true_false, "FILL": _fill, "ORDER": _ordering}


def _short(q: SourceQuestion) -> dict[str, Any]:
    return {"type": "short_answer", "model_answer": q.answer}


def _convert(
    q: SourceQuestion, section: str, where: str, inexact: list[Inexact]
) -> AnyQuestion | None:
    common: dict[str, Any] = {
        "text": q.question,
        "objective": q.learning_objective,
        "section": section,
    }
    kind = q.question_type.strip().upper()
    try:
        fields = _BUILDERS[kind](q) if kind in _BUILDERS else _short(q)
        if kind not in _BUILDERS and kind not in ("SHORT", "CALC"):
            inexact.append(
                Inexact(
                    location=where,
                    reason=f"unknown question type {kind!r}",
                    action="imported as short answer",
                )
            )
    except _NotExact as problem:
        inexact.append(
            Inexact(location=where, reason=str(problem), action="imported as short answer")
        )
        fields = _short(q)
    try:
        return _QUESTION.validate_python({**common, **fields})
    except ValidationError as error:
        first = error.errors()[0]
        inexact.append(
            Inexact(
                location=where,
                reason=f"{'.'.join(map(str, first['loc']))}: {first['msg']}",
                action="not imported",
            )
        )
        return None


def _section_title(section: SourceSection) -> str | None:
    """The section's heading as one line of plain text, if it has one that fits the format."""
    words = " ".join((section.section_title or "").split())
    return words[:2_000] or None


def chapter_id(source: str) -> str:
    """`vol1_introduction_quizzes.json` → `vol1_introduction`."""
    stem = PurePath(source).name.removesuffix(".json").removesuffix("_quizzes")
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]+", "-", stem).strip("-_.:") or "chapter"
    return cleaned[:100]


def import_mlsysbook(data: object, source: str) -> ImportReport:
    """Convert one parsed chapter quiz file; raise ImportFailed if it is not one."""
    try:
        chapter = SourceChapter.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]
        ).lstrip(".")
        raise ImportFailed(source, location, first["msg"]) from None
    inexact: list[Inexact] = []
    questions: list[AnyQuestion] = []
    section_titles: dict[str, str] = {}
    for s_index, section in enumerate(chapter.sections):
        section_id = section.section_id.strip().lstrip("#")
        data_ = section.quiz_data
        if data_ is None:
            continue
        if title := _section_title(section):
            section_titles[section_id] = title
        for q_index, q in enumerate(data_.questions):
            where = f"sections[{s_index}].quiz_data.questions[{q_index}]"
            if not data_.quiz_needed:
                inexact.append(
                    Inexact(
                        location=where,
                        reason="its section says quiz_needed: false",
                        action="not imported",
                    )
                )
            elif q.hidden:
                inexact.append(
                    Inexact(location=where, reason="hidden in the source", action="not imported")
                )
            elif (question := _convert(q, section_id, where, inexact)) is not None:
                questions.append(question)
    ident = chapter_id(source)
    title = re.sub(r"^vol\d+[_ -]", "", ident).replace("_", " ").replace("-", " ").strip().title()
    quizzes = (
        [
            Quiz(
                id=ident,
                title=title or ident,
                chapter=ident,
                section_titles={
                    section: heading
                    for section, heading in section_titles.items()
                    if any(q.section == section for q in questions)
                },
                questions=questions,
            )
        ]
        if questions
        else []
    )
    return ImportReport(source=source, quizzes=quizzes, inexact=inexact)


def read_mlsysbook(text: str, source: str) -> ImportReport:
    """Parse and convert the text of a chapter quiz file."""
    return import_mlsysbook(parse_json(text, source), source)
