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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

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


class GradeResult(BaseModel):
    """The outcome of one answer, ready to show and to record."""

    model_config = ConfigDict(frozen=True)

    question_id: str
    valid: bool = Field(description="False when the answer had the wrong shape for the question.")
    correct: bool
    score: float = Field(ge=0.0, le=1.0)
    rating: Rating = Field(description="For spaced review: wrong is again, right is good.")
    message: str = Field(description="One plain-text sentence for the learner.")
    feedback: list[str] = Field(default_factory=list, description="Markdown, per picked choice.")
    parts: list[bool] = Field(
        default_factory=list,
        description="Per blank, pair, item or choice: whether that part was right.",
    )
    solution: str | None = Field(None, description="The right answer, in Markdown.")
    explanation: str | None = None


def _result(
    question: AnyQuestion,
    score: float,
    *,
    correct: bool | None = None,
    rating: Rating | None = None,
    feedback: list[str] | None = None,
    parts: list[bool] | None = None,
    solution: str | None = None,
) -> GradeResult:
    score = min(1.0, max(0.0, score))
    is_correct = score >= 1.0 if correct is None else correct
    if rating is None:
        rating = "good" if is_correct else "again"
    if is_correct:
        message = "Correct."
    elif score > 0:
        message = f"Partly right: {round(score * 100)}%."
    else:
        message = "Not quite."
    return GradeResult(
        question_id=question.id,
        valid=True,
        correct=is_correct,
        score=score,
        rating=rating,
        message=message,
        feedback=[f for f in feedback or [] if f],
        parts=parts or [],
        solution=solution,
        explanation=question.explanation,
    )


def invalid_answer(question: AnyQuestion, reason: str) -> GradeResult:
    """The result for an answer that cannot be graded: it says why, and scores nothing."""
    return GradeResult(
        question_id=question.id,
        valid=False,
        correct=False,
        score=0.0,
        rating="again",
        message=f"This answer could not be checked: {reason}.",
    )


class _Invalid(Exception):
    pass


T = TypeVar("T")


def _parse(adapter: TypeAdapter[T], answer: object, shape: str) -> T:
    try:
        return adapter.validate_python(answer, strict=True)
    except ValidationError:
        raise _Invalid(f"expected {shape}") from None


_STR = TypeAdapter(str)
_STR_LIST = TypeAdapter(list[str])
_BOOL = TypeAdapter(bool)
_STR_MAP = TypeAdapter(dict[str, str])
_RATING: TypeAdapter[Rating] = TypeAdapter(Rating)


def _known(ids: list[str], allowed: set[str], what: str) -> None:
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        raise _Invalid(f"unknown {what} {unknown[0]!r}")


def _grade_single(q: SingleChoice, answer: object) -> GradeResult:
    picked = _parse(_STR, answer, "one choice id")
    _known([picked], {c.id for c in q.choices}, "choice")
    choice = next(c for c in q.choices if c.id == picked)
    right = [c.text for c in q.choices if c.correct]
    return _result(
        q,
        1.0 if choice.correct else 0.0,
        feedback=[choice.feedback or ""],
        parts=[c.correct == (c.id == picked) for c in q.choices],
        solution=right[0] if right else None,
    )


def _grade_multiple(q: MultipleChoice, answer: object) -> GradeResult:
    picked_list = _parse(_STR_LIST, answer, "a list of choice ids")
    _known(picked_list, {c.id for c in q.choices}, "choice")
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
        feedback=[c.feedback or "" for c in q.choices if c.id in picked],
        parts=[c.correct == (c.id in picked) for c in q.choices],
        solution="; ".join(c.text for c in right) or None,
    )


def _grade_true_false(q: TrueFalse, answer: object) -> GradeResult:
    said = _parse(_BOOL, answer, "true or false")
    return _result(
        q,
        1.0 if said == q.answer else 0.0,
        feedback=[(q.feedback_true if said else q.feedback_false) or ""],
        solution="True" if q.answer else "False",
    )


def blank_accepts(blank: Blank, typed: str) -> bool:
    """Whether one typed answer fills a blank, after normalisation (and numerically if it can)."""
    typed_number = parse_number(typed)
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


