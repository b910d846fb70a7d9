"""A question's answer from its submitted form, so the page needs no code per question type.

The page sends the string entries of `new FormData(form, submitter)` as `[name, value]` pairs,
in document order; the renderer (render/question.py, render/feedback.py) names the controls:

| question type     | fields                                                              |
|-------------------|---------------------------------------------------------------------|
| single_choice     | `choice`: the picked choice id                                      |
| multiple_choice   | `choice`, once per ticked choice id                                 |
| true_false        | `choice`: `"true"` or `"false"`                                     |
| fill_blank        | `blank-<index>`: the text typed in each blank                       |
| short_answer      | `text`: what the learner wrote; `rating`: the self-rating button    |
| ordering          | `order`: every item id, in the order the learner left the items     |
| matching          | `pair:<pair id>`: the chosen right option id (`""` while unchosen)  |
| numeric           | `value`: the text typed                                             |

Each reader returns the JSON answer `quiz/grading.py` grades, or None when the form holds
nothing (grading's `is_empty` then asks for an answer). A short answer's text without a rating
asks for the model answer first (grading's `wants_model_answer`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .models import AnyQuestion, FillBlank

Fields = Sequence[tuple[str, str]]


def _all(fields: Fields, name: str) -> list[str]:
    return [value for key, value in fields if key == name]


def _first(fields: Fields, name: str) -> str | None:
    return next((value for key, value in fields if key == name), None)


def _single_choice(question: Any, fields: Fields) -> object:
    picked = _first(fields, "choice")
    return None if picked is None else picked


def _multiple_choice(question: Any, fields: Fields) -> object:
    return _all(fields, "choice") or None


def _true_false(question: Any, fields: Fields) -> object:
    said = _first(fields, "choice")
    if said is None:
        return None
    return {"true": True, "false": False}.get(said, said)  # anything else: graded as invalid


def _fill_blank(question: FillBlank, fields: Fields) -> object:
    typed = dict(reversed(fields))  # the first value of a name wins
    blanks = [typed.get(f"blank-{index}", "") for index in range(len(question.blanks))]
    return blanks if any(text.strip() for text in blanks) else None


def _short_answer(question: Any, fields: Fields) -> object:
    text = _first(fields, "text") or ""
    rating = _first(fields, "rating")
    return {"text": text} if rating is None else {"rating": rating, "text": text}


def _ordering(question: Any, fields: Fields) -> object:
    return _all(fields, "order") or None


def _matching(question: Any, fields: Fields) -> object:
    chosen = {
        name.removeprefix("pair:"): value
        for name, value in fields
        if name.startswith("pair:") and value
    }
    return chosen or None


def _numeric(question: Any, fields: Fields) -> object:
    typed = _first(fields, "value")
    return None if typed is None or not typed.strip() else typed


#: One reader per question type (a test checks every type of the models has one).
FORM_READERS: dict[str, Callable[[Any, Fields], object]] = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "true_false": _true_false,
    "fill_blank": _fill_blank,
    "short_answer": _short_answer,
    "ordering": _ordering,
    "matching": _matching,
    "numeric": _numeric,
}


def answer_from_fields(question: AnyQuestion, fields: Fields) -> object:
    """The answer a submitted form gives (the JSON shape grading takes), or None if empty."""
    return FORM_READERS[question.type](question, fields)
