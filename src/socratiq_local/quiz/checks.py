"""Reading a quiz file and listing everything wrong with it, each problem with its place.

Quiz files are written by hand, so a bare "invalid" helps nobody: every problem says where it
is (`questions[3].choices[0].text`, or a line and column for broken JSON) and what is wrong.
Beyond the format itself, the checks catch mistakes the format allows: reused ids within a quiz
are errors (progress, grading and the page's controls are keyed by id, so the second question
or choice could not be answered); a choice question with no right answer or blanks that do not
match the text are warnings.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .models import (
    QUESTION_MODELS,
    AnyQuestion,
    Blank,
    Choice,
    Distractor,
    FillBlank,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    OrderItem,
    Question,
    Quiz,
    SingleChoice,
    content_id,
)
from .normalize import normalize_text

Severity = Literal["error", "warning"]
#: The parts of a question that carry their own ids.
Part = Choice | OrderItem | MatchPair | Distractor

#: The largest quiz file a page loads (web/quiz_files.js refuses bigger ones before parsing):
#: 1 MiB, 20 times MLSysBook's largest chapter file.
MAX_QUIZ_BYTES = 1024 * 1024
#: Deeper than any real quiz (which nests about six levels), shallow enough for any parser.
MAX_NESTING = 64

_QUESTION_MODELS: Mapping[str, type[BaseModel]] = QUESTION_MODELS
_PART_MODELS: dict[str, type[BaseModel]] = {
    "choices": Choice,
    "items": OrderItem,
    "pairs": MatchPair,
    "distractors": Distractor,
    "blanks": Blank,
}
#: For a rejected quiz only, so built on first use.
_QUESTION_ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(
    Question, config=ConfigDict(defer_build=True)
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a quiz document: how bad, where (empty: the whole file), and what."""

    severity: Severity
    location: str
    message: str

    def describe(self, source: str) -> str:
        """The problem as one printable line: `source: location: severity: message`."""
        where = f"{source}: {self.location}" if self.location else source
        line = f"{where}: {self.severity}: {self.message}"
        return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


@dataclass(frozen=True)
class CheckedQuiz:
    """A checked document: the quiz, when the format accepts it, and every problem found."""

    quiz: Quiz | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