def _grade_fill(q: FillBlank, answer: object) -> GradeResult:
    typed = _parse(_STR_LIST, answer, f"a list of {len(q.blanks)} texts")
    if len(typed) != len(q.blanks):
        raise _Invalid(f"expected {len(q.blanks)} answers, got {len(typed)}")
    parts = [blank_accepts(b, t) for b, t in zip(q.blanks, typed, strict=True)]
    return _result(
        q,
        sum(parts) / len(parts),
        parts=parts,
        solution="; ".join(b.accepted[0] for b in q.blanks),
    )


def _grade_short(q: ShortAnswer, answer: object) -> GradeResult:
    raw = answer.get("rating") if isinstance(answer, dict) else answer
    if isinstance(answer, dict) and not isinstance(answer.get("text", ""), str):
        raise _Invalid("the text of a short answer must be a string")
    rating = _parse(_RATING, raw, "a self-rating: again, hard, good or easy")
    return _result(
        q,
        SELF_RATING_SCORE[rating],
        correct=rating != "again",
        rating=rating,
        solution=q.model_answer,
    )


def _grade_ordering(q: Ordering, answer: object) -> GradeResult:
    order = _parse(_STR_LIST, answer, "every item id, in order")
    ids = [item.id for item in q.items]
    if sorted(order) != sorted(ids):
        raise _Invalid("the answer must list every item exactly once")
    position = {item_id: i for i, item_id in enumerate(order)}
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    in_order = sum(1 for a, b in pairs if position[a] < position[b])
    return _result(
        q,
        in_order / len(pairs),
        parts=[order[i] == ids[i] for i in range(len(ids))],
        solution=" → ".join(item.text for item in q.items),
    )


def _grade_matching(q: Matching, answer: object) -> GradeResult:
    chosen = _parse(_STR_MAP, answer, "an object from left ids to right ids")
    _known(list(chosen), {p.id for p in q.pairs}, "left prompt")
    _known(list(chosen.values()), {option_id for option_id, _ in q.right_options()}, "option")
    parts = [chosen.get(p.id) == p.id for p in q.pairs]
    return _result(
        q,
        sum(parts) / len(parts),
        feedback=[p.feedback or "" for p, ok in zip(q.pairs, parts, strict=True) if not ok],
        parts=parts,
        solution="; ".join(f"{p.left} → {p.right}" for p in q.pairs),
    )


def _grade_numeric(q: Numeric, answer: object) -> GradeResult:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, str)):
        raise _Invalid("expected a number")
    value = float(answer) if isinstance(answer, (int, float)) else parse_number(answer, q.unit)
    if value is None or value != value or value in (float("inf"), float("-inf")):
        raise _Invalid("expected a number")
    unit = f" {q.unit}" if q.unit else ""
    if q.value is not None:
        allowed = max(q.tolerance, q.relative_tolerance * abs(q.value))
        ok = numbers_close(value, q.value, allowed)
        solution = f"{q.value:g}{unit}" + (f" (± {allowed:g})" if allowed else "")
    else:
        low, high = cast(float, q.min), cast(float, q.max)
        ok = low <= value <= high or numbers_close(value, low) or numbers_close(value, high)
        solution = f"between {low:g} and {high:g}{unit}"
    return _result(q, 1.0 if ok else 0.0, solution=solution)


_GRADERS: dict[str, Callable[[Any, object], GradeResult]] = {
    "single_choice": _grade_single,
    "multiple_choice": _grade_multiple,
    "true_false": _grade_true_false,
    "fill_blank": _grade_fill,
    "short_answer": _grade_short,
    "ordering": _grade_ordering,
    "matching": _grade_matching,
    "numeric": _grade_numeric,
}


def grade(question: AnyQuestion, answer: object) -> GradeResult:
    """Grade one answer (a JSON value, shaped as the module docstring says). Never raises."""
    try:
        return _GRADERS[question.type](question, answer)
    except _Invalid as problem:
        return invalid_answer(question, str(problem))
    except (ValueError, TypeError, OverflowError, RecursionError) as problem:
        return invalid_answer(question, type(problem).__name__)
