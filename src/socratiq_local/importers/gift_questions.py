"""One GIFT question to the fields of a native question, with what could not be kept exactly.

Moodle decides the question type from the answer set, and so does this module: empty is an
essay, `#…` numeric, any `~` multiple choice, `=… -> …` matching, `T`/`TRUE`/`F`/`FALSE`
true/false, anything else short answer. What Moodle grades differently from this quiz
(answer weights, per-answer feedback on typed answers, extra numeric answers) is imported as
closely as the native format allows, and each difference becomes a `Note` for the report.
A text with several answer sets, or with Moodle's Cloze sets (`{1:SA:=…}`, which are not GIFT),
becomes a fill-in with a blank for each set (`build_blanks`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .gift_syntax import Answer, GiftSyntaxError, RawQuestion, restore, split_answers
from .gift_text import BLANK_MARK, TextFormat, escape_markdown, split_format, to_markdown

NO_MODEL_ANSWER = "No model answer was given."
DESCRIPTION = "a description (text without an answer set) is not a question"
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_BLANK = "____"
_FULL = 1 - 1e-9


@dataclass(frozen=True)
class Note:
    """Something in the source this import could not keep exactly."""

    reason: str
    action: str


class NotImported(Exception):
    """The question has no native equivalent: it is reported and left out."""


@dataclass
class Built:
    """The native question's fields (without id and tags), and the notes for the report."""

    fields: dict[str, Any]
    notes: list[Note] = field(default_factory=list)


def _markdown(raw: str, default: TextFormat) -> str:
    """A GIFT text (placeholders and all) as Markdown, in its own format or the default."""
    text_format, text = split_format(raw, default)
    return to_markdown(restore(text), text_format)


def _typed(raw: str) -> str:
    """An answer a learner types: its text, compared after normalisation, never rendered."""
    return " ".join(restore(split_format(raw, "plain")[1]).split())


def _optional(raw: str | None, default: TextFormat) -> str | None:
    return (_markdown(raw, default) or None) if raw else None


def _percent(weight: float) -> str:
    return f"{weight * 100:g}%"


def _question_format(q: RawQuestion) -> TextFormat:
    return split_format(q.before, "moodle")[0]


def _question_text(q: RawQuestion, *, fill_in: bool = False) -> str:
    """The text, with `____` where a missing-word answer set stood (at the end for fill-ins)."""
    text_format, before = split_format(q.before, "moodle")
    raw = before + (BLANK_MARK + (q.after or "") if q.is_missing_word else "")
    text = to_markdown(restore(raw), text_format)
    if fill_in:
        text = re.sub(r"_{4,}", lambda m: "\\_" * len(m.group()), text)
        if BLANK_MARK not in text:
            text = f"{text} {_BLANK}"
    text = text.replace(BLANK_MARK, _BLANK)
    if not text.replace(_BLANK, "").strip():
        raise NotImported("the question has no text")
    return text


def _explanation(q: RawQuestion) -> str | None:
    return _optional(q.general_feedback, _question_format(q))


def _nonempty(answers: list[Answer]) -> list[Answer]:
    for answer in answers:
        if not answer.text:
            raise GiftSyntaxError(answer.line, "an answer is empty")
    return answers


def _without_empty(answers: list[Answer]) -> tuple[list[Answer], list[Note]]:
    """Answers with text; Moodle leaves empty ones out when it saves the question.

    `~=right` is Moodle's own idiom (its importer turns every `=` into `~=`, so the `~` before
    it is an empty answer): that one goes without a note.
    """
    kept: list[Answer] = []
    stray = 0
    for answer, following in zip(answers, [*answers[1:], None], strict=True):
        if answer.text:
            kept.append(answer)
        elif not (
            answer.marker == "~"
            and answer.weight is None
            and answer.feedback is None
            and following is not None
            and following.marker == "="
        ):
            stray += 1
    if not stray:
        return kept, []
    note = Note(f"{stray} empty answer(s) (nothing after ~ or =)", "left out, as Moodle does")
    return kept, [note]


def _choice_weight(answer: Answer) -> float:
    if answer.weight is not None:
        return answer.weight
    return 1.0 if answer.marker == "=" else 0.0


def _weights_listed(weights: list[float]) -> str:
    return ", ".join(_percent(w) for w in weights)