class QuizFileError(ValueError):
    """A quiz document that cannot be used; `problems` lists every error and warning in it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        errors = [p.describe(source) for p in problems if p.severity == "error"]
        super().__init__("\n".join(errors))


def load_quiz(text: str | bytes, source: str = "<quiz>") -> Quiz:
    """The quiz in a JSON document, or a QuizFileError listing why it cannot be used."""
    checked = check_quiz_bytes(text) if isinstance(text, bytes) else check_quiz_text(text)
    if checked.quiz is None or checked.has_errors:
        raise QuizFileError(source, checked.problems)
    return checked.quiz


def check_quiz_data(data: object) -> list[Problem]:
    """Every problem in an already parsed JSON value, as a list of errors and warnings."""
    return check_quiz_document(data).problems


def check_quiz_bytes(raw: bytes) -> CheckedQuiz:
    """Check a file's bytes, which must be UTF-8 (a byte order mark is tolerated) and no more
    than a page loads."""
    if len(raw) > MAX_QUIZ_BYTES:
        return _fatal(f"the file is larger than {MAX_QUIZ_BYTES:,} bytes, the most a page loads")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = raw.count(b"\n", 0, bad.start) + 1
        column = bad.start - (raw.rfind(b"\n", 0, bad.start) + 1) + 1
        return _fatal(
            f"not UTF-8 text: byte 0x{raw[bad.start]:02x} cannot be decoded",
            f"line {line}, column {column}",
        )
    return check_quiz_text(text)


def check_quiz_text(text: str) -> CheckedQuiz:
    """Check a JSON document given as text."""
    if not text.strip():
        return _fatal("the file is empty")
    if (deep := nesting_problem(text)) is not None:
        return CheckedQuiz(None, [deep])
    duplicate_keys: list[str] = []
    try:
        data = json.loads(
            text, object_pairs_hook=lambda pairs: _object_noting_duplicates(pairs, duplicate_keys)
        )
    except json.JSONDecodeError as bad:
        return _fatal(f"invalid JSON: {bad.msg}", f"line {bad.lineno}, column {bad.colno}")
    except ValueError as bad:  # an integer too long to convert, for one
        return _fatal(f"invalid JSON: {bad}")
    checked = check_quiz_document(data)
    duplicates = [
        Problem("warning", "", f"key {json.dumps(key)} appears twice in one object; the last wins")
        for key in dict.fromkeys(duplicate_keys)
    ]
    return CheckedQuiz(checked.quiz, duplicates + checked.problems)


def check_quiz_document(data: object) -> CheckedQuiz:
    """Check a parsed JSON value against the quiz format, then for likely authoring mistakes."""
    if not isinstance(data, dict):
        return _fatal(f"the top level must be a JSON object, not {_json_kind(data)}")
    surrogates = list(_surrogate_problems(data))
    if surrogates:
        return CheckedQuiz(None, surrogates)
    try:
        quiz = Quiz.model_validate(data, strict=True)
    except ValidationError as invalid:
        errors = [_problem_from_error(e) for e in invalid.errors(include_url=False)]
        questions = _valid_questions(data.get("questions"))
        return CheckedQuiz(None, errors + list(_question_set_problems(questions)))
    problems = list(_question_set_problems(list(enumerate(quiz.questions))))
    if quiz.subset is not None and quiz.subset > len(quiz.questions):
        problems.append(
            Problem(
                "warning",
                "subset",
                f"subset is {quiz.subset} but the quiz has only {len(quiz.questions)} question(s)",
            )
        )
    return CheckedQuiz(quiz, problems)


def nesting_problem(text: str) -> Problem | None:
    """An error if a JSON text nests deeper than any quiz does, found without parsing it: to
    run before any JSON parser, which could recurse out of stack on hostile input."""
    if _nesting_depth(text) > MAX_NESTING:
        return Problem("error", "", f"the document nests more than {MAX_NESTING} levels deep")
    return None


def quiz_problems(quiz: Quiz) -> list[Problem]:
    """The checks beyond the format (reused ids among them) of a quiz an importer built."""
    return list(_question_set_problems(list(enumerate(quiz.questions))))


def cross_file_problems(quizzes: Sequence[tuple[str, Quiz]]) -> list[tuple[str, Problem]]:
    """Warnings for quiz and question ids that an earlier file (in the given order) already uses.

    Progress is recorded by id, so two quizzes sharing an id would share a learner's record.
    """
    quiz_owner: dict[str, str] = {}
    question_owner: dict[str, str] = {}
    found: list[tuple[str, Problem]] = []
    for source, quiz in quizzes:
        if quiz.id in quiz_owner:
            message = f"quiz id {json.dumps(quiz.id)} is also used by {quiz_owner[quiz.id]}"
            found.append((source, Problem("warning", "id", message)))
        quiz_owner.setdefault(quiz.id, source)
        ids_here: dict[str, str] = {}
        for index, question in enumerate(quiz.questions):
            here = f"questions[{index}]"
            if question.id in question_owner and question.id not in ids_here:
                message = (
                    f"question id {json.dumps(question.id)} is also used in"
                    f" {question_owner[question.id]}"
                )
                found.append((source, Problem("warning", _id_location(here, question), message)))
            ids_here.setdefault(question.id, f"{source} {here}")
        for question_id, owner in ids_here.items():
            question_owner.setdefault(question_id, owner)
    return found


def format_location(path: Sequence[int | str]) -> str:
    """A path into a JSON document as an author reads it: `questions[3].choices[0].text`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def _fatal(message: str, location: str = "") -> CheckedQuiz:
    return CheckedQuiz(None, [Problem("error", location, message)])


