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

What jupyterquiz's own JavaScript accepts is accepted here too, each noted in the report: a
file read as a JavaScript literal (trailing commas, comments), "correct" left out (false),
numbers written as text, a precision JavaScript cannot use, answers of no kind it knows
(ignored), a choice question with no correct answer. A question it cannot show (an unknown
type, no answers) is skipped with the reason, and every other question still imported.
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
from .report import ImportFailed, ImportReport, Inexact, parse_json, skipped_question

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
_DISTRACTOR = "a wrong answer with its own feedback (a distractor) has no equivalent"
_GRADED_WRONG = "dropped: graded wrong like any other answer"
#: Outside strings, JavaScript allows comments, and a comma before a closing bracket.
_JS_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*[\s\S]*?\*/')
_JS_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[\]}])')
#: A backslash JSON does not allow (`\cap` in LaTeX): JavaScript drops it; kept as written.
_JS_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JS_ESCAPE = re.compile(r"\\([\s\S])")


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


def _javascript_value(text: str, source: str) -> tuple[object, bool]:
    """The file's value, and whether it needed JavaScript's leniency: jupyterquiz pastes a
    question file into its page's script, so trailing commas and comments work there."""
    try:
        return parse_json(text, source), False
    except ImportFailed as failure:
        relaxed = text
        for pattern in (_JS_COMMENT, _JS_TRAILING_COMMA):
            relaxed = pattern.sub(lambda m: m.group() if m.group()[0] == '"' else " ", relaxed)
        relaxed = _JS_STRING.sub(lambda m: _JS_ESCAPE.sub(_json_escape, m.group()), relaxed)
        try:
            return parse_json(relaxed, source), True
        except ImportFailed:
            raise failure from None


def _json_escape(escape: re.Match[str]) -> str:
    """An escape JSON allows as it is; any other backslash kept as a backslash."""
    return escape.group() if escape.group(1) in '"\\/bfnrtu' else "\\" + escape.group()


def _truthy(value: object) -> bool:
    """Whether JavaScript counts a JSON value as true (jupyterquiz tests `answer.correct`)."""
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value not in (None, False, 0, "")