def _single_answer_key(weights: list[float]) -> tuple[list[bool], list[Note]]:
    """Right answers of a question with `=`, where Moodle lets the learner pick one."""
    full = [w >= _FULL for w in weights]
    listed = _weights_listed(weights)
    if sum(full) > 1:
        note = Note(
            f"{sum(full)} answers each earn full credit when picked alone (weights {listed})",
            "imported as multiple choice: the learner must pick all of them",
        )
        return full, [note]
    if not any(full):
        best = weights.index(max(weights))
        note = Note(
            f"no answer earns full credit (weights {listed})",
            f"imported as single choice with the best answer ({_percent(weights[best])}) right",
        )
        return [i == best for i in range(len(weights))], [note]
    if any(w != 0 and w < _FULL for w in weights):
        note = Note(
            f"partial credit or penalties for other answers are not kept (weights {listed})",
            "imported as single choice: only the full-credit answer is right",
        )
        return full, [note]
    return full, []


def _multiple_answer_notes(weights: list[float]) -> list[Note]:
    """Moodle adds up the weights of the picked answers; this quiz has one fixed rule."""
    right = sum(w > 0 for w in weights)
    if all(math.isclose(w, (1 if w > 0 else -1) / right, abs_tol=1e-3) for w in weights):
        return []
    return [
        Note(
            f"answer weights {_weights_listed(weights)} differ from this quiz's rule"
            f" (+1/{right} for each right answer picked, -1/{right} for each wrong one)",
            "imported as multiple choice: answers with a positive weight are right",
        )
    ]


def _distinct(choices: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Note]]:
    """Choices with their repeats left out: the learner could not tell two of them apart."""
    seen: dict[str, dict[str, Any]] = {}
    for choice in choices:
        first = seen.setdefault(choice["text"], choice)
        if first is not choice and first["correct"] != choice["correct"]:
            raise NotImported(
                f"the answer {choice['text']!r} is written twice, once right, once wrong"
            )
    if len(seen) == len(choices):
        return choices, []
    if len(seen) < 2:
        raise NotImported("fewer than two different answers")
    repeated = sorted({c["text"] for c in choices if seen[c["text"]] is not c})
    note = Note(f"answers written twice: {', '.join(map(repr, repeated))}", "each kept once")
    return list(seen.values()), [note]


def build_choice(q: RawQuestion) -> Built:
    """`=` marks a single answer, `~%n%` weights multiple answers (Moodle's two modes)."""
    answers, empty = _without_empty(split_answers(q, "=~"))
    if len(answers) < 2:
        raise GiftSyntaxError(
            q.line_at(q.body_start),
            "a multiple-choice question needs at least two answers (Moodle: There are not"
            " enough answers for this question type)",
        )
    weights = [_choice_weight(a) for a in answers]
    if not any(w > 0 for w in weights):
        raise NotImported("no answer is right (none has = or a positive %weight%)")
    single = any(a.marker == "=" for a in answers)
    if single:
        correct, notes = _single_answer_key(weights)
    else:
        correct, notes = [w > 0 for w in weights], _multiple_answer_notes(weights)
    text_format = _question_format(q)
    choices = [
        {
            "text": _markdown(a.text, text_format),
            "correct": right,
            "feedback": _optional(a.feedback, text_format),
        }
        for a, right in zip(answers, correct, strict=True)
    ]
    choices, repeated = _distinct(choices)
    correct = [bool(c["correct"]) for c in choices]
    fields = {
        "type": "single_choice" if single and sum(correct) == 1 else "multiple_choice",
        "text": _question_text(q),
        "choices": choices,
        "explanation": _explanation(q),
    }
    return Built(fields, empty + notes + repeated)


def build_matching(q: RawQuestion) -> Built:
    """`=left -> right` pairs; `= -> right` (no left side) is a distractor, as in Moodle."""
    pairs: list[dict[str, str]] = []
    distractors: list[str] = []
    text_format = _question_format(q)
    for answer in split_answers(q, "="):
        content = answer.raw
        left, arrow, right = content.partition("->")
        if not arrow:
            raise GiftSyntaxError(
                answer.line,
                "a matching answer without -> (=left -> right; Moodle: Matching question"
                " answers are improperly formatted)",
            )
        right_text = to_markdown(restore(right), "plain")
        if not right_text:
            raise GiftSyntaxError(answer.line, "a matching answer with nothing after ->")
        if left.strip():
            pairs.append({"left": _markdown(left, text_format), "right": right_text})
        else:
            distractors.append(right_text)
    if len(pairs) < 2:
        raise GiftSyntaxError(
            q.line_at(q.body_start),
            "a matching question needs at least two =left -> right pairs (Moodle: There are"
            " not enough answers for this question type)",
        )
    fields = {
        "type": "matching",
        "text": _question_text(q),
        "pairs": pairs,
        "distractors": distractors,
        "explanation": _explanation(q),
    }
    return Built(fields)


