"""Grading: a question and a learner's answer in, a result out. Pure, and it never raises.

Answers arrive as JSON from the page, so each type accepts one JSON shape:

| question type     | answer                                                      |
|-------------------|-------------------------------------------------------------|
| single_choice     | a choice id: `"c-1"`                                        |
| multiple_choice   | a list of choice ids: `["c-1", "c-3"]`                      |
| true_false        | `true` or `false`                                           |
| fill_blank        | one string per blank: `["ReLU", "8"]`                       |
| short_answer      | a self-rating, `"good"`, or `{"rating": "good", "text": "…"}` |
| ordering          | every item id, in the learner's order                       |
| matching          | `{left pair id: chosen right option id}`                    |
| numeric           | a number, or the text the learner typed: `"1,024"`          |

A short answer's `{"text": "…"}` without a rating asks for the model answer (see
`wants_model_answer`); `{"rating": "again", "text": ""}` is "I don't know". An answer with
nothing in it (`is_empty`) is not an attempt: the runtime asks for one instead of grading it.
Typed numbers are read with the reader's decimal mark (`decimal`, "." or ",").

Partial credit (the score, from 0 to 1; `correct` only when everything is right):

* multiple choice: each right choice picked earns 1/R and each wrong choice picked costs 1/R,
  where R is the number of right choices; the total is floored at 0. Picking everything
  therefore scores 0 unless every choice is right.
* ordering: the fraction of item pairs whose relative order is right (1 - normalised Kendall
  tau distance), so one swap of neighbours in five items still scores 0.9.
* matching: the fraction of left prompts matched to their right answer.
* fill in the blank: the fraction of blanks filled with an accepted answer.
* short answer: the learner's own rating: again 0, hard 0.5, good 1, easy 1.
* single choice, true/false, numeric: 1 or 0.

A result is language-neutral: a verdict, a score, per-part marks and the author's feedback;
an invalid answer's reason is a key of the UI text tables (`Problem`) with its values. The
renderer says it all in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .models import (
    AnyQuestion,
    Blank,
    FillBlank,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Rating,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from .normalize import loose_text, normalize_text, numbers_close, parse_number

SELF_RATING_SCORE: dict[Rating, float] = {"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}

Verdict = Literal["correct", "partial", "incorrect", "invalid"]

#: Why an answer could not be graded: keys of the UI text tables (`languages/en.json`).
Problem = Literal[
    "grade.problem.choice_id",
    "grade.problem.choice_ids",
    "grade.problem.true_false",
    "grade.problem.texts",
    "grade.problem.answer_count",
    "grade.problem.rating",
    "grade.problem.text",
    "grade.problem.item_ids",
    "grade.problem.every_item",
    "grade.problem.matches",
    "grade.problem.number",
    "grade.problem.unknown_choice",
    "grade.problem.unknown_prompt",
    "grade.problem.unknown_option",
    "grade.problem.error",
]


class GradeResult(BaseModel):
    """The outcome of one answer, ready to show (in any language) and to record."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    question_id: str
    valid: bool = Field(description="False when the answer had the wrong shape for the question.")
    correct: bool
    score: float = Field(ge=0.0, le=1.0)
    rating: Rating = Field(description="For spaced review: wrong is again, right is good.")
    problem: Problem | None = Field(None, description="Why an invalid answer was not graded.")
    problem_values: dict[str, str | int] = Field(default_factory=dict)
    feedback: dict[str, str] = Field(
        default_factory=dict,
        description="The author's Markdown feedback, by the id of the part it is about: a "
        'picked choice, "true" or "false", a pair matched wrong.',
    )
    parts: list[bool] = Field(
        default_factory=list,
        description="Per blank, pair, item position or choice: whether that part was right.",
    )

    @property
    def verdict(self) -> Verdict:
        if not self.valid:
            return "invalid"
        if self.correct:
            return "correct"
        return "partial" if self.score > 0 else "incorrect"


def _result(
    question: AnyQuestion,
    score: float,
    *,
    correct: bool | None = None,
    rating: Rating | None = None,
    feedback: dict[str, str | None] | None = None,
    parts: list[bool] | None = None,
) -> GradeResult:
    score = min(1.0, max(0.0, score))
    is_correct = score >= 1.0 if correct is None else correct
    if rating is None:
        rating = "good" if is_correct else "again"
    return GradeResult(
        question_id=question.id,
        valid=True,
        correct=is_correct,
        score=score,
        rating=rating,
        feedback={part: text for part, text in (feedback or {}).items() if text},
        parts=parts or [],
    )


