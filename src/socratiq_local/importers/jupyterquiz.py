"""JupyterQuiz JSON question files → one native quiz per file.

JupyterQuiz (jmshea/jupyterquiz) reads a JSON list of questions, each with a "type":

* multiple_choice and many_choice behave alike: single choice when one answer is correct,
  multiple choice when several are (JupyterQuiz itself decides by that count);
* numeric: answers are values or [low, high) ranges, each correct or not, tried in order;
  "precision" rounds the typed and the listed values to that many significant digits;
* string: typed text compared with each answer, ignoring case unless "match_case", or
  accepted within a Levenshtein ratio of "fuzzy_threshold".

The first correct numeric answer becomes the key: a value with the tolerance its precision
implies, or a range. A string question becomes a fill-in-the-blank accepting its correct
answers. What has no equivalent (wrong answers with their own feedback, fuzzy matching,
several separate correct values) is listed in the report. Question text is HTML with $math$;
tags are reduced to their text.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..quiz.models import QUESTION_TYPES, AnyQuestion, Question, Quiz
from .mlsysbook import chapter_id
from .quizdown import fenced
from .report import ImportFailed, ImportReport, Inexact, parse_json

_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)
_TYPES = ("multiple_choice", "many_choice", "numeric", "string")

_HTML_COMMENT = re.compile(r"<!--[\s\S]*?(?:-->|$)")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_TAG = re.compile(r"</?(?:p|div|ul|ol|h[1-6]|table|tr|blockquote|pre)\b[^<>]*>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^<>]*>", re.I)
_CODE_TAG = re.compile(r"</?code\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>")
_BLANK_LIKE = re.compile(r"_{4,}")
_DEFAULT_FEEDBACK = "feedback for any other answer (the default) has no equivalent"


@dataclass(frozen=True)
class _Span:
    """The numbers a numeric answer covers, ends included."""

    low: float
    high: float

    def overlaps(self, other: _Span) -> bool:
        return self.low <= other.high and other.low <= self.high

    def covers(self, other: _Span) -> bool:
        return self.low <= other.low and other.high <= self.high


@dataclass(frozen=True)
class _NumericAnswer:
    index: int
    kind: str  # "value", "range" or "default"
    span: _Span
    correct: bool
    feedback: str | None
    center: float = 0.0
    half: float = 0.0


def markdown_from_html(text: str) -> str:
    """HTML question text as Markdown: breaks and blocks kept as lines, other tags dropped."""
    text = _HTML_COMMENT.sub("", text)
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _LIST_ITEM.sub("\n- ", text)
    text = _CODE_TAG.sub("`", text)
    text = _ANY_TAG.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _code_block(code: str) -> str:
    """A "code" field (the inner HTML of a <code> element) as a fenced block."""
    return fenced(html.unescape(_ANY_TAG.sub("", _HTML_COMMENT.sub("", code))).strip("\n"))


def _at(where: str, key: str | int) -> str:
    return f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}".lstrip(".")


def _significant(value: float, digits: int) -> tuple[float, float]:
    """`value` rounded to `digits` significant digits, and half a unit of its last digit."""
    if value == 0:
        return 0.0, 0.0
    rounded = float(f"{value:.{digits}g}")
    if not math.isfinite(rounded):
        raise OverflowError("rounding overflows")
    exponent = math.floor(math.log10(abs(rounded)))
    return rounded, 10.0 ** (exponent - digits + 1) / 2


class _Importer:
    """Parsed JSON → questions, noting in `inexact` whatever cannot be carried over exactly."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.inexact: list[Inexact] = []
        self.ignored: dict[str, str] = {}

    def fail(self, where: str, message: str) -> ImportFailed:
        return ImportFailed(self.source, where, message)

    def note(self, where: str, reason: str, action: str) -> None:
        self.inexact.append(Inexact(location=where, reason=reason, action=action))

    def unused(self, obj: dict[str, Any], used: set[str], where: str) -> None:
        for key in obj:
            if key not in used:
                self.ignored.setdefault(key, _at(where, key))

    def run(self, data: object) -> ImportReport:
        title, located = self._question_list(data)
        questions = [self._question(raw, where) for where, raw in located]
        if self.ignored:
            first = next(iter(self.ignored.values()))
            names = ", ".join(self.ignored)
            self.note(first, f"fields with no equivalent here: {names}", "ignored")
        ident = chapter_id(self.source)
        default_title = ident.replace("_", " ").replace("-", " ").strip().title() or ident
        try:
            quiz = Quiz(id=ident, title=title or default_title, questions=questions)
        except ValidationError as error:
            raise self.fail("", str(error.errors()[0]["msg"])) from None
        return ImportReport(source=self.source, quizzes=[quiz], inexact=self.inexact)

    def _question_list(self, data: object) -> tuple[str | None, list[tuple[str, object]]]:
        """The title and each question with its location: from a list, {"questions": [...]},
        or a lone question object."""
        if isinstance(data, list):
            return None, self._located(data, "")
        if isinstance(data, dict) and "questions" in data:
            title = self._string_field(data, "title", "", required=False)
            self.unused(data, {"questions", "title"}, "")
            return (title or "").strip() or None, self._located(data["questions"], "questions")
        if isinstance(data, dict) and "type" in data:
            return None, [("", data)]
        raise self.fail(
            "", 'expected a JSON list of questions (or an object with a "questions" list)'
        )

    def _located(self, questions: object, where: str) -> list[tuple[str, object]]:
        if not isinstance(questions, list):
            raise self.fail(where, "must be a list of questions")
        if not questions:
            raise self.fail(where, "the file has no questions")
        return [(_at(where, i), question) for i, question in enumerate(questions)]

    def _question(self, raw: object, where: str) -> AnyQuestion:
        if not isinstance(raw, dict):
            raise self.fail(where, "a question must be a JSON object")
        kind = raw.get("type")
        if kind not in _TYPES:
            shown = json.dumps(kind) if isinstance(kind, str) else "missing"
            raise self.fail(
                _at(where, "type"), f"unknown question type {shown}; expected {', '.join(_TYPES)}"
            )
        text = self._question_text(raw, where)
        answers = self._answers(raw, where)
        used = {"type", "question", "code", "answers"}
        if kind == "numeric":
            used.add("precision")
            fields = self._numeric(raw, answers, where)
        elif kind == "string":
            fields = self._string(answers, where)
            fields["text"] = _BLANK_LIKE.sub(lambda m: r"\_" * len(m.group()), text) + "\n\n____"
        else:
            fields = self._choices(answers, where)
        self.unused(raw, used, where)
        try:
            return _QUESTION.validate_python({"text": text, **fields})
        except ValidationError as error:
            first = error.errors()[0]
            path = [p for p in first["loc"] if p not in QUESTION_TYPES]
            location = where
            for part in path:
                location = _at(location, part if isinstance(part, int) else str(part))
            raise self.fail(location, first["msg"]) from None

    def _question_text(self, raw: dict[str, Any], where: str) -> str:
        question = self._string_field(raw, "question", where, required="code" not in raw)
        code = self._string_field(raw, "code", where, required=False)
        parts = [markdown_from_html(question or ""), _code_block(code) if code else ""]
        text = "\n\n".join(p for p in parts if p)
        if not text:
            raise self.fail(_at(where, "question"), "the question has no text")
        return text

    def _answers(self, raw: dict[str, Any], where: str) -> list[dict[str, Any]]:
        answers = raw.get("answers")
        if not isinstance(answers, list) or not answers:
            raise self.fail(_at(where, "answers"), "must be a non-empty list of answers")
        for j, answer in enumerate(answers):
            if not isinstance(answer, dict):
                raise self.fail(_at(_at(where, "answers"), j), "an answer must be a JSON object")
        return answers

    def _string_field(
        self, obj: dict[str, Any], key: str, where: str, *, required: bool
    ) -> str | None:
        value = obj.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            problem = "must be text" if key in obj else "required"
            raise self.fail(_at(where, key), problem)
        return value

    def _flag(self, obj: dict[str, Any], key: str, where: str, *, default: bool | None) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            problem = "must be true or false" if key in obj else "required"
            raise self.fail(_at(where, key), problem)
        return value

    def _number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, "must be a number")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail(where, "the number is too large") from None
        if not math.isfinite(number):
            raise self.fail(where, "must be a finite number")
        return number

    def _feedback(self, answer: dict[str, Any], where: str) -> str | None:
        text = self._string_field(answer, "feedback", where, required=False)
        return markdown_from_html(text) or None if text else None

    def _choices(self, answers: list[dict[str, Any]], where: str) -> dict[str, Any]:
        choices = []
        for j, answer in enumerate(answers):
            at = _at(_at(where, "answers"), j)
            label = self._string_field(answer, "answer", at, required="code" not in answer)
            code = self._string_field(answer, "code", at, required=False)
            parts = [markdown_from_html(label or ""), _code_block(code) if code else ""]
            text = "\n\n".join(p for p in parts if p)
            if not text:
                raise self.fail(_at(at, "answer"), "the answer has no text")
            correct = self._flag(answer, "correct", at, default=None)
            choices.append(
                {"text": text, "correct": correct, "feedback": self._feedback(answer, at)}
            )
            self.unused(answer, {"answer", "code", "correct", "feedback"}, at)
        right = sum(1 for c in choices if c["correct"])
        if not right:
            raise self.fail(_at(where, "answers"), "no answer is marked correct")
        return {"type": "single_choice" if right == 1 else "multiple_choice", "choices": choices}

    def _numeric(
        self, raw: dict[str, Any], answers: list[dict[str, Any]], where: str
    ) -> dict[str, Any]:
        precision = raw.get("precision")
        if precision is not None and (
            isinstance(precision, bool)
            or not isinstance(precision, int)
            or not 1 <= precision <= 100
        ):
            raise self.fail(_at(where, "precision"), "must be a whole number from 1 to 100")
        parsed = [
            self._numeric_answer(answer, j, _at(_at(where, "answers"), j), precision)
            for j, answer in enumerate(answers)
        ]
        key = next((a for a in parsed if a.correct), None)
        if key is None:
            raise self.fail(_at(where, "answers"), "no answer is marked correct")
        self._numeric_notes(parsed, key, _at(where, "answers"), precision)
        if key.kind == "range":
            return {"type": "numeric", "min": key.span.low, "max": key.span.high}
        return {"type": "numeric", "value": key.center, "tolerance": key.half}

    def _numeric_answer(
        self, answer: dict[str, Any], index: int, at: str, precision: int | None
    ) -> _NumericAnswer:
        self.unused(answer, {"type", "value", "range", "correct", "feedback"}, at)
        feedback = self._feedback(answer, at)
        if "value" in answer:
            value = self._number(answer["value"], _at(at, "value"))
            try:
                center, half = _significant(value, precision) if precision else (value, 0.0)
            except OverflowError:
                raise self.fail(_at(at, "value"), "too large to round") from None
            correct = self._flag(answer, "correct", at, default=None)
            span = _Span(center - half, center + half)
            return _NumericAnswer(index, "value", span, correct, feedback, center, half)
        if "range" in answer:
            bounds = answer["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise self.fail(_at(at, "range"), "must be a list of two numbers [low, high]")
            low, high = (self._number(b, _at(_at(at, "range"), i)) for i, b in enumerate(bounds))
            if not low < high:
                raise self.fail(_at(at, "range"), f"[{low:g}, {high:g}) contains no number")
            correct = self._flag(answer, "correct", at, default=None)
            return _NumericAnswer(index, "range", _Span(low, high), correct, feedback)
        if answer.get("type") == "default":
            return _NumericAnswer(index, "default", _Span(0.0, 0.0), False, feedback)
        raise self.fail(at, 'an answer needs a "value", a "range" or "type": "default"')

    def _numeric_notes(
        self, parsed: list[_NumericAnswer], key: _NumericAnswer, where: str, precision: int | None
    ) -> None:
        key_at = _at(where, key.index)
        rounding = f"typed answers are first rounded to {precision} significant digits"
        if key.kind == "range":
            low, high = key.span.low, key.span.high
            reason = f"the range [{low:g}, {high:g}) leaves out {high:g}"
            self.note(
                key_at,
                f"{reason}, and {rounding}" if precision else reason,
                f"imported as {low:g} to {high:g}, both ends included",
            )
        elif precision:
            self.note(
                key_at,
                f"{rounding} and compared",
                f"accepted within ±{key.half:g} of {key.center:g}",
            )
        for answer in parsed:
            at = _at(where, answer.index)
            if answer.kind == "default":
                if answer.feedback:
                    self.note(at, _DEFAULT_FEEDBACK, "dropped")
            elif answer is key:
                if answer.feedback:
                    self.note(at, "feedback on a typed answer has no equivalent", "dropped")
            elif answer.correct:
                if not key.span.covers(answer.span):
                    self.note(
                        at,
                        "a second correct value or range",
                        "not imported: a numeric question has one correct value or range",
                    )
            else:
                if answer.index < key.index and answer.span.overlaps(key.span):
                    self.note(
                        at,
                        "this wrong answer overlaps the correct one and is checked first",
                        "its numbers are accepted now",
                    )
                if answer.feedback:
                    self.note(
                        at,
                        "a wrong answer with its own feedback (a distractor) has no equivalent",
                        "dropped: graded wrong like any other answer",
                    )

    def _string(self, answers: list[dict[str, Any]], where: str) -> dict[str, Any]:
        accepted: list[str] = []
        cases: set[bool] = set()
        for j, answer in enumerate(answers):
            at = _at(_at(where, "answers"), j)
            feedback = self._feedback(answer, at)
            self.unused(
                answer,
                {"type", "answer", "correct", "feedback", "match_case", "fuzzy_threshold"},
                at,
            )
            if answer.get("type") == "default":
                if feedback:
                    self.note(at, _DEFAULT_FEEDBACK, "dropped")
                continue
            text = (self._string_field(answer, "answer", at, required=True) or "").strip()
            if not self._flag(answer, "correct", at, default=None):
                if feedback:
                    self.note(
                        at,
                        "a wrong answer with its own feedback (a distractor) has no equivalent",
                        "dropped: graded wrong like any other answer",
                    )
                continue
            if not text:
                raise self.fail(_at(at, "answer"), "a correct answer cannot be empty")
            accepted.append(text)
            cases.add(self._flag(answer, "match_case", at, default=False))
            threshold = answer.get("fuzzy_threshold")
            if threshold is not None:
                self._number(threshold, _at(at, "fuzzy_threshold"))
            if threshold:
                self.note(
                    at,
                    f"fuzzy matching (fuzzy_threshold {threshold:g}) has no equivalent",
                    "approximated: only the exact answer is accepted (ignoring spacing, and case"
                    " unless match_case)",
                )
            if feedback:
                self.note(at, "feedback on a typed answer has no equivalent", "dropped")
        if not accepted:
            raise self.fail(_at(where, "answers"), "no answer is marked correct")
        if len(cases) > 1:
            self.note(
                _at(where, "answers"),
                "match_case differs between the correct answers",
                "all of them are accepted in any case",
            )
        blank = {"accepted": accepted, "case_sensitive": cases == {True}}
        return {"type": "fill_blank", "blanks": [blank]}


def import_jupyterquiz(data: object, source: str) -> ImportReport:
    """Convert one parsed JupyterQuiz file; raise ImportFailed if it is not one."""
    return _Importer(source).run(data)


def read_jupyterquiz(text: str, source: str) -> ImportReport:
    """Parse and convert the text of one JupyterQuiz JSON file."""
    return import_jupyterquiz(parse_json(text, source), source)