def build_true_false(q: RawQuestion) -> Built:
    """`{T#wrong#right}`: the first feedback is for a wrong answer, the second for a right one."""
    key, *feedback = q.body.split("#", 2)
    answer = _TRUE_FALSE[key.strip()]
    text_format = _question_format(q)
    wrong, right = [_optional(f, text_format) for f in [*feedback, "", ""][:2]]
    fields = {
        "type": "true_false",
        "text": _question_text(q),
        "answer": answer,
        "feedback_true": right if answer else wrong,
        "feedback_false": wrong if answer else right,
        "explanation": _explanation(q),
    }
    return Built(fields)


def _feedback_note(answers: list[Answer], extra: str | None = None) -> list[Note]:
    if not any(a.feedback for a in answers) and not extra:
        return []
    return [Note("feedback on typed answers has no place in this quiz", "feedback left out")]


def _typed_weight(answer: Answer) -> float:
    return 1.0 if answer.weight is None else answer.weight


def _credited(answers: list[Answer]) -> tuple[list[Answer], list[Note]]:
    """The answers that are right here: full credit, else the best; notes for the others."""
    weights = [_typed_weight(a) for a in answers]
    if not any(w > 0 for w in weights):
        raise NotImported("no answer earns credit (every %weight% is 0 or below)")
    best = max(weights) if max(weights) < _FULL else _FULL
    kept = [a for a, w in zip(answers, weights, strict=True) if w >= best]
    notes = []
    if best < _FULL:
        notes.append(
            Note(
                f"no answer earns full credit; the best ones earn {_percent(max(weights))}",
                "those are imported as right answers",
            )
        )
    others = [
        f"{_typed(a.text)!r} ({_percent(w)})"
        for a, w in zip(answers, weights, strict=True)
        if w < best and w != 0
    ]
    if others:
        notes.append(
            Note(
                "partial credit and penalties are not kept: " + ", ".join(others),
                "those answers count as wrong",
            )
        )
    return kept, notes


def build_fill_in(q: RawQuestion) -> Built:
    """A short answer: one blank accepting every full-credit answer, case-insensitively."""
    answers, empty = _without_empty(split_answers(q, "="))
    if not answers:
        raise GiftSyntaxError(
            q.line_at(q.body_start),
            "a short answer {=…} without answers (Moodle: There are not enough answers for"
            " this question type)",
        )
    kept, notes = _credited(answers)
    notes = empty + notes
    accepted = list(dict.fromkeys(_typed(a.text) for a in kept))
    if len(accepted) == 1 and accepted[0].upper() in _TRUE_FALSE:
        notes.append(
            Note(
                f"{{{accepted[0]}}} is a short answer in Moodle too: true/false needs"
                " T, TRUE, F or FALSE in capitals",
                "imported as fill in the blank",
            )
        )
    if any("*" in a for a in accepted):
        notes.append(
            Note(
                "the * wildcard of Moodle short answers has no equivalent",
                "the answer is matched literally, * included",
            )
        )
    fields = {
        "type": "fill_blank",
        "text": _question_text(q, fill_in=True),
        "blanks": [{"accepted": accepted, "case_sensitive": False}],
        "explanation": _explanation(q),
    }
    return Built(fields, notes + _feedback_note(answers))


def _number(text: str, line: int) -> float:
    if not _NUMBER.fullmatch(text.strip()):
        raise GiftSyntaxError(
            line, f"{text.strip()!r} is not a number (Moodle: Error - answers must be numeric)"
        )
    value = float(text)
    if not math.isfinite(value):
        raise GiftSyntaxError(line, f"{text.strip()!r} is too large")
    return value


def _numeric_key(answer: Answer) -> dict[str, float]:
    """`value`, `value:tolerance` or `min..max`, as Numeric fields."""
    spec = restore(answer.text).strip()
    low, dots, high = spec.partition("..")
    if dots and low.strip():
        bounds = sorted([_number(low, answer.line), _number(high, answer.line)])
        return {"min": bounds[0], "max": bounds[1]}
    value, colon, tolerance = spec.partition(":")
    if colon:
        return {
            "value": _number(value, answer.line),
            "tolerance": abs(_number(tolerance, answer.line)),
        }
    return {"value": _number(value, answer.line), "tolerance": 0.0}