def invalid_answer(question: AnyQuestion, problem: Problem, **values: str | int) -> GradeResult:
    """The result for an answer that cannot be graded: it says why, and scores nothing."""
    return GradeResult(
        question_id=question.id,
        valid=False,
        correct=False,
        score=0.0,
        rating="again",
        problem=problem,
        problem_values=values,
    )


class _Invalid(Exception):
    def __init__(self, problem: Problem, **values: str | int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.values = values


T = TypeVar("T")


def _parse(adapter: TypeAdapter[T], answer: object, problem: Problem, **values: int) -> T:
    try:
        return adapter.validate_python(answer, strict=True)
    except ValidationError:
        raise _Invalid(problem, **values) from None


# Built on first use (defer_build): a page shows its quizzes before anyone answers.
_LATER = ConfigDict(defer_build=True)
_STR = TypeAdapter(str, config=_LATER)
_STR_LIST = TypeAdapter(list[str], config=_LATER)
_BOOL = TypeAdapter(bool, config=_LATER)
_STR_MAP = TypeAdapter(dict[str, str], config=_LATER)
_RATING: TypeAdapter[Rating] = TypeAdapter(Rating, config=_LATER)


def build_validators() -> None:
    """Build the validators deferred above (and GradeResult's), ahead of the first answer."""
    GradeResult.model_rebuild()
    for adapter in (_STR, _STR_LIST, _BOOL, _STR_MAP, _RATING):
        adapter.rebuild()


def _known(ids: list[str], allowed: set[str], problem: Problem) -> None:
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        raise _Invalid(problem, id=unknown[0])


def _grade_single(q: SingleChoice, answer: object, decimal: str) -> GradeResult:
    picked = _parse(_STR, answer, "grade.problem.choice_id")
    _known([picked], {c.id for c in q.choices}, "grade.problem.unknown_choice")
    choice = next(c for c in q.choices if c.id == picked)
    return _result(
        q,
        1.0 if choice.correct else 0.0,
        feedback={choice.id: choice.feedback},
        parts=[c.correct == (c.id == picked) for c in q.choices],
    )


def _grade_multiple(q: MultipleChoice, answer: object, decimal: str) -> GradeResult:
    picked_list = _parse(_STR_LIST, answer, "grade.problem.choice_ids")
    _known(picked_list, {c.id for c in q.choices}, "grade.problem.unknown_choice")
    picked = set(picked_list)
    right = [c for c in q.choices if c.correct]
    per_choice = 1 / len(right) if right else 1.0
    hits = sum(1 for c in right if c.id in picked)
    misses = sum(1 for c in q.choices if not c.correct and c.id in picked)
    exact = picked == {c.id for c in right}
    return _result(
        q,
        1.0 if exact else (hits - misses) * per_choice,
        correct=exact,
        feedback={c.id: c.feedback for c in q.choices if c.id in picked},
        parts=[c.correct == (c.id in picked) for c in q.choices],
    )


def _grade_true_false(q: TrueFalse, answer: object, decimal: str) -> GradeResult:
    said = _parse(_BOOL, answer, "grade.problem.true_false")
    return _result(
        q,
        1.0 if said == q.answer else 0.0,
        feedback={"true": q.feedback_true} if said else {"false": q.feedback_false},
    )


def blank_accepts(blank: Blank, typed: str, decimal: str = ".") -> bool:
    """Whether one typed answer fills a blank, after normalisation (and numerically if it can).

    The learner's number is read with their `decimal` mark, the author's with a point."""
    typed_number = parse_number(typed, decimal=decimal)
    for accepted in blank.accepted:
        if normalize_text(typed, case_sensitive=blank.case_sensitive) == normalize_text(
            accepted, case_sensitive=blank.case_sensitive
        ):
            return True
        if not blank.case_sensitive and loose_text(typed) == loose_text(accepted):
            return True
        accepted_number = parse_number(accepted)
        if (
            typed_number is not None
            and accepted_number is not None
            and numbers_close(typed_number, accepted_number, blank.tolerance or 0.0)
        ):
            return True
    return False


def _grade_fill(q: FillBlank, answer: object, decimal: str) -> GradeResult:
    typed = _parse(_STR_LIST, answer, "grade.problem.texts", count=len(q.blanks))
    if len(typed) != len(q.blanks):
        raise _Invalid("grade.problem.answer_count", expected=len(q.blanks), got=len(typed))
    parts = [blank_accepts(b, t, decimal) for b, t in zip(q.blanks, typed, strict=True)]
    return _result(q, sum(parts) / len(parts), parts=parts)


def _grade_short(q: ShortAnswer, answer: object, decimal: str) -> GradeResult:
    raw = answer.get("rating") if isinstance(answer, dict) else answer
    if isinstance(answer, dict) and not isinstance(answer.get("text", ""), str):
        raise _Invalid("grade.problem.text")
    rating = _parse(_RATING, raw, "grade.problem.rating")
    return _result(q, SELF_RATING_SCORE[rating], correct=rating != "again", rating=rating)


def _grade_ordering(q: Ordering, answer: object, decimal: str) -> GradeResult:
    order = _parse(_STR_LIST, answer, "grade.problem.item_ids")
    ids = [item.id for item in q.items]
    if sorted(order) != sorted(ids):
        raise _Invalid("grade.problem.every_item")
    position = {item_id: i for i, item_id in enumerate(order)}
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    in_order = sum(1 for a, b in pairs if position[a] < position[b])
    return _result(q, in_order / len(pairs), parts=[order[i] == ids[i] for i in range(len(ids))])


def _grade_matching(q: Matching, answer: object, decimal: str) -> GradeResult:
    chosen = _parse(_STR_MAP, answer, "grade.problem.matches")
    _known(list(chosen), {p.id for p in q.pairs}, "grade.problem.unknown_prompt")
    options = {option_id for option_id, _ in q.right_options()}
    _known(list(chosen.values()), options, "grade.problem.unknown_option")
    parts = [chosen.get(p.id) == p.id for p in q.pairs]
    return _result(
        q,
        sum(parts) / len(parts),
        feedback={p.id: p.feedback for p, ok in zip(q.pairs, parts, strict=True) if not ok},
        parts=parts,
    )


def numeric_value(q: Numeric, answer: object, decimal: str = ".") -> float | None:
    """The number a numeric answer gives, or None (typed text is read with `decimal`)."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float, str)):
        return None
    value = (
        float(answer) if isinstance(answer, (int, float)) else parse_number(answer, q.unit, decimal)
    )
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def numeric_allowance(q: Numeric) -> float:
    """How far from `value` an answer may be: the larger of the two tolerances."""
    return max(q.tolerance, q.relative_tolerance * abs(q.value or 0.0))


def _grade_numeric(q: Numeric, answer: object, decimal: str) -> GradeResult:
    value = numeric_value(q, answer, decimal)
    if value is None:
        raise _Invalid("grade.problem.number")
    if q.value is not None:
        ok = numbers_close(value, q.value, numeric_allowance(q))
    else:
        low, high = cast(float, q.min), cast(float, q.max)
        ok = low <= value <= high or numbers_close(value, low) or numbers_close(value, high)
    return _result(q, 1.0 if ok else 0.0)


_GRADERS: dict[str, Callable[[Any, object, str], GradeResult]] = {
    "single_choice": _grade_single,
    "multiple_choice": _grade_multiple,
    "true_false": _grade_true_false,
    "fill_blank": _grade_fill,
    "short_answer": _grade_short,
    "ordering": _grade_ordering,
    "matching": _grade_matching,
    "numeric": _grade_numeric,
}


def grade(question: AnyQuestion, answer: object, decimal: str = ".") -> GradeResult:
    """Grade one answer (a JSON value, shaped as the module docstring says). Never raises.

    `decimal` is the reader's decimal mark, for numbers they typed."""
    try:
        return _GRADERS[question.type](question, answer, decimal)
    except _Invalid as problem:
        return invalid_answer(question, problem.problem, **problem.values)
    except (ValueError, TypeError, OverflowError, RecursionError) as problem:
        return invalid_answer(question, "grade.problem.error", error=type(problem).__name__)


def _blank_text(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def is_empty(question: AnyQuestion, answer: object) -> bool:
    """An answer with nothing in it: no choice picked, nothing typed, nothing matched.

    A short answer is empty without text (a bare rating has none), unless the learner says
    "I don't know" (rating "again"); `{"text": "…"}` alone is not empty: it asks for the model
    answer."""
    if answer is None or _blank_text(answer) or answer in ([], {}):
        return True
    match question:
        case FillBlank():
            return isinstance(answer, list) and all(_blank_text(t) for t in answer)
        case Matching():
            return isinstance(answer, dict) and all(_blank_text(v) for v in answer.values())
        case ShortAnswer():
            text = answer.get("text", "") if isinstance(answer, dict) else ""
            rating = answer.get("rating") if isinstance(answer, dict) else answer
            return _blank_text(text) and rating != "again"
        case _:
            return False


def wants_model_answer(question: AnyQuestion, answer: object) -> bool:
    """A short answer's text without a rating yet: show the model answer to rate against."""
    return (
        isinstance(question, ShortAnswer)
        and isinstance(answer, dict)
        and "rating" not in answer
        and isinstance(answer.get("text"), str)
    )