def _number_like(value: object) -> float | None:
    """A JSON number, or text holding one (JavaScript compares `"0.5" == 0.5` as equal)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


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
        questions: list[AnyQuestion] = []
        for where, raw in located:
            notes, ignored = len(self.inexact), dict(self.ignored)
            try:
                questions.append(self._question(raw, where))
            except ImportFailed as failure:  # this question only: the others still import
                del self.inexact[notes:]
                self.ignored = ignored
                original = json.dumps(raw, ensure_ascii=False, indent=1)
                self.inexact.append(
                    skipped_question(failure.location or where, failure.message, original)
                )
        if self.ignored:
            first = next(iter(self.ignored.values()))
            names = ", ".join(self.ignored)
            self.note(first, f"fields with no equivalent here: {names}", "ignored")
        ident = chapter_id(self.source)
        default_title = ident.replace("_", " ").replace("-", " ").strip().title() or ident
        if not questions:
            return ImportReport(source=self.source, quizzes=[], inexact=self.inexact)
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
            title = data.get("title")
            self.unused(data, {"questions", "title"}, "")
            shown = title.strip() if isinstance(title, str) else ""
            return shown[:2_000] or None, self._located(data["questions"], "questions")
        if isinstance(data, dict) and "type" in data:
            self.note("", "the file holds one question, not a list of them", "imported as one")
            return None, [("", data)]
        raise self.fail(
            "", 'expected a JSON list of questions (or an object with a "questions" list)'
        )

    def _located(self, questions: object, where: str) -> list[tuple[str, object]]:
        if not isinstance(questions, list):
            raise self.fail(where, "must be a list of questions")
        if not questions:
            self.note(where, "the file has no questions", "nothing to import")
        return [(_at(where, i), question) for i, question in enumerate(questions)]

    def _question(self, raw: object, where: str) -> AnyQuestion:
        if not isinstance(raw, dict):
            raise self.fail(where, "a question must be a JSON object")
        kind = raw.get("type")
        if kind not in _TYPES:
            shown = f"of type {json.dumps(kind)}" if isinstance(kind, str) else "with no type"
            raise self.fail(
                _at(where, "type"),
                f"jupyterquiz shows nothing for a question {shown} (it knows {', '.join(_TYPES)})",
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
        question = self._text_field(raw, "question", where)
        code = self._text_field(raw, "code", where)
        parts = [markdown_from_html(question or ""), _code_block(code) if code else ""]
        text = "\n\n".join(p for p in parts if p)
        if not text:
            raise self.fail(_at(where, "question"), "the question has no text")
        return text

    def _answers(self, raw: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
        """The answers that are objects, with their locations; others are noted and ignored
        (jupyterquiz would stop at them)."""
        answers = raw.get("answers")
        if not isinstance(answers, list) or not answers:
            raise self.fail(_at(where, "answers"), "the question has no list of answers")
        kept = []
        for j, answer in enumerate(answers):
            at = _at(_at(where, "answers"), j)
            if isinstance(answer, dict):
                kept.append((at, answer))
            else:
                self.note(at, "an answer that is not a JSON object", "ignored")
        return kept

    def _text_field(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        """Text, or a number JavaScript would show as text; None if absent or null."""
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:g}" if isinstance(value, float) else str(value)
        if not isinstance(value, str):
            raise self.fail(_at(where, key), "must be text")
        return value

    def _feedback(self, answer: dict[str, Any], where: str) -> str | None:
        text = self._text_field(answer, "feedback", where)
        return markdown_from_html(text) or None if text else None

    def _correct(self, answer: dict[str, Any], where: str) -> bool:
        """`correct` as jupyterquiz reads it: JavaScript truthiness, absent meaning false."""
        value = answer.get("correct")
        if not isinstance(value, bool) and "correct" in answer:
            self.note(
                _at(where, "correct"),
                f"correct is {json.dumps(value)}, not true or false",
                f"read as {str(_truthy(value)).lower()}, as jupyterquiz does",
            )
        return _truthy(value)

    def _choices(self, answers: list[tuple[str, dict[str, Any]]], where: str) -> dict[str, Any]:
        choices = []
        for at, answer in answers:
            label = self._text_field(answer, "answer", at)
            code = self._text_field(answer, "code", at)
            parts = [markdown_from_html(label or ""), _code_block(code) if code else ""]
            text = "\n\n".join(p for p in parts if p)
            if not text:
                raise self.fail(_at(at, "answer"), "the answer has no text")
            correct = self._correct(answer, at)
            choices.append(
                {"text": text, "correct": correct, "feedback": self._feedback(answer, at)}
            )
            self.unused(answer, {"answer", "code", "correct", "feedback"}, at)
        right = sum(1 for c in choices if c["correct"])
        if not right:
            self.note(
                _at(where, "answers"),
                "no answer is marked correct (jupyterquiz then grades every answer wrong)",
                "imported as multiple choice whose right answer is to pick none",
            )
        return {"type": "single_choice" if right == 1 else "multiple_choice", "choices": choices}

    def _precision(self, raw: dict[str, Any], where: str) -> int | None:
        """Significant digits, or None where JavaScript's toPrecision could not use them."""
        precision = raw.get("precision")
        if precision is None:
            return None
        if isinstance(precision, int) and not isinstance(precision, bool) and 1 <= precision <= 100:
            return precision
        self.note(
            _at(where, "precision"),
            f"precision {json.dumps(precision)} is not a number of significant digits from 1 to"
            " 100 (with it, jupyterquiz cannot check any typed answer)",
            "ignored: typed answers are compared exactly",
        )
        return None

    def _numeric(
        self, raw: dict[str, Any], answers: list[tuple[str, dict[str, Any]]], where: str
    ) -> dict[str, Any]:
        precision = self._precision(raw, where)
        parsed = [
            found
            for index, (at, answer) in enumerate(answers)
            if (found := self._numeric_answer(answer, index, at, precision)) is not None
        ]
        key = next((a for a in parsed if a.correct), None)
        if key is None:
            raise self.fail(_at(where, "answers"), "no answer is marked correct")
        self._numeric_notes(parsed, key, [at for at, _ in answers], precision)
        if key.kind == "range":
            return {"type": "numeric", "min": key.span.low, "max": key.span.high}
        return {"type": "numeric", "value": key.center, "tolerance": key.half}

    def _numeric_answer(
        self, answer: dict[str, Any], index: int, at: str, precision: int | None
    ) -> _NumericAnswer | None:
        """One answer as jupyterquiz tries it ("value" first, then "range", then a default);
        None for one it never matches, noted."""
        self.unused(answer, {"type", "value", "range", "correct", "feedback", "answer"}, at)
        feedback = self._feedback(answer, at)
        correct = self._correct(answer, at) if answer.get("type") != "default" else False
        if "value" in answer:
            value = _number_like(answer["value"])
            if value is None:
                self._unusable(at, "value", answer["value"], correct)
                return None
            try:
                center, half = _significant(value, precision) if precision else (value, 0.0)
            except OverflowError:
                self._unusable(at, "value", value, correct, "the number is too large to round")
                return None
            span = _Span(center - half, center + half)
            return _NumericAnswer(index, "value", span, correct, feedback, center, half)
        if "range" in answer:
            bounds = answer["range"]
            numbers = [_number_like(b) for b in bounds] if isinstance(bounds, list) else []
            low, high = numbers if len(numbers) == 2 else (None, None)
            if low is None or high is None or not low < high:
                self._unusable(at, "range", bounds, correct)
                return None
            return _NumericAnswer(index, "range", _Span(low, high), correct, feedback)
        if answer.get("type") == "default":
            return _NumericAnswer(index, "default", _Span(0.0, 0.0), False, feedback)
        self.note(at, 'an answer with no "value", "range" or "type": "default"', "ignored")
        return None

    def _unusable(self, at: str, key: str, value: object, correct: bool, reason: str = "") -> None:
        """A value or range no typed number can match: fatal for the key, else ignored."""
        shown = json.dumps(value)[:80]
        if not reason:
            what = "a range [low, high) of numbers" if key == "range" else "a number"
            reason = f"{shown} is not {what}"
        if correct:
            raise self.fail(_at(at, key), reason)
        self.note(_at(at, key), f"{reason}; no typed answer matches this wrong answer", "ignored")

    def _numeric_notes(
        self,
        parsed: list[_NumericAnswer],
        key: _NumericAnswer,
        places: list[str],
        precision: int | None,
    ) -> None:
        key_at = places[key.index]
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
            at = places[answer.index]
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
                    self.note(at, _DISTRACTOR, _GRADED_WRONG)

    def _string(self, answers: list[tuple[str, dict[str, Any]]], where: str) -> dict[str, Any]:
        accepted: list[str] = []
        cases: set[bool] = set()
        for at, answer in answers:
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
            text = (self._text_field(answer, "answer", at) or "").strip()
            if not self._correct(answer, at):
                if feedback:
                    self.note(at, _DISTRACTOR, _GRADED_WRONG)
                continue
            if not text:
                self.note(
                    _at(at, "answer"),
                    "a correct answer with no text (jupyterquiz accepts it when nothing is typed)",
                    "dropped: an empty answer is never right here",
                )
                continue
            accepted.append(text)
            cases.add(_truthy(answer.get("match_case")))
            threshold = _number_like(answer.get("fuzzy_threshold"))
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
            raise self.fail(_at(where, "answers"), "no answer with text is marked correct")
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
    """Parse and convert the text of one JupyterQuiz file (JSON, or the JavaScript literal
    jupyterquiz also reads)."""
    data, javascript = _javascript_value(text, source)
    report = import_jupyterquiz(data, source)
    if javascript:
        report.inexact.insert(
            0,
            Inexact(
                location="",
                reason="JavaScript syntax JSON does not allow (a trailing comma, a comment or a"
                " backslash before a letter, as in LaTeX), which jupyterquiz accepts",
                action="read as jupyterquiz reads it",
            ),
        )
    return report