def _describe_key(key: dict[str, float]) -> str:
    if "min" in key:
        return f"{key['min']:g}..{key['max']:g}"
    return f"{key['value']:g}" + (f"±{key['tolerance']:g}" if key["tolerance"] else "")


def build_numeric(q: RawQuestion) -> Built:
    """`{#value:tolerance}` or `{#min..max}`; of several answers the best one is kept."""
    start = q.body.index("#") + 1
    tilde = q.body.find("~", start)
    end = len(q.body) if tilde < 0 else tilde
    answers = _nonempty(split_answers(q, "=", start, end))
    if not answers:
        raise GiftSyntaxError(
            q.line_at(q.body_start),
            "a numeric answer set {#…} without answers (Moodle: No answers found for"
            " numerical question)",
        )
    keys = [_numeric_key(a) for a in answers]
    weights = [_typed_weight(a) for a in answers]
    if not any(w > 0 for w in weights):
        raise NotImported("no answer earns credit (every %weight% is 0 or below)")
    best = weights.index(max(weights))
    notes = []
    if weights[best] < _FULL:
        notes.append(
            Note(
                f"no answer earns full credit; the best one earns {_percent(weights[best])}",
                "that one is imported as the right answer",
            )
        )
    others = [
        f"{_describe_key(k)} ({_percent(w)})"
        for i, (k, w) in enumerate(zip(keys, weights, strict=True))
        if i != best and w != 0
    ]
    if others:
        notes.append(
            Note(
                "a numeric question here has one right answer; not kept: " + ", ".join(others),
                f"imported with {_describe_key(keys[best])} as the answer",
            )
        )
    wrong_feedback = q.body[tilde:].partition("#")[2].strip() if tilde >= 0 else None
    fields = {
        "type": "numeric",
        "text": _question_text(q),
        **keys[best],
        "explanation": _explanation(q),
    }
    return Built(fields, notes + _feedback_note(answers, wrong_feedback))


def build_essay(q: RawQuestion) -> Built:
    """Moodle grades essays by hand; here the learner rates against the general feedback."""
    model_answer = _explanation(q)
    notes = []
    if model_answer is None:
        notes.append(
            Note(
                "an essay question without a model answer (no ####general feedback)",
                f'imported as self-rated short answer with "{NO_MODEL_ANSWER}"',
            )
        )
    fields = {
        "type": "short_answer",
        "text": _question_text(q),
        "model_answer": model_answer or NO_MODEL_ANSWER,
    }
    return Built(fields, notes)


_CLOZE = re.compile(r"\s*\d*:([A-Z_]+):")
_CLOZE_NUMERIC = {"NUMERICAL", "NM"}
_CLOZE_CASE = {"SHORTANSWER_C", "SAC", "MWC"}


@dataclass
class _Blank:
    """One answer set read as a blank: what it accepts and what the text shows after it."""

    accepted: list[str]
    tolerance: float | None = None
    case_sensitive: bool = False
    options: list[str] = field(default_factory=list)


