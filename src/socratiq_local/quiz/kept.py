"""The learner's last answer to a question, kept small enough to store for every question.

Progress keeps each question's last answer, so a reloaded page shows it answered; a book of
1,700 questions must still fit in localStorage (twice: two snapshot slots). So ids become
positions in the question's own lists (a choice id of 12 characters becomes one digit), typed
text is cut short, and anything still over `MAX_KEPT_CHARS` of JSON is not kept at all:

| question type     | kept as                                                   |
|-------------------|-----------------------------------------------------------|
| single_choice     | the choice's position: `1`                                |
| multiple_choice   | the picked choices' positions: `[0, 2]`                   |
| true_false        | `true` or `false`                                         |
| fill_blank        | the typed texts                                           |
| short_answer      | `[rating position, text]`                                 |
| ordering          | the items' positions, in the learner's order: `[2, 0, 1]` |
| matching          | per pair, the chosen option's position (-1: none)         |
| numeric           | the number, or the typed text                             |

`restore` gives the answer back in grading's shape, or None when the quiz changed so that it
no longer fits (a choice removed); a reordered quiz can show a different choice as picked,
which only the display of the last answer would show.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, get_args

from pydantic import JsonValue

from .models import AnyQuestion, Rating

#: A kept answer's JSON is at most this long (characters), or it is not kept.
MAX_KEPT_CHARS = 1024
#: Typed text is kept up to this many characters: a short answer's, each blank's, a number's.
#: A short answer's is cut hardest: a book's short answers (two in five of MLSysBook's
#: questions) would otherwise take more room than all the rest (see bench/history.py).
MAX_TEXT = {"short_answer": 60, "fill_blank": 100, "numeric": 50}

_RATINGS: tuple[str, ...] = get_args(Rating)


def _positions(ids: Sequence[str], wanted: Sequence[str]) -> list[int]:
    index = {item_id: i for i, item_id in enumerate(ids)}
    return [index[w] for w in wanted]


def _pack(question: AnyQuestion, answer: Any) -> JsonValue:
    match question.type:
        case "single_choice":
            return _positions([c.id for c in question.choices], [answer])[0]
        case "multiple_choice":
            return list[JsonValue](sorted(_positions([c.id for c in question.choices], answer)))
        case "true_false":
            return bool(answer)
        case "fill_blank":
            return [text[: MAX_TEXT["fill_blank"]] for text in answer]
        case "short_answer":
            rating = answer.get("rating") if isinstance(answer, dict) else answer
            text = answer.get("text", "") if isinstance(answer, dict) else ""
            return [_RATINGS.index(rating), text[: MAX_TEXT["short_answer"]]]
        case "ordering":
            return list[JsonValue](_positions([item.id for item in question.items], answer))
        case "matching":
            options = [option_id for option_id, _ in question.right_options()]
            chosen: list[JsonValue] = [
                options.index(answer[p.id]) if answer.get(p.id) in options else -1
                for p in question.pairs
            ]
            return chosen
        case "numeric":
            return answer[: MAX_TEXT["numeric"]] if isinstance(answer, str) else answer


def keep(question: AnyQuestion, answer: object) -> JsonValue:
    """The compact form of a gradable answer to `question`, or None if it is too long."""
    try:
        kept = _pack(question, answer)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError):
        return None
    return kept if len(json.dumps(kept, ensure_ascii=False)) <= MAX_KEPT_CHARS else None


def _at(items: Sequence[str], position: object) -> str:
    if type(position) is not int or not 0 <= position < len(items):
        raise ValueError(f"no position {position!r}")
    return items[position]


def _unpack(question: AnyQuestion, kept: Any) -> object:
    match question.type:
        case "single_choice":
            return _at([c.id for c in question.choices], kept)
        case "multiple_choice":
            return [_at([c.id for c in question.choices], p) for p in kept]
        case "true_false" if isinstance(kept, bool):
            return kept
        case "fill_blank" if isinstance(kept, list) and len(kept) == len(question.blanks):
            return [str(text) for text in kept]
        case "short_answer":
            rating, text = kept
            cut = len(text) >= MAX_TEXT["short_answer"]
            return {"rating": _at(_RATINGS, rating), "text": str(text) + ("…" if cut else "")}
        case "ordering" if len(kept) == len(question.items):
            return [_at([item.id for item in question.items], p) for p in kept]
        case "matching" if len(kept) == len(question.pairs):
            options = [option_id for option_id, _ in question.right_options()]
            return {
                p.id: _at(options, k) for p, k in zip(question.pairs, kept, strict=True) if k != -1
            }
        case "numeric" if isinstance(kept, (int, float, str)) and not isinstance(kept, bool):
            return kept
    raise ValueError("does not fit the question")


def restore(question: AnyQuestion, kept: JsonValue) -> object | None:
    """The answer `keep` kept, in grading's shape; None if it no longer fits the question."""
    if kept is None:
        return None
    try:
        return _unpack(question, kept)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