def _nesting_depth(text: str) -> int:
    """How deeply brackets nest outside strings, counted without parsing (which could recurse)."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _JSON_STRING.sub('""', text)):
        depth = depth + 1 if bracket in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _object_noting_duplicates(
    pairs: list[tuple[str, Any]], duplicates: list[str]
) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    return obj


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"


def _surrogate_problems(data: object) -> Iterator[Problem]:
    """Lone UTF-16 surrogates (`\\ud800` escapes) are legal JSON but not text anyone can show."""
    pending: list[tuple[list[int | str], object]] = [([], data)]
    while pending:
        path, value = pending.pop()
        children: list[tuple[int | str, object]] = []
        if isinstance(value, dict):
            children = list(value.items())
        elif isinstance(value, list):
            children = list(enumerate(value))
        for key, child in children:
            if isinstance(key, str) and _SURROGATE.search(key):
                yield Problem("error", format_location(path), "a key has an unpaired surrogate")
            pending.append(([*path, key], child))
        if isinstance(value, str) and _SURROGATE.search(value):
            yield Problem("error", format_location(path), "the text has an unpaired surrogate")


def _problem_from_error(error: ErrorDetails) -> Problem:
    """Turn one pydantic error into a problem placed in the document, not in the union."""
    raw: tuple[int | str, ...] = tuple(error["loc"])
    path = list(raw)
    if len(path) > 2 and path[0] == "questions" and path[2] in _QUESTION_MODELS:
        del path[2]
    kind = error["type"]
    message = error["msg"]
    expected = ", ".join(_QUESTION_MODELS)
    if kind == "union_tag_invalid":
        path.append("type")
        tag = json.dumps(error.get("ctx", {}).get("tag"))
        message = f"unknown question type {tag}; expected one of: {expected}"
    elif kind == "union_tag_not_found":
        message = f'missing "type"; expected one of: {expected}'
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = "Input should be a JSON object"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        message = "unknown field" + _did_you_mean(raw)
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    return Problem("error", format_location(path), message)


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    """A suggestion for a misspelt field, from the fields of the model at that place."""
    model: type[BaseModel] = Quiz
    parent = loc[:-1]
    if len(parent) >= 3 and parent[0] == "questions" and str(parent[2]) in _QUESTION_MODELS:
        model = _QUESTION_MODELS[str(parent[2])]
        if len(parent) >= 5:
            model = _PART_MODELS.get(str(parent[3]), model)
    names = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), names, n=1)
    return f"; did you mean {json.dumps(close[0])}?" if close else ""


def _valid_questions(raw: object) -> list[tuple[int, AnyQuestion]]:
    """The questions of a rejected quiz that are valid on their own, so they still get checked."""
    if not isinstance(raw, list):
        return []
    valid: list[tuple[int, AnyQuestion]] = []
    for index, item in enumerate(raw):
        try:
            valid.append((index, _QUESTION_ADAPTER.validate_python(item, strict=True)))
        except ValidationError:
            continue
    return valid


def _question_set_problems(questions: list[tuple[int, AnyQuestion]]) -> Iterator[Problem]:
    first_with_id: dict[str, str] = {}
    for index, question in questions:
        here = f"questions[{index}]"
        if question.id in first_with_id:
            yield _duplicate(here, question, "question", first_with_id[question.id])
        first_with_id.setdefault(question.id, here)
        yield from _question_problems(here, question)


def _question_problems(here: str, question: AnyQuestion) -> Iterator[Problem]:
    """Mistakes within one question that the format cannot rule out."""
    if isinstance(question, SingleChoice | MultipleChoice):
        yield from _duplicate_parts(here, "choice", [("choices", c) for c in question.choices])
        right = sum(c.correct for c in question.choices)
        if right == 0:
            yield Problem("warning", f"{here}.choices", "no choice is marked correct")
        if isinstance(question, SingleChoice) and right > 1:
            message = (
                f"{right} choices are marked correct but a single_choice question has one;"
                " use multiple_choice"
            )
            yield Problem("error", f"{here}.choices", message)
    elif isinstance(question, Ordering):
        yield from _duplicate_parts(here, "item", [("items", i) for i in question.items])
    elif isinstance(question, Matching):
        options: list[tuple[str, MatchPair | Distractor]] = [("pairs", p) for p in question.pairs]
        options += [("distractors", d) for d in question.distractors]
        yield from _duplicate_parts(here, "pair or distractor", options)
        yield from _repeated_right_texts(here, question)
    elif isinstance(question, FillBlank) and question.blank_count_in_text != len(question.blanks):
        in_text, listed = question.blank_count_in_text, len(question.blanks)
        message = f"the text has {in_text} blank(s) (____) but blanks lists {listed}"
        yield Problem("warning", f"{here}.blanks", message)


def _duplicate_parts(here: str, what: str, parts: Sequence[tuple[str, Part]]) -> Iterator[Problem]:
    first_with_id: dict[str, str] = {}
    counters: dict[str, int] = {}
    for field_name, part in parts:
        index = counters[field_name] = counters.get(field_name, -1) + 1
        location = f"{field_name}[{index}]"
        if part.id in first_with_id:
            yield _duplicate(f"{here}.{location}", part, what, first_with_id[part.id])
        first_with_id.setdefault(part.id, location)


def _repeated_right_texts(here: str, question: Matching) -> Iterator[Problem]:
    first_with_text: dict[str, str] = {}
    labelled = [(f"pairs[{i}].right", p.right) for i, p in enumerate(question.pairs)]
    labelled += [(f"distractors[{i}].text", d.text) for i, d in enumerate(question.distractors)]
    for location, text in labelled:
        key = normalize_text(text)
        if key in first_with_text:
            message = f"the same right-hand text as {first_with_text[key]}; learners cannot tell"
            yield Problem("warning", f"{here}.{location}", message + " them apart")
        first_with_text.setdefault(key, location)


def _duplicate(
    location: str,
    thing: AnyQuestion | Part,
    what: str,
    first: str,
) -> Problem:
    """Two questions (or two parts of one) with one id: an error, as neither could be told apart
    when answered."""
    if _id_is_derived(thing):
        message = (
            f"same content as {first}, so the same derived {what} id {json.dumps(thing.id)};"
            " give one an id"
        )
        return Problem("error", location, message)
    return Problem(
        "error", f"{location}.id", f"duplicate {what} id {json.dumps(thing.id)} (also {first})"
    )


def _id_location(here: str, question: AnyQuestion) -> str:
    return here if _id_is_derived(question) else f"{here}.id"


def _id_is_derived(thing: AnyQuestion | Part) -> bool:
    """Whether an id is the one derived from the content (so the author did not write it)."""
    if isinstance(thing, Choice):
        return thing.id == content_id("c-", thing.text)
    if isinstance(thing, OrderItem):
        return thing.id == content_id("i-", thing.text)
    if isinstance(thing, MatchPair):
        return thing.id == content_id("p-", thing.left, thing.right)
    if isinstance(thing, Distractor):
        return thing.id == content_id("x-", thing.text)
    return thing.id == content_id("q-", thing.type, *thing.content_key())