def _set_blank(q: RawQuestion, opening: int, body: str, notes: set[str]) -> _Blank:
    """An answer set (GIFT or Moodle's Cloze `1:SA:…`) as a blank; `notes` collects reasons."""
    line = q.line_at(opening)
    cloze = _CLOZE.match(body)
    kind = cloze.group(1) if cloze else ""
    body = body[cloze.end() :] if cloze else body
    if cloze:
        notes.add(
            "Moodle's embedded-answers (Cloze) syntax {1:SA:…} is not GIFT"
            " (Moodle's GIFT import would garble it)"
        )
    part = RawQuestion(line, None, "", "", body, 0, None, q.located)
    if kind in _CLOZE_NUMERIC or body.lstrip().startswith("#"):
        start = body.find("#") + 1 if body.lstrip().startswith("#") else 0
        answers = [a for a in split_answers(part, "=~", start) if a.text]
        right = [a for a in answers if _typed_weight(a) >= _FULL and a.marker != "~"] or [
            a for a in answers if a.weight is not None and a.weight >= _FULL
        ]
        if not right:
            raise GiftSyntaxError(line, "a numeric answer set without a right answer")
        key = _numeric_key(right[0])
        if "min" in key:
            middle = (key["min"] + key["max"]) / 2
            return _Blank([f"{middle:g}"], (key["max"] - key["min"]) / 2)
        return _Blank([f"{key['value']:g}"], key["tolerance"])
    if body.strip() in _TRUE_FALSE:
        answer = _TRUE_FALSE[body.strip()]
        return _Blank(["true" if answer else "false"], options=["true", "false"])
    if "->" in body and not cloze:
        raise NotImported("a matching answer set among several answer sets")
    answers = [a for a in split_answers(part, "=~") if a.text]
    if not answers:
        raise NotImported("an empty answer set {} among several answer sets")
    choice = kind.startswith(("MC", "MULTICHOICE")) or (not cloze and "~" in body)
    if choice:
        right = [a for a in answers if _choice_weight(a) >= _FULL]
    elif cloze:  # Cloze alternatives are parted by `~`; the right ones carry `=` or %100%
        right = [a for a in answers if a.marker == "=" or (a.weight or 0) >= _FULL]
    else:  # GIFT short answers: every answer counts unless its %weight% says otherwise
        right = [a for a in answers if _typed_weight(a) >= _FULL]
    if not right:
        raise NotImported("an answer set with no right answer (none has = or %100%)")
    if any(a.feedback for a in answers) or any(0 < _choice_weight(a) < _FULL for a in answers):
        notes.add("feedback and partial credit inside the text have no place in this quiz")
    accepted = list(dict.fromkeys(_typed(a.text) for a in right))[:100]
    if not choice:
        return _Blank(accepted, case_sensitive=kind in _CLOZE_CASE)
    notes.add("choices inside the text cannot be picked here")
    return _Blank(accepted, options=[_typed(a.text) for a in answers])


def _as_text(plain: str, text_format: TextFormat) -> str:
    """Plain text to put into a text of the given format, shown as it is."""
    if text_format in ("html", "moodle"):
        return html.escape(plain, quote=False)
    return escape_markdown(plain, line_start=False) if text_format == "markdown" else plain


def build_blanks(q: RawQuestion) -> Built:
    """Several answer sets in one text, or a Cloze set: a fill-in with a blank for each."""
    notes: set[str] = set()
    text = q.located.text
    pieces = [q.before]
    blanks: list[_Blank] = []
    general: str | None = None
    text_format = _question_format(q)
    for n, (opening, closing) in enumerate(q.sets):
        body = text[opening + 1 : closing]
        if "####" in body:
            body, _, feedback = body.rpartition("####")
            general = general or feedback.strip() or None
        blank = _set_blank(q, opening, body, notes)
        blanks.append(blank)
        shown = f" ({_as_text(' / '.join(blank.options), text_format)})" if blank.options else ""
        following = q.sets[n + 1][0] if n + 1 < len(q.sets) else len(text)
        pieces.append(BLANK_MARK + shown + text[closing + 1 : following])
    before = split_format("".join(pieces), "moodle")[1]
    markdown = to_markdown(restore(before), text_format)
    markdown = re.sub(r"_{4,}", lambda m: "\\_" * len(m.group()), markdown)
    markdown = markdown.replace(BLANK_MARK, _BLANK)
    if markdown.count(_BLANK) != len(blanks):
        raise NotImported("the blanks of this text could not be placed")
    reasons = sorted(notes)
    action = "imported as fill in the blanks, one blank per answer set"
    if len(q.sets) > 1:
        reasons.insert(0, f"{len(q.sets)} answer sets in one question; Moodle reads only the first")
    if any(b.options for b in blanks):
        action += "; a set's choices are listed after its blank, for the learner to type one"
    fields = {
        "type": "fill_blank",
        "text": markdown,
        "blanks": [
            {
                "accepted": b.accepted,
                "case_sensitive": b.case_sensitive,
                **({"tolerance": b.tolerance} if b.tolerance is not None else {}),
            }
            for b in blanks
        ],
        "explanation": _optional(general, text_format),
    }
    return Built(fields, [Note("; ".join(reasons), action)])


def builder(q: RawQuestion) -> Callable[[RawQuestion], Built]:
    """The builder for the question's type, chosen from its answer set as Moodle does."""
    body = q.body.strip()
    if q.after is None:
        raise NotImported(DESCRIPTION)
    if len(q.sets) > 1 or _CLOZE.match(q.body):
        return build_blanks
    if not body:
        return build_essay
    if body.startswith("#"):
        return build_numeric
    if "~" in body:
        return build_choice
    if "=" in body and "->" in body:
        return build_matching
    if body.split("#", 1)[0].strip() in _TRUE_FALSE:
        return build_true_false
    return build_fill_in
