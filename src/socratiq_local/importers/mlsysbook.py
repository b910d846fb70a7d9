"""MLSysBook chapter quiz files (`<chapter>_quizzes.json`) → one native quiz per chapter.

The book keeps each question's key inside its prose answer: "The correct answer is C. …",
"False. …", a fill-in's text before the first ". ", "The correct order is: (4) …, (3) …".
Where the key can be read, the import is exact and the rest of the prose becomes the
explanation. Where it cannot, the question is kept as a self-rated short answer (its prose as
the model answer) and the report says so: no question is ever dropped silently.

Every variant in the book's history is read: the earliest files, whose questions carry no
`question_type` (the type is read from the answer: "The correct answer is X." with the choices
written into the question as "A) … B) …", "True."/"False.", else a short answer), CALC
questions (numeric where the answer's first sentence states the number, else a self-rated
short answer), ORDER items listed as "(1) …, (2) …", "[X, Y, Z]" or plainly after a colon
("Order the stages: X, Y, Z.") and answers written as "(4) …, (3) …", "B) …, C) …",
"1. X, 2. Y" or a plain list of the items, stubs holding no
sections (`{"quizzes": []}`: nothing to import, noted), a file named plain `quizzes.json`
(its chapter taken from its metadata), stray copies of another chapter's file (named in the
report), and `hidden` questions (left out, as the book leaves them out).
A question or section that cannot be read at all is skipped with its location; the rest of
the chapter still imports.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, field_validator

from ..quiz.models import AnyQuestion, Question, Quiz
from .report import LEFT_OUT, ImportFailed, ImportReport, Inexact, parse_json, skipped_question


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class SourceQuestion(_Lenient):
    question_type: str | None = None  # absent in the earliest files: read from the answer
    question: str
    answer: str = ""
    learning_objective: str | None = None
    choices: list[str] | None = None
    hidden: bool = False


class SourceQuizData(_Lenient):
    quiz_needed: bool = True
    questions: list[Any] = []  # each read on its own: one bad question skips only itself

    @field_validator("questions", mode="before")
    @classmethod
    def _null_is_none(cls, value: Any) -> Any:
        return [] if value is None else value


class SourceSection(_Lenient):
    section_id: str
    section_title: str | None = None
    quiz_data: SourceQuizData | None = None


class SourceChapter(_Lenient):
    metadata: dict[str, Any] | None = None
    sections: list[Any]  # each read on its own, as its questions are


_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)
_MCQ_KEY = re.compile(
    r"^\s*(?:\*\*)?the correct answer is:?\s*\(?([A-Za-z])\)?(?:\*\*)?[.:)]?\s*", re.I
)
_TF_KEY = re.compile(r"^\s*(?:\*\*)?(true|false)(?:\*\*)?\b[.:,!]?\s*", re.I)
_TF_PREFIX = re.compile(r"^\s*true or false\s*[:?]\s*", re.I)
_CHOICE_LETTER = re.compile(r"^\s*\(?[A-Za-z][.)]\s+")
#: How an inline list marks its items: (1) (A), 1) A), or 1. (tried in this order).
_ORDER_MARKS = (
    re.compile(r"\((\d{1,2}|[A-Z])\)\s*"),
    re.compile(r"(?<![\w(])(\d{1,2}|[A-Z])\)\s+"),
    re.compile(r"(?<![\w.])(\d{1,2})\.\s+"),
)
#: An ORDER question listing its items in brackets: "… pipeline: [Kernel Selection, Graph …]".
_BRACKETED = re.compile(r"\[([^\[\]]+,[^\[\]]+)\]")
_ITEM_END = re.compile(r"(?:\s*(?:,|;|\.|→|->|\band\b|\bthen\b))+\s*$")
_SENTENCE_END = re.compile(r"^\s*\.(?=\s|$)|(?<=[^\s.\d])\.(?=\s|$)|(?<=\d)\.(?=\s+[A-Z]|$)")
#: The result a CALC answer states: the last number after "=", "is", "≈", … in its first
#: sentence, not one that starts a product or a power ("4 \u00d7 10^9").
_STATED_NUMBER = re.compile(
    r"(?:=|≈|~|:|(?i:\b(?:is|are|of|about|approximately|roughly)\b))\s*\$?\s*"
    r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d.,]\d|\s*(?:[\u00d7*^/]|x\s*\d))"
    r"(?:\s*(%|[A-Za-zμ][A-Za-z/μ]{0,7}\b))?"
)
_UNITS = frozenset({"ms", "s", "ns", "us", "μs", "bytes", "bits", "hours", "seconds", "days", "x"})
#: A CALC key is the book's rounded result: answers within 1 % of it are right.
CALC_TOLERANCE = 0.01
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


def _inline_choices(question: str) -> tuple[str, list[str]]:
    """The stem and the choices of a question that writes them in, "… ? A) x B) y C) z"."""
    found = list(_ORDER_MARKS[1].finditer(question))
    labels = [m.group(1) for m in found]
    if len(found) < 2 or labels != [chr(ord("A") + n) for n in range(len(found))]:
        return question, []
    ends = [m.start() for m in found[1:]] + [len(question)]
    choices = [question[m.end() : end].strip() for m, end in zip(found, ends, strict=True)]
    return question[: found[0].start()].strip(), choices


def _mcq(q: SourceQuestion) -> dict[str, Any]:
    stem, inline = (q.question, []) if q.choices else _inline_choices(q.question)
    choices = [
        _CHOICE_LETTER.sub("", c, count=1) if _CHOICE_LETTER.match(c) else c
        for c in (q.choices or inline)
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
        "text": stem or q.question,
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


@dataclass(frozen=True)
class _Item:
    """A listed item: its label as written ("4", "B") and its text."""

    label: str
    text: str


def _label_key(label: str) -> tuple[int, int]:
    return (0, int(label)) if label.isdigit() else (1, ord(label))


def _first_sentence(text: str) -> tuple[str, str]:
    """Text up to its first full stop (not one inside a number), and the rest."""
    head, *rest = _SENTENCE_END.split(text, maxsplit=1)
    return head.strip(), (rest[0].strip() if rest else "")


def _bracketed(text: str) -> tuple[list[_Item], int]:
    """The items of a list in brackets ("[X, Y, Z]"), numbered 1, 2, … as written, and where
    the list starts."""
    match = _BRACKETED.search(text)
    if match is None:
        return [], -1
    texts = [t.strip() for t in match.group(1).split(",")]
    return [_Item(str(n), t) for n, t in enumerate(texts, start=1)], match.start()


def _after_colon(text: str) -> tuple[list[_Item], int]:
    """The items of a plain list ending the question ("Order the stages: B, A, C."), numbered
    1, 2, … as written, and where the list starts."""
    head, colon, tail = text.rpartition(":")
    texts = [_ITEM_END.sub("", t).strip() for t in tail.split(",")]
    if not colon or len(texts) < 2 or not all(texts):
        return [], -1
    return [_Item(str(n), t) for n, t in enumerate(texts, start=1)], len(head) + 1


def _listed(text: str) -> tuple[list[_Item], int, str]:
    """The items of a list written inline ("(1) A, (2) B", "A) x, B) y", "1. X, 2. Y"), where
    the list starts, and the prose after it (the last item ends with its sentence); the first
    mark style that labels two or more items 1, 2, … or A, B, … in some order."""
    for mark in _ORDER_MARKS:
        found = list(mark.finditer(text))
        labels = [m.group(1) for m in found]
        if len(found) < 2 or len(set(labels)) != len(labels):
            continue
        if labels[0].isdigit():
            numbering = [str(n) for n in range(1, len(labels) + 1)]
        else:
            numbering = [chr(ord("A") + n) for n in range(len(labels))]
        if sorted(labels, key=_label_key) != numbering:
            continue
        texts = [
            text[m.end() : found[i + 1].start() if i + 1 < len(found) else len(text)]
            for i, m in enumerate(found)
        ]
        texts[-1], rest = _first_sentence(texts[-1])
        items = [
            _Item(label, _ITEM_END.sub("", t).strip())
            for label, t in zip(labels, texts, strict=True)
        ]
        return items, found[0].start(), rest
    return [], -1, ""


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _same(a: str, b: str) -> bool:
    """Whether two item texts name the same item (one may be cut short in an answer)."""
    left, right = _words(a), _words(b)
    return bool(left and right) and (left.startswith(right) or right.startswith(left))


def _overlap(a: str, b: str) -> float:
    """The share of words two item texts have in common (Jaccard)."""
    left, right = set(_words(a).split()), set(_words(b).split())
    return len(left & right) / len(left | right) if left and right else 0.0


def _order_by_marks(asked: list[_Item], given: list[_Item]) -> list[str] | None:
    """The order from an answer's own list: by the question's labels ("(4) …, (3) …"), or, for
    an answer numbering its list 1, 2, … ("1. X, 2. Y"), by the items' texts; an answer that
    rewords the items ("(2) Capture the envelope image" for "(2) Capture an image") keeps its
    labels unless an item's text is closer in words to another item than to the one its label
    names (an answer naming each item's purpose, sharing no words with any, keeps them too)."""
    if sorted(i.label for i in given) != sorted(i.label for i in asked):
        return None
    texts = {i.label: i.text for i in asked}
    if all(not g.text or _same(g.text, texts[g.label]) for g in given):
        return [g.label for g in given]
    by_text = [next((a.label for a in asked if _same(g.text, a.text)), None) for g in given]
    labels = [label for label in by_text if label is not None]
    if sorted(labels) == sorted(texts):
        return labels

    def labelled_right(g: _Item) -> bool:
        own = _overlap(g.text, texts[g.label])
        return all(_overlap(g.text, a.text) <= own for a in asked)

    return [g.label for g in given] if all(map(labelled_right, given)) else None


def _order_by_text(asked: list[_Item], body: str) -> tuple[list[str], str] | None:
    """The order of a plain list: where each item's text first appears in the answer, and the
    prose after the last one."""
    lowered = body.lower()
    places = {i.label: lowered.find(i.text.lower()) for i in asked}
    if any(p < 0 for p in places.values()) or len(set(places.values())) != len(places):
        return None
    order = sorted(places, key=places.__getitem__)
    last = next(i for i in asked if i.label == order[-1])
    _, rest = _first_sentence(body[places[last.label] :])
    return order, rest


def _plain_list_stem(question: str, given: list[_Item]) -> str:
    """ "Order the steps: B, A, C." → "Order the steps:", when the answer lists those items."""
    head, colon, tail = question.rpartition(":")
    listed = _words(tail)
    return head if colon and all(_words(g.text) in listed for g in given) else question


def _ordering(q: SourceQuestion) -> dict[str, Any]:
    asked, start, _ = _listed(q.question)
    if not asked:
        asked, start = _bracketed(q.question)
    head = _ORDER_KEY.match(q.answer)
    body = q.answer[head.end() :] if head else q.answer
    given, _, rest = _listed(body)
    if not asked and not given:
        asked, start = _after_colon(q.question)
    if not asked:
        if not given:
            raise _NotExact('no "(1) …, (2) …" items in the question or its answer')
        items, stem = [g.text for g in given], _plain_list_stem(q.question, given)
    else:
        order = _order_by_marks(asked, given) if given else None
        if order is None and (by_text := _order_by_text(asked, body)) is not None:
            order, rest = by_text
        if order is None:
            raise _NotExact("the answer does not list every item exactly once")
        texts = {i.label: i.text for i in asked}
        items, stem = [texts[label] for label in order], q.question[:start]
    return {
        "type": "ordering",
        "text": _as_sentence(stem) or q.question,
        "items": items,
        "explanation": rest.lstrip(" .,;").strip() or None,
    }


def _calc(q: SourceQuestion) -> dict[str, Any]:
    """A calculation whose answer's first sentence states the result ("… = 8 GB.")."""
    first, _ = _first_sentence(q.answer)
    stated = list(_STATED_NUMBER.finditer(first))
    if not stated:
        return _short(q)
    number, unit = stated[-1].group(1), stated[-1].group(2)
    value = float(number.replace(",", ""))
    return {
        "type": "numeric",
        "value": value,
        "relative_tolerance": CALC_TOLERANCE,
        "unit": unit if unit and (unit == "%" or unit in _UNITS or unit[0].isupper()) else None,
        "explanation": q.answer,
    }


def _as_sentence(stem: str) -> str:
    """ "Order the following steps:" → "Order the following steps." """
    stem = stem.strip().rstrip(":").strip()
    return stem + "." if stem and stem[-1] not in ".?!" else stem


_BUILDERS = {"MCQ": _mcq, "TF": _true_false, "FILL": _fill, "ORDER": _ordering, "CALC": _calc}


def _kind(q: SourceQuestion) -> str:
    """The question's type as written, or, in the earliest files that write none, as its answer
    shows: a letter key over choices (given or written into the question), a true/false key
    to a "True or False" question, else a short answer."""
    if q.question_type is not None:
        return q.question_type.strip().upper()
    if _MCQ_KEY.match(q.answer) and (q.choices or _inline_choices(q.question)[1]):
        return "MCQ"
    if _TF_KEY.match(q.answer) and _TF_PREFIX.match(q.question):
        return "TF"
    return "SHORT"


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
    kind = _kind(q)
    try:
        fields = _BUILDERS[kind](q) if kind in _BUILDERS else _short(q)
        if kind not in _BUILDERS and kind != "SHORT":
            inexact.append(
                Inexact(
                    location=where,
                    reason=f"unknown question type {kind!r}",
                    action="imported as short answer",
                )
            )
        elif fields["type"] == "numeric":
            unit = f" {fields['unit']}" if fields.get("unit") else ""
            inexact.append(
                Inexact(
                    location=where,
                    reason=f"a CALC question: its key is the number its answer states,"
                    f" {fields['value']:g}{unit}",
                    action=f"imported as numeric, right within {CALC_TOLERANCE:.0%} of it",
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
            skipped_question(
                where,
                f"{'.'.join(map(str, first['loc']))}: {first['msg']}",
                q.model_dump_json(indent=1, exclude_defaults=True),
            )
        )
        return None


def _location(where: str, error: ValidationError) -> str:
    """The place of pydantic's first error under `where`, written as a JSON path."""
    parts = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.errors()[0]["loc"])
    return f"{where}{parts}".lstrip(".")


def _original(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _is_stub(data: object) -> bool:
    """A chapter file holding nothing yet: `{"quizzes": []}`, `{}`, `{"sections": []}`."""
    return (
        isinstance(data, dict)
        and data.get("sections", []) == []
        and all(not value for key, value in data.items() if key != "metadata")
    )


def _page_chapter(metadata: dict[str, Any] | None) -> str | None:
    """The chapter whose page the file's metadata names (`…/frameworks/frameworks.qmd`)."""
    page = (metadata or {}).get("source_file")
    if not isinstance(page, str) or not page.strip():
        return None
    return PurePath(page.replace("\\", "/")).stem or None


def _stray(chapter: str | None, ident: str) -> str | None:
    """The chapter a stray copy was made for, when the metadata names another chapter's page
    than the file's name does (a prefix such as `vol1_` or a flattened path is no stray)."""
    if chapter is None or ident == chapter or ident.endswith(f"_{chapter}"):
        return None
    return chapter


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
    if _is_stub(data):
        stub = Inexact(
            location="", reason="the file holds no quizzes yet", action="nothing to import"
        )
        return ImportReport(source=source, quizzes=[], inexact=[stub])
    try:
        chapter = SourceChapter.model_validate(data)
    except ValidationError as error:
        raise ImportFailed(source, _location("", error), error.errors()[0]["msg"]) from None
    ident = chapter_id(source)
    page = _page_chapter(chapter.metadata)
    if ident == "quizzes" and page is not None:  # early files: `<chapter>/quizzes.json`
        ident = chapter_id(page)
    inexact: list[Inexact] = []
    if (other := _stray(page, ident)) is not None:
        inexact.append(
            Inexact(
                location="metadata.source_file",
                reason=f"a stray copy: these quizzes were written for the chapter {other!r},"
                f" not {ident!r}",
                action=f"imported as {ident!r}; check that the file belongs here",
            )
        )
    questions: list[AnyQuestion] = []
    section_titles: dict[str, str] = {}
    untyped = 0
    for s_index, raw_section in enumerate(chapter.sections):
        here = f"sections[{s_index}]"
        try:
            section = SourceSection.model_validate(raw_section)
        except ValidationError as error:
            inexact.append(
                skipped_question(
                    _location(here, error),
                    f"{error.errors()[0]['msg']}: the section and its questions cannot be read",
                    _original(raw_section),
                )
            )
            continue
        section_id = section.section_id.strip().lstrip("#")
        data_ = section.quiz_data
        if data_ is None:
            continue
        if title := _section_title(section):
            section_titles[section_id] = title
        for q_index, raw in enumerate(data_.questions):
            where = f"{here}.quiz_data.questions[{q_index}]"
            try:
                q = SourceQuestion.model_validate(raw)
            except ValidationError as error:
                inexact.append(
                    skipped_question(
                        _location(where, error), error.errors()[0]["msg"], _original(raw)
                    )
                )
                continue
            untyped += q.question_type is None
            if not data_.quiz_needed:
                inexact.append(
                    Inexact(
                        location=where,
                        reason="its section says quiz_needed: false",
                        action=LEFT_OUT,
                    )
                )
            elif q.hidden:
                inexact.append(
                    Inexact(location=where, reason="hidden in the source", action=LEFT_OUT)
                )
            elif (question := _convert(q, section_id, where, inexact)) is not None:
                questions.append(question)
    if untyped:
        inexact.append(
            Inexact(
                location="sections",
                reason=f"{untyped} question(s) name no question_type, as the book's earliest"
                " files do",
                action="each typed by its answer: a letter key makes a multiple-choice"
                " question, True./False. a true-or-false one, anything else a short answer",
            )
        )
    if not questions and not inexact:
        inexact.append(
            Inexact(
                location="sections", reason="the file has no questions", action="nothing to import"
            )
        )
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
